// Runs the whole suite: type check, then every *.test.ts under src/ through node:test + tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
const files = find('src').filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (only.length === 0) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) { console.error('type check failed'); process.exit(tsc.status ?? 1); }
}
// Under CI, property tests run on a fixed seed (override with FC_SEED); locally every run explores new cases.
const env = { ...process.env, NODE_ENV: 'test' };
if (process.env.CI && !env.FC_SEED) env.FC_SEED = '20261121';
if (env.FC_SEED) console.log(`fast-check seed ${env.FC_SEED}`);
const args = ['--import', 'tsx', '--import', './scripts/fast-check-seed.mjs', '--test', '--test-concurrency=2', ...files];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env });
process.exit(run.status ?? 1);
