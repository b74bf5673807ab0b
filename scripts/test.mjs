// Runs the whole suite: type checks (server and console), the console build, then every *.test.ts under src/
// and web/e2e/ through node:test + tsx. The e2e tests drive Debian's chromium (/usr/bin/chromium) with playwright-core.
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
const files = [...find('src'), ...find('web/e2e')].filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
if (only.length === 0) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) { console.error('type check failed'); process.exit(tsc.status ?? 1); }
  const web = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'web/tsconfig.json'], { stdio: 'inherit' });
  if (web.status !== 0) { console.error('console type check failed'); process.exit(web.status ?? 1); }
}
// The e2e tests serve web/dist: build it if its sources changed.
if (files.some((f) => f.startsWith('web/'))) {
  const build = spawnSync(process.execPath, ['scripts/build-console.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) { console.error('console build failed'); process.exit(build.status ?? 1); }
}
// Under CI, property tests run on a fixed seed (override with FC_SEED); locally every run explores new cases.
const env = { ...process.env, NODE_ENV: 'test' };
if (process.env.CI && !env.FC_SEED) env.FC_SEED = '20261121';
if (env.FC_SEED) console.log(`fast-check seed ${env.FC_SEED}`);
const args = ['--import', 'tsx', '--import', './scripts/fast-check-seed.mjs', '--test', '--test-concurrency=2', ...files];
const run = spawnSync(process.execPath, args, { stdio: 'inherit', env });
process.exit(run.status ?? 1);
