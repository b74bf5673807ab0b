// The small SQL adapter that hides PGlite (embedded) and node-postgres behind one interface.
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ControlError } from './errors.ts';
import { Worker } from 'node:worker_threads';
import pg from 'pg';

export type Row = Record<string, unknown>;
export type Backend = 'pglite' | 'postgres';

export interface Sql {
  readonly backend: Backend;
  /** One statement with $n parameters; returns the rows. */
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs fn in a transaction (a savepoint when already inside one); rolls back if fn throws. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

export interface SqlPool extends Sql {
  close(): Promise<void>;
}

// A handle bound to one open transaction; nested tx() becomes a savepoint.
class TxSql implements Sql {
  constructor(
    readonly backend: Backend,
    private readonly run: (text: string, params: readonly unknown[]) => Promise<Row[]>,
    private readonly runExec: (text: string) => Promise<void>,
    private readonly depth = 0,
  ) {}

  query<T = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.run(text, params) as Promise<T[]>;
  }

  exec(text: string): Promise<void> {
    return this.runExec(text);
  }

  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const sp = `bulwark_sp_${this.depth + 1}`;
    await this.run(`SAVEPOINT ${sp}`, []);
    try {
      const out = await fn(new TxSql(this.backend, this.run, this.runExec, this.depth + 1));
      await this.run(`RELEASE SAVEPOINT ${sp}`, []);
      return out;
    } catch (err) {
      await this.run(`ROLLBACK TO SAVEPOINT ${sp}`, []);
      throw err;
    }
  }
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkSchema(schema: string): void {
  if (!SCHEMA.test(schema)) throw new Error(`schema must match ${SCHEMA}; got ${JSON.stringify(schema)}`);
}

// PGlite has no postmaster guarding its data dir: two openers (two processes, or one process
// twice) would corrupt it, so we hold a pid lock file while open.
async function lockDir(dir: string): Promise<string> {
  const path = join(dir, 'bulwark.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
      throw new ControlError('conflict', `control data dir ${dir} is in use by process ${pid}`);
    }
    await unlink(path).catch(() => {}); // left by a process that died: take it over
  }
  throw new ControlError('conflict', `could not lock control data dir ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * PGlite on a worker thread (pglite-worker.mjs): queries are messages, a transaction is held open in the worker
 * between a begin and an end message. Results and errors cross by structured clone (Dates, bytes, bigints keep).
 */
class PgliteSql implements SqlPool {
  readonly backend = 'pglite' as const;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failed: Error | null = null;

  constructor(
    private readonly worker: Worker,
    private readonly lock: string,
  ) {
    worker.on('message', (m: { id: number; value?: unknown; error?: { message: string } & Record<string, unknown> }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error) p.reject(Object.assign(new Error(m.error.message), m.error));
      else p.resolve(m.value);
    });
    const fail = (e: Error): void => {
      this.failed = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the embedded database thread exited (code ${code})`)));
    worker.unref(); // an idle connection does not keep the process alive; a pending call does
  }

  private call<T>(msg: Record<string, unknown>): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.next++;
    if (this.pending.size === 0) this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...msg, id });
    });
  }

  query<T = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.call<T[]>({ op: 'query', text, params });
  }

  async exec(text: string): Promise<void> {
    await this.call({ op: 'exec', text });
  }

  // PGlite is one connection; its transaction API serialises transactions with a mutex (in the worker).
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const tx = await this.call<number>({ op: 'begin' });
    let out: T;
    try {
      out = await fn(new TxSql(
        'pglite',
        (text, params) => this.call<Row[]>({ op: 'query', tx, text, params }),
        async (text) => { await this.call({ op: 'exec', tx, text }); },
      ));
    } catch (err) {
      await this.call({ op: 'end', tx, commit: false }).catch(() => {}); // the caller's error is the one to report
      throw err;
    }
    await this.call({ op: 'end', tx, commit: true });
    return out;
  }

  async close(): Promise<void> {
    try {
      if (!this.failed) await this.call({ op: 'close' });
    } finally {
      await this.worker.terminate();
      await unlink(this.lock).catch(() => {});
    }
  }
}

export async function openPglite(dir: string, schema?: string): Promise<SqlPool> {
  if (schema !== undefined) checkSchema(schema);
  await mkdir(dir, { recursive: true });
  const lock = await lockDir(dir);
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dir, schema } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready: boolean; error?: { message: string } }) => (m.ready ? resolve() : reject(new Error(m.error?.message ?? 'the embedded database did not start'))));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the embedded database thread exited (code ${code}) while starting`)));
    });
    return new PgliteSql(worker, lock);
  } catch (err) {
    await worker.terminate();
    await unlink(lock).catch(() => {});
    throw err;
  }
}

class PostgresSql implements SqlPool {
  readonly backend = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  async query<T = Row>(text: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.pool.query(text, params as unknown[])).rows as T[];
  }

  async exec(text: string): Promise<void> {
    await this.pool.query(text);
  }

  // A real transaction on one pooled client; a client whose ROLLBACK failed is discarded, not reused.
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const out = await fn(
        new TxSql(
          'postgres',
          async (text, params) => (await client.query(text, params as unknown[])).rows as Row[],
          async (text) => {
            await client.query(text);
          },
        ),
      );
      await client.query('COMMIT');
      client.release();
      return out;
    } catch (err) {
      await client.query('ROLLBACK').then(
        () => client.release(),
        (rollbackErr: Error) => client.release(rollbackErr),
      );
      throw err;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

export async function openPostgres(url: string, schema?: string, poolSize = 10): Promise<SqlPool> {
  if (schema !== undefined) checkSchema(schema);
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
    // Set at connection start, so every pooled client sees the same schema.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client dying (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const sql = new PostgresSql(pool);
  try {
    if (schema !== undefined) {
      try {
        await sql.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      } catch (err) {
        // Two processes creating the schema at once: the loser sees a duplicate, which is fine.
        const code = (err as { code?: string }).code;
        if (code !== '23505' && code !== '42P06') throw err;
      }
    } else {
      await sql.query('SELECT 1');
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return sql;
}
