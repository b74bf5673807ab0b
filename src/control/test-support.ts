// Test fixtures: every control test runs on PGlite (temp dir) and on PostgreSQL (a fresh schema).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { openControl } from './control.ts';
import type { Control, ControlOptions } from './control.ts';
import { controlMigrations } from './migrations.ts';

export const TEST_DATABASE_URL = process.env.BULWARK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestBackend {
  name: 'pglite' | 'postgres';
  /** Options that open (or reopen) this backend's database; extra options merged in. */
  options(extra?: Partial<ControlOptions>): ControlOptions;
  open(extra?: Partial<ControlOptions>): Promise<Control>;
  /** Removes the temp dir / drops the schema. */
  dispose(): Promise<void>;
}

// PGlite's initdb costs seconds (far more on a loaded machine); reopening a data dir costs well
// under one. So the first test process builds a migrated data dir once, keyed by the PGlite
// version and the migrations, and every test copies it.
async function pgliteTemplate(): Promise<string> {
  const main = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const version = readFileSync(join(dirname(main), '..', 'package.json'), 'utf8');
  const key = createHash('sha256').update(version).update(JSON.stringify(controlMigrations)).digest('hex').slice(0, 16);
  const template = join(tmpdir(), `bulwark-control-template-${key}`);
  if (existsSync(template)) return template;
  const build = await mkdtemp(join(tmpdir(), 'bulwark-control-build-'));
  await (await openControl({ dataDir: build })).close();
  // rename is atomic: a process racing us either wins (we drop ours) or finds the template complete.
  await rename(build, template).catch(() => rm(build, { recursive: true, force: true }));
  return template;
}

function pgliteBackend(): TestBackend {
  let dir: string | undefined;
  const b: TestBackend = {
    name: 'pglite',
    options: (extra) => {
      if (!dir) throw new Error('open() first');
      return { dataDir: dir, ...extra };
    },
    async open(extra) {
      if (!dir) {
        dir = await mkdtemp(join(tmpdir(), 'bulwark-control-'));
        await cp(await pgliteTemplate(), dir, { recursive: true });
      }
      return openControl(b.options(extra));
    },
    async dispose() {
      if (dir) await rm(dir, { recursive: true, force: true });
    },
  };
  return b;
}

// No skip when PostgreSQL is down: open() throws and the suite fails, as CI guarantees a server.
function postgresBackend(): TestBackend {
  const schema = `bulwark_test_${randomBytes(6).toString('hex')}`;
  const b: TestBackend = {
    name: 'postgres',
    options: (extra) => ({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 4, ...extra }),
    open: (extra) => openControl(b.options(extra)),
    async dispose() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 5000 });
      try {
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
  return b;
}

export function testBackends(): TestBackend[] {
  return [pgliteBackend(), postgresBackend()];
}

/** Expects `p` to reject with a ControlError of this code. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<void> {
  try {
    await p;
  } catch (err) {
    const got = (err as { code?: unknown }).code;
    if (got !== code || (err as Error).name !== 'ControlError') throw new Error(`expected ControlError ${code}, got ${String(got)}: ${(err as Error).message}`);
    return;
  }
  throw new Error(`expected ControlError ${code}, but it resolved`);
}
