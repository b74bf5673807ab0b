// The console end to end, in Debian's chromium against a real `bulwark serve`: a reviewer watches simulated
// traffic arrive and works a case through to enforcement; an analyst edits a rule, sees the checker's error
// inline, fixes it, backtests and deploys in shadow; an admin's pages. Screenshots go to docs/screenshots/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import type { Page } from 'playwright-core';
import { intOf, launch, PASSWORD, sendTraffic, shot, signIn, startServer, type Server } from './harness.ts';

/** Follows a link of the main navigation. */
const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

let server: Server;
let browser: Browser;

before(async () => {
  server = await startServer();
  browser = await launch();
  await server.api('POST', '/v1/users', { username: 'rita', role: 'reviewer', password: PASSWORD });
  await server.api('POST', '/v1/users', { username: 'andy', role: 'analyst', password: PASSWORD });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('reviewer: simulator decisions arrive on the overview; the next case is confirmed and its enforcement shows on the entity page', async () => {
  const page = await signIn(browser, server, 'rita', PASSWORD);
  const decisions = page.getByTestId('overview-decisions');
  await decisions.waitFor();
  const before = intOf(await decisions.textContent());
  assert.equal(before, 0, 'a fresh server has made no decisions');

  // Traffic arrives while the overview is open; it polls and the count grows without a reload.
  const traffic = sendTraffic(server, { events: 4000, seed: 7, rate: 400 });
  await page.waitForFunction(() => Number((document.querySelector('[data-testid="overview-decisions"]')?.textContent ?? '').replace(/[^\d]/g, '')) > 0, null, { timeout: 30_000 });
  const summary = await traffic;
  const decided = Number(summary.match(/(\d+) decided/)?.[1]);
  assert.ok(decided > 3000, summary);
  await page.waitForFunction((n) => Number((document.querySelector('[data-testid="overview-decisions"]')?.textContent ?? '').replace(/[^\d]/g, '')) >= n, decided, { timeout: 30_000 });
  await shot(page, 'overview');

  // Cases opened by the rules are in their queues (intake is batched: wait for it).
  let open = 0;
  for (let i = 0; i < 100 && open === 0; i++) {
    const { queues } = await server.api<{ queues: { open: number }[] }>('GET', '/v1/queues');
    open = queues.reduce((s, q) => s + q.open, 0);
    if (open === 0) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(open > 0, 'the simulated attacks opened review cases');

  await nav(page, 'Cases');
  await page.getByRole('button', { name: 'Next case' }).waitFor();
  await shot(page, 'cases', { fullPage: false });
  await page.getByRole('button', { name: 'Next case' }).click();
  await page.waitForURL(/\/cases\/\d+$/);
  const id = Number(page.url().match(/\/cases\/(\d+)$/)![1]);
  const { case: c } = await server.api<{ case: { entity: string; status: string; assignee: string | null } }>('GET', `/v1/cases/${id}`);
  await page.getByRole('button', { name: /^Confirm/ }).waitFor();
  await shot(page, 'case');
  await page.getByRole('button', { name: /^Confirm/ }).click();

  // The confirm closed the case and enforced on its entity.
  let closed = null as null | { case: { status: string; outcome: string } };
  for (let i = 0; i < 50; i++) {
    closed = await server.api('GET', `/v1/cases/${id}`);
    if (closed!.case.status === 'closed') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(closed!.case.status, 'closed');
  assert.equal(closed!.case.outcome, 'confirmed');
  const enf = await server.api<{ active: { kind: string }[] }>('GET', `/v1/enforcements?entity=${encodeURIComponent(c.entity)}`);
  assert.ok(enf.active.length > 0, `confirming ${c.entity} enforced: ${JSON.stringify(enf)}`);

  const [type, ...rest] = c.entity.split(':');
  await page.goto(`${server.url}/entities/${encodeURIComponent(type!)}/${encodeURIComponent(rest.join(':'))}`);
  const panel = page.getByTestId('enforcement');
  await panel.waitFor();
  await page.waitForFunction((kind) => (document.querySelector('[data-testid="enforcement"]')?.textContent ?? '').toLowerCase().includes(kind), enf.active[0]!.kind);
  await shot(page, 'entity');
  await page.context().close();
});

test('analyst: a syntax error shows inline as it is typed, the fix clears it, a backtest reports, and the version deploys in shadow', async () => {
  const page = await signIn(browser, server, 'andy', PASSWORD);
  await nav(page, 'Strategies');
  await page.getByText('takeover.bw', { exact: true }).first().click();
  const editor = page.locator('.cm-content').first();
  await editor.waitFor();
  await page.waitForFunction(() => (document.querySelector('.cm-content')?.textContent ?? '').includes('credential_stuffing_device'));
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('\n\nrule e2e_many_failures on login\n  when failed_logins_account_10m >= (');

  const problems = page.getByTestId('problems');
  await page.waitForFunction(() => /takeover\.bw:\d+:\d+/.test(document.querySelector('[data-testid="problems"]')?.textContent ?? ''), null, { timeout: 15_000 });
  assert.ok(await page.locator('.cm-lintRange-error').count() > 0, 'the error is underlined in the editor');
  await shot(page, 'strategies-error');

  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('3)\n  then challenge\n  score +5\n  because "{failed_logins_account_10m} failed logins in 10 minutes"\n');
  await page.waitForFunction(() => !/takeover\.bw:\d+:\d+/.test(document.querySelector('[data-testid="problems"]')?.textContent ?? ''), null, { timeout: 15_000 });
  assert.equal(await page.locator('.cm-lintRange-error').count(), 0);
  assert.doesNotMatch((await problems.textContent()) ?? '', /error/i);

  await page.getByRole('button', { name: 'Run backtest' }).click();
  const report = page.getByTestId('backtest-report');
  await report.waitFor({ timeout: 60_000 });
  assert.match((await report.textContent()) ?? '', /e2e_many_failures/, 'the new rule is in the report');
  await shot(page, 'strategies-backtest');

  await page.getByRole('button', { name: 'Save version' }).click();
  await page.getByRole('button', { name: 'Deploy as shadow' }).click();
  let shadows: string[] = [];
  for (let i = 0; i < 50 && shadows.length === 0; i++) {
    shadows = (await (await fetch(server.url + '/readyz')).json()).shadows;
    if (shadows.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(shadows, ['default@2']);
  await shot(page, 'strategies');
  await page.context().close();
});

test('admin: lists, the audit log, models and users and keys', async () => {
  const page = await signIn(browser, server, 'admin', server.adminPassword);
  await nav(page, 'Lists');
  await page.getByText('disposable_domains').first().waitFor();
  await shot(page, 'lists');
  await nav(page, 'Audit log');
  // The analyst's shadow deployment is in the audit log, attributed to them.
  await page.getByText('user:andy').first().waitFor();
  await shot(page, 'audit', { fullPage: false });
  await nav(page, 'Models');
  await page.getByText('No models registered').waitFor();
  await shot(page, 'models', { fullPage: false });
  await nav(page, 'Users and keys');
  await page.getByText('rita').first().waitFor();
  await shot(page, 'admin');
  await page.context().close();
});
