/**
 * Smoke tests with the Salesforce CLI itself (a dev dependency), its home in
 * a temporary folder: log in with an access token, import the sample data
 * plan as a tree, and query it back.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startLocalOrg, type LocalOrg } from './org';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../..');
const SF = join(ROOT, 'node_modules/.bin/sf');

describe('the Salesforce CLI against the local org', () => {
  let home: string;
  let org: LocalOrg;
  let env: NodeJS.ProcessEnv;

  const sf = async (args: string[]): Promise<{ status: number; result: unknown }> => {
    try {
      const { stdout } = await run(SF, [...args, '--json'], {
        env,
        cwd: ROOT,
        maxBuffer: 32 * 1024 * 1024
      });
      return JSON.parse(stdout) as { status: number; result: unknown };
    } catch (err) {
      const stdout = (err as { stdout?: string }).stdout;
      throw new Error(`sf ${args.join(' ')} failed: ${stdout ?? String(err)}`);
    }
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'sf-home-'));
    org = await startLocalOrg({ dir: join(home, 'org') });
    env = {
      ...process.env,
      HOME: home,
      SF_ACCESS_TOKEN: org.users.admin.accessToken,
      SF_DISABLE_TELEMETRY: 'true',
      SF_AUTOUPDATE_DISABLE: 'true',
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_DNS_CHECK: 'true',
      SF_SKIP_NEW_VERSION_CHECK: 'true'
    };
  });
  afterAll(async () => {
    await org.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('logs in, imports the sample data tree and queries it', async () => {
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
    expect(login.result).toMatchObject({
      username: 'admin@outside-in.local',
      orgId: org.orgId,
      isDevHub: false
    });

    const imported = (
      await sf(['data', 'import', 'tree', '-o', 'local', '--plan', 'data/sample-data-plan.json'])
    ).result as {
      refId: string;
      type: string;
      id: string;
    }[];
    expect(imported.length).toBeGreaterThan(10);
    const perception = imported.find((r) => r.type === 'CX_Perception__c')!;
    expect(perception.id).toMatch(
      new RegExp(`^${org.core.schema.get('CX_Perception__c')!.keyPrefix}`)
    );

    const query = (
      await sf([
        'data',
        'query',
        '-o',
        'local',
        '-q',
        `SELECT Response_Id__c, Account__r.Name FROM CX_Perception__c WHERE Id = '${perception.id}'`
      ])
    ).result as { totalSize: number; records: { Account__r: { Name: string } }[] };
    expect(query.totalSize).toBe(1);
    expect(typeof query.records[0]!.Account__r.Name).toBe('string');

    const org1 = (
      await sf(['data', 'query', '-o', 'local', '-q', 'SELECT TimeZoneSidKey FROM Organization'])
    ).result as {
      records: { TimeZoneSidKey: string }[];
    };
    expect(org1.records[0]!.TimeZoneSidKey).toBe('Europe/Amsterdam');
  }, 120000);
});
