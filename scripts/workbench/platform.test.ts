import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalOrg, type LocalOrg } from '../local-org';
import { makeId } from '../local-org/ids';
import { startWorkbench, type Workbench } from './server';

// The platform modules are the browser's ES modules; here they run in Node
// (which has fetch and CustomEvent) against the workbench's proxy and the
// local org over real HTTP. Their bare imports map to the files, as in the build.
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

// Starting the local org reads force-app's schema: give it time on a busy machine.
jest.setTimeout(2 * 60 * 1000);

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

const NAME = { objectApiName: 'Account', fieldApiName: 'Name' };
const ACCOUNTS_QUERY =
  'query { uiapi { query { Account(first: 50) { edges { node { Id Name { value } } } totalCount } } } }';
/** An Account Id of the right shape that no record has. */
const MISSING = makeId('001', 999_999);

let org: LocalOrg;
let workbench: Workbench;
/** Accounts the manager owns (the proxy's default persona), and one the rep owns. */
let ACCOUNT: string;
let OTHER: string;
let REP_ACCOUNT: string;

/** REST as the admin: the org's own view of the data, outside the workbench. */
async function admin(method: string, path: string, body?: unknown): Promise<AnyRecord> {
  const response = await fetch(`${org.instanceUrl}/services/data/v62.0${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${org.users.admin.accessToken}`,
      'Content-Type': 'application/json'
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function createAccount(name: string, ownerId: string): Promise<string> {
  const created = await admin('POST', '/sobjects/Account', { Name: name, OwnerId: ownerId });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return created.body.id;
}

async function nameOf(id: string): Promise<unknown> {
  return (await admin('GET', `/sobjects/Account/${id}?fields=Name`)).body.Name;
}

beforeAll(async () => {
  org = await startLocalOrg({ memory: true });
  ACCOUNT = await createAccount('Bakkerij de Vries', org.users.manager.userId);
  OTHER = await createAccount('Hollandse Bouw BV', org.users.manager.userId);
  REP_ACCOUNT = await createAccount('Fietsen Jansen', org.users.rep.userId);
  // The proxy needs no bundle: an empty build keeps this test free of the compiler.
  workbench = await startWorkbench({
    orgInstanceUrl: org.instanceUrl,
    tokens: { manager: org.users.manager.accessToken, rep: org.users.rep.accessToken },
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
    expect(uiRecordApi.getFieldValue(data, NAME)).toBe(await nameOf(ACCOUNT));
    expect(uiRecordApi.getFieldValue(data, 'Account.Name')).toBe(await nameOf(ACCOUNT));
    expect(Object.isFrozen(data.fields.Name)).toBe(true);
    w.adapter.disconnect();
  });

  test('getRecord delivers a failed read as the platform does: {status, statusText, ok:false, body}', async () => {
    const w = wire(uiRecordApi.getRecord, { recordId: MISSING, fields: [NAME] });
    const { data, error } = await w.first;
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 404, statusText: 'Not Found', ok: false });
    expect(error.body[0].errorCode).toBe('NOT_FOUND');
    w.adapter.disconnect();
  });

  test('getRecord waits for a recordId before it asks the org', async () => {
    const before = org.services.apiRequests;
    const w = wire(uiRecordApi.getRecord, { recordId: undefined, fields: [NAME] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(w.values).toEqual([]);
    expect(org.services.apiRequests).toBe(before);
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
    // Changed in the org behind the page's back.
    expect(
      (await admin('PATCH', `/sobjects/Account/${ACCOUNT}`, { Name: 'Bakkerij Jansen' })).status
    ).toBe(204);
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
    expect(await nameOf(created.id)).toBe('Nieuw BV');
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
    // The manager may not delete Accounts: the org says so, in the platform's error shape.
    await expect(uiRecordApi.deleteRecord(created.id)).rejects.toMatchObject({
      status: 400,
      ok: false,
      body: [{ errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }]
    });
    expect(await nameOf(created.id)).toBe('Nieuw BV');
    // Signed in as the admin, the delete goes through.
    const asAdmin = await startWorkbench({
      orgInstanceUrl: org.instanceUrl,
      tokens: { admin: org.users.admin.accessToken },
      build: workbench.build
    });
    const config = (globalThis as AnyRecord).__OUTSIDE_IN_WORKBENCH__;
    try {
      config.apiBase = asAdmin.url;
      await expect(uiRecordApi.deleteRecord(created.id)).resolves.toBeUndefined();
    } finally {
      config.apiBase = workbench.url;
      await asAdmin.close();
    }
    expect((await admin('GET', `/sobjects/Account/${created.id}`)).status).toBe(404);
  });

  test('getRecords reads a batch and reports each record with its own status', async () => {
    const w = wire(uiRecordApi.getRecords, {
      records: [{ recordIds: [ACCOUNT, OTHER, MISSING], fields: [NAME] }]
    });
    const { data, error } = await w.first;
    expect(error).toBeUndefined();
    expect(data.results.map((r: AnyRecord) => r.statusCode)).toEqual([200, 200, 404]);
    expect(uiRecordApi.getFieldValue(data.results[1].result, NAME)).toBe(await nameOf(OTHER));
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
    expect(names(result)).toContain(await nameOf(ACCOUNT));
    // Managers read every account (View All in their grants), the rep's included;
    // the rep's narrower view is tested through GraphQL in scripts/local-org/graphql.
    expect(names(result)).toContain(await nameOf(REP_ACCOUNT));
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
    expect(((await ok.json()) as AnyRecord).user_id).toBe(org.users.manager.userId);
    const rep = await fetch(`${workbench.url}/services/oauth2/userinfo`, {
      headers: { cookie: 'oi_persona=rep' }
    });
    expect(((await rep.json()) as AnyRecord).user_id).toBe(org.users.rep.userId);
    const hidden = await fetch(
      `${workbench.url}/services/data/v62.0/ui-api/records/${ACCOUNT}?fields=Account.Name`,
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
