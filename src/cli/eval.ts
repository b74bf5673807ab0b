// `bulwark eval`: replays simulator traffic through a strategy and reports detection quality per campaign kind.
import { formatReport, runEvaluation } from '../eval/index.ts';
import { formatError } from '../lang/index.ts';
import type { CliCommand } from './backtest.ts';
import { Progress } from './progress.ts';
import { readStrategyDir } from './sources.ts';

export const evalCommand: CliCommand = {
  summary: 'measure a strategy on labelled traffic (bulwark sim output): recall, precision, benign impact per campaign kind',
  usage: 'bulwark eval --events FILE --labels FILE [--strategy DIR] [--json]',
  options: {
    events: { type: 'string' },
    labels: { type: 'string' },
    strategy: { type: 'string', default: 'strategies' },
    json: { type: 'boolean' },
  },
  run: (v) => {
    if (!v.events || !v.labels) { console.error('eval needs --events FILE and --labels FILE (written by bulwark sim)'); return 2; }
    let files;
    try { files = readStrategyDir(v.strategy as string); } catch (e) { console.error(`cannot read strategy directory '${v.strategy}': ${(e as Error).message}`); return 2; }
    const bar = new Progress('eval', 0, 'bytes');
    let r;
    try {
      r = runEvaluation({ strategy: files, events: v.events as string, labels: v.labels as string, onProgress: (b, t) => bar.update(b, t) });
    } catch (e) {
      bar.done();
      console.error(`eval failed: ${(e as Error).message}`);
      return 1;
    }
    bar.done();
    if (!r.ok) { for (const e of r.errors) console.error(formatError(e)); return 1; }
    const rep = r.report;
    const worst = rep.campaigns.reduce((m, k) => Math.min(m, k.actor_recall), 1);
    const summary = `evaluated ${rep.events} events in ${r.seconds}s (${Math.round(rep.events / Math.max(r.seconds, 0.01))}/s), rejected ${rep.rejected}: ${rep.campaigns.length} kinds, lowest actor recall ${(worst * 100).toFixed(1)}%, benign blocked ${(rep.benign.blocked_rate * 100).toFixed(2)}%, actioned ${(rep.benign.actioned_rate * 100).toFixed(2)}%`;
    if (v.json) {
      console.error(summary);
      console.log(JSON.stringify({ ...rep, seconds: r.seconds }));
    } else {
      console.log(formatReport(rep));
      console.log(summary);
    }
    return 0;
  },
};
