// openControl: opens the control-plane database (PGlite or PostgreSQL), migrates it, and wires the stores.
import { join } from 'node:path';
import { AuditLog } from './audit.ts';
import { ApiKeys } from './keys.ts';
import { Labels } from './labels.ts';
import { Lists } from './lists.ts';
import { migrate } from './migrate.ts';
import type { MigrationSet } from './migrate.ts';
import { controlMigrations } from './migrations.ts';
import { Erasure, Secrets, Settings } from './settings.ts';
import { openPglite, openPostgres } from './sql.ts';
import type { Backend, Sql } from './sql.ts';
import { Strategies } from './strategies.ts';

export interface ControlOptions {
  /** Embedded store at `${dataDir}/control` when no databaseUrl is given. */
  dataDir?: string;
  /** postgres://… — use PostgreSQL instead of the embedded store. */
  databaseUrl?: string;
  /** Put every table in this schema (created if missing). */
  schema?: string;
  /** Further components' migrations (e.g. cases), applied after the control plane's own. */
  migrations?: readonly MigrationSet[];
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

export interface Control {
  readonly backend: Backend;
  /** The shared database handle, for components that build on the control plane. */
  readonly sql: Sql;
  readonly audit: AuditLog;
  readonly strategies: Strategies;
  readonly lists: Lists;
  readonly keys: ApiKeys;
  readonly labels: Labels;
  readonly settings: Settings;
  readonly secrets: Secrets;
  readonly erasure: Erasure;
  close(): Promise<void>;
}

export async function openControl(opts: ControlOptions): Promise<Control> {
  let pool;
  if (opts.databaseUrl) pool = await openPostgres(opts.databaseUrl, opts.schema, opts.poolSize);
  else if (opts.dataDir) pool = await openPglite(join(opts.dataDir, 'control'), opts.schema);
  else throw new Error('openControl needs a dataDir (embedded) or a databaseUrl (PostgreSQL)');
  const sql = pool;
  try {
    for (const set of [controlMigrations, ...(opts.migrations ?? [])]) await migrate(sql, set);
  } catch (err) {
    await pool.close();
    throw err;
  }
  let closed: Promise<void> | undefined;
  return {
    backend: sql.backend,
    sql,
    audit: new AuditLog(sql),
    strategies: new Strategies(sql),
    lists: new Lists(sql),
    keys: new ApiKeys(sql),
    labels: new Labels(sql),
    settings: new Settings(sql),
    secrets: new Secrets(sql),
    erasure: new Erasure(sql),
    close: () => (closed ??= pool.close()),
  };
}
