/**
 * Ingest jobs live in the org's database: a finished job's results, and an
 * unfinished job's progress, survive a restart of the local org.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { startLocalOrg, type LocalOrg } from '../org';
import { fixtureSchema } from '../testing/fixtureSchema';

const V = '/services/data/v62.0';

// 30k rows take seconds on a busy machine.
jest.setTimeout(120_000);

describe('Bulk API 2.0 jobs across a restart of the local org', () => {
  let dir: string;
  let org: LocalOrg | undefined;

  const start = async () => {
    org = await startLocalOrg({ dir, schema: fixtureSchema() });
    return org;
  };
  const call = async (o: LocalOrg, method: string, path: string, body?: string | object) => {
    const res = await fetch(`${o.instanceUrl}${V}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${o.users.admin.accessToken}`,
        'Content-Type': typeof body === 'string' ? 'text/csv' : 'application/json'
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {})
    });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outside-in-bulk-restart-'));
  });
  afterEach(async () => {
    await org?.close();
    org = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps a finished job and its result files', async () => {
    const first = await start();
    const conn = new Connection({
      instanceUrl: first.instanceUrl,
      accessToken: first.users.admin.accessToken,
      version: '62.0'
    });
    const job = conn.bulk2.createJob({
      object: 'CX_Journey__c',
      operation: 'insert'
    });
    await job.open();
    await job.uploadData('Name,Key__c\nOnboarding,ONB\n"Line\nbreak",LB\nNo key,\n');
    await job.close();
    await job.poll(20, 10000);
    const before = await call(first, 'GET', `/jobs/ingest/${job.id}/failedResults`);
    await first.close();

    const second = await start();
    const info = (await call(second, 'GET', `/jobs/ingest/${job.id}`)).json();
    expect(info).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 3,
      numberRecordsFailed: 1
    });
    const ok = await call(second, 'GET', `/jobs/ingest/${job.id}/successfulResults`);
    expect(ok.text.split('\n').slice(0, 1)).toEqual(['"sf__Id","sf__Created",Name,Key__c']);
    expect(ok.text).toContain('"Line\nbreak","LB"');
    expect((await call(second, 'GET', `/jobs/ingest/${job.id}/failedResults`)).text).toBe(
      before.text
    );
    // Finished jobs are gone a week after their last change.
    const old = new Date(Date.now() - 8 * 24 * 3600_000).toISOString().replace('Z', '+0000');
    const row = second.core.storage.all('SELECT info FROM __bulk_jobs WHERE id = ?', [job.id!])[0]!;
    const aged = { ...(JSON.parse(String(row.info)) as object), systemModstamp: old };
    second.core.storage.db
      .prepare('UPDATE __bulk_jobs SET info = ? WHERE id = ?')
      .run(JSON.stringify(aged), job.id);
    await second.close();
    const third = await start();
    expect((await call(third, 'GET', `/jobs/ingest/${job.id}`)).status).toBe(404);
    expect(
      third.core.storage.all('SELECT job_id FROM __bulk_parts WHERE job_id = ?', [job.id!])
    ).toEqual([]);

    // New jobs get new Ids.
    const next = (
      await call(third, 'POST', '/jobs/ingest', {
        object: 'CX_Journey__c',
        operation: 'insert'
      })
    ).json();
    expect(next.id).not.toBe(job.id);
  });

  it('carries on with an unfinished job after its last committed chunk', async () => {
    const rows = 30_000;
    const first = await start();
    const created = (
      await call(first, 'POST', '/jobs/ingest', {
        object: 'CX_Journey__c',
        operation: 'insert'
      })
    ).json();
    const id = String(created.id);
    const csv = ['Name,Key__c', ...Array.from({ length: rows }, (_, i) => `J ${i},K-${i}`)];
    expect(
      (await call(first, 'PUT', `/jobs/ingest/${id}/batches`, `${csv.join('\n')}\n`)).status
    ).toBe(201);
    await call(first, 'PATCH', `/jobs/ingest/${id}`, { state: 'UploadComplete' });
    let info: Record<string, unknown>;
    do {
      info = (await call(first, 'GET', `/jobs/ingest/${id}`)).json();
      if (info.state === 'JobComplete') throw new Error('The job finished before the restart');
    } while (info.state !== 'InProgress' || Number(info.numberRecordsProcessed) === 0);
    expect(info.state).toBe('InProgress');
    await first.close();

    const second = await start();
    do {
      await new Promise((r) => setTimeout(r, 50));
      info = (await call(second, 'GET', `/jobs/ingest/${id}`)).json();
    } while (info.state !== 'JobComplete' && info.state !== 'Failed');
    expect(info).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: rows,
      numberRecordsFailed: 0
    });
    const count = second.core.query(
      second.core.context('admin'),
      'SELECT COUNT() FROM CX_Journey__c'
    );
    expect(count.totalSize).toBe(rows);
    const ok = await call(second, 'GET', `/jobs/ingest/${id}/successfulResults`);
    expect(ok.text.trimEnd().split('\n')).toHaveLength(rows + 1);
  });
});
