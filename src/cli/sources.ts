// Reads a strategy directory from disk into the file map the language works on.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { StrategyFiles } from '../lang/index.ts';

const MAX_FILE_BYTES = 16 * 1024 * 1024;

export function readStrategyDir(dir: string): StrategyFiles {
  const files: StrategyFiles = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name.startsWith('.')) continue;
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.size <= MAX_FILE_BYTES) files[relative(dir, p).split(sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return files;
}
