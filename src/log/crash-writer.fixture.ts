// Child process for crash.test.ts: appends forever and prints each acknowledged position.
import { EventLog } from './index.ts';

const [dir, round = '0', durability = 'fsync'] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: crash-writer.fixture.ts <dir> [round] [durability]');

/** Deterministic payload for (round, writer, i): sizes from a few bytes to ~20 KB so writes tear. */
function crashPayload(r: string, w: number, i: number): string {
  const size = (w * 7919 + i * 104729) % 20_000;
  return `${r}:${w}:${i}:${String.fromCharCode(97 + ((w + i) % 26)).repeat(size)}`;
}

const log = await EventLog.open(dir, { segmentBytes: 256 * 1024, durability: durability === 'buffered' ? 'buffered' : 'fsync' });
process.stdout.write(`open ${log.recovery.records} ${log.recovery.truncatedBytes}\n`);
await Promise.all(Array.from({ length: 16 }, async (_, w) => {
  for (let i = 0; ; i++) {
    const position = await log.append(crashPayload(round, w, i));
    // Written only after the append resolved: every line is an acknowledged record.
    process.stdout.write(`ack ${position} ${w} ${i}\n`);
  }
}));
