import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startLocalOrg, type LocalOrg } from '../local-org';
import { ensureChromium, launchChromium, type LaunchedBrowser } from './browser';
import { labelTexts } from './labels';
import { readFlexiPages, readPropertyTypes } from './pages';
import { FORCE_APP_DIR, REPO_ROOT } from './paths';
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
/** A record the rep can see for each object that has a record page, and the touchpoint. */
const recordsByObject = new Map<string, string>();

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
  // A touchpoint that applies to Accounts, with one expectation/perception question pair.
  const journey = await create('CX_Journey__c', { Name: 'Onboarding', Key__c: 'ONB' });
  const touchpoint = await create('CX_Touchpoint__c', {
    Name: 'Kick-off call',
    Key__c: 'ONB-KICK',
    Journey__c: journey,
    Stage__c: 'Onboarding',
    Channels__c: 'Phone;Email',
    Applies_To__c: 'Account;Case'
  });
  const survey = await create('CX_Survey__c', {
    Name: 'Onboarding 2026',
    Key__c: 'ONB-2026',
    Touchpoint__c: touchpoint,
    Active__c: true
  });
  for (const [kind, order] of [
    ['Expectation', 1],
    ['Perception', 2]
  ] as const) {
    await create('CX_Survey_Question__c', {
      Survey__c: survey,
      Question_Text__c: 'The kick-off started on time',
      Item_Key__c: 'ONB-REL-1',
      Dimension__c: 'Reliability',
      Kind__c: kind,
      Scale_Min__c: 1,
      Scale_Max__c: 7,
      Sort_Order__c: order,
      Key__c: `ONB-2026:Q1-${kind[0]}`
    });
  }
  const rep2 = org.users.rep.userId;
  recordsByObject.set('Account', repAccount);
  recordsByObject.set('Case', repCase);
  recordsByObject.set('CX_Touchpoint__c', touchpoint);
  recordsByObject.set(
    'Contact',
    await create('Contact', { LastName: 'de Vries', AccountId: repAccount, OwnerId: rep2 })
  );
  recordsByObject.set(
    'Opportunity',
    await create('Opportunity', {
      Name: 'Ovens 2027',
      StageName: 'Prospecting',
      CloseDate: '2027-03-31',
      AccountId: repAccount,
      OwnerId: rep2
    })
  );
  recordsByObject.set(
    'Order',
    await create('Order', {
      AccountId: repAccount,
      EffectiveDate: '2026-11-01',
      Status: 'Draft',
      OwnerId: rep2
    })
  );
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

test('a perception captured through the form is stored in the org and the scorecard shows it at once', async () => {
  const { page, errors } = await open(
    `${workbench.url}/lightning/r/Account/${repAccount}/view?persona=rep&lang=en`
  );
  const english = labelTexts(workbench.build.labels, 'en');
  const scorecard = page.locator('c-experience-scorecard');
  await scorecard
    .getByText(english.CX_Scorecard_No_Perceptions as string)
    .first()
    .waitFor();
  const before = await scorecard.innerText();

  const capture = page.locator('[data-region] c-perception-capture');
  // Role queries do not see into synthetic shadow trees; CSS and text do.
  const choose = async (combobox: string, option: string) => {
    await capture.locator(`lightning-combobox.${combobox} [role="combobox"]`).click();
    await capture
      .locator(`lightning-combobox.${combobox} lightning-base-combobox-item`)
      .filter({ hasText: option })
      .click();
  };
  await choose('cx-touchpoint', 'Kick-off call');
  await choose('cx-channel', 'Phone');
  const item = capture.locator('fieldset.cx-item');
  await item.locator('input').nth(0).fill('6');
  await item.locator('input').nth(1).fill('4');
  await capture.locator('lightning-input[data-name="nps"] input').fill('8');
  await capture.locator('lightning-button.cx-save button').click();

  const toast = page.locator('[data-toasts] .slds-notify_toast[data-variant="success"]');
  await toast.getByText(english.CX_Capture_Saved as string).waitFor();

  // Stored in the org, as the rep's capture of this account.
  const soql = encodeURIComponent(
    `SELECT Id, NPS__c, Answers__c, Source__c FROM CX_Perception__c WHERE Account__c = '${repAccount}'`
  );
  const stored = (await (
    await fetch(`${org.instanceUrl}/services/data/v62.0/query?q=${soql}`, {
      headers: { Authorization: `Bearer ${org.users.admin.accessToken}` }
    })
  ).json()) as { records: Array<{ NPS__c: number; Answers__c: string; Source__c: string }> };
  expect(stored.records).toHaveLength(1);
  expect(stored.records[0]).toMatchObject({ NPS__c: 8, Source__c: 'Rep_Capture' });
  expect(stored.records[0]?.Answers__c).toContain('ONB-REL-1');

  // The scorecard heard of the capture and read again, with no reload.
  await scorecard
    .getByText(english.CX_Scorecard_Empty as string)
    .first()
    .waitFor({ state: 'detached' });
  // One response is a low sample, and the scorecard says so.
  const lowSample = (english.CX_Low_Sample_N as string).replace('{0}', '1');
  await scorecard.getByText(lowSample).first().waitFor();
  expect(await scorecard.innerText()).not.toBe(before);
  await page.screenshot({
    path: path.join(ARTIFACTS, 'workbench-local-org-captured.png'),
    fullPage: true
  });
  expect(errors).toEqual([]);
  await page.close();
});

test('every Lightning page force-app ships renders its components without console errors', async () => {
  const pages = readFlexiPages(
    path.join(FORCE_APP_DIR, 'flexipages'),
    readPropertyTypes([path.join(FORCE_APP_DIR, 'lwc')])
  );
  expect(pages.length).toBeGreaterThan(0);
  for (const shipped of pages) {
    let url: string;
    if (shipped.type === 'RecordPage') {
      const id = recordsByObject.get(shipped.sobjectType as string);
      if (!id)
        throw new Error(`No test record for the ${shipped.sobjectType} page ${shipped.name}`);
      url = `${workbench.url}/lightning/r/${shipped.sobjectType}/${id}/view?persona=rep&lang=nl`;
    } else {
      url = `${workbench.url}/lightning/n/${shipped.name}?persona=rep&lang=nl`;
    }
    const { page, errors } = await open(url);
    const placed = await expectComponentsRendered(page);
    // Every custom component the page places is built and mounted, main column first.
    expect(placed).toEqual([...shipped.main, ...shipped.side].map((p) => p.component));
    await page.screenshot({
      path: path.join(ARTIFACTS, `workbench-page-${shipped.name}.png`),
      fullPage: true
    });
    expect({ page: shipped.name, errors }).toEqual({ page: shipped.name, errors: [] });
    await page.close();
  }
});
