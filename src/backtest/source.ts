// Where backtests get strategies and events: strategy directories or stored versions, NDJSON files, a server's log.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readStrategyDir } from '../cli/sources.ts';
import { openControl, type Control } from '../control/index.ts';
import type { Decision } from '../engine/index.ts';
import { compileStrategy, formatError, type PreparedEvent, type StrategyFiles } from '../lang/index.ts';
import { EventLog } from '../log/index.ts';
import { pseudonymiser } from '../server/pseudonym.ts';
import type { Backtest, StrategyUnderTest } from './run.ts';

/** The records of a server's log: the format is src/server/service.ts's. */
export type { LogRecordBody } from '../server/service.ts';
import type { LogRecordBody } from '../server/service.ts';

export class SourceError extends Error {
  constructor(readonly code: 'strategy_invalid' | 'not_found' | 'bad_time' | 'bad_request', message: string) { super(message); }
}

export interface CompileExtra {
  /** Compute every feature on every event (training-set export), not only those rules read. */
  allFeatures?: boolean;
}

/** Compiles strategy files; `version` names it in decisions (`name@N` for stored versions, as the server does). */
export function compileFiles(files: StrategyFiles, version: string | undefined, pseudonymise: ((v: string) => string) | null, extraLists?: Map<string, Set<string>>, extra: CompileExtra = {}): StrategyUnderTest {
  // allFeatures reaches compile() once lang/index.ts passes it through (see docs/backtesting.md, "patches").
  const opts = { version, pseudonymise, allFeatures: extra.allFeatures === true } as Parameters<typeof compileStrategy>[1];
  const c = compileStrategy(files, opts);
  if (!c.ok) throw new SourceError('strategy_invalid', `the strategy does not check:\n${c.errors.map(formatError).join('\n')}`);
  const lists = new Map<string, string[]>();
  for (const l of c.plan.lists) {
    const values = new Set(c.lists.get(l.name) ?? []);
    for (const v of extraLists?.get(l.name) ?? []) values.add(v);
    lists.set(l.name, [...values]);
  }
  return { plan: c.plan, lists };
}

/** A server data directory opened for reading: its control plane (versions, lists, pseudonym key) and its log. */
export class DataDir {
  private constructor(readonly dir: string, readonly control: Control, readonly pseudonymise: ((v: string) => string) | null, readonly strategyName: string) {}

  /** The server must be stopped: the embedded control plane and the log take one process at a time. */
  static async open(dir: string, opts: { keepRawPersonalData?: boolean; strategyName?: string } = {}): Promise<DataDir> {
    if (!existsSync(join(dir, 'log'))) throw new SourceError('not_found', `${dir} is not a Bulwark data directory (no log/ in it)`);
    const control = await openControl({ dataDir: dir });
    try {
      const key = await control.secrets.pseudonymKey();
      const names = (await control.strategies.names()).map((s) => s.name);
      const name = opts.strategyName ?? (names.includes('default') || names.length === 0 ? 'default' : names[0]!);
      return new DataDir(dir, control, opts.keepRawPersonalData ? null : pseudonymiser(key), name);
    } catch (e) {
      await control.close();
      throw e;
    }
  }

  /** `live`, `3` or `default@3`: a stored version, compiled as the server compiles it. */
  async version(spec: string, extra: CompileExtra = {}): Promise<StrategyUnderTest> {
    return resolveStoredVersion(this.control, this.strategyName, spec, this.pseudonymise, extra);
  }

  /** DIR or VERSION. */
  async strategy(spec: string, extra: CompileExtra = {}): Promise<StrategyUnderTest> {
    if (isDir(spec)) return compileFiles(readStrategyDir(spec), undefined, this.pseudonymise, await this.control.lists.all(), extra);
    return this.version(spec, extra);
  }

  /** Reads the log (the server must be stopped), calling `onRecord` in log order. */
  async readLog(onRecord: (rec: LogRecordBody, position: number) => void, onProgress?: (done: number, total: number) => void): Promise<number> {
    let log: EventLog;
    try { log = await EventLog.open(join(this.dir, 'log'), { durability: 'buffered' }); } catch (e) {
      throw new SourceError('bad_request', `cannot open the log of ${this.dir} (stop the server first?): ${(e as Error).message}`);
    }
    try {
      const total = log.stats().records;
      let n = 0;
      return log.replaySync(undefined, (pos, payload) => {
        onRecord(parseRecord(payload), pos);
        if ((++n & 8191) === 0) onProgress?.(n, total);
      });
    } finally { await log.close(); }
  }

  close(): Promise<void> { return this.control.close(); }
}

export async function resolveStoredVersion(control: Control, name: string, spec: string, pseudonymise: ((v: string) => string) | null, extra: CompileExtra = {}): Promise<StrategyUnderTest> {
  let n: number;
  if (spec === 'live') {
    const live = await control.strategies.live(name);
    if (!live) throw new SourceError('not_found', `strategy ${name} has no live version`);
    n = live.version;
  } else {
    const m = /^(?:([A-Za-z0-9_.-]+)@)?(\d+)$/.exec(spec);
    if (!m) throw new SourceError('bad_request', `'${spec}' is neither a strategy directory nor a version (live, 3 or ${name}@3)`);
    if (m[1] && m[1] !== name) name = m[1];
    n = Number(m[2]);
  }
  const v = await control.strategies.get(name, n);
  if (!v) throw new SourceError('not_found', `strategy ${name} has no version ${n}`);
  return compileFiles(v.files, `${name}@${v.version}`, pseudonymise, await control.lists.all(), extra);
}

export function isDir(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}

const decoder = new TextDecoder();
export function parseRecord(payload: Uint8Array): LogRecordBody {
  return JSON.parse(decoder.decode(payload)) as LogRecordBody;
}

/** Epoch ms or an ISO-8601 date-time. */
export function parseTime(v: string | number | undefined, what: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw new SourceError('bad_time', `${what} must be epoch ms or an ISO-8601 date-time, found '${String(v).slice(0, 60)}'`);
  return n;
}

export interface TimeRange { from?: number; to?: number }

/**
 * Feeds one log record to a backtest. Decisions outside [from, to) are skipped; labels set by hand and erasures
 * are applied in log order (they are facts the strategies would have seen).
 */
export function feedRecord(bt: Backtest, rec: LogRecordBody, range: TimeRange, compare: boolean): void {
  switch (rec.k) {
    case 'd':
      if (range.to !== undefined && rec.e.ts >= range.to) return;
      if (range.from !== undefined && rec.e.ts < range.from) return;
      bt.decidePrepared(rec.e, compare ? rec.d : undefined);
      return;
    case 'l': bt.applyManualLabel(rec.op, rec.entity, rec.label, rec.expires_at); return;
    case 'x': bt.erase(rec.type, rec.id); return;
    case 's': bt.applySignal(rec.entity, rec.name, rec.value); return;
  }
}
