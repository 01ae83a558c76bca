import { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalOrg, type LocalOrg } from '../local-org';
import { REPO_ROOT } from '../workbench/paths';
import { importPlan, loadSampleData, readPlan, SampleDataError, TREE_LIMIT } from './sampleData';

// The loader against an in-memory local org, through its REST API with jsforce as the admin.
jest.setTimeout(120_000);

const PLAN = path.join(REPO_ROOT, 'data', 'sample-data-plan.json');

let org: LocalOrg;
let conn: Connection;
let tmp: string;

beforeEach(async () => {
  org = await startLocalOrg({ memory: true });
  conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.users.admin.accessToken,
    version: '62.0'
  });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-in-plan-'));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await org.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function admin(): Connection {
  return conn;
}

/** The objects of the tree requests the loader sends, in order. */
function treeRequests(): string[] {
  const seen: string[] = [];
  const original = conn.request.bind(conn);
  jest.spyOn(conn, 'request').mockImplementation(((request: unknown, ...rest: unknown[]) => {
    const url = typeof request === 'string' ? request : (request as { url: string }).url;
    if (url.includes('/composite/tree/')) seen.push(url.split('/composite/tree/')[1] as string);
    return (original as (...args: unknown[]) => unknown)(request, ...rest);
  }) as typeof conn.request);
  return seen;
}

/** Writes a plan and its data files into the temporary folder. */
function writePlan(steps: Array<{ sobject: string; file: string; records: unknown[] }>): string {
  for (const s of steps) {
    fs.writeFileSync(path.join(tmp, s.file), JSON.stringify({ records: s.records }));
  }
  const plan = path.join(tmp, 'plan.json');
  fs.writeFileSync(
    plan,
    JSON.stringify(steps.map((s) => ({ sobject: s.sobject, saveRefs: true, files: [s.file] })))
  );
  return plan;
}

const rec = (type: string, referenceId: string, fields: Record<string, unknown>) => ({
  attributes: { type, referenceId },
  ...fields
});

async function count(soql: string): Promise<number> {
  return (await admin().query(soql)).totalSize;
}

test('loads the sample plan once, with every @ref resolved, and a second load sends nothing', async () => {
  const records = readPlan(PLAN).reduce(
    (n, step) =>
      n +
      step.files.reduce(
        (m, f) =>
          m + (JSON.parse(fs.readFileSync(f, 'utf8')) as { records: unknown[] }).records.length,
        0
      ),
    0
  );
  const requests = treeRequests();
  const first = await loadSampleData(admin(), PLAN);
  expect(first.loaded).toBe(true);
  expect(first.created).toBe(records);
  expect(first.requests).toBe(requests.length);
  // One tree request per file (none has more than 200 records), in plan order.
  expect(requests).toEqual(readPlan(PLAN).map((s) => s.sobject));

  // References across files became Ids: the contacts, cases and perceptions of an account.
  const account = first.refs.get('AccHollandseFiets') as string;
  expect(account).toMatch(/^001/);
  const contacts = await admin().query<{ AccountId: string }>(
    `SELECT AccountId FROM Contact WHERE Email = 'j.devries@hollandsefietsfabriek.example'`
  );
  expect(contacts.records[0]?.AccountId).toBe(account);
  expect(
    await count(
      `SELECT Id FROM CX_Perception__c WHERE Account__c = '${account}' AND Touchpoint__r.Key__c != null`
    )
  ).toBeGreaterThan(0);
  expect(await count('SELECT Id FROM Contact WHERE AccountId = null')).toBe(0);

  const accounts = await count('SELECT Id FROM Account');
  const second = await loadSampleData(admin(), PLAN);
  expect(second).toMatchObject({ loaded: false, created: 0, requests: 0 });
  // The second load still names the sample accounts, so the demo can use them.
  expect(second.refs.get('AccHollandseFiets')).toBe(account);
  expect(requests).toHaveLength(first.requests);
  expect(await count('SELECT Id FROM Account')).toBe(accounts);
});

test('refuses an org that holds part of the sample data, naming the plan', async () => {
  await admin().sobject('Account').create({ Name: 'Zuiderzee Logistiek B.V.' });
  const requests = treeRequests();
  await expect(loadSampleData(admin(), PLAN)).rejects.toThrow(
    /holds 1 of the 12 sample Account records of .*sample-data-plan\.json/
  );
  expect(requests).toEqual([]);
});

test('a record that refers to one in a later file, or in its own file, waits for it', async () => {
  const plan = writePlan([
    {
      sobject: 'Contact',
      file: 'contacts.json',
      records: [rec('Contact', 'Con1', { LastName: 'Jansen', AccountId: '@Child' })]
    },
    {
      sobject: 'Account',
      file: 'accounts.json',
      records: [
        rec('Account', 'Child', { Name: 'Child', ParentId: '@Parent' }),
        rec('Account', 'Parent', { Name: 'Parent', Website: '@home' })
      ]
    }
  ]);
  const requests = treeRequests();
  const result = await importPlan(admin(), plan);
  expect(result.created).toBe(3);
  // Parent first, then Child, then the contact: each when its references exist.
  expect(requests).toEqual(['Account', 'Account', 'Contact']);
  const child = await admin().query<{ ParentId: string }>(
    "SELECT ParentId FROM Account WHERE Name = 'Child'"
  );
  expect(child.records[0]?.ParentId).toBe(result.refs.get('Parent'));
  const contact = await admin().query<{ AccountId: string }>(
    "SELECT AccountId FROM Contact WHERE LastName = 'Jansen'"
  );
  expect(contact.records[0]?.AccountId).toBe(result.refs.get('Child'));
  // '@home' names no record of the plan: it is a value, sent as it is.
  const parent = await admin().query<{ Website: string }>(
    "SELECT Website FROM Account WHERE Name = 'Parent'"
  );
  expect(parent.records[0]?.Website).toBe('@home');
});

test(`more than ${TREE_LIMIT} records of a file go in requests of ${TREE_LIMIT}`, async () => {
  const records = Array.from({ length: 450 }, (_, i) =>
    rec('Account', `A${i}`, { Name: `Account ${i}` })
  );
  const plan = writePlan([{ sobject: 'Account', file: 'many.json', records }]);
  const requests = treeRequests();
  const result = await importPlan(admin(), plan);
  expect(result).toMatchObject({ created: 450, requests: 3 });
  expect(requests).toHaveLength(3);
  expect(await count('SELECT Id FROM Account')).toBe(450);
});

test('a record the org refuses fails the load with the file, the record and the reason', async () => {
  const plan = writePlan([
    {
      sobject: 'Contact',
      file: 'contacts.json',
      records: [rec('Contact', 'NoName', { FirstName: 'Anna' })]
    }
  ]);
  const error = await importPlan(admin(), plan).then(
    () => null,
    (e: unknown) => e as Error
  );
  expect(error).toBeInstanceOf(SampleDataError);
  expect(error?.message).toContain(path.join(tmp, 'contacts.json'));
  expect(error?.message).toContain('record NoName');
  expect(error?.message).toMatch(/REQUIRED_FIELD_MISSING.*LastName/);
});

test('references that can never resolve are named instead of looping', async () => {
  const plan = writePlan([
    {
      sobject: 'Account',
      file: 'cycle.json',
      records: [
        rec('Account', 'A', { Name: 'A', ParentId: '@B' }),
        rec('Account', 'B', { Name: 'B', ParentId: '@A' })
      ]
    }
  ]);
  await expect(importPlan(admin(), plan)).rejects.toThrow(
    /cycle\.json: references that no record can resolve \(a cycle\): A\.ParentId = @B, B\.ParentId = @A/
  );
  expect(await count('SELECT Id FROM Account')).toBe(0);
});

test('a plan that is not a plan is refused with the file named', () => {
  const bad = path.join(tmp, 'bad-plan.json');
  fs.writeFileSync(bad, JSON.stringify([{ sobject: 'Account' }]));
  expect(() => readPlan(bad)).toThrow(`${bad}: step 1 needs "sobject"`);
  fs.writeFileSync(bad, '{');
  expect(() => readPlan(bad)).toThrow(`${bad}: cannot read the plan`);
});
