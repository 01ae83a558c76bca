import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startLocalOrg, type LocalOrg } from '../local-org';
import { ensureChromium, launchChromium, type LaunchedBrowser } from './browser';
import { labelTexts } from './labels';
import { REPO_ROOT } from './paths';
import { startWorkbench, type Workbench } from './server';

// End to end with the real parts: force-app's components and record pages,
// compiled, in headless Chromium, reading the local org's UI API and GraphQL
// as the rep. Generous timeouts (compiling, first Chromium install); nothing
// here is timed.
jest.setTimeout(15 * 60 * 1000);

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');

let org: LocalOrg;
let workbench: Workbench;
let browser: LaunchedBrowser;
let repAccount: string;
let otherAccount: string;
let repCase: string;

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
  return body.id;
}

beforeAll(async () => {
  ensureChromium((message) => process.stdout.write(`${message}\n`));
  org = await startLocalOrg({ memory: true });
  const rep = org.users.rep.userId;
  repAccount = await create('Account', { Name: 'Bakkerij de Vries', OwnerId: rep });
  otherAccount = await create('Account', { Name: 'Hollandse Bouw BV' });
  repCase = await create('Case', { Subject: 'Late delivery', AccountId: repAccount, OwnerId: rep });
  workbench = await startWorkbench({
    orgInstanceUrl: org.instanceUrl,
    tokens: { rep: org.users.rep.accessToken, manager: org.users.manager.accessToken }
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

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  await page.waitForFunction(() => {
    const ready = (globalThis as { __OUTSIDE_IN_WORKBENCH_READY__?: Promise<boolean> })
      .__OUTSIDE_IN_WORKBENCH_READY__;
    return ready ? ready : false;
  });
  return { page, errors };
}

/** Every component the page placed has rendered something, and none failed to mount. */
async function expectComponentsRendered(page: Page): Promise<string[]> {
  const placed = await page
    .locator('[data-component]')
    .evaluateAll((slots) =>
      slots.map((slot) => (slot as unknown as { dataset: { component: string } }).dataset.component)
    );
  expect(placed.length).toBeGreaterThan(0);
  expect(await page.locator('[data-mount-error]').count()).toBe(0);
  for (const component of placed) {
    await page.locator(`[data-component="${component}"] lightning-card`).first().waitFor();
  }
  return placed;
}

/** Custom labels shown on the page as a whole text, where English and Dutch differ. */
async function shownLabels(page: Page, lang: 'en' | 'nl'): Promise<string[]> {
  const english = labelTexts(workbench.build.labels, 'en');
  const dutch = labelTexts(workbench.build.labels, 'nl');
  const texts = lang === 'en' ? english : dutch;
  // Every text node on the page, trimmed: a label counts only when it is a whole text.
  const onPage = new Set(
    await page.locator('main').evaluate((main) => {
      const doc = main.ownerDocument;
      const walker = doc.createTreeWalker(main, 4 /* NodeFilter.SHOW_TEXT */);
      const out: string[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const value = (node.nodeValue ?? '').trim();
        if (value) out.push(value);
      }
      return out;
    })
  );
  return Object.keys(english).filter(
    (name) => english[name] !== dutch[name] && onPage.has(texts[name] as string)
  );
}

test('the Account page shows force-app components with the local org data as the rep', async () => {
  const { page, errors } = await open(
    `${workbench.url}/lightning/r/Account/${repAccount}/view?persona=rep&lang=en`
  );
  const placed = await expectComponentsRendered(page);
  expect(placed).toContain('c/experienceScorecard');
  // The scorecard lists the account's recent case, read through GraphQL.
  await page.locator('c-experience-scorecard').getByText('Late delivery').first().waitFor();
  await page.screenshot({
    path: path.join(ARTIFACTS, 'workbench-local-org-account-en.png'),
    fullPage: true
  });
  expect(errors).toEqual([]);
  await page.close();
});

test('the Dutch switch shows the Dutch text of every label the English page showed', async () => {
  const english = await open(
    `${workbench.url}/lightning/r/Account/${repAccount}/view?persona=rep&lang=en`
  );
  await expectComponentsRendered(english.page);
  await english.page.locator('c-experience-scorecard').getByText('Late delivery').first().waitFor();
  const shown = await shownLabels(english.page, 'en');
  expect(shown.length).toBeGreaterThan(0);
  await english.page.close();

  const { page, errors } = await open(
    `${workbench.url}/lightning/r/Account/${repAccount}/view?lang=nl`
  );
  await expectComponentsRendered(page);
  await page.locator('c-experience-scorecard').getByText('Late delivery').first().waitFor();
  expect(await shownLabels(page, 'nl')).toEqual(expect.arrayContaining(shown));
  await page.screenshot({
    path: path.join(ARTIFACTS, 'workbench-local-org-account-nl.png'),
    fullPage: true
  });
  expect(errors).toEqual([]);
  await page.close();
});

test('the Case page opens the capture quick action in a dialog', async () => {
  const { page, errors } = await open(
    `${workbench.url}/lightning/r/Case/${repCase}/view?persona=rep&lang=en`
  );
  await expectComponentsRendered(page);
  const action = page.locator('[data-action="c/perceptionCapture"]');
  await action.click();
  await page.locator('dialog[data-action-dialog] c-perception-capture lightning-card').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'workbench-local-org-case-action.png') });
  expect(errors).toEqual([]);
  await page.close();
});

test('the rep does not see an account the org withholds from the rep', async () => {
  const page = await browser.context.newPage();
  const response = await page.goto(
    `${workbench.url}/lightning/r/Account/${otherAccount}/view?persona=rep`
  );
  expect(response?.status()).toBe(404);
  await page.locator('[data-record-unavailable]').waitFor();
  expect(await page.locator('[data-component]').count()).toBe(0);
  await page.close();
});
