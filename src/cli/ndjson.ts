// Streaming NDJSON reading and buffered writing for large event files.
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';

/** Calls `onLine` for every non-empty line; `onProgress` with bytes read. Reads 4 MiB at a time. */
export function readLines(path: string, onLine: (line: string, n: number) => void, onProgress?: (bytes: number, total: number) => void): number {
  const fd = openSync(path, 'r');
  const total = statSync(path).size;
  const buf = Buffer.allocUnsafe(4 << 20);
  let carry = '';
  let read = 0;
  let n = 0;
  try {
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, null);
      if (got === 0) break;
      read += got;
      const text = carry + buf.toString('utf8', 0, got);
      let start = 0;
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
        const line = text.slice(start, i);
        start = i + 1;
        if (line.length > 0 && line !== '\r') onLine(line, ++n);
      }
      carry = text.slice(start);
      onProgress?.(read, total);
    }
    if (carry.trim().length > 0) onLine(carry, ++n);
  } finally {
    closeSync(fd);
  }
  return n;
}

export class LineWriter {
  private fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(path: string) { this.fd = openSync(path, 'w'); }
  write(line: string): void {
    this.parts.push(line, '\n');
    this.size += line.length + 1;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void { this.flush(); closeSync(this.fd); }
}
