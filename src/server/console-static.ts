// Serves the built web console (web/dist) at / with a fallback to index.html for its client-side routes.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Bulwark</title>
<body style="font-family:system-ui;max-width:640px;margin:60px auto;line-height:1.5">
<h1>The Bulwark console is not built</h1>
<p>The API is running. Build the console with <code>npm run build:console</code> (it runs on <code>npm ci</code> and
<code>npm start</code> too) and reload this page.</p></body>`;

/** True when a request is a browser asking for a page rather than the API. */
function wantsPage(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0]!;
  if (path.startsWith('/v1/') || path === '/v1' || path === '/metrics' || path === '/healthz' || path === '/readyz') return false;
  if (path.startsWith('/assets/')) return false;
  return String(req.headers.accept ?? '').includes('text/html');
}

/**
 * Registers the console. Returns a not-found hook for buildApp: it answers page requests with the console's
 * index.html (so /cases/12 can be reloaded) and leaves everything else to the API's 404.
 */
export function registerConsole(app: FastifyInstance, dir = DEFAULT_CONSOLE_DIR): (req: FastifyRequest, reply: FastifyReply) => boolean {
  const built = existsSync(`${dir}/index.html`);
  if (built) {
    // Files are looked up per request (wildcard), so a rebuild is served without a restart. Hashed assets
    // never change under their name; index.html must always be revalidated.
    void app.register(fastifyStatic, {
      root: dir, prefix: '/', wildcard: true, index: ['index.html'],
      setHeaders: (reply, path) => void reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });
  } else {
    app.get('/', async (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
  }
  return (req, reply) => {
    if (!wantsPage(req)) return false;
    if (built) void reply.header('cache-control', 'no-cache').sendFile('index.html');
    else void reply.type('text/html; charset=utf-8').send(NOT_BUILT);
    return true;
  };
}
