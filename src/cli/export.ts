// `bulwark export`: a point-in-time training set (CSV or Parquet) from events or a server log, features as decided.
import { DataDir, isDir, compileFiles, parseTime, readGroundTruth, SourceError, TrainingSet, sinkFor, type StrategyUnderTest } from '../backtest/index.ts';
import type { CliCommand } from './backtest.ts';
import { readLines } from './ndjson.ts';
import { Progress } from './progress.ts';
import { readStrategyDir } from './sources.ts';

export interface ExportArgs { strategy: string; events?: string; data?: string; from?: string; to?: string; labels?: string; out: string; type?: string; progress?: boolean }

export async function runExport(a: ExportArgs): Promise<{ rows: number; skipped: number; columns: number; uncomputed: string[]; seconds: number }> {
  if (!a.events && !a.data) throw new SourceError('bad_request', 'give the events: --events FILE, or --data DIR (a server data directory, with --from/--to)');
  const range = { from: parseTime(a.from, '--from'), to: parseTime(a.to, '--to') };
  const t0 = performance.now();
  const dd = a.data ? await DataDir.open(a.data) : null;
  try {
    let strategy: StrategyUnderTest;
    if (dd) strategy = await dd.strategy(a.strategy, { allFeatures: true });
    else if (isDir(a.strategy)) strategy = compileFiles(readStrategyDir(a.strategy), undefined, null, undefined, { allFeatures: true });
    else throw new SourceError('bad_request', `'${a.strategy}' is not a directory; a stored version needs --data DIR`);
    const pseudonymise = dd?.pseudonymise ?? null;
    const truth = a.labels ? readGroundTruth(a.labels, { plan: strategy.plan, pseudonymise }) : null;
    const probe = new TrainingSet({ strategy, type: a.type, truth, pseudonymise }, { write() {}, close() {} });
    const set = new TrainingSet({ strategy, type: a.type, truth, pseudonymise }, await sinkFor(a.out, probe.columns));
    const bar = a.progress === false ? null : new Progress('export', 0, a.events ? 'bytes' : 'records');
    if (a.events) {
      readLines(a.events, (line) => { try { set.addRaw(JSON.parse(line)); } catch { set.skipped++; } }, (b, t) => bar?.update(b, t));
    } else {
      await dd!.readLog((rec) => {
        if (rec.k === 'd') { if ((range.from === undefined || rec.e.ts >= range.from) && (range.to === undefined || rec.e.ts < range.to)) set.add(rec.e); }
        else if (rec.k === 'l') { if (rec.op === 'set') set.engine.store.labels.set(rec.entity, rec.label, rec.expires_at ?? Infinity); else set.engine.store.labels.clear(rec.entity, rec.label); }
        else if (rec.k === 'x') set.engine.erase(rec.type, rec.id);
        else set.engine.store.signals.set(rec.entity, rec.name, rec.value);
      }, (n, t) => bar?.update(n, t));
    }
    bar?.done();
    await set.close();
    return { rows: set.rows, skipped: set.skipped, columns: set.columns.length, uncomputed: set.uncomputed, seconds: Math.round((performance.now() - t0) / 10) / 100 };
  } finally { await dd?.close(); }
}

export const exportCommand: CliCommand = {
  summary: 'write a training set: one row per decision with every feature value at decision time, and the label',
  usage: 'bulwark export --strategy DIR|VERSION (--events FILE | --data DIR [--from T] [--to T]) [--labels FILE] [--type EVENT_TYPE] --out FILE.csv|FILE.parquet',
  options: { strategy: { type: 'string', default: 'strategies' }, events: { type: 'string' }, data: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, labels: { type: 'string' }, type: { type: 'string' }, out: { type: 'string' } },
  run: async (v) => {
    if (!v.out) { console.error('export needs --out FILE.csv or FILE.parquet'); return 2; }
    try {
      const r = await runExport({ strategy: v.strategy as string, events: v.events as string | undefined, data: v.data as string | undefined, from: v.from as string | undefined, to: v.to as string | undefined, labels: v.labels as string | undefined, type: v.type as string | undefined, out: v.out as string });
      if (r.uncomputed.length) console.error(`note: ${r.uncomputed.length} feature(s) no rule reads are empty until compileStrategy passes allFeatures: ${r.uncomputed.slice(0, 8).join(', ')}${r.uncomputed.length > 8 ? ', …' : ''}`);
      console.log(`exported ${r.rows} rows × ${r.columns} columns to ${v.out} in ${r.seconds}s (${r.skipped} events skipped: rejected or duplicate)`);
      return 0;
    } catch (e) {
      if (e instanceof SourceError || (e as Error).message.startsWith('--out') || (e as Error).message.startsWith('the strategy has no event type')) { console.error((e as Error).message); return 2; }
      throw e;
    }
  },
};
