import { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalOrg } from '../local-org';
import { runDemo } from './demo';

// runDemo on a folder, twice, and on an org that already runs there. The
// workbench's component build is cached across runs (the first one compiles).
jest.setTimeout(10 * 60 * 1000);

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-in-demo-run-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function count(instanceUrl: string, token: string, soql: string): Promise<number> {
  const conn = new Connection({ instanceUrl, accessToken: token, version: '62.0' });
  return (await conn.query(soql)).totalSize;
}

test('a second start reuses the org data and the stored responses, and stopping removes the state file', async () => {
  const lines: string[] = [];
  const first = await runDemo({ dir, responses: 150, months: 2, log: (l) => lines.push(l) });
  const stateFile = path.join(dir, 'org', 'org.json');
  let accounts: number;
  try {
    expect(first.org.started).toBe(true);
    expect(fs.existsSync(stateFile)).toBe(true);
    expect(first.sync.counts).toMatchObject({ read: 150, stored: 150, matched: 150 });
    expect(fs.existsSync(path.join(dir, 'demo', 'responses.csv'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'demo', 'mapping.json'))).toBe(true);
    accounts = await count(first.org.instanceUrl, first.org.tokens.admin, 'SELECT Id FROM Account');
    // The rep persona sees exactly the accounts the demo gave it.
    expect(
      (await count(first.org.instanceUrl, first.org.tokens.rep, 'SELECT Id FROM Account')) as number
    ).toBe(first.repAccountIds.length);
    expect(first.repAccountIds.length).toBeGreaterThan(0);
    const page = await fetch(first.links.account);
    expect(page.status).toBe(200);
    expect(lines.join('\n')).toContain('loaded 98 records');
  } finally {
    await first.close();
  }
  expect(fs.existsSync(stateFile)).toBe(false);

  lines.length = 0;
  const second = await runDemo({ dir, responses: 150, months: 2, log: (l) => lines.push(l) });
  try {
    expect(lines.join('\n')).toContain('already loaded');
    expect(lines.join('\n')).toContain('holds 150 already');
    expect(second.org.orgId).toBe(first.org.orgId);
    expect(second.sampleIds.get('AccHollandseFiets')).toBe(
      first.sampleIds.get('AccHollandseFiets')
    );
    expect(second.sync.counts).toMatchObject({ read: 0, stored: 0, pushed: 0 });
    expect(second.sync.status).toBe('Succeeded');
    expect(
      await count(second.org.instanceUrl, second.org.tokens.admin, 'SELECT Id FROM Account')
    ).toBe(accounts);
    expect(
      await count(
        second.org.instanceUrl,
        second.org.tokens.admin,
        "SELECT Id FROM CX_Perception__c WHERE Source__c = 'Import'"
      )
    ).toBe(150);
  } finally {
    await second.close();
  }
});

test('joins the local org already running in the folder and leaves it running', async () => {
  const org = await startLocalOrg({ dir: path.join(dir, 'org') });
  try {
    const demo = await runDemo({ dir, responses: 60, months: 1 });
    expect(demo.org.started).toBe(false);
    expect(demo.org.instanceUrl).toBe(org.instanceUrl);
    await demo.close();
    // The org still answers, and its state file stays for the CLI.
    expect((await fetch(`${org.instanceUrl}/services/data`)).ok).toBe(true);
    expect(fs.existsSync(path.join(dir, 'org', 'org.json'))).toBe(true);
    expect(
      await count(
        org.instanceUrl,
        org.users.admin.accessToken,
        "SELECT Id FROM CX_Perception__c WHERE Source__c = 'Import'"
      )
    ).toBe(60);
  } finally {
    await org.close();
  }
});
