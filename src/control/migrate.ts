// Numbered schema migrations per component, applied in order in one transaction and recorded.
import { createHash } from 'node:crypto';
import { ControlError } from './errors.ts';
import type { Sql } from './sql.ts';

export interface Migration {
  /** 1, 2, 3, … in order; never renumber or edit one that has shipped, add a new one. */
  version: number;
  name: string;
  sql: string;
}

/** A component's migrations (e.g. 'control', later 'cases'); each component numbers its own. */
export interface MigrationSet {
  component: string;
  migrations: readonly Migration[];
}

function checksum(m: Migration): string {
  return createHash('sha256').update(m.sql).digest('hex');
}

function checkSet(set: MigrationSet): void {
  if (!/^[a-z][a-z0-9_]*$/.test(set.component)) {
    throw new ControlError('invalid', `migration component must be a lower-case identifier; got ${JSON.stringify(set.component)}`);
  }
  let last = 0;
  for (const m of set.migrations) {
    if (!Number.isInteger(m.version) || m.version <= last) {
      throw new ControlError('invalid', `${set.component} migrations must have strictly increasing positive integer versions; ${m.version} follows ${last}`);
    }
    last = m.version;
  }
}

/**
 * Applies the pending migrations of a set, all in one transaction; returns the versions applied
 * (empty when the database is already up to date). Fails with 'conflict' if a migration that was
 * applied earlier has been edited since, because the database no longer matches the code.
 */
export async function migrate(sql: Sql, set: MigrationSet): Promise<number[]> {
  checkSet(set);
  return sql.tx(async (tx) => {
    // Serialises migrators of the same schema across processes (two nodes starting at once).
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('bulwark.migrate'), hashtext(coalesce(current_schema(), '')))`);
    await tx.exec(`CREATE TABLE IF NOT EXISTS migrations (
      component text NOT NULL,
      version int NOT NULL,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const applied = new Map<number, string>();
    for (const r of await tx.query<{ version: number; checksum: string }>(
      'SELECT version, checksum FROM migrations WHERE component = $1',
      [set.component],
    )) {
      applied.set(r.version, r.checksum);
    }
    const done: number[] = [];
    for (const m of set.migrations) {
      const sum = checksum(m);
      const prior = applied.get(m.version);
      if (prior !== undefined) {
        if (prior !== sum) {
          throw new ControlError('conflict', `migration ${set.component} ${m.version} (${m.name}) was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query('INSERT INTO migrations (component, version, name, checksum) VALUES ($1, $2, $3, $4)', [
        set.component,
        m.version,
        m.name,
        sum,
      ]);
      done.push(m.version);
    }
    return done;
  });
}
