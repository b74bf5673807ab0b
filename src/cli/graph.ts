// `bulwark graph detect | eval`: organised-abuse detection on an event file, and its quality against simulator labels.
import { writeFileSync } from 'node:fs';
import { attackerAccounts, detectOrganised, GraphFeed, scoreGroups, type GraphGroup } from '../graph/index.ts';
import type { CliCommand } from './backtest.ts';
import { readLines } from './ndjson.ts';
import { Progress } from './progress.ts';

function feedFrom(path: string, hubDegree?: Record<string, number>): { feed: GraphFeed; bad: number } {
  const feed = new GraphFeed({ hubDegree });
  const bar = new Progress('graph: reading events', 0, 'bytes');
  let bad = 0;
  readLines(path, (line) => {
    let ev: unknown;
    try { ev = JSON.parse(line); } catch { bad++; return; }
    if (ev && typeof ev === 'object') feed.add(ev as Record<string, unknown>); else bad++;
  }, (b, t) => bar.update(b, t));
  bar.done();
  return { feed, bad };
}

function hubOption(v: unknown): Record<string, number> | undefined | string {
  if (typeof v !== 'string') return undefined;
  const out: Record<string, number> = {};
  for (const part of v.split(',')) {
    const m = /^(\w+)=(\d+)$/.exec(part.trim());
    if (!m) return `--hubs takes type=N pairs separated by commas (e.g. device=60,ip=40), found '${part}'`;
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

function summary(groups: GraphGroup[]): string {
  const byKind = new Map<string, number>();
  for (const g of groups) byKind.set(g.kind, (byKind.get(g.kind) ?? 0) + 1);
  return [...byKind.entries()].map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
}

export const graphCommand: CliCommand = {
  summary: 'graph detection of organised abuse: `graph detect` on an event file, `graph eval` against simulator labels',
  usage: 'bulwark graph detect --events FILE [--out FILE] [--hubs device=60,ip=40,…] | bulwark graph eval --events FILE --labels FILE [--json] [--out FILE]',
  options: {
    events: { type: 'string' },
    labels: { type: 'string' },
    out: { type: 'string' },
    hubs: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: (v, p) => {
    const sub = p[0];
    if (sub !== 'detect' && sub !== 'eval') { console.error(`graph needs a subcommand: detect or eval\nusage: ${graphCommand.usage}`); return 2; }
    if (!v.events) { console.error(`graph ${sub} needs --events FILE`); return 2; }
    if (sub === 'eval' && !v.labels) { console.error('graph eval needs --labels FILE (written by bulwark sim)'); return 2; }
    const hubs = hubOption(v.hubs);
    if (typeof hubs === 'string') { console.error(hubs); return 2; }
    const t0 = performance.now();
    let loaded;
    try { loaded = feedFrom(v.events as string, hubs); } catch (e) { console.error(`cannot read ${v.events}: ${(e as Error).message}`); return 1; }
    const { feed, bad } = loaded;
    const stats = feed.stats();
    process.stderr.write(`graph: ${stats.events} events, ${stats.accounts} accounts, ${stats.graph.edges} links, ${stats.graph.hubs} hubs left out (thresholds ${JSON.stringify(feed.hubDegree)}), ${stats.actions} actions${bad ? `, ${bad} unreadable lines skipped` : ''}\n`);
    process.stderr.write('graph: running detectors (rings, brushing, coupon households, lockstep, ban evasion)\n');
    const { groups, seconds } = detectOrganised(feed);
    const total = Math.round((performance.now() - t0) / 100) / 10;
    if (v.out) writeFileSync(v.out as string, groups.map((g) => JSON.stringify(g)).join('\n') + (groups.length ? '\n' : ''));
    if (sub === 'detect') {
      if (!v.out) for (const g of groups) console.log(JSON.stringify(g));
      console.error(`graph detect: ${groups.length} groups (${summary(groups)}) from ${stats.events} events in ${total}s (detectors ${JSON.stringify(seconds)})${v.out ? ` → ${v.out}` : ''}`);
      return 0;
    }
    const labelLines: Record<string, unknown>[] = [];
    try {
      readLines(v.labels as string, (line) => { if (line.includes('"entity"')) labelLines.push(JSON.parse(line) as Record<string, unknown>); });
    } catch (e) { console.error(`cannot read ${v.labels}: ${(e as Error).message}`); return 1; }
    const scores = scoreGroups(groups, attackerAccounts(labelLines));
    if (!v.json) {
      console.log('detector              kind           groups  flagged  correct  labelled  precision  recall');
      for (const s of scores) {
        console.log(`${s.name.padEnd(22)}${s.kind.padEnd(15)}${String(s.groups).padStart(6)}${String(s.flagged).padStart(9)}${String(s.correct).padStart(9)}${String(s.labelled).padStart(10)}${s.precision.toFixed(4).padStart(11)}${s.recall.toFixed(4).padStart(8)}`);
      }
      console.log('\ngroups (strongest first):');
      for (const g of groups) if (g.kind !== 'linked_ring') console.log(`  [${g.kind}] ${g.id} score ${g.score}: ${g.explanation}`);
    }
    const worst = scores.reduce((m, s) => Math.min(m, s.precision, s.recall), 1);
    console.error(`graph eval: ${groups.length} groups (${summary(groups)}) from ${stats.events} events in ${total}s; lowest precision/recall ${worst.toFixed(4)}`);
    console.log(JSON.stringify({ detectors: scores.map((s) => ({ name: s.name, kind: s.kind, precision: s.precision, recall: s.recall, groups: s.groups, flagged: s.flagged, labelled: s.labelled })), seconds: total }));
    return 0;
  },
};
