// Models vs the default strategy on simulator data, time split: sim → export per event type → GBDT vs the strategy's decisions.
// Last stdout line: {"bench":"ml-strategy","events":N,"results":[{type, model_pr_auc, strategy_pr_auc, score_column_pr_auc, ...}]}
// Usage: npm run -s bench -- ml-strategy [--events=2000000] [--seed=1] [--dir=/tmp/bulwark-ml-strategy] [--types=login,signup,coupon_redeem]

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runExport } from '../src/cli/export.ts';
import { readStrategyDir } from '../src/cli/sources.ts';
import { compileStrategy } from '../src/lang/index.ts';
import { writeSimulation } from '../src/sim/index.ts';
import { runExperiment } from '../src/ml/experiment.ts';
import { readTable } from '../src/ml/table.ts';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const EVENTS = Number(args.get('events') ?? 2_000_000);
const SEED = Number(args.get('seed') ?? 1);
const DIR = args.get('dir') ?? `/tmp/bulwark-ml-strategy-${SEED}-${EVENTS}`;
const TYPES = (args.get('types') ?? 'login,signup,coupon_redeem').split(',');
const log = (msg: string): void => { process.stderr.write(`[bench ml-strategy] ${msg}\n`); };

// features of the default pack that are linked(...) calls: the graph-neighbour columns
const pack = compileStrategy(readStrategyDir('strategies'));
if (!pack.ok) throw new Error('the default strategy pack does not compile');
const linkedFeatures = new Set([...pack.plan.checked.features].filter(([, f]) => pack.plan.checked.linkedCalls.has(f.expr)).map(([n]) => n));

async function main(): Promise<void> {
  const events = join(DIR, 'events.ndjson');
  const labels = join(DIR, 'labels.ndjson');
  if (!existsSync(labels)) {
    log(`simulating ${EVENTS} events (seed ${SEED}) into ${DIR}`);
    let last = 0;
    await writeSimulation(DIR, { seed: SEED, events: EVENTS, scenario: 'default', camouflage: 0.3 /* bulwark sim's defaults */ }, (done, total) => {
      if (done - last >= total / 10) { last = done; log(`sim ${done}/${total}`); }
    });
  } else log(`reusing ${DIR}`);
  const results: Record<string, unknown>[] = [];
  for (const type of TYPES) {
    const out = join(DIR, `${type}.csv`);
    if (!existsSync(out)) {
      log(`exporting ${type} rows (replaying every event through the default strategy)`);
      const r = await runExport({ strategy: 'strategies', events, labels, type, out, progress: false });
      log(`exported ${r.rows} ${type} rows in ${r.seconds} s`);
    }
    const t = await readTable(out);
    const options = {
      label: 'label', type, kind: 'gbdt' as const, testFraction: 0.25, validFraction: 0.15,
      gbdt: { rounds: 300, maxDepth: 6, learningRate: 0.05, rowSubsample: 0.8, colSubsample: 0.8, earlyStoppingRounds: 30, evalMetric: 'logloss' as const, seed: 1 },
    };
    const r = runExperiment(t, options);
    // the same model without the graph-neighbour columns (linked(...) features): what the graph adds
    const graphColumns = t.names.filter((n) => linkedFeatures.has(n));
    const plain = graphColumns.length > 0 ? runExperiment(t, { ...options, exclude: graphColumns }) : null;
    const row = {
      type, test_rows: r.rows.test, test_positives: r.positives.test, train_rows: r.rows.train, train_positives: r.positives.train,
      model_pr_auc: r.model.pr_auc, strategy_pr_auc: r.strategy?.pr_auc ?? null, score_column_pr_auc: r.strategyScoreOnly?.pr_auc ?? null,
      gain_vs_strategy: r.prAucGain, gain_vs_score_column: r.strategyScoreOnly ? Math.round((r.model.pr_auc - r.strategyScoreOnly.pr_auc) * 1e5) / 1e5 : null,
      model_roc_auc: r.model.roc_auc, strategy_roc_auc: r.strategy?.roc_auc ?? null, trees: r.trees,
      model_pr_auc_without_graph: plain?.model.pr_auc ?? null, graph_features: graphColumns.length,
    };
    log(`${type}: model PR-AUC ${row.model_pr_auc} (${row.model_pr_auc_without_graph} without the ${graphColumns.length} graph features) vs strategy ${row.strategy_pr_auc} (score column ${row.score_column_pr_auc}); ${row.test_positives} test positives`);
    results.push(row);
  }
  console.log(JSON.stringify({ bench: 'ml-strategy', events: EVENTS, seed: SEED, results }));
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
