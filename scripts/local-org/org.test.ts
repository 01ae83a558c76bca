import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { readLocalOrgState, startLocalOrg } from './org';
import { fixtureSchema } from './testing/fixtureSchema';

describe('starting a local org', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-org-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data, users and tokens across a restart and writes the state file', async () => {
    const first = await startLocalOrg({ dir, schema: fixtureSchema() });
    const conn = new Connection({
      instanceUrl: first.instanceUrl,
      accessToken: first.users.sync.accessToken,
      version: '62.0'
    });
    const { id } = (await conn.sobject('Account').create({ Name: 'Survivor' })) as { id: string };
    const state = readLocalOrgState(dir)!;
    expect(state.instanceUrl).toBe(first.instanceUrl);
    expect(state.users.sync).toEqual({
      username: 'sync@outside-in.local',
      userId: first.users.sync.userId,
      accessToken: first.users.sync.accessToken
    });
    expect(state.users.rep.accessToken).toMatch(/^00D\w{12,15}![.\w]*$/);
    await first.close();
    expect(readLocalOrgState(dir)).toBeUndefined();

    const second = await startLocalOrg({ dir, schema: fixtureSchema() });
    expect(second.users.sync.accessToken).toBe(first.users.sync.accessToken);
    expect(second.orgId).toBe(first.orgId);
    const again = new Connection({
      instanceUrl: second.instanceUrl,
      accessToken: second.users.sync.accessToken,
      version: '62.0'
    });
    const rec = (await again.sobject('Account').retrieve(id)) as { Name: string };
    expect(rec.Name).toBe('Survivor');
    await second.close();
  });

  it('recomputes stored formula values when a formula changed between runs', async () => {
    const first = await startLocalOrg({ dir, schema: fixtureSchema() });
    const admin = first.core.context('admin');
    const account = first.core.records.create(admin, 'Account', { Name: 'F' });
    const id = first.core.records.create(admin, 'CX_Perception__c', {
      Account__c: account,
      Occurred_At__c: '2026-11-01T00:00:00Z',
      Source__c: 'Import',
      Response_Id__c: 'F-1',
      Perception__c: 60,
      Expectation__c: 50
    });
    await first.close();
    const changed = fixtureSchema();
    const gap = changed.objects.get('CX_Perception__c')!.fields.find((f) => f.name === 'Gap__c')!;
    gap.formula = 'Expectation__c - Perception__c';
    const second = await startLocalOrg({ dir, schema: changed });
    const rec = second.core.records.retrieve(
      second.core.context('admin'),
      'CX_Perception__c',
      id,
      ['Gap__c'],
      '62.0'
    );
    expect(rec.Gap__c).toBe(-10);
    await second.close();
  });

  it('says so when the port is taken', async () => {
    const first = await startLocalOrg({ memory: true, schema: fixtureSchema() });
    const port = Number(new URL(first.instanceUrl).port);
    await expect(startLocalOrg({ memory: true, schema: fixtureSchema(), port })).rejects.toThrow(
      `Port ${port} on 127.0.0.1 is in use`
    );
    await first.close();
  });

  it('names the file when the state file is broken', () => {
    expect(readLocalOrgState(join(dir, 'none'))).toBeUndefined();
    writeFileSync(join(dir, 'org.json'), '{"instanceUrl": 1}');
    expect(() => readLocalOrgState(dir)).toThrow(/org\.json: not a local org state file/);
  });

  it('runs `outside-in org start` with the project schema until stopped', async () => {
    const bin = resolve(__dirname, '../bin/outside-in.js');
    const child = spawn(process.execPath, [bin, 'org', 'start', '--dir', dir, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe']
    });
    let out = '';
    const started = await new Promise<{
      instanceUrl: string;
      users: Record<string, { accessToken: string }>;
    }>((resolveStart, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        try {
          resolveStart(JSON.parse(out));
        } catch {
          // Not all of the JSON has arrived yet.
        }
      });
      child.stderr.on('data', (chunk: Buffer) => reject(new Error(chunk.toString())));
      child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
    });
    try {
      const conn = new Connection({
        instanceUrl: started.instanceUrl,
        accessToken: started.users.manager!.accessToken,
        version: '62.0'
      });
      // The --json shape other tools read.
      expect(Object.keys(started).sort()).toEqual(['instanceUrl', 'orgId', 'stateFile', 'users']);
      expect(Object.keys(started.users).sort()).toEqual(['admin', 'manager', 'rep', 'sync']);
      expect(Object.keys(started.users.rep!).sort()).toEqual(['accessToken', 'userId', 'username']);
      const dims = await conn.query<{ DeveloperName: string }>(
        'SELECT DeveloperName FROM CX_Dimension__mdt'
      );
      expect(dims.records.map((r) => r.DeveloperName)).toContain('Reliability');
      expect(readLocalOrgState(dir)?.instanceUrl).toBe(started.instanceUrl);
      await expect(startLocalOrg({ dir, schema: fixtureSchema() })).rejects.toThrow(
        /already runs from/
      );
    } finally {
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 30000);
});
