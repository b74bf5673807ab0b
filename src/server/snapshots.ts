// State snapshots on disk: written atomically, named by the log position they cover, newest valid one wins.
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const NAME = /^state-(\d{20})\.snap$/;

export interface SnapshotFile { position: number; path: string }

export class SnapshotDir {
  constructor(private readonly dir: string, private readonly keep = 2) { mkdirSync(dir, { recursive: true }); }

  list(): SnapshotFile[] {
    return readdirSync(this.dir).flatMap((n) => { const m = NAME.exec(n); return m ? [{ position: Number(m[1]), path: join(this.dir, n) }] : []; }).sort((a, b) => b.position - a.position);
  }

  /** Writes to a temporary file, fsyncs it, renames it into place and fsyncs the directory. */
  write(position: number, bytes: Uint8Array): string {
    const path = join(this.dir, `state-${String(position).padStart(20, '0')}.snap`);
    const tmp = path + '.tmp';
    const fd = openSync(tmp, 'w');
    try { writeSync(fd, bytes); fsyncSync(fd); } finally { closeSync(fd); }
    renameSync(tmp, path);
    const d = openSync(this.dir, 'r');
    try { fsyncSync(d); } finally { closeSync(d); }
    for (const old of this.list().slice(this.keep)) rmSync(old.path, { force: true });
    return path;
  }

  read(f: SnapshotFile): Uint8Array { return readFileSync(f.path); }
}
