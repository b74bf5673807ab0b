// Writes a simulation to events.ndjson and labels.ndjson with large buffered writes.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { simulate, type ProgressHandler, type SimOptions, type SimSummary } from './simulate.ts';

export interface WrittenSimulation extends SimSummary {
  eventsPath: string;
  labelsPath: string;
}

export async function writeSimulation(dir: string, opts: SimOptions, onProgress?: ProgressHandler): Promise<WrittenSimulation> {
  mkdirSync(dir, { recursive: true });
  const eventsPath = join(dir, 'events.ndjson');
  const labelsPath = join(dir, 'labels.ndjson');
  const ef = openSync(eventsPath, 'w');
  const lf = openSync(labelsPath, 'w');
  try {
    const summary = simulate(opts, (events, labels) => {
      let s = '';
      for (const e of events) s += JSON.stringify(e) + '\n';
      writeSync(ef, s);
      if (labels.length) {
        let l = '';
        for (const x of labels) l += JSON.stringify(x) + '\n';
        writeSync(lf, l);
      }
    }, onProgress);
    return { ...summary, eventsPath, labelsPath };
  } finally {
    closeSync(ef);
    closeSync(lf);
  }
}
