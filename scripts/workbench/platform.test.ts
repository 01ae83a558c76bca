import * as os from 'node:os';
import * as path from 'node:path';
import { startWorkbench, type Workbench } from './server';
import { startFixtureOrg, type FixtureOrg } from './test-support/fixture-org';

// The platform modules are the browser's ES modules; here they run in Node
// (which has fetch and CustomEvent) against the workbench's proxy and an
// org over real HTTP. Their bare imports map to the files, as in the build.
jest.mock(
  'workbench/runtime',
  () => jest.requireActual('./platform/modules/workbench/runtime.js'),
  {
    virtual: true
  }
);
jest.mock('workbench/lds', () => jest.requireActual('./platform/modules/workbench/lds.js'), {
  virtual: true
});
jest.mock(
  'lightning/graphql',
  () => jest.requireActual('./platform/modules/lightning/graphql.js'),
  {
    virtual: true
  }
);

/* eslint-disable @typescript-eslint/no-require-imports -- the modules are plain JS without types */
type AnyRecord = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const uiRecordApi = require('./platform/modules/lightning/uiRecordApi.js') as AnyRecord;
const graphqlApi = require('./platform/modules/lightning/graphql.js') as AnyRecord;
const uiGraphQLApi = require('./platform/modules/lightning/uiGraphQLApi.js') as AnyRecord;
const objectInfoApi = require('./platform/modules/lightning/uiObjectInfoApi.js') as AnyRecord;
const messageService = require('./platform/modules/lightning/messageService.js') as AnyRecord;
const navigation = require('./platform/modules/lightning/navigation.js') as AnyRecord;
const toastEvent = require('./platform/modules/lightning/platformShowToastEvent.js') as AnyRecord;
const lds = require('./platform/modules/workbench/lds.js') as AnyRecord;
/* eslint-enable @typescript-eslint/no-require-imports */

const ACCOUNT = '001000000000001AAA';
const NAME = { objectApiName: 'Account', fieldApiName: 'Name' };
const ACCOUNTS_QUERY =
  'query { uiapi { query { Account(first: 50) { edges { node { Id Name { value } } } } } } }';

let org: FixtureOrg;
let workbench: Workbench;

beforeAll(async () => {
  org = await startFixtureOrg();
  // The proxy needs no bundle: an empty build keeps this test free of the compiler.
  workbench = await startWorkbench({
    orgInstanceUrl: org.instanceUrl,
    tokens: org.tokens,
    forceAppDir: path.join(__dirname, 'test-support', 'force-app'),
    build: {
      dir: os.tmpdir(),
      hash: 'none',
      cached: true,
      components: [],
      labels: new Map(),
      warnings: []
    }
  });
  (globalThis as AnyRecord).__OUTSIDE_IN_WORKBENCH__ = { apiBase: workbench.url };
});

afterAll(async () => {
  await workbench?.close();
  await org?.close();
});

/** Connects a wire adapter the way the LWC engine does and records what it emits. */
function wire(Adapter: new (callback: (value: unknown) => void) => AnyRecord, config: unknown) {
  const values: AnyRecord[] = [];
  const waiting: Array<(value: AnyRecord) => void> = [];
  const adapter = new Adapter((value) => {
    values.push(value as AnyRecord);
    waiting.shift()?.(value as AnyRecord);
  });
  const next = () => new Promise<AnyRecord>((resolve) => waiting.push(resolve));
  adapter.connect();
  const first = next();
  adapter.update(config, {});
  return { adapter, values, first, next };
}

describe('lightning/uiRecordApi', () => {
  test('getRecord emits the record from the UI API, read-only', async () => {
    const w = wire(uiRecordApi.getRecord, { recordId: ACCOUNT, fields: [NAME] });
    const { data, error } = await w.first;
    expect(error).toBeUndefined();
    expect(data.id).toBe(ACCOUNT);
    expect(uiRecordApi.getFieldValue(data, NAME)).toBe(org.records.get(ACCOUNT)?.fields.Name);
    expect(uiRecordApi.getFieldValue(data, 'Account.Name')).toBe(
      org.records.get(ACCOUNT)?.fields.Name
    );
    expect(Object.isFrozen(data.fields.Name)).toBe(true);
    expect(org.requests).toContain(`GET /services/data/v62.0/ui-api/records/${ACCOUNT}`);
    w.adapter.disconnect();
  });

  test('getRecord delivers a failed read as the platform does: {status, statusText, ok:false, body}', async () => {
    const w = wire(uiRecordApi.getRecord, { recordId: '001000000000099AAA', fields: [NAME] });
    const { data, error } = await w.first;
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 404, statusText: 'Not Found', ok: false });
    expect(error.body[0].errorCode).toBe('NOT_FOUND');
    w.adapter.disconnect();
  });

  test('getRecord waits for a recordId before it asks the org', async () => {
    const before = org.requests.length;
    const w = wire(uiRecordApi.getRecord, { recordId: undefined, fields: [NAME] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(w.values).toEqual([]);
    expect(org.requests.length).toBe(before);
    w.adapter.disconnect();
  });

  test('updateRecord saves and the wired record emits the new value', async () => {
    const w = wire(uiRecordApi.getRecord, { recordId: ACCOUNT, fields: [NAME] });
    await w.first;
    const emitted = w.next();
    const saved = await uiRecordApi.updateRecord({
      fields: { Id: ACCOUNT, Name: 'Bakkerij de Vries & Zn' }
    });
    expect(saved.id).toBe(ACCOUNT);
    expect(uiRecordApi.getFieldValue((await emitted).data, NAME)).toBe('Bakkerij de Vries & Zn');
    w.adapter.disconnect();
  });

  test('notifyRecordUpdateAvailable makes the wires of that record read it again', async () => {
    const w = wire(uiRecordApi.getRecord, { recordId: ACCOUNT, fields: [NAME] });
    await w.first;
    const record = org.records.get(ACCOUNT);
    if (record) record.fields.Name = 'Bakkerij Jansen';
    const emitted = w.next();
    await uiRecordApi.notifyRecordUpdateAvailable([{ recordId: ACCOUNT }]);
    expect(uiRecordApi.getFieldValue((await emitted).data, NAME)).toBe('Bakkerij Jansen');
    w.adapter.disconnect();
    // Disconnected wires are not refreshed.
    const count = w.values.length;
    await uiRecordApi.notifyRecordUpdateAvailable([{ recordId: ACCOUNT }]);
    expect(w.values.length).toBe(count);
  });

  test('createRecord resolves to the new record; a rejected save carries the UI API error body', async () => {
    const created = await uiRecordApi.createRecord({
      apiName: 'Account',
      fields: { Name: 'Nieuw BV' }
    });
    expect(created.apiName).toBe('Account');
    expect(org.records.get(created.id)?.fields.Name).toBe('Nieuw BV');
    await expect(
      uiRecordApi.createRecord({ apiName: 'Account', fields: {} })
    ).rejects.toMatchObject({
      status: 400,
      ok: false,
      body: {
        errorCode: 'REQUIRED_FIELD_MISSING',
        output: { fieldErrors: { Name: [{ field: 'Name' }] } }
      }
    });
    await expect(uiRecordApi.deleteRecord(created.id)).resolves.toBeUndefined();
    expect(org.records.has(created.id)).toBe(false);
  });

  test('getRecords reads a batch and reports each record with its own status', async () => {
    const other = '001000000000002AAA';
    const w = wire(uiRecordApi.getRecords, {
      records: [{ recordIds: [ACCOUNT, other, '001000000000099AAA'], fields: [NAME] }]
    });
    const { data, error } = await w.first;
    expect(error).toBeUndefined();
    expect(data.results.map((r: AnyRecord) => r.statusCode)).toEqual([200, 200, 404]);
    expect(uiRecordApi.getFieldValue(data.results[1].result, NAME)).toBe(
      org.records.get(other)?.fields.Name
    );
    expect(org.requests).toContain(
      `GET /services/data/v62.0/ui-api/records/batch/${ACCOUNT},${other},001000000000099AAA`
    );
    w.adapter.disconnect();
  });

  test('getFieldValue and getFieldDisplayValue walk spanning fields', () => {
    const record = {
      apiName: 'Case',
      fields: {
        Account: {
          value: {
            apiName: 'Account',
            fields: { Name: { value: 'Acme', displayValue: 'Acme NV' } }
          },
          displayValue: 'Acme'
        }
      }
    };
    expect(uiRecordApi.getFieldValue(record, 'Case.Account.Name')).toBe('Acme');
    expect(uiRecordApi.getFieldDisplayValue(record, 'Case.Account.Name')).toBe('Acme NV');
    expect(uiRecordApi.getFieldValue(record, 'Case.Contact.Name')).toBeUndefined();
  });
});

describe('lightning/graphql', () => {
  test('the wire emits {data, errors, refresh}; refresh reads again', async () => {
    const w = wire(graphqlApi.graphql, { query: graphqlApi.gql`${ACCOUNTS_QUERY}`, variables: {} });
    const result = await w.first;
    expect(result.errors).toBeUndefined();
    const names = (r: AnyRecord) =>
      r.data.uiapi.query.Account.edges.map((e: AnyRecord) => e.node.Name.value);
    expect(names(result)).toContain(org.records.get(ACCOUNT)?.fields.Name);
    await uiRecordApi.createRecord({ apiName: 'Account', fields: { Name: 'Later BV' } });
    expect(names(result)).not.toContain('Later BV');
    const emitted = w.next();
    await result.refresh();
    expect(names(await emitted)).toContain('Later BV');
    w.adapter.disconnect();
  });

  test('GraphQL errors arrive in the errors array', async () => {
    const w = wire(graphqlApi.graphql, {
      query: 'query { uiapi { query { Bogus { edges { node { Id } } } } } }'
    });
    const result = await w.first;
    expect(result.data).toBeUndefined();
    expect(result.errors[0].message).toMatch(/Validation error/);
    w.adapter.disconnect();
  });

  test('executeMutation resolves to {data, errors}; the deprecated module refreshes by result', async () => {
    const response = await graphqlApi.executeMutation({ query: ACCOUNTS_QUERY });
    expect(response.errors).toBeUndefined();
    expect(response.data.uiapi.query.Account.totalCount).toBeGreaterThan(0);
    const w = wire(uiGraphQLApi.graphql, { query: ACCOUNTS_QUERY });
    const result = await w.first;
    expect(result).not.toHaveProperty('refresh');
    const emitted = w.next();
    await uiGraphQLApi.refreshGraphQL(result);
    expect((await emitted).data).toEqual(result.data);
    w.adapter.disconnect();
  });

  test('a refresh of everything (RefreshEvent) re-emits connected queries', async () => {
    const w = wire(graphqlApi.graphql, { query: ACCOUNTS_QUERY });
    await w.first;
    const emitted = w.next();
    await lds.refreshAll();
    expect((await emitted).data.uiapi).toBeDefined();
    w.adapter.disconnect();
  });
});

describe('lightning/uiObjectInfoApi', () => {
  test('getObjectInfo emits the object info for a schema import', async () => {
    const w = wire(objectInfoApi.getObjectInfo, { objectApiName: { objectApiName: 'Account' } });
    const { data, error } = await w.first;
    expect(error).toBeUndefined();
    expect(data.apiName).toBe('Account');
    expect(org.requests).toContain('GET /services/data/v62.0/ui-api/object-info/Account');
    w.adapter.disconnect();
  });
});

describe('page-level modules', () => {
  test('message service: subscribers get a copy; unsubscribed and released ones get nothing', () => {
    const context = messageService.createMessageContext();
    const channel = { channel: 'Perception_Captured__c' };
    const received: unknown[] = [];
    const other: unknown[] = [];
    const subscription = messageService.subscribe(context, channel, (m: unknown) =>
      received.push(m)
    );
    messageService.subscribe(context, { channel: 'Other__c' }, (m: unknown) => other.push(m));
    const message = { recordId: ACCOUNT };
    messageService.publish(context, channel, message);
    expect(received).toEqual([message]);
    expect(received[0]).not.toBe(message);
    expect(other).toEqual([]);
    messageService.unsubscribe(subscription);
    messageService.publish(context, channel, message);
    expect(received).toHaveLength(1);
    messageService.releaseMessageContext(context);
    messageService.publish(context, { channel: 'Other__c' }, message);
    expect(other).toEqual([]);
  });

  test('navigation: record pages at Lightning Experience addresses', async () => {
    expect(
      navigation.urlFor({
        type: 'standard__recordPage',
        attributes: { recordId: ACCOUNT, objectApiName: 'Account' }
      })
    ).toBe(`/lightning/r/Account/${ACCOUNT}/view`);
    expect(
      navigation.urlFor({ type: 'standard__recordPage', attributes: { recordId: ACCOUNT } })
    ).toBe(`/lightning/r/${ACCOUNT}/view`);
    const Mixed = navigation.NavigationMixin(class {});
    const url = await new Mixed()[navigation.NavigationMixin.GenerateUrl]({
      type: 'standard__objectPage',
      attributes: { objectApiName: 'Case' }
    });
    expect(url).toBe('/lightning/o/Case/list');
  });

  test('ShowToastEvent is the composed lightning__showtoast event the page listens for', () => {
    const event = new toastEvent.ShowToastEvent({ title: 'Saved', variant: 'success' });
    expect(event.type).toBe('lightning__showtoast');
    expect(event.composed).toBe(true);
    expect(event.bubbles).toBe(true);
    expect(event.detail).toEqual({ title: 'Saved', variant: 'success' });
  });
});

describe('the workbench proxy', () => {
  test('forwards with the persona token and returns the org status and body', async () => {
    const ok = await fetch(`${workbench.url}/services/oauth2/userinfo`);
    expect(((await ok.json()) as AnyRecord).user_id).toBe(org.userIds.manager);
    const rep = await fetch(`${workbench.url}/services/oauth2/userinfo`, {
      headers: { cookie: 'oi_persona=rep' }
    });
    expect(((await rep.json()) as AnyRecord).user_id).toBe(org.userIds.rep);
    const hidden = await fetch(
      `${workbench.url}/services/data/v62.0/ui-api/records/001000000000002AAA?fields=Account.Name`,
      {
        headers: { cookie: 'oi_persona=rep' }
      }
    );
    expect(hidden.status).toBe(404);
  });

  test('serves static resources: one file by name, or a file inside a folder resource', async () => {
    const single = await fetch(`${workbench.url}/resource/1700000000000/Workbench_Check`);
    expect(single.status).toBe(200);
    expect(single.headers.get('content-type')).toMatch(/javascript/);
    expect(await single.text()).toContain('workbenchCheck');
    const inside = await fetch(`${workbench.url}/resource/Workbench_Bundle/styles/check.css`);
    expect(inside.status).toBe(200);
    expect(await inside.text()).toContain('.workbench-check');
    for (const bad of [
      '/resource/Missing',
      '/resource/..%2Fflexipages',
      '/resource/Workbench_Bundle/../../quickActions'
    ]) {
      expect((await fetch(`${workbench.url}${bad}`)).status).toBe(404);
    }
  });
});
