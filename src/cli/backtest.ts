// `bulwark backtest`: replays events through a candidate strategy (and a baseline, in the same pass) on fresh state.
import {
  Backtest, compileFiles, DataDir, feedRecord, isDir, parseTime, readGroundTruth, SourceError, summaryLine,
  type BacktestReport, type LogRecordBody, type StrategyUnderTest,
} from '../backtest/index.ts';
import type { Decision } from '../engine/index.ts';
import { readLines } from './ndjson.ts';
import { Progress } from './progress.ts';
import { readStrategyDir } from './sources.ts';

/** The shape of a command in src/cli/main.ts (registered with registerCommand). */
export interface CliCommand {
  summary: string;
  usage: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number> | number;
}

export interface BacktestArgs {
  strategy: string;
  baseline?: string;
  events?: string;
  data?: string;
  from?: string;
  to?: string;
  labels?: string;
  againstLog?: string;
  samples?: number;
  progress?: boolean;
}

/** Runs a backtest from the command line's arguments; throws SourceError for bad input. */
export async function runBacktest(a: BacktestArgs): Promise<BacktestReport> {
  const dataPath = a.againstLog ?? a.data;
  if (a.againstLog && a.data && a.againstLog !== a.data) throw new SourceError('bad_request', '--data and --against-log name different directories; give one');
  if (!a.events && !dataPath) throw new SourceError('bad_request', 'give the events: --events FILE, or --data DIR (a server data directory, with --from/--to)');
  if (a.events && (a.from || a.to)) throw new SourceError('bad_request', '--from/--to select a time range of a server log (--data DIR); filter an events file before backtesting it');
  const range = { from: parseTime(a.from, '--from'), to: parseTime(a.to, '--to') };
  const dd = dataPath ? await DataDir.open(dataPath) : null;
  try {
    const resolve = async (spec: string): Promise<StrategyUnderTest> => {
      if (dd) return dd.strategy(spec);
      if (!isDir(spec)) throw new SourceError('bad_request', `'${spec}' is not a directory; a stored version needs --data DIR`);
      return compileFiles(readStrategyDir(spec), undefined, null);
    };
    const candidate = await resolve(a.strategy);
    const baseline = a.baseline ? await resolve(a.baseline) : null;
    const pseudonymise = dd?.pseudonymise ?? null;
    const truth = a.labels ? readGroundTruth(a.labels, { plan: candidate.plan, pseudonymise }) : null;
    const bt = new Backtest({ candidate, baseline, pseudonymise, truth, samples: a.samples, againstLog: !!a.againstLog });
    const bar = a.progress === false ? null : new Progress('backtest', 0, a.events ? 'bytes' : 'records');
    if (a.events) {
      // Against a log: logged decisions by event id, and the log's manual labels and erasures, applied before the
      // first event the log has after them, as the server applied them.
      let logged: Map<string, { d: Decision; pos: number }> | null = null;
      const facts: { pos: number; rec: LogRecordBody }[] = [];
      let next = 0;
      if (a.againstLog && dd) {
        logged = new Map();
        await dd.readLog((rec, pos) => { if (rec.k === 'd') logged!.set(rec.e.id, { d: rec.d, pos }); else facts.push({ pos, rec }); });
      }
      readLines(a.events, (line) => {
        let raw: unknown;
        try { raw = JSON.parse(line); } catch { bt.comparison.add(null, { event_id: null, error: { code: 'bad_event', message: 'not valid JSON' } }, baseline ? { event_id: null, error: { code: 'bad_event', message: 'not valid JSON' } } : null); return; }
        const id = (raw as { id?: unknown }).id;
        const l = logged && typeof id === 'string' ? logged.get(id) : undefined;
        if (l) while (next < facts.length && facts[next]!.pos < l.pos) feedRecord(bt, facts[next++]!.rec, {}, false);
        bt.decideRaw(raw, l?.d);
      }, (b, t) => bar?.update(b, t));
    } else {
      await dd!.readLog((rec) => feedRecord(bt, rec, range, !!a.againstLog), (n, t) => bar?.update(n, t));
    }
    bar?.done();
    return bt.report();
  } finally {
    await dd?.close();
  }
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? '   n/a' : `${(x * 100).toFixed(1).padStart(5)}%`);

/** The report as an analyst reads it. */
export function printReport(r: BacktestReport, out: (s: string) => void = console.log): void {
  const side = (s: BacktestReport['candidate'], title: string) => {
    out(`${title} ${s.strategy}: ${s.decided} decided, ${Object.values(s.rejected).reduce((a, b) => a + b, 0)} rejected`);
    out(`  verdicts: ${Object.entries(s.verdicts).map(([k, n]) => `${k} ${n}`).join(', ')}${s.precision !== undefined ? `; flagged ${s.flagged}, precision ${pct(s.precision).trim()}, recall ${pct(s.recall).trim()}` : ''}`);
    const labelled = s.precision !== undefined;
    out(`  ${'rule'.padEnd(32)} ${'hits'.padStart(8)} ${'entities'.padStart(9)}${labelled ? `  ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'ent.prec'.padStart(8)}` : ''}`);
    for (const x of s.rules.filter((x) => x.hits > 0)) {
      out(`  ${x.rule.padEnd(32)} ${String(x.hits).padStart(8)} ${String(x.entities).padStart(9)}${labelled ? `  ${pct(x.precision)} ${pct(x.recall)} ${pct(x.entity_precision).padStart(8)}` : ''}`);
    }
    const silent = s.rules.filter((x) => x.hits === 0).map((x) => x.rule);
    if (silent.length) out(`  never fired: ${silent.join(', ')}`);
  };
  side(r.candidate, 'candidate');
  if (r.baseline) {
    side(r.baseline, 'baseline');
    out(`verdict changes: ${r.changed} of ${r.changed + r.unchanged}`);
    for (const [k, n] of Object.entries(r.transitions)) out(`  ${k.padEnd(20)} ${n}`);
    if (r.rule_changes.length) out(`rule changes (fires for candidate only / baseline only): ${r.rule_changes.slice(0, 12).map((c) => `${c.rule} +${c.added}/-${c.removed}`).join(', ')}`);
    for (const s of r.samples.slice(0, 12)) {
      const why = [...s.added.map((h) => `+${h.rule}${h.verdict ? `(${h.verdict})` : ''}${h.points ? ` ${h.points}pts` : ''}`), ...s.removed.map((h) => `-${h.rule}${h.verdict ? `(${h.verdict})` : ''}`)].join(' ');
      out(`  ${s.event_id} ${s.event_type} ${new Date(s.ts).toISOString()} ${s.from}->${s.to} score ${s.score_from}->${s.score_to}: ${why || 'score change only'}${s.attack !== undefined ? ` [${s.attack ?? 'benign'}]` : ''}`);
    }
  }
  if (r.mismatches !== undefined) {
    out(`against the log: ${r.mismatches} mismatches in ${r.compared} logged decisions`);
    for (const m of r.mismatch_samples ?? []) out(`  ${m.event_id}: logged ${m.logged.verdict} ${JSON.stringify(m.logged.rules.map((h) => h.rule))}, backtest ${'error' in m.backtest ? m.backtest.error.code : `${m.backtest.verdict} ${JSON.stringify(m.backtest.rules.map((h) => h.rule))}`}`);
  }
}

export const backtestCommand: CliCommand = {
  summary: 'replay events through a candidate strategy and a baseline on fresh state; compare decisions',
  usage: 'bulwark backtest --strategy DIR|VERSION [--baseline DIR|VERSION] (--events FILE | --data DIR [--from T] [--to T]) [--labels FILE] [--against-log DIR] [--samples N] [--json]',
  options: {
    strategy: { type: 'string' },
    baseline: { type: 'string' },
    events: { type: 'string' },
    data: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    labels: { type: 'string' },
    'against-log': { type: 'string' },
    samples: { type: 'string', default: '3' },
    json: { type: 'boolean' },
  },
  run: async (v) => {
    if (!v.strategy) { console.error('backtest needs --strategy DIR|VERSION'); return 2; }
    let r: BacktestReport;
    try {
      r = await runBacktest({
        strategy: v.strategy as string, baseline: v.baseline as string | undefined, events: v.events as string | undefined, data: v.data as string | undefined,
        from: v.from as string | undefined, to: v.to as string | undefined, labels: v.labels as string | undefined, againstLog: v['against-log'] as string | undefined,
        samples: Number(v.samples),
      });
    } catch (e) {
      if (e instanceof SourceError) { console.error(e.message); return e.code === 'strategy_invalid' ? 1 : 2; }
      throw e;
    }
    if (!v.json) printReport(r);
    console.log(summaryLine(r));
    if (v.json) console.log(JSON.stringify(r));
    return r.mismatches ? 1 : 0;
  },
};
