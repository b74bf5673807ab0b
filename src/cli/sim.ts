// `bulwark sim`: writes seeded synthetic platform traffic (events.ndjson) and its ground truth (labels.ndjson).
import { SCENARIOS, writeSimulation } from '../sim/index.ts';
import type { CliCommand } from './backtest.ts';
import { Progress } from './progress.ts';

export const simCommand: CliCommand = {
  summary: 'generate synthetic platform traffic with labelled attack campaigns (events.ndjson, labels.ndjson)',
  usage: `bulwark sim --seed S --events N --out DIR [--scenario ${SCENARIOS.join('|')}] [--camouflage 0..1]`,
  options: {
    seed: { type: 'string', default: '1' },
    events: { type: 'string', default: '2000000' },
    out: { type: 'string' },
    scenario: { type: 'string', default: 'default' },
    camouflage: { type: 'string', default: '0.3' },
  },
  run: async (v) => {
    if (!v.out) { console.error('sim needs --out DIR'); return 2; }
    for (const f of ['seed', 'events']) {
      if (!/^\d+$/.test(String(v[f]))) { console.error(`--${f} must be a whole number, found '${v[f]}'`); return 2; }
    }
    const camouflage = Number(v.camouflage);
    if (!(camouflage >= 0 && camouflage <= 1)) { console.error(`--camouflage must be a number within 0..1, found '${v.camouflage}'`); return 2; }
    const scenario = String(v.scenario);
    if (!(SCENARIOS as readonly string[]).includes(scenario)) { console.error(`--scenario must be one of ${SCENARIOS.join(', ')}; found '${scenario}'`); return 2; }
    const total = Number(v.events);
    const bar = new Progress('sim', total);
    const s = await writeSimulation(String(v.out), { seed: Number(v.seed), events: total, scenario, camouflage }, (done, t) => bar.update(done, t));
    const secs = bar.done();
    const attack = Object.values(s.kinds).reduce((a, b) => a + b, 0);
    const kinds = Object.entries(s.kinds).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`simulated ${s.events} events (${attack} attack: ${kinds || 'none'}), ${s.labels} labels, ${Object.keys(s.campaigns).length} campaigns, population ${s.population}, in ${secs.toFixed(1)}s (${Math.round(s.events / Math.max(secs, 1e-3))}/s) → ${s.eventsPath}, ${s.labelsPath}`);
    return 0;
  },
};
