// End-to-end harness: the real `bulwark serve` on a fresh data directory (first start: dev key and admin
// password read off its output), users made through the API, and Debian's chromium driven by playwright-core.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
export const CHROMIUM = process.env.BULWARK_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'e2e-password-long-enough';

export interface Server {
  url: string;
  key: string;
  adminPassword: string;
  proc: ChildProcess;
  output: () => string;
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

export async function startServer(): Promise<Server> {
  const data = mkdtempSync(join(tmpdir(), 'bulwark-e2e-'));
  const proc = spawn(process.execPath, ['bin/bulwark.js', 'serve', '--data', data, '--port', '0', '--host', '127.0.0.1'], { cwd: ROOT, env: { ...process.env, BULWARK_GRAPH_INTERVAL_MS: '600000' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
  proc.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
  const deadline = Date.now() + 90_000;
  let m: RegExpMatchArray | null = null;
  while (!(m = out.match(/serving strategy \S+ on (http:\/\/[\d.:]+)/))) {
    if (proc.exitCode !== null) throw new Error(`bulwark serve exited with ${proc.exitCode}:\n${out}`);
    if (Date.now() > deadline) throw new Error(`bulwark serve did not start in 90 s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = m[1]!;
  const key = out.match(/\b(bwk_[A-Za-z0-9_-]+)/)?.[1];
  const adminPassword = out.match(/console user 'admin' with password (\S+)/)?.[1];
  if (!key || !adminPassword) throw new Error(`first start did not print a key and an admin password:\n${out}`);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    url, key, adminPassword, proc, api, output: () => out,
    stop: async () => {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => { const t = setTimeout(() => { proc.kill('SIGKILL'); r(null); }, 15_000); proc.once('exit', () => { clearTimeout(t); r(null); }); });
      }
      rmSync(data, { recursive: true, force: true });
    },
  };
}

/** `bulwark sim --send` against the server, as a user would run it; resolves with its summary line. */
export function sendTraffic(server: Server, o: { events: number; seed: number; rate?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/bulwark.js', 'sim', '--send', server.url, '--key', server.key, '--events', String(o.events), '--seed', String(o.seed), '--rate', String(o.rate ?? 0)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout!.on('data', (b: Buffer) => { out += b.toString(); });
    p.stderr!.on('data', (b: Buffer) => { out += b.toString(); });
    p.on('exit', (code) => (code === 0 ? resolve(out.trim().split('\n').at(-1)!) : reject(new Error(`sim --send exited with ${code}: ${out}`))));
  });
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set BULWARK_CHROMIUM; .ci/run installs it`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function signIn(browser: Browser, server: Server, username: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(server.url + '/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

/** A full-page screenshot for the docs (docs/screenshots/NAME.png). */
export async function shot(page: Page, name: string, o: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300); // let charts finish their first draw
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: o.fullPage ?? true });
}

/** The first integer in a text ("12,345 decisions" → 12345). */
export const intOf = (s: string | null): number => Number((s ?? '').replace(/[^\d]/g, '') || NaN);
