// Load generator for the HTTP bench, run in its own process: posts prepared bodies with autocannon.
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';

const [url, bodiesFile, seconds, connections, key] = process.argv.slice(2);
const bodies = readFileSync(bodiesFile!, 'utf8').split('\n').filter(Boolean);
let next = 0;
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (key) headers.authorization = `Bearer ${key}`;
const result = await autocannon({
  url: url!,
  method: 'POST',
  connections: Number(connections),
  duration: Number(seconds),
  headers,
  requests: [{ setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }) }],
});
const non2xx = result.non2xx + result.errors + result.timeouts;
console.log(JSON.stringify({ rps: Math.round(result.requests.average), total: result.requests.total, p50_ms: result.latency.p50, p99_ms: result.latency.p99, non2xx, used: Math.min(next, bodies.length) }));
