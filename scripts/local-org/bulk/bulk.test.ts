import type { Connection } from '@jsforce/jsforce-node';
import { parse } from 'csv-parse/sync';
import { startFixtureOrg, type HttpFixture } from '../testing/httpFixture';
import type { Persona } from '../core';

const V = '/services/data/v62.0';

describe('Bulk API 2.0 on the local org', () => {
  let fx: HttpFixture;
  let admin: Connection;
  let journeyId: string;

  const call = async (
    persona: Persona,
    method: string,
    path: string,
    body?: string | object,
    contentType = 'application/json'
  ) => {
    const res = await fetch(`${fx.org.instanceUrl}${V}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${fx.org.users[persona].accessToken}`,
        ...(body !== undefined ? { 'Content-Type': contentType } : {})
      },
      ...(body !== undefined
        ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
        : {})
    });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      headers: res.headers,
      text,
      json: type.startsWith('application/json') ? (JSON.parse(text) as unknown) : undefined
    };
  };

  /** Creates, uploads, closes and waits for an ingest job; returns its final info. */
  const ingest = async (
    persona: Persona,
    job: Record<string, unknown>,
    csv: string
  ): Promise<Record<string, unknown>> => {
    const created = await call(persona, 'POST', '/jobs/ingest', job);
    expect(created.status).toBe(200);
    const id = (created.json as { id: string }).id;
    expect((await call(persona, 'PUT', `/jobs/ingest/${id}/batches`, csv, 'text/csv')).status).toBe(
      201
    );
    const closed = await call(persona, 'PATCH', `/jobs/ingest/${id}`, { state: 'UploadComplete' });
    expect((closed.json as { state: string }).state).toBe('UploadComplete');
    for (;;) {
      const info = (await call(persona, 'GET', `/jobs/ingest/${id}`)).json as Record<
        string,
        unknown
      >;
      if (!['UploadComplete', 'InProgress'].includes(String(info.state))) return info;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  beforeAll(async () => {
    fx = await startFixtureOrg();
    admin = fx.conn('admin');
    const res = (await admin
      .sobject('CX_Journey__c')
      .create({ Name: 'Onboarding', Key__c: 'ONB' })) as { id: string };
    journeyId = res.id;
  });
  afterAll(() => fx.org.close());

  it('upserts through jsforce with a relationship column and reports per-row results', async () => {
    const records = [
      { Key__c: 'T-1', Name: 'Welcome call', Stage__c: 'Onboarding', 'Journey__r.Key__c': 'ONB' },
      { Key__c: 'T-2', Name: 'Portal', Stage__c: 'Onboarding', Channels__c: 'Web;Email' },
      { Key__c: 'T-3', Name: 'Bad stage', Stage__c: 'Nowhere' }
    ];
    const first = await admin.bulk2.loadAndWaitForResults({
      object: 'CX_Touchpoint__c',
      operation: 'upsert',
      externalIdFieldName: 'Key__c',
      input: records,
      pollInterval: 50,
      pollTimeout: 20000
    });
    expect(
      first.successfulResults.map((r) => [(r as Record<string, unknown>).Key__c, r.sf__Created])
    ).toEqual([
      ['T-1', 'true'],
      ['T-2', 'true']
    ]);
    expect(first.failedResults).toHaveLength(1);
    expect(first.failedResults[0]!.sf__Id).toBe('');
    expect(first.failedResults[0]!.sf__Error).toBe(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST:Stage: bad value for restricted picklist field: Nowhere:Stage__c --'
    );
    const t1 = (
      await admin.query<{ Journey__c: string }>(
        "SELECT Journey__c FROM CX_Touchpoint__c WHERE Key__c = 'T-1'"
      )
    ).records[0]!;
    expect(t1.Journey__c).toBe(journeyId);

    const again = await admin.bulk2.loadAndWaitForResults({
      object: 'CX_Touchpoint__c',
      operation: 'upsert',
      externalIdFieldName: 'Key__c',
      input: [{ Key__c: 'T-1', Name: 'Welcome call (renamed)' }],
      pollInterval: 50,
      pollTimeout: 20000
    });
    expect(again.successfulResults[0]!.sf__Created).toBe('false');
    expect(again.successfulResults[0]!.sf__Id).toBe(first.successfulResults[0]!.sf__Id);
  });

  it('serves result files in the org format with true counters', async () => {
    const csv =
      'Name,Key__c,Stage__c,Stage_Order__c\nA,K-A,Awareness,1\n,K-B,Awareness,2\nC,K-C,Awareness,abc\n';
    const info = await ingest('admin', { object: 'CX_Touchpoint__c', operation: 'insert' }, csv);
    expect(info).toMatchObject({
      state: 'JobComplete',
      jobType: 'V2Ingest',
      operation: 'insert',
      numberRecordsProcessed: 3,
      numberRecordsFailed: 2,
      apiVersion: 62,
      lineEnding: 'LF',
      columnDelimiter: 'COMMA'
    });
    const id = String(info.id);
    const ok = await call('admin', 'GET', `/jobs/ingest/${id}/successfulResults`);
    expect(ok.headers.get('content-type')).toMatch(/^text\/csv/);
    const okLines = ok.text.trimEnd().split('\n');
    expect(okLines[0]).toBe('"sf__Id","sf__Created",Name,Key__c,Stage__c,Stage_Order__c');
    expect(okLines[1]).toMatch(/^"a[0-9A-Za-z]{17}","true","A","K-A","Awareness","1"$/);
    const failed = await call('admin', 'GET', `/jobs/ingest/${id}/failedResults`);
    const failedLines = failed.text.trimEnd().split('\n');
    expect(failedLines[0]).toBe('"sf__Id","sf__Error",Name,Key__c,Stage__c,Stage_Order__c');
    expect(failedLines).toContain(
      '"","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --","","K-B","Awareness","2"'
    );
    expect(failedLines.some((l) => l.includes('INVALID_TYPE_ON_FIELD_IN_RECORD'))).toBe(true);
    const unprocessed = await call('admin', 'GET', `/jobs/ingest/${id}/unprocessedrecords`);
    expect(unprocessed.text.trimEnd()).toBe('Name,Key__c,Stage__c,Stage_Order__c');
    expect((await call('admin', 'DELETE', `/jobs/ingest/${id}`)).status).toBe(204);
    expect((await call('admin', 'GET', `/jobs/ingest/${id}`)).status).toBe(404);
  });

  it('leaves empty values alone on update and nulls #N/A', async () => {
    const created = (await admin.sobject('CX_Touchpoint__c').create({
      Name: 'Store visit',
      Key__c: 'K-STORE',
      Stage__c: 'Purchase',
      Description__c: 'keep me',
      Brand_Promise__c: 70
    })) as { id: string };
    const other = (await admin
      .sobject('CX_Journey__c')
      .create({ Name: 'Purchase', Key__c: 'BUY' })) as { id: string };
    const csv = `Id,Name,Description__c,Brand_Promise__c,Journey__r.Id\n${created.id},Store visit 2,,#N/A,${other.id}\n`;
    const info = await ingest('admin', { object: 'CX_Touchpoint__c', operation: 'update' }, csv);
    expect(info.numberRecordsFailed).toBe(0);
    const rec = (await admin.sobject('CX_Touchpoint__c').retrieve(created.id)) as Record<
      string,
      unknown
    >;
    expect(rec.Name).toBe('Store visit 2');
    expect(rec.Description__c).toBe('keep me');
    expect(rec.Brand_Promise__c).toBeNull();
    expect(rec.Journey__c).toBe(other.id);
  });

  it('reads other delimiters and CRLF line endings', async () => {
    const csv = 'Name;Key__c;Stage__c\r\n"Semi; colon";K-SEMI;Service\r\n';
    const info = await ingest(
      'admin',
      {
        object: 'CX_Touchpoint__c',
        operation: 'insert',
        columnDelimiter: 'SEMICOLON',
        lineEnding: 'CRLF'
      },
      csv
    );
    expect(info.numberRecordsFailed).toBe(0);
    const ok = await call('admin', 'GET', `/jobs/ingest/${String(info.id)}/successfulResults`);
    expect(ok.text.split('\r\n')[0]).toBe('"sf__Id";"sf__Created";Name;Key__c;Stage__c');
    const found = await admin.query("SELECT Name FROM CX_Touchpoint__c WHERE Key__c = 'K-SEMI'");
    expect(found.records[0]!.Name).toBe('Semi; colon');
  });

  it('fails the job on an unknown or invisible column', async () => {
    const info = await ingest(
      'admin',
      { object: 'CX_Touchpoint__c', operation: 'insert' },
      'Name,Key__c,Nope__c\nx,K-X,1\n'
    );
    expect(info.state).toBe('Failed');
    expect(info.errorMessage).toBe('InvalidBatch : Field name not found : Nope__c');
    // The rep cannot see the brand promise: to them the column does not exist.
    const rep = await ingest(
      'rep',
      { object: 'CX_Touchpoint__c', operation: 'insert' },
      'Name,Key__c,Stage__c,Brand_Promise__c\nx,K-Y,Service,50\n'
    );
    expect(rep.state).toBe('Failed');
    expect(rep.errorMessage).toBe('InvalidBatch : Field name not found : Brand_Promise__c');
  });

  it('names the line of malformed CSV and the row of a short one', async () => {
    const broken = await ingest(
      'admin',
      { object: 'CX_Journey__c', operation: 'insert' },
      'Name,Key__c\nGood,G-1\n"Unclosed,G-2\n'
    );
    expect(broken.state).toBe('Failed');
    expect(String(broken.errorMessage)).toMatch(/^InvalidBatch : .*line 3/);
    const short = await ingest(
      'admin',
      { object: 'CX_Journey__c', operation: 'insert' },
      'Name,Key__c\nGood,G-3\nOnly a name\n'
    );
    expect(short).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 1 });
    const failed = await call('admin', 'GET', `/jobs/ingest/${String(short.id)}/failedResults`);
    expect(failed.text).toContain(
      '"INVALID_FIELD:Data row 2 has 1 values but the header names 2 columns:--","Only a name"'
    );
  });

  it('applies object permissions per row', async () => {
    const info = await ingest(
      'rep',
      { object: 'CX_Journey__c', operation: 'insert' },
      'Name,Key__c\nRep journey,REP-J\n'
    );
    expect(info).toMatchObject({
      state: 'JobComplete',
      numberRecordsProcessed: 1,
      numberRecordsFailed: 1
    });
    const failed = await call('rep', 'GET', `/jobs/ingest/${String(info.id)}/failedResults`);
    expect(failed.text).toContain('INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('needs the Bulk API Hard Delete permission for hardDelete', async () => {
    const refused = await call('rep', 'POST', '/jobs/ingest', {
      object: 'CX_Perception__c',
      operation: 'hardDelete'
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual([
      {
        errorCode: 'FEATURENOTENABLED',
        message:
          'hardDelete operation requires special user profile permission, please contact your system administrator'
      }
    ]);
    const acct = (await admin.sobject('Account').create({ Name: 'Gone Inc' })) as { id: string };
    const p = (await admin.sobject('CX_Perception__c').create({
      Account__c: acct.id,
      Occurred_At__c: '2026-11-01T10:00:00Z',
      Source__c: 'Import',
      Response_Id__c: 'HD-1'
    })) as { id: string };
    const info = await ingest(
      'sync',
      { object: 'CX_Perception__c', operation: 'hardDelete' },
      `Id\n${p.id}\n`
    );
    expect(info).toMatchObject({ state: 'JobComplete', numberRecordsFailed: 0 });
    const all = await admin.query(`SELECT Id FROM CX_Perception__c WHERE Id = '${p.id}'`, {
      scanAll: true
    });
    expect(all.totalSize).toBe(0);
  });

  it('fails a fraction of rows with UNABLE_TO_LOCK_ROW when the fault asks', async () => {
    // Rows of other objects are left alone.
    fx.org.faults.add({
      kind: 'UNABLE_TO_LOCK_ROW',
      rate: 1,
      count: 1000,
      object: 'CX_Journey__c'
    });
    fx.org.faults.add({
      kind: 'UNABLE_TO_LOCK_ROW',
      rate: 0.3,
      seed: 7,
      count: 1000,
      object: 'CX_Touchpoint__c'
    });
    const before = fx.org.faults.injected.UNABLE_TO_LOCK_ROW;
    const rows = Array.from({ length: 200 }, (_, i) => `Lock ${i},LOCK-${i},Service`);
    const info = await ingest(
      'admin',
      { object: 'CX_Touchpoint__c', operation: 'upsert', externalIdFieldName: 'Key__c' },
      `Name,Key__c,Stage__c\n${rows.join('\n')}\n`
    );
    fx.org.faults.clear();
    const injected = fx.org.faults.injected.UNABLE_TO_LOCK_ROW - before;
    expect(injected).toBeGreaterThan(20);
    expect(injected).toBeLessThan(120);
    expect(info.numberRecordsProcessed).toBe(200);
    expect(info.numberRecordsFailed).toBe(injected);
    const failed = await call('admin', 'GET', `/jobs/ingest/${String(info.id)}/failedResults`);
    const parsed = parse(failed.text, { columns: true }) as Record<string, string>[];
    expect(parsed).toHaveLength(injected);
    expect(parsed[0]!.sf__Error).toBe(
      'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--'
    );
  });

  it('refuses results of an unfinished job and uploads to a closed one', async () => {
    const created = await call('admin', 'POST', '/jobs/ingest', {
      object: 'CX_Journey__c',
      operation: 'insert'
    });
    const id = (created.json as { id: string; state: string }).id;
    expect((created.json as { state: string }).state).toBe('Open');
    expect((await call('admin', 'GET', `/jobs/ingest/${id}/successfulResults`)).status).toBe(412);
    const aborted = await call('admin', 'PATCH', `/jobs/ingest/${id}`, { state: 'Aborted' });
    expect((aborted.json as { state: string }).state).toBe('Aborted');
    const put = await call('admin', 'PUT', `/jobs/ingest/${id}/batches`, 'Name\nx\n', 'text/csv');
    expect(put.status).toBe(409);
    const listed = (await call('admin', 'GET', '/jobs/ingest')).json as {
      done: boolean;
      records: { id: string }[];
    };
    expect(listed.done).toBe(true);
    expect(listed.records.map((r) => r.id)).toContain(id);
    expect((await call('rep', 'GET', `/jobs/ingest/${id}`)).status).toBe(404);
  });

  it('runs query jobs through jsforce and pages results with Sforce-Locator', async () => {
    const stream = await admin.bulk2.query(
      "SELECT Id, Name, Journey__r.Name, Stage_Order__c FROM CX_Touchpoint__c WHERE Key__c LIKE 'LOCK-%' ORDER BY Key__c"
    );
    const rows: Record<string, string>[] = [];
    for await (const rec of stream as AsyncIterable<Record<string, string>>) rows.push(rec);
    const expected = await admin.query(
      "SELECT COUNT() FROM CX_Touchpoint__c WHERE Key__c LIKE 'LOCK-%'"
    );
    expect(rows).toHaveLength(expected.totalSize);
    expect(Object.keys(rows[0]!)).toEqual(['Id', 'Name', 'Journey__r.Name', 'Stage_Order__c']);

    const job = await call('admin', 'POST', '/jobs/query', {
      operation: 'query',
      query:
        "SELECT Name, Journey__r.Key__c FROM CX_Touchpoint__c WHERE Key__c IN ('T-1','T-2') ORDER BY Key__c"
    });
    const id = (job.json as { id: string; state: string }).id;
    expect((job.json as { state: string }).state).toBe('UploadComplete');
    let info: Record<string, unknown>;
    do {
      info = (await call('admin', 'GET', `/jobs/query/${id}`)).json as Record<string, unknown>;
    } while (info.state !== 'JobComplete');
    expect(info).toMatchObject({
      jobType: 'V2Query',
      numberRecordsProcessed: 2,
      object: 'CX_Touchpoint__c'
    });
    const page1 = await call('admin', 'GET', `/jobs/query/${id}/results?maxRecords=1`);
    expect(page1.text).toBe('"Name","Journey__r.Key__c"\n"Welcome call (renamed)","ONB"\n');
    expect(page1.headers.get('sforce-numberofrecords')).toBe('1');
    const locator = page1.headers.get('sforce-locator')!;
    expect(locator).not.toBe('null');
    const page2 = await call(
      'admin',
      'GET',
      `/jobs/query/${id}/results?maxRecords=1&locator=${locator}`
    );
    expect(page2.text).toBe('"Name","Journey__r.Key__c"\n"Portal",""\n');
    expect(page2.headers.get('sforce-locator')).toBe('null');
  });

  it('answers query job errors in the org shape', async () => {
    const bad = await call('admin', 'POST', '/jobs/query', {
      operation: 'query',
      query: 'SELECT Nope__c FROM CX_Touchpoint__c'
    });
    expect(bad.status).toBe(400);
    expect((bad.json as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_FIELD');
    // The rep may not see the brand promise, in bulk as on REST.
    const hidden = await call('rep', 'POST', '/jobs/query', {
      operation: 'query',
      query: 'SELECT Brand_Promise__c FROM CX_Touchpoint__c'
    });
    expect(hidden.status).toBe(400);
  });
});
