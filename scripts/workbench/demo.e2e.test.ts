import { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { runDemo, type RunningDemo } from '../demo';
import {
  createStatistics,
  experienceIndex,
  mergeInto,
  npsEstimate,
  parseSettings,
  parseStatistics,
  periodOf,
  previousPeriod,
  type ScopeStatistics
} from '../sync/scoring';
import { Store } from '../sync/store';
import { ensureChromium, launchChromium, type LaunchedBrowser } from './browser';
import { labelTexts } from './labels';
import { REPO_ROOT } from './paths';

// End to end on what `npm start` serves: the demo (sample data, generated
// responses through the real sync) in a temporary folder, force-app's
// components in headless Chromium. One demo run for the whole file. Generous
// timeouts (compiling, first Chromium install); nothing here is timed.
jest.setTimeout(15 * 60 * 1000);

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts');
/** Months the account scorecard shows (the flexipage's period: quarter). */
const QUARTER = 3;

let dir: string;
let demo: RunningDemo;
let browser: LaunchedBrowser;
let admin: Connection;
/** An account the rep owns, one it does not, and a case and opportunity of the rep's account. */
let repAccount: string;
let otherAccount: string;
let repCase: string;
let repOpportunity: string;
let syncRun: string;

beforeAll(async () => {
  ensureChromium((message) => process.stdout.write(`${message}\n`));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-in-demo-'));
  demo = await runDemo({ dir, responses: 900, months: QUARTER, seed: 7 });
  admin = new Connection({
    instanceUrl: demo.org.instanceUrl,
    accessToken: demo.org.tokens.admin,
    version: '62.0'
  });
  repAccount = demo.repAccountIds[0] as string;
  const others = await admin.query<{ Id: string }>(
    `SELECT Id FROM Account WHERE OwnerId != '${demo.org.userIds.rep}' ORDER BY Name LIMIT 1`
  );
  otherAccount = others.records[0]?.Id as string;
  repCase = (
    await admin.query<{ Id: string }>(`SELECT Id FROM Case WHERE AccountId = '${repAccount}'`)
  ).records[0]?.Id as string;
  repOpportunity = (
    await admin.query<{ Id: string }>(
      `SELECT Id FROM Opportunity WHERE AccountId = '${repAccount}'`
    )
  ).records[0]?.Id as string;
  syncRun = (await admin.query<{ Id: string }>('SELECT Id FROM CX_Sync_Run__c LIMIT 1')).records[0]
    ?.Id as string;
  browser = await launchChromium();
  // A ceiling for waits on a busy machine, not a speed requirement.
  browser.context.setDefaultTimeout(120_000);
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function labels(lang: 'en' | 'nl'): Record<string, string> {
  return labelTexts(demo.workbench.build.labels, lang);
}

function fill(label: string | undefined, ...args: unknown[]): string {
  return String(label).replace(/\{(\d+)\}/g, (m, i: string) => String(args[Number(i)] ?? m));
}

/** A number as the components write it (cxView formatNumber): the locale's digits, a real minus sign. */
function formatNumber(
  value: number,
  lang: 'en' | 'nl',
  options: { digits?: number; signed?: boolean } = {}
): string {
  const digits = options.digits ?? 1;
  const text = new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  }).format(Math.abs(value));
  const zero = Number(Math.abs(value).toFixed(digits)) === 0;
  if (value < 0 && !zero) return `\u2212${text}`;
  if (options.signed && value > 0 && !zero) return `+${text}`;
  return text;
}

interface Expected {
  n: number;
  index: string;
  indexInterval: string;
  nps: string;
  npsInterval: string;
}

/**
 * What the scorecard must show for an account, from the sync's snapshots in
 * the org: the statistics of the quarter ending this month, merged, with the
 * settings the sync wrote, and formatted as the component formats them.
 */
async function expectedScores(accountId: string, lang: 'en' | 'nl'): Promise<Expected> {
  const rows = (
    await admin.query<{
      Period__c: string;
      Responses__c: number;
      Experience_Index__c: number | null;
      Statistics__c: string;
      Settings__c: string;
    }>(
      `SELECT Period__c, Responses__c, Experience_Index__c, Statistics__c, Settings__c
       FROM CX_Account_Score__c WHERE Account__c = '${accountId}' ORDER BY Period__c DESC`
    )
  ).records;
  expect(rows.length).toBeGreaterThan(0);
  const settings = parseSettings(rows[0]?.Settings__c ?? null);
  const months = [periodOf(Date.now(), settings.timeZone)];
  while (months.length < QUARTER) months.push(previousPeriod(months[months.length - 1] as string));
  const quarter: ScopeStatistics = createStatistics('account');
  let n = 0;
  for (const row of rows) {
    const stats = parseStatistics(row.Statistics__c, 'account');
    // Each month's headline field is the scoring module's index of its statistics.
    const monthIndex = experienceIndex(stats.overall, settings).value;
    if (monthIndex !== null) expect(row.Experience_Index__c).toBeCloseTo(monthIndex, 2);
    if (!months.includes(row.Period__c)) continue;
    mergeInto(quarter, stats);
    n += row.Responses__c;
  }
  const text = labels(lang);
  const index = experienceIndex(quarter.overall, settings);
  const nps = npsEstimate(quarter.overall, settings);
  expect(index.lowSample).toBe(false);
  expect(nps.lowSample).toBe(false);
  const interval = (est: typeof index, digits: number) =>
    fill(
      text.CX_Interval,
      Math.round(settings.confidence * 100),
      formatNumber(est.lower as number, lang, { digits }),
      formatNumber(est.upper as number, lang, { digits })
    );
  return {
    n,
    index: formatNumber(index.value as number, lang),
    indexInterval: interval(index, 1),
    nps: fill(
      text.CX_Scorecard_NPS_Value,
      formatNumber(nps.value as number, lang, { digits: 0, signed: true })
    ),
    npsInterval: interval(nps, 0)
  };
}

async function open(
  url: string,
  options: { ready?: boolean } = {}
): Promise<{ page: Page; errors: string[]; status: number | undefined }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const response = await page.goto(url);
  if (options.ready !== false) {
    await page.waitForFunction(() => {
      const ready = (globalThis as { __OUTSIDE_IN_WORKBENCH_READY__?: Promise<boolean> })
        .__OUTSIDE_IN_WORKBENCH_READY__;
      return ready ? ready : false;
    });
  }
  return { page, errors, status: response?.status() };
}

async function measure(page: Page, key: string, part: 'value' | 'interval'): Promise<string> {
  const cell = page.locator(`c-experience-scorecard .cx-measure_${key} .cx-measure-${part}`);
  await cell.first().waitFor();
  return (await cell.first().innerText()).trim();
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `demo-${name}.png`), fullPage: true });
}

test('the demo loaded the sample data, pushed the responses and the store holds them', async () => {
  expect(demo.sync.status).toBe('Succeeded');
  expect(demo.sync.counts.stored).toBe(900);
  const store = new Store(demo.org.orgId, { dir: path.join(dir, 'store') });
  let held: number;
  try {
    held = (
      store.db
        .prepare(
          "SELECT COUNT(*) AS n FROM responses WHERE account_id = ? AND source != 'Rep_Capture'"
        )
        .get(repAccount) as { n: number }
    ).n;
  } finally {
    store.close();
  }
  expect(held).toBeGreaterThan(0);
  // Every perception of the account in the org came through the sync, so its scores count them all.
  const perceptions = await admin.query<{ expr0: number }>(
    `SELECT COUNT(Id) FROM CX_Perception__c WHERE Account__c = '${repAccount}'`
  );
  expect(perceptions.records[0]?.expr0).toBe(held);
  const snapshots = await admin.query<{ expr0: number }>(
    `SELECT SUM(Responses__c) FROM CX_Account_Score__c WHERE Account__c = '${repAccount}'`
  );
  expect(snapshots.records[0]?.expr0).toBe(held);
  expect(demo.links.account).toContain(`/lightning/r/Account/${repAccount}/view`);
  expect(demo.links.case).toContain('/lightning/r/Case/');
  expect(demo.links.opportunity).toContain('/lightning/r/Opportunity/');
});

test("the Account page's scorecard shows the sync's scores for the account, as the manager and as the rep", async () => {
  const expected = await expectedScores(repAccount, 'en');
  for (const persona of ['manager', 'rep']) {
    const { page, errors } = await open(
      `${demo.url}/lightning/r/Account/${repAccount}/view?persona=${persona}&lang=en`
    );
    expect(await measure(page, 'index', 'value')).toBe(expected.index);
    expect(await measure(page, 'index', 'interval')).toBe(expected.indexInterval);
    expect(await measure(page, 'nps', 'value')).toBe(expected.nps);
    expect(await measure(page, 'nps', 'interval')).toBe(expected.npsInterval);
    const scorecard = page.locator('c-experience-scorecard');
    await scorecard
      .getByText(fill(labels('en').CX_Sample_N, expected.n))
      .first()
      .waitFor();
    // Real numbers: dimension bars and a heat map, not only "low sample".
    expect(await scorecard.locator('.cx-dimension svg.cx-bars').count()).toBeGreaterThan(0);
    expect(await scorecard.locator('table.cx-heat-map tbody tr').count()).toBeGreaterThan(0);
    await screenshot(page, `account-${persona}-en`);
    expect(errors).toEqual([]);
    await page.close();
  }
});

test('the Dutch switch shows Dutch labels and Dutch numbers', async () => {
  const nl = labels('nl');
  const en = labels('en');
  const expected = await expectedScores(repAccount, 'nl');
  const { page, errors } = await open(
    `${demo.url}/lightning/r/Account/${repAccount}/view?persona=manager&lang=nl`
  );
  const scorecard = page.locator('c-experience-scorecard');
  expect(nl.CX_Measure_Experience_Index).not.toBe(en.CX_Measure_Experience_Index);
  await scorecard.getByText(nl.CX_Measure_Experience_Index as string, { exact: true }).waitFor();
  expect(
    await scorecard.getByText(en.CX_Measure_Experience_Index as string, { exact: true }).count()
  ).toBe(0);
  expect(await measure(page, 'index', 'value')).toBe(expected.index);
  expect(await measure(page, 'index', 'interval')).toBe(expected.indexInterval);
  await page.locator('header').getByText('Taal').waitFor();
  await screenshot(page, 'account-manager-nl');
  expect(errors).toEqual([]);

  // The switch itself: back to English from the page's header.
  await page.locator('header a[data-lang="en"]').click();
  await page.waitForURL(/lang=en/);
  await page
    .locator('c-experience-scorecard')
    .getByText(en.CX_Measure_Experience_Index as string, { exact: true })
    .waitFor();
  expect(errors).toEqual([]);
  await page.close();
});

test('the Case and Opportunity pages render their components without console errors', async () => {
  for (const [object, id] of [
    ['Case', repCase],
    ['Opportunity', repOpportunity]
  ] as const) {
    const { page, errors } = await open(
      `${demo.url}/lightning/r/${object}/${id}/view?persona=rep&lang=en`
    );
    const placed = page.locator('[data-component]');
    expect(await placed.count()).toBeGreaterThan(0);
    expect(await page.locator('[data-mount-error]').count()).toBe(0);
    await page.locator('c-experience-scorecard lightning-card').first().waitFor();
    // The generated responses at touchpoints of cases and opportunities name the account's record.
    await page.locator('c-experience-scorecard li.cx-perception').first().waitFor();
    await page.locator('c-experience-scorecard .cx-measure_index .cx-measure-value').waitFor();
    await screenshot(page, `${object.toLowerCase()}-rep-en`);
    expect({ object, errors }).toEqual({ object, errors: [] });
    await page.close();
  }
});

test('the rep sees its own accounts only, and not the sync runs its permission set withholds', async () => {
  // The home page lists what each persona may see.
  const home = async (persona: string) => {
    const { page } = await open(`${demo.url}/?persona=${persona}`, { ready: false });
    const ids = await page
      .locator('a[data-record-link="Account"]')
      .evaluateAll((links) => links.map((a) => (a.getAttribute('href') ?? '').split('/')[4]));
    await page.close();
    return ids;
  };
  expect((await home('rep')).sort()).toEqual([...demo.repAccountIds].sort());
  const managerSees = await home('manager');
  expect(managerSees).toEqual(expect.arrayContaining([...demo.repAccountIds, otherAccount]));

  // An account the rep does not own: not available to the rep, shown to the manager.
  const withheld = await open(`${demo.url}/lightning/r/Account/${otherAccount}/view?persona=rep`, {
    ready: false
  });
  expect(withheld.status).toBe(404);
  await withheld.page.locator('[data-record-unavailable]').waitFor();
  expect(await withheld.page.locator('[data-component]').count()).toBe(0);
  await screenshot(withheld.page, 'account-withheld-rep');
  await withheld.page.close();
  const shown = await open(`${demo.url}/lightning/r/Account/${otherAccount}/view?persona=manager`);
  expect(shown.status).toBe(200);
  await shown.page.locator('c-experience-scorecard .cx-measure_index').first().waitFor();
  expect(shown.errors).toEqual([]);
  await shown.page.close();

  // The sync's run records: the manager's permission set reads them, the rep's has no such object.
  const runAsRep = await open(
    `${demo.url}/lightning/r/CX_Sync_Run__c/${syncRun}/view?persona=rep`,
    {
      ready: false
    }
  );
  expect(runAsRep.status).toBe(404);
  await runAsRep.page.locator('[data-record-unavailable]').waitFor();
  await runAsRep.page.close();
  const runAsManager = await open(
    `${demo.url}/lightning/r/CX_Sync_Run__c/${syncRun}/view?persona=manager`,
    { ready: false }
  );
  expect(runAsManager.status).toBe(200);
  await runAsManager.page.locator('[data-record-name]').waitFor();
  await runAsManager.page.close();
});

test('a perception captured through the form is stored in the org and the scorecard counts it at once', async () => {
  const en = labels('en');
  const before = await expectedScores(repAccount, 'en');
  const { page, errors } = await open(
    `${demo.url}/lightning/r/Account/${repAccount}/view?persona=rep&lang=en`
  );
  const scorecard = page.locator('c-experience-scorecard');
  await scorecard.getByText(fill(en.CX_Sample_N, before.n)).first().waitFor();

  const capture = page.locator('[data-region] c-perception-capture');
  // Role queries do not see into synthetic shadow trees; CSS and text do.
  const choose = async (combobox: string, option: string) => {
    await capture.locator(`lightning-combobox.${combobox} [role="combobox"]`).click();
    await capture
      .locator(`lightning-combobox.${combobox} lightning-base-combobox-item`)
      .filter({ hasText: option })
      .first()
      .click();
  };
  await choose('cx-touchpoint', 'Welcome call');
  await choose('cx-channel', 'Phone');
  const inputs = capture.locator('fieldset.cx-item input');
  await inputs.first().waitFor();
  const count = await inputs.count();
  // Expected 7, experienced 2 on every item: far below the account's mean.
  for (let i = 0; i < count; i++) await inputs.nth(i).fill(i % 2 === 0 ? '7' : '2');
  await capture.locator('lightning-input[data-name="nps"] input').fill('0');
  await capture.locator('lightning-button.cx-save button').click();
  await page
    .locator('[data-toasts] .slds-notify_toast[data-variant="success"]')
    .getByText(en.CX_Capture_Saved as string)
    .waitFor();

  const stored = await admin.query<{ NPS__c: number; Source__c: string; CreatedById: string }>(
    `SELECT NPS__c, Source__c, CreatedById FROM CX_Perception__c
     WHERE Account__c = '${repAccount}' AND Source__c = 'Rep_Capture'`
  );
  expect(stored.records).toHaveLength(1);
  expect(stored.records[0]).toMatchObject({
    NPS__c: 0,
    Source__c: 'Rep_Capture',
    CreatedById: demo.org.userIds.rep
  });

  // No reload: the scorecard merges the capture with the snapshots and counts one more response.
  await scorecard
    .getByText(fill(en.CX_Sample_N, before.n + 1))
    .first()
    .waitFor();
  expect(await measure(page, 'index', 'value')).not.toBe(before.index);
  await screenshot(page, 'account-rep-captured');
  expect(errors).toEqual([]);
  await page.close();
});
