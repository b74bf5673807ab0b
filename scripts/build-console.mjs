// Builds the web console (web/ → web/dist) when its sources changed since the last build.
// Runs on `npm ci`/`npm install` (prepare), before `npm start`, and before the tests; `--force` always builds.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const web = join(root, 'web');
const out = join(web, 'dist', 'index.html');

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

const inputs = Math.max(newest(join(web, 'src')), ...['index.html', 'vite.config.ts'].map((f) => statSync(join(web, f)).mtimeMs), statSync(join(root, 'package-lock.json')).mtimeMs);
if (!process.argv.includes('--force') && existsSync(out) && statSync(out).mtimeMs >= inputs) process.exit(0);

let vite;
try {
  vite = await import('vite');
} catch {
  console.error('console: vite is not installed (npm ci --omit=dev?); the server will run without the web console');
  process.exit(0);
}
const t0 = performance.now();
await vite.build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
console.error(`console: built web/dist in ${((performance.now() - t0) / 1000).toFixed(1)}s`);
