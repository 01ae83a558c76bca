import type { Connection } from '@jsforce/jsforce-node';
import { startFixtureOrg, type HttpFixture } from './testing/httpFixture';

interface ErrorLike {
  name: string;
  errorCode?: string;
  message: string;
  data?: unknown;
}

async function failure(p: PromiseLike<unknown>): Promise<ErrorLike> {
  try {
    await p;
  } catch (err) {
    return err as ErrorLike;
  }
  throw new Error('expected the request to fail');
}

describe('local org over HTTP with jsforce', () => {
  let fx: HttpFixture;
  let admin: Connection;
  let acme: string;

  beforeAll(async () => {
    // A route that fails unexpectedly, to see what a client gets then.
    fx = await startFixtureOrg(undefined, [
      (router) =>
        router.get('/services/data/:version/boom', () => {
          throw new Error('internal detail /work/secret.ts:12');
        })
    ]);
    admin = fx.conn('admin');
    const rep = fx.org.users.rep.userId;
    const res = await admin.sobject('Account').create({ Name: 'Acme', OwnerId: rep });
    acme = (res as { id: string }).id;
    await admin.sobject('Account').create({ Name: 'Globex' });
  });
  afterAll(async () => {
    await fx.org.close();
    expect(fx.errors).toEqual([]);
  });

  it('lists versions without a token and resources with one', async () => {
    const res = await fetch(`${fx.org.instanceUrl}/services/data`);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const versions = (await res.json()) as { version: string }[];
    expect(versions.map((v) => v.version)).toContain('62.0');
    expect(versions.every((v) => /^\d\d\.0$/.test(v.version))).toBe(true);
    const identity = await admin.identity();
    expect(identity.user_id).toBe(fx.org.users.admin.userId);
    expect(identity.organization_id).toBe(fx.org.orgId);
  });

  it('answers 401 INVALID_SESSION_ID for a missing or unknown token', async () => {
    const res = await fetch(`${fx.org.instanceUrl}/services/data/v62.0/sobjects`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual([
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }
    ]);
    const bad = await fetch(`${fx.org.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: 'Bearer 00D000000000001AAA!nope' }
    });
    expect(bad.status).toBe(401);
  });

  it('does CRUD with the REST shapes', async () => {
    const created = (await admin
      .sobject('CX_Journey__c')
      .create({ Name: 'Onboarding', Key__c: 'ONB' })) as {
      id: string;
      success: boolean;
    };
    expect(created.success).toBe(true);
    expect(created.id).toMatch(/^a[0-9A-Za-z]{17}$/);
    const rec = (await admin.sobject('CX_Journey__c').retrieve(created.id)) as Record<
      string,
      unknown
    >;
    expect(rec.Name).toBe('Onboarding');
    expect(rec.Active__c).toBe(true);
    expect((rec.attributes as { url: string }).url).toBe(
      `/services/data/v62.0/sobjects/CX_Journey__c/${created.id}`
    );
    expect(rec.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    await admin.sobject('CX_Journey__c').update({ Id: created.id, Description__c: 'First weeks' });
    const after = (await admin.sobject('CX_Journey__c').retrieve(created.id)) as Record<
      string,
      unknown
    >;
    expect(after.Description__c).toBe('First weeks');
    await admin.sobject('CX_Journey__c').destroy(created.id);
    const gone = await failure(admin.sobject('CX_Journey__c').destroy(created.id));
    expect(gone.name).toBe('ENTITY_IS_DELETED');
  });

  it('maps validation errors to err.name and err.errorCode', async () => {
    const err = await failure(
      admin.sobject('CX_Touchpoint__c').create({ Name: 'x', Key__c: 'T', Stage__c: 'Nope' })
    );
    expect(err.name).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(err.errorCode).toBe('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
    expect(err.message).toBe('Stage: bad value for restricted picklist field: Nope');
    const unknown = await failure(admin.sobject('Nope__c').create({ Name: 'x' }));
    expect(unknown.name).toBe('NOT_FOUND');
    const field = await failure(admin.sobject('Account').create({ Name: 'x', Bacon__c: 1 }));
    expect(field.name).toBe('INVALID_FIELD');
    expect(field.message).toBe("No such column 'Bacon__c' on sobject of type Account");
  });

  it('upserts on an external Id with 201 then 200, and 300 on several matches', async () => {
    const first = (await admin
      .sobject('CX_Journey__c')
      .upsert({ Name: 'Service', Key__c: 'SVC' }, 'Key__c')) as {
      created: boolean;
      id: string;
    };
    expect(first.created).toBe(true);
    const second = (await admin
      .sobject('CX_Journey__c')
      .upsert({ Name: 'Service 2', Key__c: 'SVC' }, 'Key__c')) as {
      created: boolean;
      id: string;
    };
    expect(second).toMatchObject({ created: false, id: first.id });
    await admin.sobject('CX_Journey__c').create([
      { Name: 'L1', Key__c: 'L1', Legacy_Id__c: 'OLD' },
      { Name: 'L2', Key__c: 'L2', Legacy_Id__c: 'OLD' }
    ]);
    const several = await failure(
      admin.sobject('CX_Journey__c').upsert({ Name: 'x', Legacy_Id__c: 'OLD' }, 'Legacy_Id__c')
    );
    expect(several.name).toBe('MULTIPLE_CHOICES');
    expect(Array.isArray(several.data) && typeof (several.data as unknown[])[0] === 'string').toBe(
      true
    );
    const missing = await failure(
      admin.requestPatch('/services/data/v62.0/sobjects/CX_Journey__c/Nope__c/x', { Name: 'x' })
    );
    expect(missing.name).toBe('NOT_FOUND');
  });

  it('runs collections with allOrNone, statusCode errors and the 200-record limit', async () => {
    const ok = (await admin.sobject('Account').create([{ Name: 'C1' }, { Name: 'C2' }], {
      allOrNone: false
    })) as { id: string; success: boolean }[];
    expect(ok.every((r) => r.success)).toBe(true);
    const mixed = (await admin.sobject('Account').create([{ Name: 'C3' }, { Industry: 'Retail' }], {
      allOrNone: true
    })) as { success: boolean; errors: { statusCode: string }[] }[];
    expect(mixed.map((r) => r.errors[0]?.statusCode)).toEqual([
      'ALL_OR_NONE_OPERATION_ROLLED_BACK',
      'REQUIRED_FIELD_MISSING'
    ]);
    const c3 = await admin.query("SELECT Id FROM Account WHERE Name = 'C3'");
    expect(c3.totalSize).toBe(0);
    const upd = (await admin.sobject('Account').update(
      ok.map((r) => ({ Id: r.id, Industry: 'Banking' })),
      { allOrNone: false }
    )) as { success: boolean }[];
    expect(upd.every((r) => r.success)).toBe(true);
    const got = (await admin.sobject('Account').retrieve(
      ok.map((r) => r.id),
      { fields: ['Industry'] }
    )) as {
      Industry: string;
    }[];
    expect(got.map((r) => r.Industry)).toEqual(['Banking', 'Banking']);
    const up = (await admin.sobject('CX_Journey__c').upsert(
      [
        { Name: 'A', Key__c: 'UP-A' },
        { Name: 'B', Key__c: 'SVC' }
      ],
      'Key__c'
    )) as { created: boolean }[];
    expect(up.map((r) => r.created)).toEqual([true, false]);
    const rolledBack = (await admin.sobject('CX_Journey__c').upsert(
      [
        { Name: 'C', Key__c: 'UP-C' },
        { Key__c: 'UP-D', Stage__c: 'x' }
      ],
      'Key__c',
      { allOrNone: true }
    )) as { success: boolean; created?: boolean; errors: { statusCode: string }[] }[];
    expect(rolledBack.map((r) => [r.success, r.created, r.errors[0]?.statusCode])).toEqual([
      [false, true, 'ALL_OR_NONE_OPERATION_ROLLED_BACK'],
      [false, undefined, 'INVALID_FIELD']
    ]);
    const del = (await admin.sobject('Account').destroy(ok.map((r) => r.id))) as {
      success: boolean;
    }[];
    expect(del.every((r) => r.success)).toBe(true);
    const tooMany = Array.from({ length: 201 }, (_, i) => ({
      attributes: { type: 'Account' },
      Name: `N${i}`
    }));
    const err = await failure(
      admin.requestPost('/services/data/v62.0/composite/sobjects', {
        allOrNone: false,
        records: tooMany
      })
    );
    expect(err.name).toBe('EXCEEDED_ID_LIMIT');
  });

  it('imports a tree and rolls it back on error', async () => {
    const tree = (await admin.requestPost('/services/data/v62.0/composite/tree/Account', {
      records: [
        {
          attributes: { type: 'Account', referenceId: 'AccRef1' },
          Name: 'Tree Co',
          Contacts: {
            records: [{ attributes: { type: 'Contact', referenceId: 'ConRef1' }, LastName: 'Leaf' }]
          }
        }
      ]
    })) as { hasErrors: boolean; results: { referenceId: string; id: string }[] };
    expect(tree.hasErrors).toBe(false);
    expect(tree.results.map((r) => r.referenceId)).toEqual(['AccRef1', 'ConRef1']);
    const contact = (await admin.sobject('Contact').retrieve(tree.results[1]!.id)) as Record<
      string,
      unknown
    >;
    expect(contact.AccountId).toBe(tree.results[0]!.id);
    expect(contact.Name).toBe('Leaf');
    const bad = await failure(
      admin.requestPost('/services/data/v62.0/composite/tree/Account', {
        records: [
          {
            attributes: { type: 'Account', referenceId: 'R1' },
            Name: 'Rolled Back',
            Contacts: {
              records: [{ attributes: { type: 'Contact', referenceId: 'R2' }, FirstName: 'NoLast' }]
            }
          }
        ]
      })
    );
    expect(bad.name).toBe('ERROR_HTTP_400');
    expect(JSON.parse(bad.message)).toEqual({
      hasErrors: true,
      results: [
        {
          referenceId: 'R2',
          errors: [
            {
              statusCode: 'REQUIRED_FIELD_MISSING',
              message: 'Required fields are missing: [LastName]',
              fields: ['LastName']
            }
          ]
        }
      ]
    });
    expect((await admin.query("SELECT Id FROM Account WHERE Name = 'Rolled Back'")).totalSize).toBe(
      0
    );
  });

  it('describes objects with the fields clients read', async () => {
    const global = await admin.describeGlobal();
    expect(global.sobjects.map((s) => s.name)).toContain('CX_Perception__c');
    const d = await admin.sobject('CX_Perception__c').describe();
    const account = d.fields.find((f) => f.name === 'Account__c')!;
    expect(account).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account__r',
      nillable: false
    });
    const gap = d.fields.find((f) => f.name === 'Gap__c')!;
    expect(gap).toMatchObject({
      calculated: true,
      createable: false,
      type: 'double',
      soapType: 'xsd:double'
    });
    const accountDescribe = await admin.sobject('Account').describe();
    expect(accountDescribe.childRelationships).toContainEqual(
      expect.objectContaining({
        childSObject: 'CX_Perception__c',
        field: 'Account__c',
        relationshipName: 'CX_Perceptions__r',
        cascadeDelete: true
      })
    );
  });

  it('enforces permissions per persona', async () => {
    const rep = fx.conn('rep');
    const invisible = await failure(rep.query('SELECT Id, Brand_Promise__c FROM CX_Touchpoint__c'));
    expect(invisible.name).toBe('INVALID_FIELD');
    const noType = await failure(rep.query('SELECT Id FROM CX_Sync_Run__c'));
    expect(noType.name).toBe('INVALID_TYPE');
    const describe = await rep.sobject('CX_Touchpoint__c').describe();
    expect(describe.fields.map((f) => f.name)).not.toContain('Brand_Promise__c');
    const insert = await failure(rep.sobject('CX_Journey__c').create({ Name: 'x', Key__c: 'REP' }));
    expect(insert.name).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    const globex = (
      await admin.query<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Globex'")
    ).records[0]!.Id;
    const foreign = await failure(rep.sobject('Account').update({ Id: globex, Name: 'Mine now' }));
    expect(foreign.name).toBe('INSUFFICIENT_ACCESS_OR_READONLY');
    const unseen = await failure(rep.sobject('Account').retrieve(globex));
    expect(unseen.name).toBe('NOT_FOUND');
    const names = (
      await rep.query<{ Name: string }>('SELECT Name FROM Account ORDER BY Name')
    ).records.map((r) => r.Name);
    expect(names).toEqual(['Acme']);
  });

  it('shows a rep only the perceptions of own accounts', async () => {
    const globex = (
      await admin.query<{ Id: string }>("SELECT Id FROM Account WHERE Name = 'Globex'")
    ).records[0]!.Id;
    const base = { Occurred_At__c: '2026-11-01T10:00:00Z', Source__c: 'Import' };
    await admin.sobject('CX_Perception__c').create([
      { ...base, Account__c: acme, Response_Id__c: 'H-1', Perception__c: 80 },
      { ...base, Account__c: globex, Response_Id__c: 'H-2', Perception__c: 40 }
    ]);
    const rep = fx.conn('rep');
    const res = await rep.query<{ Response_Id__c: string; Account__r: { Name: string } }>(
      'SELECT Response_Id__c, Account__r.Name FROM CX_Perception__c ORDER BY Response_Id__c'
    );
    expect(res.records.map((r) => [r.Response_Id__c, r.Account__r.Name])).toEqual([
      ['H-1', 'Acme']
    ]);
    const managerCount = await fx.conn('manager').query('SELECT COUNT() FROM CX_Perception__c');
    expect(managerCount.totalSize).toBe(2);
    const other = await failure(
      rep.sobject('CX_Perception__c').create({ ...base, Account__c: globex, Response_Id__c: 'H-3' })
    );
    expect(other.name).toBe('INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY');
  });

  it('pages a query with queryMore and autoFetch, totalSize on every page', async () => {
    const records = Array.from({ length: 450 }, (_, i) => ({
      Name: `Bulk ${String(i).padStart(3, '0')}`,
      Industry: 'Retail'
    }));
    for (let i = 0; i < records.length; i += 200) {
      await admin.sobject('Account').create(records.slice(i, i + 200), { allOrNone: true });
    }
    const soql = "SELECT Id, Name, Owner.Name FROM Account WHERE Name LIKE 'Bulk%' ORDER BY Name";
    const first = await fetch(
      `${fx.org.instanceUrl}/services/data/v62.0/query/?q=${encodeURIComponent(soql)}`,
      {
        headers: {
          Authorization: `Bearer ${fx.org.users.admin.accessToken}`,
          'Sforce-Query-Options': 'batchSize=200'
        }
      }
    );
    const page1 = (await first.json()) as {
      totalSize: number;
      done: boolean;
      nextRecordsUrl: string;
      records: unknown[];
    };
    expect(page1).toMatchObject({ totalSize: 450, done: false });
    expect(page1.records).toHaveLength(200);
    expect(page1.nextRecordsUrl).toMatch(
      /^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-200$/
    );
    const page2 = (await admin.queryMore(page1.nextRecordsUrl)) as {
      totalSize: number;
      records: unknown[];
    };
    expect(page2.totalSize).toBe(450);
    const all: { Name: string; Owner: { Name: string } }[] = [];
    await new Promise<void>((resolve, reject) => {
      admin
        .query(soql, { autoFetch: true, maxFetch: 10000 })
        .on('record', (r: { Name: string; Owner: { Name: string } }) => all.push(r))
        .on('end', () => resolve())
        .on('error', reject)
        .run({ autoFetch: true, maxFetch: 10000 });
    });
    expect(all).toHaveLength(450);
    expect(all[449]!.Name).toBe('Bulk 449');
    expect(all[0]!.Owner.Name).toBe('Ada Admin');
  });

  it('answers the Salesforce CLI connect-time queries', async () => {
    const scratch = await failure(admin.query('SELECT Id FROM ScratchOrgInfo limit 1'));
    expect(scratch.name).toBe('INVALID_TYPE');
    const org = await admin.query<{ OrganizationType: string; IsSandbox: boolean }>(
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization'
    );
    expect(org.totalSize).toBe(1);
    expect(org.records[0]).toMatchObject({
      IsSandbox: false,
      OrganizationType: 'Developer Edition'
    });
    const old = (await admin.request(
      `/services/data/v51.0/sobjects/User/${fx.org.users.rep.userId}`
    )) as { Username: string };
    expect(old.Username).toBe('rep@outside-in.local');
    const cols = (await admin.request(
      `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Name, Owner.Name FROM Account')}&columns=true`
    )) as {
      columnMetadata: {
        columnName: string;
        foreignKeyName: string | null;
        joinColumns: { columnName: string }[];
      }[];
    };
    expect(cols.columnMetadata.map((c) => c.columnName)).toEqual(['Name', 'Owner']);
    expect(cols.columnMetadata[1]).toMatchObject({
      foreignKeyName: 'OwnerId',
      joinColumns: [expect.objectContaining({ columnName: 'Name' })]
    });
  });

  it('counts API requests in /limits and Sforce-Limit-Info', async () => {
    const before = (await admin.limits()).DailyApiRequests!;
    await admin.query('SELECT Id FROM Account LIMIT 1');
    const after = (await admin.limits()).DailyApiRequests!;
    expect(before.Max).toBe(15000);
    expect(before.Remaining - after.Remaining).toBe(2);
    expect(admin.limitInfo.apiUsage?.used).toBe(15000 - after.Remaining);
  });

  it('injects faults on demand', async () => {
    const token = fx.org.users.admin.accessToken;
    const post = (body: unknown, auth = token) =>
      fetch(`${fx.org.instanceUrl}/__local/faults`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body)
      });
    expect(
      (await post({ kind: 'REQUEST_LIMIT_EXCEEDED', count: 1 }, fx.org.users.rep.accessToken))
        .status
    ).toBe(403);
    expect((await post({ kind: 'REQUEST_LIMIT_EXCEEDED' })).status).toBe(400);
    expect((await post({ kind: 'REQUEST_LIMIT_EXCEEDED', count: 1 })).status).toBe(200);
    const limited = await failure(admin.query('SELECT Id FROM Account LIMIT 1'));
    expect(limited.name).toBe('REQUEST_LIMIT_EXCEEDED');
    await admin.query('SELECT Id FROM Account LIMIT 1');
    fx.org.faults.add({ kind: 'SERVICE_UNAVAILABLE', count: 1 });
    const unavailable = await fetch(`${fx.org.instanceUrl}/services/data/v62.0/limits`, {
      headers: { Authorization: `Bearer ${token}` }
    });
    expect(unavailable.status).toBe(503);
    fx.org.faults.add({ kind: 'UNABLE_TO_LOCK_ROW', count: 1 });
    const rows = (await admin
      .sobject('Account')
      .create([{ Name: 'L1' }, { Name: 'L2' }], { allOrNone: false })) as {
      success: boolean;
      errors: { statusCode: string }[];
    }[];
    expect(rows.map((r) => (r.success ? 'ok' : r.errors[0]!.statusCode))).toEqual([
      'UNABLE_TO_LOCK_ROW',
      'ok'
    ]);
    fx.org.faults.add({ kind: 'SERVICE_UNAVAILABLE', rate: 0.5, seed: 7, count: 1000 });
    let failed = 0;
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${fx.org.instanceUrl}/services/data/v62.0/limits`, {
        headers: { Authorization: `Bearer ${token}` }
      });
      if (res.status === 503) failed++;
    }
    expect(failed).toBeGreaterThan(2);
    expect(failed).toBeLessThan(18);
    fx.org.faults.clear();
    fx.org.faults.add({ kind: 'SLOW', count: 1, delayMs: 30 });
    const slow = await admin.query('SELECT COUNT() FROM Account');
    expect(slow.totalSize).toBeGreaterThan(0);
    expect(fx.org.faults.injected.SLOW).toBe(1);
    expect(fx.org.faults.list()).toEqual([]);
  });

  it('answers an unexpected failure with UNKNOWN_EXCEPTION and no internals', async () => {
    const res = await fetch(`${fx.org.instanceUrl}/services/data/v62.0/boom`, {
      headers: { Authorization: `Bearer ${fx.org.users.admin.accessToken}` }
    });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)[0].errorCode).toBe('UNKNOWN_EXCEPTION');
    expect(text).not.toMatch(/secret|internal detail/);
    expect(fx.errors).toHaveLength(1);
    fx.errors.length = 0;
  });

  it('resolves parent references by external Id in JSON bodies', async () => {
    const journey = (await admin
      .sobject('CX_Journey__c')
      .create({ Name: 'Ref', Key__c: 'REF-J' })) as { id: string };
    const tp = (await admin.sobject('CX_Touchpoint__c').create({
      Name: 'By reference',
      Key__c: 'REF-T',
      Stage__c: 'Service',
      Journey__r: { Key__c: 'ref-j' }
    } as Record<string, unknown>)) as { id: string };
    const rec = (await admin.sobject('CX_Touchpoint__c').retrieve(tp.id)) as { Journey__c: string };
    expect(rec.Journey__c).toBe(journey.id);
    const missing = await failure(
      admin.sobject('CX_Touchpoint__c').create({
        Name: 'x',
        Key__c: 'REF-X',
        Stage__c: 'Service',
        Journey__r: { Key__c: 'NOPE' }
      } as Record<string, unknown>)
    );
    expect(missing.message).toBe(
      'Foreign key external ID: NOPE not found for field Key__c in entity CX_Journey__c'
    );
  });

  it('never answers with a stack trace', async () => {
    const res = await fetch(`${fx.org.instanceUrl}/services/data/v62.0/sobjects/Account`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${fx.org.users.admin.accessToken}`,
        'Content-Type': 'application/json'
      },
      body: '{not json'
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errorCode: string }[];
    expect(body[0]!.errorCode).toBe('JSON_PARSER_ERROR');
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
  });
});
