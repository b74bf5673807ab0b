// `bulwark sim`: writes seeded synthetic platform traffic (events.ndjson) and its ground truth (labels.ndjson).
import { SCENARIOS, sendSimulation, writeSimulation } from '../sim/index.ts';
import type { CliCommand } from './backtest.ts';
import { Progress } from './progress.ts';

export const simCommand: CliCommand = {
  summary: 'generate synthetic platform traffic with labelled attack campaigns (events.ndjson, labels.ndjson)',
  usage: `bulwark sim --seed S --events N (--out DIR | --send URL --key KEY [--rate EVENTS_PER_SEC]) [--scenario ${SCENARIOS.join('|')}] [--camouflage 0..1]`,
  options: {
    seed: { type: 'string', default: '1' },
    events: { type: 'string' }, // default 2,000,000 written, 20,000 sent
    out: { type: 'string' },
    scenario: { type: 'string', default: 'default' },
    camouflage: { type: 'string', default: '0.3' },
    send: { type: 'string' },
    key: { type: 'string' },
    rate: { type: 'string', default: '0' },
  },
  run: async (v) => {
    if (!v.out && !v.send) { console.error('sim needs --out DIR (write files) or --send URL --key KEY (stream to a server)'); return 2; }
    v.events ??= v.send ? '20000' : '2000000';
    for (const f of ['seed', 'events', 'rate']) {
      if (!/^\d+$/.test(String(v[f]))) { console.error(`--${f} must be a whole number, found '${v[f]}'`); return 2; }
    }
    const camouflage = Number(v.camouflage);
    if (!(camouflage >= 0 && camouflage <= 1)) { console.error(`--camouflage must be a number within 0..1, found '${v.camouflage}'`); return 2; }
    const scenario = String(v.scenario);
    if (!(SCENARIOS as readonly string[]).includes(scenario)) { console.error(`--scenario must be one of ${SCENARIOS.join(', ')}; found '${scenario}'`); return 2; }
    const total = Number(v.events);
    if (v.send) {
      const key = v.key ?? process.env.BULWARK_API_KEY;
      if (!key) { console.error('--send needs --key KEY (or BULWARK_API_KEY): an API key with the ingest scope'); return 2; }
      if (total > 5_000_000) { console.error('--send keeps the run in memory: send at most 5,000,000 events at a time'); return 2; }
      const bar = new Progress('send', total);
      try {
        const r = await sendSimulation({ url: String(v.send), key: String(key), seed: Number(v.seed), events: total, scenario, camouflage, rate: Number(v.rate), onProgress: (d, t) => bar.update(d, t) });
        bar.done();
        const mix = Object.entries(r.verdicts).sort().map(([k, n]) => `${k} ${n}`).join(', ');
        const rej = Object.entries(r.rejections).map(([k, n]) => `${k} ${n}`).join(', ');
        console.log(`sent ${r.sent} events to ${v.send} in ${r.seconds.toFixed(1)}s (${Math.round(r.sent / Math.max(r.seconds, 1e-3))}/s): ${r.decided} decided (${mix || 'none'}), ${r.rejected} rejected${rej ? ` (${rej})` : ''}`);
        return 0;
      } catch (e) {
        bar.done();
        console.error(`sim --send failed: ${(e as Error).message}`);
        return 1;
      }
    }
    const bar = new Progress('sim', total);
    const s = await writeSimulation(String(v.out), { seed: Number(v.seed), events: total, scenario, camouflage }, (done, t) => bar.update(done, t));
    const secs = bar.done();
    const attack = Object.values(s.kinds).reduce((a, b) => a + b, 0);
    const kinds = Object.entries(s.kinds).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`simulated ${s.events} events (${attack} attack: ${kinds || 'none'}), ${s.labels} labels, ${Object.keys(s.campaigns).length} campaigns, population ${s.population}, in ${secs.toFixed(1)}s (${Math.round(s.events / Math.max(secs, 1e-3))}/s) → ${s.eventsPath}, ${s.labelsPath}`);
    return 0;
  },
};
