// `npm run -s bench -- NAME [args]` runs bench/NAME.ts; each bench prints one JSON line of figures last.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const [name, ...rest] = process.argv.slice(2);
const known = readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
if (!name || !existsSync(`bench/${name}.ts`)) {
  console.error(`usage: npm run -s bench -- <${known.join('|')}> [options]`);
  process.exit(2);
}
const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', '--max-old-space-size=16384', `bench/${name}.ts`, ...rest], { stdio: 'inherit' });
process.exit(run.status ?? 1);
