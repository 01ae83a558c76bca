import { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalOrg, type LocalOrg } from '../local-org';
import { loadProjectSchema } from '../metadata/forceApp';
import type { ProjectSchema } from '../metadata/types';
import { importFiles } from './importer';
import { matchStore } from './match';
import { ApiCounter } from './org';
import { runSync } from './sync';
import { Store } from './store';
import { loadSampleData } from './testing';

/**
 * `match` against the local org over real HTTP: e-mails that belong to a
 * person account (PersonEmail, issue 6), to a business contact, to both, and
 * written in other cases and with spaces; and, with Person Accounts off, no
 * person-account lookup at all.
 */

jest.setTimeout(60_000);

let schema: ProjectSchema;
let dir: string;

beforeAll(() => {
  schema = loadProjectSchema();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oi-match-'));
  process.env.OUTSIDE_IN_BACKOFF_MS = '5';
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.OUTSIDE_IN_BACKOFF_MS;
});

interface World {
  org: LocalOrg;
  admin: Connection;
  /** The sync user's connection, with every SOQL statement it sends recorded. */
  sync: Connection;
  soql: string[];
  store: Store;
  close(): Promise<void>;
}

async function world(personAccounts: boolean): Promise<World> {
  const org = await startLocalOrg({ memory: true, schema, personAccounts });
  const connect = (token: string) =>
    new Connection({ instanceUrl: org.instanceUrl, accessToken: token, version: '62.0' });
  const admin = connect(org.users.admin.accessToken);
  await loadSampleData(admin, undefined, { skip: ['CX_Perception__c'] });
  const sync = connect(org.users.sync.accessToken);
  const soql: string[] = [];
  const send = sync.query.bind(sync);
  jest.spyOn(sync, 'query').mockImplementation(((q: string, ...rest: unknown[]) => {
    soql.push(q);
    return (send as (...a: unknown[]) => unknown)(q, ...rest);
  }) as typeof sync.query);
  const store = new Store(org.orgId, { memory: true });
  return {
    org,
    admin,
    sync,
    soql,
    store,
    close: async () => {
      store.close();
      await org.close();
    }
  };
}

const HEADER = 'ResponseId,Email,Touchpoint,Channel,OccurredAt,NPS';

/** A survey export with one response per e-mail cell (quoted, so spaces stay). */
function exportFile(name: string, emails: [string, string][]): string {
  const lines = emails.map(
    ([id, email]) => `${id},"${email}",ONB-WELCOME-CALL,Phone,2026-06-02T10:00:00Z,9`
  );
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${HEADER}\n${lines.join('\n')}\n`);
  return file;
}

interface Matched {
  response_id: string;
  match_status: string;
  match_reason: string | null;
  match_candidates: string | null;
  contact_id: string | null;
  account_id: string | null;
}

function matches(store: Store): Map<string, Matched> {
  const rows = store.db
    .prepare(
      'SELECT response_id, match_status, match_reason, match_candidates, contact_id, account_id FROM responses'
    )
    .all() as Matched[];
  return new Map(rows.map((r) => [r.response_id, r]));
}

const create = async (conn: Connection, object: string, record: Record<string, unknown>) =>
  ((await conn.sobject(object).create(record)) as { id: string }).id;

async function personAccount(
  admin: Connection,
  record: Record<string, unknown>
): Promise<{ accountId: string; contactId: string }> {
  const accountId = await create(admin, 'Account', record);
  const res = await admin.query<{ PersonContactId: string }>(
    `SELECT PersonContactId FROM Account WHERE Id = '${accountId}'`
  );
  return { accountId, contactId: res.records[0]!.PersonContactId };
}

describe('match with Person Accounts on', () => {
  let w: World;
  let iris: { accountId: string; contactId: string };
  let sam: { accountId: string; contactId: string };
  let business: string;
  let bas: string;
  let samAtWork: string;

  beforeAll(async () => {
    w = await world(true);
    iris = await personAccount(w.admin, {
      FirstName: 'Iris',
      LastName: 'Visser',
      PersonEmail: 'Iris.Visser@Example.nl'
    });
    sam = await personAccount(w.admin, {
      FirstName: 'Sam',
      LastName: 'Smit',
      PersonEmail: 'sam@shared.example'
    });
    business = await create(w.admin, 'Account', { Name: 'Testbedrijf BV' });
    bas = await create(w.admin, 'Contact', {
      FirstName: 'Bas',
      LastName: 'Bakker',
      Email: 'bas@testbedrijf.example',
      AccountId: business
    });
    // The same person, known at work as a business contact: one e-mail, two Contacts.
    samAtWork = await create(w.admin, 'Contact', {
      FirstName: 'Sam',
      LastName: 'Smit',
      Email: 'SAM@Shared.example',
      AccountId: business
    });
  });
  afterAll(() => w.close());

  it('links each response to its Contact and Account, and lists both candidates for a shared e-mail', async () => {
    const file = exportFile('persons.csv', [
      ['P-1', 'iris.visser@example.nl'],
      ['P-2', '  IRIS.Visser@EXAMPLE.NL '],
      ['P-3', 'Iris.Visser@Example.nl'],
      ['B-1', 'bas@testbedrijf.example'],
      ['B-2', ' Bas@TestBedrijf.Example'],
      ['S-1', 'sam@shared.example'],
      ['S-2', 'Sam@Shared.Example '],
      ['U-1', 'nobody@nowhere.example']
    ]);
    const imported = await importFiles(w.store, [file]);
    expect(imported).toMatchObject({ stored: 8, quarantined: 0 });

    const counter = new ApiCounter();
    const result = await matchStore(w.store, w.sync, { counter });
    expect(result).toMatchObject({
      considered: 8,
      matched: 5,
      unmatched: 3,
      reasons: { ambiguous: 2, 'unknown e-mail': 1 }
    });
    expect(counter.calls['Account:describe']).toBe(1);
    expect(w.soql.some((q) => /FROM Account WHERE PersonEmail IN \(/.test(q))).toBe(true);

    const m = matches(w.store);
    for (const id of ['P-1', 'P-2', 'P-3']) {
      expect(m.get(id)).toMatchObject({
        match_status: 'matched',
        match_reason: null,
        match_candidates: null,
        contact_id: iris.contactId,
        account_id: iris.accountId
      });
    }
    for (const id of ['B-1', 'B-2']) {
      expect(m.get(id)).toMatchObject({
        match_status: 'matched',
        match_reason: null,
        contact_id: bas,
        account_id: business
      });
    }
    for (const id of ['S-1', 'S-2']) {
      const r = m.get(id)!;
      expect(r).toMatchObject({
        match_status: 'unmatched',
        match_reason: 'ambiguous',
        contact_id: null,
        account_id: null
      });
      // Both people behind the e-mail, each once: the business contact and the person contact.
      expect((JSON.parse(r.match_candidates!) as string[]).sort()).toEqual(
        [samAtWork, sam.contactId].sort()
      );
    }
    expect(m.get('U-1')).toMatchObject({
      match_status: 'unmatched',
      match_reason: 'unknown e-mail',
      match_candidates: null,
      contact_id: null,
      account_id: null
    });
  });

  it('matches the person account once the shared e-mail is resolved, and the sync pushes to it', async () => {
    // The business contact gets its own e-mail: the shared one now names only Sam's person account.
    await w.admin
      .sobject('Contact')
      .update({ Id: samAtWork, Email: 'sam.smit@testbedrijf.example' });
    const result = await matchStore(w.store, w.sync);
    expect(result).toMatchObject({ considered: 3, matched: 2, unmatched: 1 });
    const m = matches(w.store);
    for (const id of ['S-1', 'S-2']) {
      expect(m.get(id)).toMatchObject({
        match_status: 'matched',
        match_reason: null,
        match_candidates: null,
        contact_id: sam.contactId,
        account_id: sam.accountId
      });
    }

    const run = await runSync(w.store, {
      conn: w.sync,
      orgId: w.org.orgId,
      instanceUrl: w.org.instanceUrl,
      username: w.org.users.sync.username,
      local: true
    });
    expect(run.error).toBeNull();
    const perceptions = await w.admin.query<{
      Response_Id__c: string;
      Account__c: string;
      Contact__c: string;
    }>(
      'SELECT Response_Id__c, Account__c, Contact__c FROM CX_Perception__c ORDER BY Response_Id__c'
    );
    expect(perceptions.records.map((p) => [p.Response_Id__c, p.Account__c, p.Contact__c])).toEqual([
      ['B-1', business, bas],
      ['B-2', business, bas],
      ['P-1', iris.accountId, iris.contactId],
      ['P-2', iris.accountId, iris.contactId],
      ['P-3', iris.accountId, iris.contactId],
      ['S-1', sam.accountId, sam.contactId],
      ['S-2', sam.accountId, sam.contactId]
    ]);
    // The summary fields reach the person account and its person contact.
    const summary = await w.admin.query<{
      CX_Last_Perception__c: string | null;
      PersonContact: { CX_Last_Perception__c: string | null };
    }>(
      `SELECT CX_Last_Perception__c, PersonContact.CX_Last_Perception__c FROM Account WHERE Id = '${iris.accountId}'`
    );
    const [row] = summary.records;
    const at = (v: string | null | undefined) => (v ? new Date(v).toISOString() : v);
    expect(at(row!.CX_Last_Perception__c)).toBe('2026-06-02T10:00:00.000Z');
    expect(at(row!.PersonContact.CX_Last_Perception__c)).toBe('2026-06-02T10:00:00.000Z');
  });

  it('keeps person-account matches when the Account describe fails: the person contact carries the e-mail', async () => {
    const file = exportFile('describe.csv', [['R-1', 'iris.visser@example.nl']]);
    await importFiles(w.store, [file]);
    // A 403 jsforce does not retry: the sync cannot tell whether Person Accounts are on.
    w.org.faults.add({
      kind: 'REQUEST_LIMIT_EXCEEDED',
      count: 1,
      pathPrefix: '/services/data/v62.0/sobjects/Account/describe'
    });
    w.soql.length = 0;
    const result = await matchStore(w.store, w.sync);
    expect(w.org.faults.injected.REQUEST_LIMIT_EXCEEDED).toBe(1);
    expect(w.soql.filter((q) => q.includes('PersonEmail'))).toEqual([]);
    expect(result.matched).toBe(1);
    expect(matches(w.store).get('R-1')).toMatchObject({
      match_status: 'matched',
      contact_id: iris.contactId,
      account_id: iris.accountId
    });
  });
});

describe('match with Person Accounts off', () => {
  let w: World;
  let business: string;
  let anna: string;

  beforeAll(async () => {
    w = await world(false);
    business = await create(w.admin, 'Account', { Name: 'Testbedrijf BV' });
    anna = await create(w.admin, 'Contact', {
      LastName: 'Jansen',
      Email: 'Anna.Jansen@Testbedrijf.example',
      AccountId: business
    });
  });
  afterAll(() => w.close());

  it('matches business contacts by e-mail and never asks Account for PersonEmail', async () => {
    const file = exportFile('business.csv', [
      ['A-1', ' anna.jansen@testbedrijf.EXAMPLE'],
      ['A-2', 'iris.visser@example.nl']
    ]);
    await importFiles(w.store, [file]);
    const counter = new ApiCounter();
    const result = await matchStore(w.store, w.sync, { counter });
    expect(result).toMatchObject({ matched: 1, unmatched: 1, reasons: { 'unknown e-mail': 1 } });
    const m = matches(w.store);
    expect(m.get('A-1')).toMatchObject({
      match_status: 'matched',
      contact_id: anna,
      account_id: business
    });
    expect(m.get('A-2')).toMatchObject({
      match_status: 'unmatched',
      match_reason: 'unknown e-mail'
    });
    // The describe says there are no person accounts, so no query names PersonEmail (it would fail).
    expect(counter.calls['Account:describe']).toBe(1);
    expect(w.soql.filter((q) => /PersonEmail|PersonContactId/i.test(q))).toEqual([]);
    expect(w.soql.some((q) => /FROM Contact WHERE Email IN \(/.test(q))).toBe(true);
  });
});
