import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { demoSources } from './build';
import { ensureChromium, launchChromium, type LaunchedBrowser } from './browser';
import { labelTexts } from './labels';
import { REPO_ROOT } from './paths';
import { startWorkbench, type Workbench } from './server';
import { startLocalOrg, type LocalOrg } from '../local-org';

// End to end: the compiled components in headless Chromium, served by the
// workbench, reading the local org over HTTP. Generous timeouts because the first
// run installs Chromium and compiles the components; nothing here is timed.
jest.setTimeout(10 * 60 * 1000);

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
let REP_ACCOUNT: string;
let MANAGER_ACCOUNT: string;
const names = new Map<string, string>();

let org: LocalOrg;
let tokens: Record<string, string>;
let workbench: Workbench;
let browser: LaunchedBrowser;

beforeAll(async () => {
  ensureChromium((message) => process.stdout.write(`${message}\n`));
  org = await startLocalOrg({ memory: true });
  tokens = { manager: org.users.manager.accessToken, rep: org.users.rep.accessToken };
  REP_ACCOUNT = await create('Account', {
    Name: 'Bakkerij de Vries',
    OwnerId: org.users.rep.userId
  });
  MANAGER_ACCOUNT = await create('Account', {
    Name: 'Hollandse Bouw BV',
    OwnerId: org.users.manager.userId
  });
  await create('Case', {
    Subject: 'Late delivery',
    AccountId: REP_ACCOUNT,
    OwnerId: org.users.rep.userId
  });
  workbench = await startWorkbench({
    orgInstanceUrl: org.instanceUrl,
    tokens,
    buildOptions: { sources: demoSources() },
    demo: true
  });
  browser = await launchChromium();
  // A ceiling for waits on a busy machine, not a speed requirement.
  browser.context.setDefaultTimeout(120_000);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await workbench?.close();
  await org?.close();
});

/** Creates a record as the admin, through the org's REST API. */
async function create(object: string, fields: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${org.instanceUrl}/services/data/v62.0/sobjects/${object}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${org.users.admin.accessToken}`,
      'Content-Type': 'application/json'
    },
    body: JSON.stringify(fields)
  });
  const body = (await response.json()) as { id?: string };
  if (!response.ok || !body.id) throw new Error(`Creating ${object}: ${JSON.stringify(body)}`);
  if (typeof fields.Name === 'string') names.set(body.id, fields.Name);
  return body.id;
}

/** The Account names a persona can see, asked of the org directly. */
async function visibleAccountNames(persona: string): Promise<string[]> {
  const soql = encodeURIComponent('SELECT Name FROM Account ORDER BY Name');
  const response = await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${soql}`, {
    headers: { Authorization: `Bearer ${tokens[persona]}` }
  });
  const body = (await response.json()) as { records: Array<{ Name: string }> };
  return body.records.map((r) => r.Name);
}

/** Opens a page and collects everything the browser reports as an error. */
async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('requestfailed', (request) =>
    errors.push(`${request.url()}: ${request.failure()?.errorText}`)
  );
  const response = await page.goto(url);
  if (!response) throw new Error(`No response for ${url}`);
  await page.waitForFunction(() => {
    const ready = (globalThis as { __OUTSIDE_IN_WORKBENCH_READY__?: Promise<boolean> })
      .__OUTSIDE_IN_WORKBENCH_READY__;
    return ready ? ready : false;
  });
  return { page, errors };
}

function accountUrl(id: string, query: string): string {
  return `${workbench.url}/lightning/r/Account/${id}/view?${query}`;
}

function recordName(id: string): string {
  return names.get(id) as string;
}

test('an Account page shows the demo component with the record read through the UI API', async () => {
  const { page, errors } = await open(accountUrl(MANAGER_ACCOUNT, 'lang=en&persona=manager'));
  const demo = page.locator('c-workbench-demo');
  await demo.locator('.record-name').getByText(recordName(MANAGER_ACCOUNT)).waitFor();
  expect(await page.locator('[data-record-name]').textContent()).toBe(recordName(MANAGER_ACCOUNT));
  // lightning-card rendered its title from the custom label, with SLDS styles applied.
  const english = labelTexts(workbench.build.labels, 'en');
  await demo
    .locator('lightning-card')
    .getByText(english.Workbench_Demo_Title as string)
    .waitFor();
  const cardBorder = await demo
    .locator('article.slds-card')
    .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).borderTopStyle);
  expect(cardBorder).toBe('solid');
  expect(await demo.locator('.user-id').textContent()).toBe(org.users.manager.userId);
  expect(await demo.locator('lightning-input.day input').inputValue()).toBe('Nov 23, 2026');
  await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-account-en.png'), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

test('the Dutch switch shows the Dutch labels and locale', async () => {
  const { page, errors } = await open(accountUrl(MANAGER_ACCOUNT, 'lang=en&persona=manager'));
  await page.locator('a[data-lang="nl"]').click();
  await page.waitForURL(/lang=nl/);
  await page.waitForFunction(
    () =>
      (globalThis as { __OUTSIDE_IN_WORKBENCH_READY__?: unknown }).__OUTSIDE_IN_WORKBENCH_READY__
  );
  const dutch = labelTexts(workbench.build.labels, 'nl');
  const english = labelTexts(workbench.build.labels, 'en');
  expect(dutch.Workbench_Demo_Title).not.toBe(english.Workbench_Demo_Title);
  const demo = page.locator('c-workbench-demo');
  await demo
    .locator('lightning-card')
    .getByText(dutch.Workbench_Demo_Title as string)
    .waitFor();
  await demo
    .locator('lightning-input')
    .getByText(dutch.Workbench_Demo_Note as string)
    .waitFor();
  expect(await demo.locator('.locale').textContent()).toBe('nl-NL');
  // Dates follow the Dutch locale's pattern (@salesforce/i18n/dateTime.*).
  expect(await demo.locator('lightning-input.day input').inputValue()).toBe('23 nov 2026');
  expect(await page.getAttribute('html', 'lang')).toBe('nl');
  await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-account-nl.png'), fullPage: true });
  expect(errors).toEqual([]);
  await page.close();
});

test('a toast shows what the component sent', async () => {
  const { page, errors } = await open(accountUrl(MANAGER_ACCOUNT, 'lang=en&persona=manager'));
  const demo = page.locator('c-workbench-demo');
  await demo.locator('.record-name').getByText(recordName(MANAGER_ACCOUNT)).waitFor();
  // lightning-combobox needs ElementInternals under synthetic shadow (a compiler option).
  await demo.locator('lightning-combobox.channel [role="combobox"]').click();
  await demo.locator('lightning-base-combobox-item').filter({ hasText: 'Email' }).click();
  expect(await demo.locator('.channel-value').textContent()).toBe('Email');
  await demo.locator('lightning-input.note input').fill('Called back within the hour');
  await demo.locator('lightning-button button').click();
  const toast = page.locator('[data-toasts] .slds-notify_toast');
  await toast.getByText('Called back within the hour').waitFor();
  const english = labelTexts(workbench.build.labels, 'en');
  expect(await toast.locator('h2').textContent()).toBe(english.Workbench_Demo_Sent);
  expect(await toast.getAttribute('data-variant')).toBe('success');
  expect(errors).toEqual([]);
  await page.close();
});

test('the rep persona signs in as the rep and sees only what the org shows the rep', async () => {
  const { page, errors } = await open(accountUrl(REP_ACCOUNT, 'persona=rep&lang=en'));
  const demo = page.locator('c-workbench-demo');
  await demo.locator('.record-name').getByText(recordName(REP_ACCOUNT)).waitFor();
  expect(await demo.locator('.user-id').textContent()).toBe(org.users.rep.userId);
  expect(errors).toEqual([]);

  // The persona cookie persists: the manager's account is not the rep's to see.
  const hidden = await page.goto(accountUrl(MANAGER_ACCOUNT, 'lang=en'));
  expect(hidden?.status()).toBe(404);
  await page.locator('[data-record-unavailable]').waitFor();
  expect(await page.locator('c-workbench-demo').count()).toBe(0);

  // The token stays on the server: neither page nor cookies carry it.
  const html = await page.content();
  const cookies = JSON.stringify(await browser.context.cookies());
  for (const token of Object.values(tokens)) {
    expect(html).not.toContain(token);
    expect(cookies).not.toContain(token);
  }
  await page.close();
});

test('the home page lists the records the persona can pick', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${workbench.url}/?persona=manager&lang=en`);
  const links = page.locator('a[data-record-link="Account"]');
  expect(await links.allTextContents()).toEqual(await visibleAccountNames('manager'));
  expect(await links.allTextContents()).toContain(recordName(MANAGER_ACCOUNT));
  await page.goto(`${workbench.url}/?persona=rep`);
  const repLinks = await page.locator('a[data-record-link="Account"]').allTextContents();
  expect(repLinks).toEqual(await visibleAccountNames('rep'));
  expect(repLinks).toContain(recordName(REP_ACCOUNT));
  expect(repLinks).not.toContain(recordName(MANAGER_ACCOUNT));
  await page.locator('a[data-record-link="Case"]').first().click();
  await page.waitForURL(/\/lightning\/r\/Case\//);
  expect(await page.locator('[data-record-name]').textContent()).toContain('Late delivery');
  await page.close();
});

describe('pages laid out from force-app metadata', () => {
  let shipped: Workbench;

  beforeAll(async () => {
    shipped = await startWorkbench({
      orgInstanceUrl: org.instanceUrl,
      tokens,
      buildOptions: { sources: demoSources() },
      forceAppDir: path.join(__dirname, 'test-support', 'force-app'),
      demo: false
    });
  });

  afterAll(async () => {
    await shipped?.close();
  });

  test('the record page follows the flexipage, and a quick action opens its component in a dialog', async () => {
    const { page, errors } = await open(
      `${shipped.url}/lightning/r/Account/${MANAGER_ACCOUNT}/view?lang=en&persona=manager`
    );
    // The flexipage puts the demo in the sidebar, with compact = true: no note field.
    const side = page.locator('[data-region="side"] c-workbench-demo');
    await side.locator('.record-name').getByText(recordName(MANAGER_ACCOUNT)).waitFor();
    expect(await side.locator('lightning-input.note').count()).toBe(0);
    expect(await page.locator('[data-region="main"] c-workbench-demo').count()).toBe(0);

    await page.getByRole('button', { name: 'Check the workbench' }).click();
    const dialog = page.locator('dialog[data-action-dialog]');
    const inDialog = dialog.locator('c-workbench-demo');
    await inDialog.locator('.record-name').getByText(recordName(MANAGER_ACCOUNT)).waitFor();
    expect(await inDialog.locator('lightning-input.note').count()).toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-quick-action.png') });
    await dialog.locator('[data-close-dialog]').click();
    expect(await dialog.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
    expect(await inDialog.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('quick action labels follow the language; app pages are listed and render', async () => {
    const { page, errors } = await open(
      `${shipped.url}/lightning/r/Account/${MANAGER_ACCOUNT}/view?lang=nl&persona=manager`
    );
    await page.getByRole('button', { name: 'Werkbank controleren' }).waitFor();
    await page.goto(`${shipped.url}/`);
    await page.locator('a[data-app-page="Workbench_Home"]').click();
    await page.waitForURL(/\/lightning\/n\/Workbench_Home$/);
    await page.waitForFunction(
      () =>
        (globalThis as { __OUTSIDE_IN_WORKBENCH_READY__?: unknown }).__OUTSIDE_IN_WORKBENCH_READY__
    );
    expect(await page.locator('[data-page-name]').textContent()).toBe('Workbench Home');
    await page.locator('[data-region="main"] c-workbench-demo lightning-card').waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
