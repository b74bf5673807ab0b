// Named lists of string values (block lists, allow lists, …) that strategies test membership in.
import { appendAudit } from './audit.ts';
import { ControlError, checkActor, checkName } from './errors.ts';
import type { Sql } from './sql.ts';

export interface ListInfo {
  name: string;
  kind: string;
  description: string;
  count: number;
  created_at: Date;
  created_by: string;
}

export interface ListChange {
  /** Values actually added or removed (already present / absent ones are not counted). */
  changed: number;
  /** Distinct valid values in the request. */
  requested: number;
  /** Size of the list after the change. */
  count: number;
}

const BATCH = 10_000;
const MAX_VALUE = 1024;
const SAMPLE = 10;

function cleanValues(values: unknown): string[] {
  if (!Array.isArray(values)) throw new ControlError('invalid', 'values must be an array of strings');
  const out = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'string' || v === '' || v.length > MAX_VALUE) {
      throw new ControlError('invalid', `list values must be non-empty strings of at most ${MAX_VALUE} characters; got ${JSON.stringify(v)?.slice(0, 80)}`);
    }
    out.add(v);
  }
  return [...out];
}

/** One value per line; surrounding whitespace trimmed; blank lines and lines starting with '#' skipped. */
export function parseListText(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    out.push(line);
  }
  return out;
}

export class Lists {
  constructor(private readonly sql: Sql) {}

  async create(name: string, opts: { description?: string; kind?: string; actor: string }): Promise<ListInfo> {
    checkName('list', name);
    checkActor(opts.actor);
    const kind = opts.kind ?? 'string';
    checkName('list kind', kind);
    const description = opts.description ?? '';
    if (typeof description !== 'string' || description.length > 4096) throw new ControlError('invalid', 'description must be a string of at most 4096 characters');
    return this.sql.tx(async (tx) => {
      const [row] = await tx.query<Omit<ListInfo, 'count'>>(
        `INSERT INTO lists (name, kind, description, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO NOTHING RETURNING name, kind, description, created_at, created_by`,
        [name, kind, description, opts.actor],
      );
      if (!row) throw new ControlError('conflict', `a list named ${name} already exists`);
      await appendAudit(tx, { actor: opts.actor, action: 'list.create', target: `list:${name}`, after: { kind, description } });
      return { ...row, count: 0 };
    });
  }

  async add(name: string, values: string[], actor: string): Promise<ListChange> {
    return this.insert(name, cleanValues(values), actor, 'list.add', {});
  }

  /** Adds the values of a text file (see parseListText), in batches, in one transaction. */
  async import(name: string, text: string, actor: string): Promise<ListChange> {
    if (typeof text !== 'string') throw new ControlError('invalid', 'import text must be a string');
    const lines = parseListText(text);
    return this.insert(name, cleanValues(lines), actor, 'list.import', { lines: lines.length });
  }

  async remove(name: string, values: string[], actor: string): Promise<ListChange> {
    checkName('list', name);
    checkActor(actor);
    const clean = cleanValues(values);
    return this.sql.tx(async (tx) => {
      const before = await this.lockedCount(tx, name);
      let changed = 0;
      for (let i = 0; i < clean.length; i += BATCH) {
        const [r] = await tx.query<{ n: number }>(
          `WITH gone AS (DELETE FROM list_values WHERE list = $1 AND value = ANY($2::text[]) RETURNING 1)
           SELECT count(*)::int AS n FROM gone`,
          [name, clean.slice(i, i + BATCH)],
        );
        changed += r!.n;
      }
      const count = before - changed;
      await appendAudit(tx, {
        actor,
        action: 'list.remove',
        target: `list:${name}`,
        before: { count: before },
        after: { count, removed: changed, requested: clean.length, sample: clean.slice(0, SAMPLE) },
      });
      return { changed, requested: clean.length, count };
    });
  }

  /** All values of one list, sorted. */
  async values(name: string): Promise<string[]> {
    const [list] = await this.sql.query('SELECT 1 FROM lists WHERE name = $1', [name]);
    if (!list) throw new ControlError('not_found', `no list named ${name}`);
    const rows = await this.sql.query<{ value: string }>('SELECT value FROM list_values WHERE list = $1 ORDER BY value', [name]);
    return rows.map((r) => r.value);
  }

  async has(name: string, value: string): Promise<boolean> {
    const [row] = await this.sql.query('SELECT 1 FROM list_values WHERE list = $1 AND value = $2', [name, value]);
    return row !== undefined;
  }

  /** Every list with its values, for loading into the engine (empty lists included). */
  async all(): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    for (const l of await this.sql.query<{ name: string }>('SELECT name FROM lists ORDER BY name')) out.set(l.name, new Set());
    for (const r of await this.sql.query<{ list: string; value: string }>('SELECT list, value FROM list_values')) out.get(r.list)?.add(r.value);
    return out;
  }

  async list(): Promise<ListInfo[]> {
    return this.sql.query<ListInfo>(
      `SELECT l.name, l.kind, l.description, l.created_at, l.created_by,
              (SELECT count(*)::int FROM list_values v WHERE v.list = l.name) AS count
       FROM lists l ORDER BY l.name`,
    );
  }

  private async insert(name: string, values: string[], actor: string, action: string, extra: Record<string, unknown>): Promise<ListChange> {
    checkName('list', name);
    checkActor(actor);
    return this.sql.tx(async (tx) => {
      const before = await this.lockedCount(tx, name);
      let changed = 0;
      // Batched so 100k values are a handful of statements, not 100k round trips.
      for (let i = 0; i < values.length; i += BATCH) {
        const [r] = await tx.query<{ n: number }>(
          `WITH ins AS (
             INSERT INTO list_values (list, value, added_by) SELECT $1, v, $3 FROM unnest($2::text[]) AS v
             ON CONFLICT (list, value) DO NOTHING RETURNING 1)
           SELECT count(*)::int AS n FROM ins`,
          [name, values.slice(i, i + BATCH), actor],
        );
        changed += r!.n;
      }
      const count = before + changed;
      await appendAudit(tx, {
        actor,
        action,
        target: `list:${name}`,
        before: { count: before },
        after: { count, added: changed, requested: values.length, ...extra, sample: values.slice(0, SAMPLE) },
      });
      return { changed, requested: values.length, count };
    });
  }

  // Locks the list row so concurrent changes to one list apply one at a time and counts stay exact.
  private async lockedCount(tx: Sql, name: string): Promise<number> {
    const [list] = await tx.query('SELECT 1 FROM lists WHERE name = $1 FOR UPDATE', [name]);
    if (!list) throw new ControlError('not_found', `no list named ${name}`);
    const [r] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM list_values WHERE list = $1', [name]);
    return r!.n;
  }
}
