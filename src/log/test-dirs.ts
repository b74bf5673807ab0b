// Scratch directories for the log tests, removed when the test finishes.
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export function scratchDir(t: TestContext): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'bulwark-log-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}
