/**
 * Smoke tests with the real Salesforce CLI against a local org: login with
 * an access token, import tree with the sample data plan, query, Bulk API
 * 2.0 upsert and export. The CLI starts slowly, so these stay few.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startLocalOrg, type LocalOrg } from './org';

const ROOT = join(__dirname, '..', '..');
const SF = join(ROOT, 'node_modules', '.bin', 'sf');

jest.setTimeout(180_000);

interface SfResult {
  code: number;
  json: { status: number; result?: any; message?: string; name?: string }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Records in the sample data files, nested children included. */
function countRecords(file: string): number {
  const walk = (records: Record<string, unknown>[]): number =>
    records.reduce((n, r) => {
      let children = 0;
      for (const v of Object.values(r)) {
        if (v && typeof v === 'object' && Array.isArray((v as { records?: unknown }).records)) {
          children += walk((v as { records: Record<string, unknown>[] }).records);
        }
      }
      return n + 1 + children;
    }, 0);
  const data = JSON.parse(readFileSync(join(ROOT, 'data', file), 'utf8')) as {
    records: Record<string, unknown>[];
  };
  return walk(data.records);
}

describe('the Salesforce CLI against the local org', () => {
  let org: LocalOrg;
  let home: string;

  const sf = (args: string[]): Promise<SfResult> =>
    new Promise((resolve, reject) => {
      execFile(
        SF,
        [...args, '--json'],
        {
          cwd: ROOT,
          timeout: 120_000,
          maxBuffer: 64 * 1024 * 1024,
          env: {
            ...process.env,
            HOME: home,
            SF_ACCESS_TOKEN: org.users.admin.accessToken,
            SF_DISABLE_TELEMETRY: 'true',
            SF_AUTOUPDATE_DISABLE: 'true',
            SF_DISABLE_DNS_CHECK: 'true',
            SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
            SF_SKIP_NEW_VERSION_CHECK: 'true'
          }
        },
        (err, stdout) => {
          const start = stdout.indexOf('{');
          if (start < 0) {
            reject(err ?? new Error(`sf ${args[0] ?? ''} printed no JSON: ${stdout}`));
            return;
          }
          const code = err && typeof err.code === 'number' ? err.code : 0;
          resolve({ code, json: JSON.parse(stdout.slice(start)) as SfResult['json'] });
        }
      );
    });

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'outside-in-sf-'));
    org = await startLocalOrg({ memory: true });
    const login = await sf([
      'org',
      'login',
      'access-token',
      '--instance-url',
      org.instanceUrl,
      '--no-prompt',
      '--alias',
      'local'
    ]);
    expect(login.json.status).toBe(0);
    expect(login.json.result.orgId).toBe(org.orgId);
    expect(login.json.result.username).toBe(org.users.admin.username);
  });
  afterAll(async () => {
    await org.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('imports the sample data plan and queries it back', async () => {
    const plan = JSON.parse(readFileSync(join(ROOT, 'data', 'sample-data-plan.json'), 'utf8')) as {
      sobject: string;
      files: string[];
    }[];
    const expected = plan.flatMap((p) => p.files).reduce((n, f) => n + countRecords(f), 0);
    const imported = await sf([
      'data',
      'import',
      'tree',
      '--plan',
      'data/sample-data-plan.json',
      '--target-org',
      'local'
    ]);
    expect(imported.json.status).toBe(0);
    expect(imported.json.result).toHaveLength(expected);

    const perceptions = countRecords('CX_Perception__c.json');
    const count = await sf([
      'data',
      'query',
      '--query',
      'SELECT COUNT() FROM CX_Perception__c',
      '--target-org',
      'local'
    ]);
    expect(count.json.result.totalSize).toBe(perceptions);

    const touchpoints = await sf([
      'data',
      'query',
      '--query',
      'SELECT Name, Journey__r.Key__c FROM CX_Touchpoint__c ORDER BY Name LIMIT 2',
      '--target-org',
      'local'
    ]);
    const records = touchpoints.json.result.records as {
      Name: string;
      Journey__r: { Key__c: string } | null;
    }[];
    expect(records).toHaveLength(2);
    expect(records[0]!.Name <= records[1]!.Name).toBe(true);
    expect(typeof records[0]!.Journey__r?.Key__c).toBe('string');
  });

  it('upserts a CSV with Bulk API 2.0 and exports it again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'outside-in-bulk-'));
    try {
      const csv = join(dir, 'journeys.csv');
      writeFileSync(
        csv,
        'Key__c,Name,Start_Point__c\nJ-CLI-1,Support journey,First call\nJ-CLI-2,Renewal journey,Quote\n'
      );
      const upsert = (file: string) =>
        sf([
          'data',
          'upsert',
          'bulk',
          '--sobject',
          'CX_Journey__c',
          '--file',
          file,
          '--external-id',
          'Key__c',
          '--wait',
          '5',
          '--target-org',
          'local'
        ]);
      const first = await upsert(csv);
      expect(first.code).toBe(0);
      const created = first.json.result.records.successfulResults as {
        sf__Created: string;
        Key__c: string;
      }[];
      expect(created.map((r) => [r.Key__c, r.sf__Created])).toEqual([
        ['J-CLI-1', 'true'],
        ['J-CLI-2', 'true']
      ]);
      expect(first.json.result.jobInfo.numberRecordsProcessed).toBe(2);

      // An update, and a row without its external Id: the CLI exits 1 and lists the failure.
      const second = join(dir, 'second.csv');
      writeFileSync(second, 'Key__c,Name\nJ-CLI-1,Support journey (renamed)\n,No key\n');
      const again = await upsert(second);
      expect(again.code).toBe(1);

      const out = join(dir, 'export.csv');
      const exported = await sf([
        'data',
        'export',
        'bulk',
        '--query',
        "SELECT Key__c, Name, Start_Point__c FROM CX_Journey__c WHERE Key__c LIKE 'J-CLI-%' ORDER BY Key__c",
        '--output-file',
        out,
        '--wait',
        '5',
        '--target-org',
        'local'
      ]);
      expect(exported.json.status).toBe(0);
      expect(exported.json.result.totalSize).toBe(2);
      const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rows).toEqual([
        { Key__c: 'J-CLI-1', Name: 'Support journey (renamed)', Start_Point__c: 'First call' },
        { Key__c: 'J-CLI-2', Name: 'Renewal journey', Start_Point__c: 'Quote' }
      ]);

      // And a bulk delete of one of them by Id.
      const ids = await sf([
        'data',
        'query',
        '--query',
        "SELECT Id FROM CX_Journey__c WHERE Key__c = 'J-CLI-2'",
        '--target-org',
        'local'
      ]);
      const gone = join(dir, 'delete.csv');
      writeFileSync(gone, `Id\n${String(ids.json.result.records[0].Id)}\n`);
      const deleted = await sf([
        'data',
        'delete',
        'bulk',
        '--sobject',
        'CX_Journey__c',
        '--file',
        gone,
        '--wait',
        '5',
        '--target-org',
        'local'
      ]);
      expect(deleted.code).toBe(0);
      const left = org.core.query(
        org.core.context('admin'),
        "SELECT Key__c FROM CX_Journey__c WHERE Key__c LIKE 'J-CLI-%'"
      );
      expect(left.records.map((r) => r.Key__c)).toEqual(['J-CLI-1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
