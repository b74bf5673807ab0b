// Graph detection benchmark: FRAUDAR peeling, linked components and lockstep detection on ≥ 10M generated edges.
import { buildBipartite, detectLockstep, fraudar, LinkGraph, linkedComponents } from '../src/graph/index.ts';
import { f1, injectedActions, injectedBipartite } from '../src/graph/synthetic.ts';

const EDGES = Number(process.env.BENCH_GRAPH_EDGES ?? 10_000_000);
const progress = (msg: string): void => { process.stderr.write(`[graph] ${msg}\n`); };
const timed = <T>(label: string, fn: () => T): [T, number] => {
  const t = performance.now();
  const value = fn();
  const s = (performance.now() - t) / 1000;
  progress(`${label}: ${s.toFixed(2)} s`);
  return [value, s];
};

progress(`generating ${EDGES.toLocaleString()} user–object edges (power-law) with 3 injected blocks`);
const [data, genSeconds] = timed('generate', () => injectedBipartite({
  users: Math.round(EDGES / 5),
  objects: Math.round(EDGES / 20),
  edges: EDGES,
  blocks: [
    { users: 500, objects: 500, density: 0.3 },
    { users: 500, objects: 500, density: 0.4 },
    { users: 500, objects: 500, density: 0.5 },
  ],
  camouflagePerUser: 100,
  seed: 2016,
}));
const [g, buildSeconds] = timed('build CSR (dedupe, both directions)', () => buildBipartite(data.rows, data.cols, data.src, data.dst, data.length));
progress(`${g.rows.toLocaleString()} users × ${g.cols.toLocaleString()} objects, ${g.edges.toLocaleString()} distinct edges`);

const [blocks, peelSeconds] = timed('FRAUDAR, 3 blocks (3 full peels)', () => fraudar(g, { blocks: 3 }));
const found: string[] = [], truth: string[] = [];
for (const b of blocks) { b.evidence.users.forEach((u) => found.push(`u${u}`)); b.evidence.objects.forEach((o) => found.push(`o${o}`)); }
data.blockUsers.forEach((us) => us.forEach((u) => truth.push(`u${u}`)));
data.blockObjects.forEach((os) => os.forEach((o) => truth.push(`o${o}`)));
const fraudarF1 = f1(found, truth).f1;
progress(`FRAUDAR member F1 vs injected: ${fraudarF1.toFixed(4)}`);

const [comps, componentsSeconds] = timed('linked components (users joined through shared objects)', () => linkedComponents(g));
let largest = 0;
for (let c = 0; c < comps.count; c++) largest = Math.max(largest, comps.sizes[c]!);
progress(`${comps.count.toLocaleString()} components, largest ${largest.toLocaleString()}`);

progress(`generating ~${EDGES.toLocaleString()} timed actions with injected lockstep groups`);
const MINUTE = 60_000;
const [actions] = timed('generate actions', () => injectedActions({
  accounts: Math.round(EDGES / 5),
  targets: Math.round(EDGES / 20),
  actionsPerAccount: [1, 9],
  groups: [20, 50, 100, 200, 500],
  scriptLength: 30,
  participation: 0.85,
  horizon: 30 * 24 * 60 * MINUTE,
  bucketWidth: MINUTE,
  seed: 7,
}));
const [lockstep, lockstepSeconds] = timed('lockstep (MinHash 32×4 + LSH + verify + union-find)', () => detectLockstep(actions.log, { bucketWidth: MINUTE, minGroupSize: 5 }));
const lockTruth = actions.groups.flatMap((gr) => Array.from(gr, String));
const lockstepF1 = f1(lockstep.groups.flatMap((gr) => gr.evidence.accounts.map(String)), lockTruth).f1;
progress(`${lockstep.groups.length} lockstep groups, ${lockstep.considered.toLocaleString()} accounts hashed, ${lockstep.candidatePairs.toLocaleString()} candidate pairs, F1 ${lockstepF1.toFixed(4)}`);

const LINKS = 1_000_000;
const [linkGraph, linkSeconds] = timed(`LinkGraph ingest of ${LINKS.toLocaleString()} links`, () => {
  const lg = new LinkGraph({ hubDegree: { ip: 200 } });
  for (let i = 0; i < LINKS; i++) lg.link('account', `a${data.src[i]}`, i & 1 ? 'ip' : 'device', `x${data.dst[i]}`, i);
  return lg;
});
const [snapshot, snapshotSeconds] = timed('LinkGraph snapshot', () => linkGraph.snapshot());

console.log(JSON.stringify({
  bench: 'graph',
  edges: g.edges,
  users: g.rows,
  objects: g.cols,
  generate_seconds: round(genSeconds),
  build_seconds: round(buildSeconds),
  peel_seconds: round(peelSeconds),
  peel_blocks: blocks.length,
  fraudar_f1: round(fraudarF1),
  components_seconds: round(componentsSeconds),
  components: comps.count,
  lockstep_actions: actions.log.length,
  lockstep_seconds: round(lockstepSeconds),
  lockstep_groups: lockstep.groups.length,
  lockstep_f1: round(lockstepF1),
  link_per_second: Math.round(LINKS / linkSeconds),
  link_snapshot_bytes: snapshot.length,
  link_snapshot_seconds: round(snapshotSeconds),
}));

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
