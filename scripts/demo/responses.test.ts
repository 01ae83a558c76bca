import { parse } from 'csv-parse/sync';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { importFiles } from '../sync/importer';
import { Store } from '../sync/store';
import { REPO_ROOT } from '../workbench/paths';
import { demoConfig, touchpointTargets, writeDemoResponses } from './responses';

let tmp: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-in-responses-'));
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const NOW = new Date('2026-03-04T10:00:00Z');

function rows(file: string): Array<Record<string, string>> {
  return parse(fs.readFileSync(file, 'utf8'), { columns: true }) as Array<Record<string, string>>;
}

test('the months end with the current one', () => {
  expect(demoConfig({ months: 3, now: NOW })).toMatchObject({ startMonth: '2026-01', months: 3 });
  expect(demoConfig({ months: 6, now: NOW })).toMatchObject({ startMonth: '2025-10', months: 6 });
});

test('responses spread over the months up to now, none in the future, the same for the same seed', async () => {
  const file = path.join(tmp, 'a.csv');
  const written = await writeDemoResponses(file, { count: 600, seed: 3, months: 3, now: NOW });
  expect(written.rows).toBe(600);
  const all = rows(file);
  expect(all).toHaveLength(600);
  const times = all.map((r) => Date.parse(r.OccurredAt as string));
  expect(Math.max(...times)).toBeLessThanOrEqual(NOW.getTime() - 3600_000);
  expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:00:00Z'));
  // This month has its share, squeezed into the days that have passed.
  const thisMonth = times.filter((t) => t >= Date.parse('2026-03-01T00:00:00Z')).length;
  expect(thisMonth).toBeGreaterThan(100);
  const again = path.join(tmp, 'b.csv');
  await writeDemoResponses(again, { count: 600, seed: 3, months: 3, now: NOW });
  expect(fs.readFileSync(again, 'utf8')).toBe(fs.readFileSync(file, 'utf8'));
});

test('responses at a touchpoint of cases, opportunities or orders name the account transaction', async () => {
  const targets = touchpointTargets(path.join(REPO_ROOT, 'data'));
  const file = path.join(tmp, 'linked.csv');
  const transactions = new Map([
    [
      'NL-10001',
      { caseNumber: '00000001', opportunityId: '006000000000001AAA', orderNumber: '00000002' }
    ]
  ]);
  const written = await writeDemoResponses(file, {
    count: 800,
    seed: 5,
    months: 2,
    now: NOW,
    transactions
  });
  expect(written.mapping.fields).toMatchObject({
    caseNumber: 'CaseNumber',
    opportunityId: 'OpportunityId',
    orderNumber: 'OrderNumber'
  });
  const all = rows(file);
  const ofAccount = all.filter((r) => r.AccountNumber === 'NL-10001');
  expect(ofAccount.length).toBeGreaterThan(0);
  for (const r of all) {
    const applies = targets.get(r.Touchpoint as string) ?? [];
    const mine = r.AccountNumber === 'NL-10001';
    expect(r.CaseNumber).toBe(mine && applies.includes('Case') ? '00000001' : '');
    expect(r.OpportunityId).toBe(
      mine && applies.includes('Opportunity') ? '006000000000001AAA' : ''
    );
    expect(r.OrderNumber).toBe(mine && applies.includes('Order') ? '00000002' : '');
  }
  expect(ofAccount.some((r) => r.CaseNumber)).toBe(true);

  // The sync's importer reads the file with the mapping: every row stored, none quarantined.
  const store = new Store('00D000000000001AAA', { memory: true });
  try {
    const result = await importFiles(store, [file], { mapping: written.mapping });
    expect(result).toMatchObject({ read: 800, stored: 800, quarantined: 0 });
    const linked = store.db
      .prepare("SELECT COUNT(*) AS n FROM responses WHERE case_ref = '00000001'")
      .get() as { n: number };
    expect(linked.n).toBe(ofAccount.filter((r) => r.CaseNumber).length);
  } finally {
    store.close();
  }
});
