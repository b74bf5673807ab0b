// Segment files on disk: names, listing, directory fsync and the single-writer lock.
import * as fs from 'node:fs';
import { join } from 'node:path';
import { LogError } from './errors.ts';
import { toPosition } from './record.ts';

const SEGMENT_NAME = /^(\d{20})\.seg$/;
const LOCK_NAME = 'LOCK';

/** A segment is named by the position of its first byte (segment index * 2^32), 20 digits. */
export function segmentFileName(segment: number): string {
  return `${String(toPosition(segment, 0)).padStart(20, '0')}.seg`;
}

export function segmentPath(dir: string, segment: number): string {
  return join(dir, segmentFileName(segment));
}

/** Segment indexes present in `dir`, ascending; a gap is an error, not something to skip over. */
export function listSegments(dir: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    const m = SEGMENT_NAME.exec(name);
    if (m === null) continue;
    const base = Number(m[1]);
    if (!Number.isSafeInteger(base) || base % 0x1_0000_0000 !== 0) {
      throw new LogError('CORRUPT', `segment file ${name} in ${dir} does not start on a segment boundary`);
    }
    found.push(base / 0x1_0000_0000);
  }
  found.sort((a, b) => a - b);
  for (let i = 1; i < found.length; i++) {
    if (found[i] !== found[i - 1]! + 1) {
      throw new LogError('MISSING_SEGMENT', `segment ${segmentFileName(found[i - 1]! + 1)} is missing from ${dir}`);
    }
  }
  return found;
}

/** Makes a new directory entry (segment created or lock written) survive power loss. */
export function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}

// Directories held by this process: a pid in the lock file cannot tell two opens in one process apart.
const heldHere = new Set<string>();

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Takes the single-writer lock: a LOCK file holding the owner's pid. A lock left by a dead
 * process (crash, SIGKILL) is taken over, which is exactly the restart-after-crash path.
 */
export function acquireLock(dir: string): () => void {
  const real = fs.realpathSync(dir);
  if (heldHere.has(real)) throw new LogError('LOCKED', `event log ${dir} is already open in this process`);
  const path = join(dir, LOCK_NAME);
  try {
    fs.writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const owner = Number(fs.readFileSync(path, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new LogError('LOCKED', `event log ${dir} is held by live process ${owner}`);
    }
    fs.writeFileSync(path, String(process.pid));
  }
  heldHere.add(real);
  return () => {
    heldHere.delete(real);
    try { fs.unlinkSync(path); } catch { /* already gone: nothing to release */ }
  };
}
