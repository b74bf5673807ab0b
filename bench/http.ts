// HTTP decision throughput against a bare fastify echo route, same machine, same run; load from a separate process.
// Prints progress on stderr and, last on stdout, one JSON line of figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { simulate } from '../src/sim/index.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, connections: { type: 'string', default: '64' }, durability: { type: 'string', default: 'fsync' } } });
const seconds = Number(values.seconds);
const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-http-'));

function start(args: string[], ready: RegExp): Promise<{ proc: ChildProcess; match: RegExpExecArray; out: string[] }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  return new Promise((resolve, reject) => {
    const onData = (b: Buffer) => {
      out.push(b.toString());
      const m = ready.exec(out.join(''));
      if (m) resolve({ proc, match: m, out });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (b: Buffer) => out.push(b.toString()));
    proc.on('exit', (c) => reject(new Error(`${args.join(' ')} exited ${c}: ${out.join('')}`)));
  });
}

function load(url: string, bodies: string, key?: string): Promise<{ rps: number; p99_ms: number; p50_ms: number; non2xx: number; total: number; used: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', 'bench/http-load.ts', url, bodies, String(seconds), values.connections!, key ?? ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    proc.on('exit', (c) => (c === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`load generator exited ${c}`))));
  });
}

try {
  // A realistic mix: simulated platform traffic with unique ids, enough that no id repeats during the run.
  console.error('http: simulating events');
  const events: string[] = [];
  simulate({ seed: 11, events: 400_000 }, (batch) => { for (const e of batch) events.push(JSON.stringify(e)); });
  const bodies = join(dir, 'events.ndjson');
  writeFileSync(bodies, events.join('\n'));

  console.error(`http: echo baseline, ${values.connections} connections, ${seconds}s`);
  const echo = await start(['bench/http-echo.ts'], /listening (http:\/\/[\d.:]+)/);
  await load(`${echo.match[1]}/echo`, bodies); // warm-up pass is the same length; only the second counts
  const echoRun = await load(`${echo.match[1]}/echo`, bodies);
  echo.proc.kill();

  console.error(`http: POST /v1/decide (${values.durability}), ${values.connections} connections, ${seconds}s`);
  const data = join(dir, 'data');
  const svc = await start(['bin/bulwark.js', 'serve', '--data', data, '--port', '0', '--durability', values.durability!, '--snapshot-seconds', '0'], /on (http:\/\/127\.0\.0\.1:\d+)/);
  const key = /(bwk_[A-Za-z0-9_-]+)/.exec(svc.out.join(''))![1]!;
  // Warm the JIT on the first part of the stream, then measure on events it has not seen.
  writeFileSync(join(dir, 'warm.ndjson'), events.slice(0, 20_000).join('\n'));
  const warm = await load(`${svc.match[1]}/v1/decide`, join(dir, 'warm.ndjson'), key);
  writeFileSync(bodies, events.slice(20_000).join('\n'));
  const decide = await load(`${svc.match[1]}/v1/decide`, bodies, key);
  svc.proc.kill('SIGTERM');
  void warm;
  if (decide.used >= events.length - 20_000) console.error('http: warning: the run used every prepared event; ids repeated');

  const result = {
    bench: 'http',
    decide_rps: decide.rps,
    echo_rps: echoRun.rps,
    ratio: Math.round((decide.rps / echoRun.rps) * 1000) / 1000,
    decide_p99_ms: decide.p99_ms,
    decide_p50_ms: decide.p50_ms,
    echo_p99_ms: echoRun.p99_ms,
    decide_errors: decide.non2xx,
    connections: Number(values.connections),
    seconds,
    durability: values.durability,
  };
  console.error(`http: decide ${result.decide_rps} req/s (p99 ${result.decide_p99_ms} ms) vs echo ${result.echo_rps} req/s: ratio ${result.ratio}`);
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
