import type { Persona } from '../core';
import { startFixtureOrg, type HttpFixture } from '../testing/httpFixture';
import { seedFixtureData } from './fixtureData';

const V = '/services/data/v62.0/ui-api';

describe('UI API on the local org', () => {
  let fx: HttpFixture;
  let ids: Record<string, string>;

  const call = async (persona: Persona, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${fx.org.instanceUrl}${V}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${fx.org.users[persona].accessToken}`,
        'Content-Type': 'application/json'
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {})
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  type Rec = {
    apiName: string;
    id: string;
    eTag: string;
    systemModstamp: string;
    lastModifiedDate: string;
    fields: Record<string, { value: unknown; displayValue: unknown }>;
  };

  beforeAll(async () => {
    fx = await startFixtureOrg();
    ids = seedFixtureData(fx.org.core);
  });
  afterAll(() => fx.org.close());

  it('reads a record with spanning fields, display values and Z dates', async () => {
    const res = await call(
      'admin',
      'GET',
      `/records/${ids.welcome}?fields=CX_Touchpoint__c.Name,CX_Touchpoint__c.Journey__r.Key__c&optionalFields=CX_Touchpoint__c.Stage__c,CX_Touchpoint__c.CreatedDate`
    );
    expect(res.status).toBe(200);
    const rec = res.body as Rec;
    expect(rec.apiName).toBe('CX_Touchpoint__c');
    expect(rec.id).toBe(ids.welcome);
    expect(rec.fields.Name).toEqual({ value: 'Welcome call', displayValue: null });
    expect(rec.fields.Stage__c).toEqual({ value: 'Onboarding', displayValue: 'Onboarding' });
    expect(rec.fields.CreatedDate!.value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(rec.systemModstamp).toMatch(/Z$/);
    const journey = rec.fields.Journey__r as unknown as {
      displayValue: string;
      value: Rec;
    };
    expect(journey.displayValue).toBe('Onboarding');
    expect(journey.value.apiName).toBe('CX_Journey__c');
    expect(journey.value.id).toBe(ids.journey);
    expect(journey.value.fields.Key__c).toEqual({ value: 'ONB', displayValue: null });
    expect(rec.eTag).toMatch(/^[0-9a-f]{32}$/);
  });

  it('errors on an invisible field in fields and omits it from optionalFields', async () => {
    const omitted = await call(
      'rep',
      'GET',
      `/records/${ids.welcome}?fields=CX_Touchpoint__c.Name&optionalFields=CX_Touchpoint__c.Brand_Promise__c`
    );
    expect(omitted.status).toBe(200);
    expect(Object.keys((omitted.body as Rec).fields)).toEqual(['Name']);
    const refused = await call(
      'rep',
      'GET',
      `/records/${ids.welcome}?fields=CX_Touchpoint__c.Brand_Promise__c`
    );
    expect(refused.status).toBe(400);
    expect((refused.body as { errorCode: string }[])[0]!.errorCode).toBe('INVALID_FIELD');
    const admin = await call(
      'admin',
      'GET',
      `/records/${ids.welcome}?fields=CX_Touchpoint__c.Brand_Promise__c`
    );
    expect((admin.body as Rec).fields.Brand_Promise__c!.value).toBe(80);
  });

  it('reads the fields of a layout type as the user sees them', async () => {
    const full = await call('rep', 'GET', `/records/${ids.welcome}?layoutTypes=Full`);
    const fields = Object.keys((full.body as Rec).fields);
    expect(fields).toEqual(expect.arrayContaining(['Name', 'Key__c', 'Stage__c', 'Channels__c']));
    expect(fields).not.toContain('Brand_Promise__c');
    const none = await call('rep', 'GET', `/records/${ids.welcome}`);
    expect(none.status).toBe(400);
  });

  it('answers 404 for records the user may not see', async () => {
    const res = await call('rep', 'GET', `/records/${ids.globex}?fields=Account.Name`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual([
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }
    ]);
    const own = await call('rep', 'GET', `/records/${ids.acme}?fields=Account.Name`);
    expect(own.status).toBe(200);
    const batch = await call(
      'rep',
      'GET',
      `/records/batch/${ids.acme},${ids.globex}?fields=Account.Name`
    );
    expect(
      (batch.body as { results: { statusCode: number }[] }).results.map((r) => r.statusCode)
    ).toEqual([200, 404]);
  });

  it('creates, updates and deletes records', async () => {
    const created = await call('rep', 'POST', '/records', {
      apiName: 'CX_Perception__c',
      fields: {
        Account__c: ids.acme,
        Touchpoint__c: ids.welcome,
        Occurred_At__c: '2026-11-20T10:00:00.000Z',
        Source__c: 'Rep_Capture',
        Response_Id__c: 'rep-ui-1',
        NPS__c: 9
      }
    });
    expect(created.status).toBe(201);
    const rec = created.body as Rec;
    expect(rec.id).toMatch(/^a[0-9A-Za-z]{17}$/);
    expect(rec.fields.NPS__c!.value).toBe(9);
    expect(rec.fields.Source__c).toEqual({ value: 'Rep_Capture', displayValue: 'Rep Capture' });

    // Reps create perceptions but may not change them; managers may.
    const refused = await call('rep', 'PATCH', `/records/${rec.id}`, { fields: { NPS__c: 7 } });
    expect(refused.status).toBe(400);
    expect((refused.body as { errorCode: string }).errorCode).toBe(
      'INSUFFICIENT_ACCESS_OR_READONLY'
    );
    const updated = await call('manager', 'PATCH', `/records/${rec.id}`, { fields: { NPS__c: 7 } });
    expect(updated.status).toBe(200);
    expect((updated.body as Rec).fields.NPS__c!.value).toBe(7);

    const rep = await call('rep', 'DELETE', `/records/${rec.id}`);
    expect(rep.status).toBe(400);
    const deleted = await call('admin', 'DELETE', `/records/${rec.id}`);
    expect(deleted.status).toBe(204);
    expect(
      (await call('admin', 'GET', `/records/${rec.id}?fields=CX_Perception__c.Name`)).status
    ).toBe(404);
  });

  it('reports create and update failures as Error with Output', async () => {
    const missing = await call('admin', 'POST', '/records', {
      apiName: 'CX_Touchpoint__c',
      fields: { Name: 'No key', Stage__c: 'Service' }
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({
      message: 'Required fields are missing: [Key__c]',
      errorCode: 'REQUIRED_FIELD_MISSING',
      enhancedErrorType: 'RecordError',
      output: {
        errors: [],
        fieldErrors: {
          Key__c: [
            {
              constituentField: null,
              duplicateRecordError: null,
              errorCode: 'REQUIRED_FIELD_MISSING',
              field: 'Key__c',
              fieldLabel: 'Key',
              message: 'Required fields are missing: [Key__c]'
            }
          ]
        }
      }
    });
    const rule = await call('admin', 'PATCH', `/records/${ids.portal}`, {
      fields: { Brand_Promise__c: 150 }
    });
    expect(rule.status).toBe(400);
    const body = rule.body as {
      errorCode: string;
      output: { fieldErrors: Record<string, unknown> };
    };
    expect(body.errorCode).toBe('FIELD_CUSTOM_VALIDATION_EXCEPTION');
    expect(Object.keys(body.output.fieldErrors)).toEqual(['Brand_Promise__c']);
    const rep = await call('rep', 'POST', '/records', {
      apiName: 'CX_Journey__c',
      fields: { Name: 'x', Key__c: 'X' }
    });
    expect(rep.status).toBe(400);
    expect(
      (rep.body as { errorCode: string; output: { errors: unknown[] } }).output.errors
    ).toHaveLength(1);
  });

  it('serves object info and picklist values as the user sees them', async () => {
    const admin = (await call('admin', 'GET', '/object-info/CX_Touchpoint__c')).body as {
      apiName: string;
      keyPrefix: string;
      defaultRecordTypeId: string;
      fields: Record<
        string,
        {
          dataType: string;
          required: boolean;
          referenceToInfos: { apiName: string }[];
          updateable: boolean;
        }
      >;
      childRelationships: { relationshipName: string }[];
    };
    expect(admin.apiName).toBe('CX_Touchpoint__c');
    expect(admin.keyPrefix).toBe(ids.welcome!.slice(0, 3));
    expect(admin.defaultRecordTypeId).toBe('012000000000000AAA');
    expect(admin.fields.Stage__c!.dataType).toBe('Picklist');
    expect(admin.fields.Key__c!.required).toBe(true);
    expect(admin.fields.Journey__c!.referenceToInfos.map((r) => r.apiName)).toEqual([
      'CX_Journey__c'
    ]);
    expect(admin.fields.Brand_Promise__c!.dataType).toBe('Double');
    expect(admin.childRelationships.map((c) => c.relationshipName)).toContain('Perceptions__r');
    const rep = (await call('rep', 'GET', '/object-info/CX_Touchpoint__c')).body as typeof admin;
    expect(rep.fields.Brand_Promise__c).toBeUndefined();
    expect(rep.fields.Name!.updateable).toBe(false);
    expect((await call('rep', 'GET', '/object-info/CX_Sync_Run__c')).status).toBe(404);

    const values = (
      await call(
        'admin',
        'GET',
        '/object-info/CX_Perception__c/picklist-values/012000000000000AAA/Source__c'
      )
    ).body as { values: { label: string; value: string }[]; defaultValue: unknown };
    expect(values.values.map((v) => v.value)).toEqual(['Rep_Capture', 'Import', 'Survey_Tool']);
    expect(values.values[0]!.label).toBe('Rep Capture');
    const all = (
      await call('admin', 'GET', '/object-info/CX_Perception__c/picklist-values/012000000000000AAA')
    ).body as { picklistFieldValues: Record<string, unknown> };
    expect(Object.keys(all.picklistFieldValues).sort()).toEqual(['Channel__c', 'Source__c']);
    const batch = (await call('rep', 'GET', '/object-info/batch/Account,CX_Sync_Run__c')).body as {
      results: { statusCode: number }[];
    };
    expect(batch.results.map((r) => r.statusCode)).toEqual([200, 404]);
  });
});
