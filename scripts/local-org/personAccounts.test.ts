import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@jsforce/jsforce-node';
import { startLocalOrg, type LocalOrg } from './org';
import type { Persona } from './core';
import { makeId } from './ids';
import { fixtureSchema } from './testing/fixtureSchema';

/**
 * Person Accounts over the wire (jsforce against the local org): what an org
 * with the feature does on create, update, delete, describe and SOQL, and
 * that an org without it is unchanged.
 */

type Rec = Record<string, unknown>;

const connect = (org: LocalOrg, persona: Persona = 'admin') =>
  new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.users[persona].accessToken,
    version: '62.0'
  });

/** The errors of a failed single-record create or update, as `CODE: message`. */
async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const err = e as { errorCode?: string; message: string };
    return `${err.errorCode}: ${err.message}`;
  }
  throw new Error('expected the call to fail');
}

/** Records without their `attributes`, parents included. */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  const { attributes: _a, ...rest } = value as Rec;
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, plain(v)]));
}

async function query(conn: Connection, soql: string): Promise<Rec[]> {
  const res = await conn.query<Rec>(soql);
  return res.records.map((r) => plain(r) as Rec);
}

describe('an org without Person Accounts', () => {
  let org: LocalOrg;
  beforeAll(async () => {
    org = await startLocalOrg({ memory: true, schema: fixtureSchema() });
  });
  afterAll(() => org.close());

  it('has no person fields, no record types, and keeps Account.Name written', async () => {
    const conn = connect(org);
    const fields = (await conn.sobject('Account').describe()).fields.map((f) => f.name);
    expect(fields).toContain('Name');
    for (const name of ['PersonEmail', 'IsPersonAccount', 'PersonContactId', 'RecordTypeId']) {
      expect(fields).not.toContain(name);
    }
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((o) => o.name)).not.toContain('RecordType');
    expect(await failure(conn.sobject('Account').create({ LastName: 'Jansen' }))).toMatch(
      /^INVALID_FIELD: No such column 'LastName' on sobject of type Account/
    );
    const { id } = (await conn.sobject('Account').create({ Name: 'Acme' })) as { id: string };
    expect(((await conn.sobject('Account').retrieve(id)) as Rec).Name).toBe('Acme');
    expect(org.core.personAccounts).toBe(false);
  });
});

describe('an org with Person Accounts', () => {
  let org: LocalOrg;
  let admin: Connection;
  beforeAll(async () => {
    org = await startLocalOrg({ memory: true, schema: fixtureSchema(), personAccounts: true });
    admin = connect(org);
  });
  afterAll(() => org.close());

  const create = async (conn: Connection, record: Rec): Promise<string> =>
    ((await conn.sobject('Account').create(record)) as { id: string }).id;
  const account = async (id: string) =>
    (
      await query(
        admin,
        `SELECT Name, FirstName, LastName, PersonEmail, IsPersonAccount, PersonContactId, RecordType.DeveloperName, OwnerId FROM Account WHERE Id = '${id}'`
      )
    )[0]!;
  const contactOf = async (accountId: string) =>
    query(
      admin,
      `SELECT Id, Name, FirstName, LastName, Email, AccountId, IsPersonAccount, OwnerId FROM Contact WHERE AccountId = '${accountId}'`
    );

  it('makes an account created with LastName and no Name a person account with its person contact', async () => {
    const id = await create(admin, {
      FirstName: 'Anna',
      LastName: 'Jansen',
      PersonEmail: 'Anna.Jansen@Example.com'
    });
    const acc = await account(id);
    expect(acc).toMatchObject({
      Name: 'Anna Jansen',
      IsPersonAccount: true,
      PersonEmail: 'Anna.Jansen@Example.com',
      RecordType: { DeveloperName: 'PersonAccount' }
    });
    const contacts = await contactOf(id);
    expect(contacts).toEqual([
      {
        Id: acc.PersonContactId,
        Name: 'Anna Jansen',
        FirstName: 'Anna',
        LastName: 'Jansen',
        Email: 'Anna.Jansen@Example.com',
        AccountId: id,
        IsPersonAccount: true,
        OwnerId: org.users.admin.userId
      }
    ]);
  });

  it('makes one with a person account record type a person account, and one with Name a business account', async () => {
    const [personType] = await query(
      admin,
      "SELECT Id FROM RecordType WHERE SobjectType = 'Account' AND IsPersonType = true"
    );
    const person = await create(admin, { RecordTypeId: personType!.Id, LastName: 'Bakker' });
    expect(await account(person)).toMatchObject({
      Name: 'Bakker',
      FirstName: null,
      IsPersonAccount: true
    });
    const business = await create(admin, { Name: 'Globex' });
    expect(await account(business)).toMatchObject({
      Name: 'Globex',
      IsPersonAccount: false,
      PersonContactId: null,
      RecordType: { DeveloperName: 'Business_Account' }
    });
    expect(await contactOf(business)).toEqual([]);
  });

  it('refuses what an org with Person Accounts refuses on create', async () => {
    const sobject = admin.sobject('Account');
    expect(await failure(sobject.create({ Name: 'Initech', LastName: 'Smith' }))).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE: Account: bad field names on insert/update call: LastName'
    );
    const [personType] = await query(
      admin,
      "SELECT Id FROM RecordType WHERE DeveloperName = 'PersonAccount'"
    );
    expect(
      await failure(sobject.create({ RecordTypeId: personType!.Id, Name: 'X', LastName: 'Y' }))
    ).toMatch(/^INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create\/update fields: Name\./);
    expect(await failure(sobject.create({ RecordTypeId: personType!.Id, FirstName: 'Only' }))).toBe(
      'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]'
    );
    expect(await failure(sobject.create({ LastName: 'Z', IsPersonAccount: true }))).toMatch(
      /^INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create\/update fields: IsPersonAccount\./
    );
    const notAType = makeId('012', 999);
    expect(await failure(sobject.create({ RecordTypeId: notAType, LastName: 'Z' }))).toBe(
      `INVALID_CROSS_REFERENCE_KEY: Record Type ID: this ID value isn't valid for the user: ${notAType}`
    );
    expect(await failure(sobject.create({ Industry: 'Retail' }))).toBe(
      'REQUIRED_FIELD_MISSING: Required fields are missing: [Name]'
    );
    // Nothing of the refused accounts was left behind.
    const names = (await query(admin, 'SELECT Name FROM Contact')).map((c) => c.Name);
    expect(names).not.toContain('Y');
    expect(names).not.toContain('Z');
  });

  it('leaves no person contact behind when a collection rolls back', async () => {
    const results = (await admin.sobject('Account').create(
      [
        { LastName: 'Rollback', PersonEmail: 'rollback@x.example' },
        { Name: 'B', LastName: 'C' }
      ],
      { allOrNone: true }
    )) as unknown as { success: boolean }[];
    expect(results.map((r) => r.success)).toEqual([false, false]);
    expect(await query(admin, "SELECT Id FROM Contact WHERE Email = 'rollback@x.example'")).toEqual(
      []
    );
    const partial = (await admin.sobject('Account').create(
      [
        { LastName: 'Kept', PersonEmail: 'kept@x.example' },
        { Name: 'B', LastName: 'C' }
      ],
      { allOrNone: false }
    )) as unknown as { success: boolean }[];
    expect(partial.map((r) => r.success)).toEqual([true, false]);
    expect(
      await query(
        admin,
        "SELECT Name, Account.PersonEmail FROM Contact WHERE Email = 'kept@x.example'"
      )
    ).toEqual([{ Name: 'Kept', Account: { PersonEmail: 'kept@x.example' } }]);
  });

  it('describes the person fields and the record types', async () => {
    const d = await admin.sobject('Account').describe();
    const byName = new Map(d.fields.map((f) => [f.name, f]));
    expect(byName.get('IsPersonAccount')).toMatchObject({
      type: 'boolean',
      createable: false,
      updateable: false,
      filterable: true
    });
    expect(byName.get('PersonContactId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Contact'],
      relationshipName: 'PersonContact',
      createable: false,
      updateable: false,
      nillable: true
    });
    expect(byName.get('PersonEmail')).toMatchObject({
      type: 'email',
      length: 80,
      createable: true
    });
    expect(byName.get('FirstName')).toMatchObject({ type: 'string', length: 40 });
    expect(byName.get('LastName')).toMatchObject({ type: 'string', length: 80 });
    expect(byName.get('RecordTypeId')).toMatchObject({
      type: 'reference',
      referenceTo: ['RecordType'],
      relationshipName: 'RecordType'
    });
    expect(byName.get('Name')).toMatchObject({ createable: true, updateable: true });
    expect(
      (d.recordTypeInfos as unknown as Rec[]).map((r) => [
        r.developerName,
        r.master,
        r.defaultRecordTypeMapping
      ])
    ).toEqual([
      ['Business_Account', false, true],
      ['PersonAccount', false, false],
      ['Master', true, false]
    ]);
    const contact = await admin.sobject('Contact').describe();
    expect(contact.fields.find((f) => f.name === 'IsPersonAccount')).toMatchObject({
      type: 'boolean',
      createable: false,
      updateable: false
    });
  });

  it('filters and selects the person fields in SOQL, e-mail compared without case', async () => {
    const id = await create(admin, {
      FirstName: 'Chris',
      LastName: 'de Vries',
      PersonEmail: 'Chris.DeVries@Example.com'
    });
    const found = await query(
      admin,
      "SELECT Id, PersonEmail, PersonContactId, PersonContact.Email FROM Account WHERE IsPersonAccount = true AND PersonEmail IN ('chris.devries@example.com')"
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      Id: id,
      PersonEmail: 'Chris.DeVries@Example.com',
      PersonContact: { Email: 'Chris.DeVries@Example.com' }
    });
    // The person contact answers a Contact query by e-mail, as in an org.
    const contacts = await query(
      admin,
      "SELECT Id, AccountId, IsPersonAccount FROM Contact WHERE Email = 'CHRIS.DEVRIES@example.com'"
    );
    expect(contacts).toEqual([
      { Id: found[0]!.PersonContactId, AccountId: id, IsPersonAccount: true }
    ]);
    const counts = await query(
      admin,
      'SELECT IsPersonAccount, COUNT(Id) n FROM Account GROUP BY IsPersonAccount ORDER BY IsPersonAccount'
    );
    expect(counts.map((c) => c.IsPersonAccount)).toEqual([false, true]);
  });

  it('carries changes of the names and e-mail to the person contact and guards the rest', async () => {
    const id = await create(admin, {
      FirstName: 'Eva',
      LastName: 'Smit',
      PersonEmail: 'eva@x.example'
    });
    await admin
      .sobject('Account')
      .update({ Id: id, LastName: 'Smit-Jansen', PersonEmail: 'eva@y.example' });
    const acc = await account(id);
    expect(acc).toMatchObject({ Name: 'Eva Smit-Jansen', PersonEmail: 'eva@y.example' });
    expect(await contactOf(id)).toEqual([
      expect.objectContaining({ Name: 'Eva Smit-Jansen', Email: 'eva@y.example' })
    ]);

    const accounts = admin.sobject('Account');
    expect(await failure(accounts.update({ Id: id, Name: 'Someone else' }))).toMatch(
      /^INVALID_FIELD_FOR_INSERT_UPDATE: Unable to create\/update fields: Name\./
    );
    expect(await failure(accounts.update({ Id: id, LastName: null }))).toBe(
      'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]'
    );
    const [business] = (await query(
      admin,
      "SELECT Id, RecordTypeId FROM Account WHERE Name = 'Globex'"
    )) as { Id: string; RecordTypeId: string }[];
    expect(await failure(accounts.update({ Id: business!.Id, PersonEmail: 'x@y.example' }))).toBe(
      'INVALID_FIELD_FOR_INSERT_UPDATE: Account: bad field names on insert/update call: PersonEmail'
    );
    expect(
      await failure(accounts.update({ Id: id, RecordTypeId: business!.RecordTypeId }))
    ).toMatch(
      /^INVALID_FIELD_FOR_INSERT_UPDATE: The local org does not change an account between business and person account/
    );

    // The person contact: its own fields change (the sync's summary fields), its account's do not.
    const contacts = admin.sobject('Contact');
    const contactId = String(acc.PersonContactId);
    await contacts.update({ Id: contactId, CX_NPS__c: 40 });
    expect(
      (await query(admin, `SELECT CX_NPS__c FROM Contact WHERE Id = '${contactId}'`))[0]
    ).toEqual({ CX_NPS__c: 40 });
    expect(await failure(contacts.update({ Id: contactId, Email: 'other@x.example' }))).toBe(
      "INVALID_FIELD_FOR_INSERT_UPDATE: A person contact's Email belong to its person account: change them on the account."
    );
    expect(await failure(contacts.update({ Id: contactId, AccountId: business!.Id }))).toMatch(
      /^INVALID_FIELD_FOR_INSERT_UPDATE: A person contact's AccountId/
    );
    expect(await failure(contacts.create({ LastName: 'Intruder', AccountId: id }))).toBe(
      'FIELD_INTEGRITY_EXCEPTION: A person account has one contact, its person contact: link this contact to a business account.'
    );
    // A business contact is a business contact.
    const { id: worker } = (await contacts.create({
      LastName: 'Worker',
      AccountId: business!.Id
    })) as { id: string };
    expect(
      (await query(admin, `SELECT IsPersonAccount FROM Contact WHERE Id = '${worker}'`))[0]
    ).toEqual({
      IsPersonAccount: false
    });
  });

  it('deletes the person contact with its account, and only with it', async () => {
    const id = await create(admin, { LastName: 'Kort', PersonEmail: 'kort@x.example' });
    const { PersonContactId: contactId } = await account(id);
    expect(await failure(admin.sobject('Contact').destroy(String(contactId)))).toBe(
      'DELETE_FAILED: A person contact is deleted with its person account: delete the account instead.'
    );
    await admin.sobject('Account').destroy(id);
    expect(await query(admin, `SELECT Id FROM Contact WHERE Id = '${String(contactId)}'`)).toEqual(
      []
    );
    const bin = await admin.query<Rec>(
      `SELECT Id, IsDeleted FROM Contact WHERE Id = '${String(contactId)}'`,
      { scanAll: true }
    );
    expect(bin.records.map((r) => r.IsDeleted)).toEqual([true]);
    // Hard delete (emptying the bin) takes the person contact for good too.
    org.core.records.hardDelete(org.core.context('admin'), id);
    const gone = await admin.query<Rec>(
      `SELECT Id FROM Contact WHERE Id = '${String(contactId)}'`,
      {
        scanAll: true
      }
    );
    expect(gone.records).toEqual([]);
  });

  it('creates person accounts through Bulk API 2.0 beside business accounts', async () => {
    const result = await admin.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [
        { Name: 'Hooli', FirstName: '', LastName: '', PersonEmail: '' },
        { Name: '', FirstName: 'Fleur', LastName: 'Bos', PersonEmail: 'fleur@bulk.example' },
        { Name: 'Both', FirstName: '', LastName: 'Wrong', PersonEmail: '' }
      ],
      pollInterval: 50,
      pollTimeout: 20000
    });
    expect(result.successfulResults).toHaveLength(2);
    expect(result.failedResults.map((r) => r.sf__Error)).toEqual([
      'INVALID_FIELD_FOR_INSERT_UPDATE:Account: bad field names on insert/update call: LastName:LastName --'
    ]);
    const [fleur] = await query(
      admin,
      "SELECT Name, IsPersonAccount, PersonContact.Email FROM Account WHERE PersonEmail = 'fleur@bulk.example'"
    );
    expect(fleur).toMatchObject({
      Name: 'Fleur Bos',
      IsPersonAccount: true,
      PersonContact: { Email: 'fleur@bulk.example' }
    });
  });

  it("lets a rep create a person account; the person contact is the rep's too", async () => {
    const rep = connect(org, 'rep');
    const id = await create(rep, { LastName: 'Rep-Klant', PersonEmail: 'klant@rep.example' });
    const mine = await query(
      rep,
      "SELECT Id, PersonContact.OwnerId FROM Account WHERE PersonEmail = 'klant@rep.example'"
    );
    expect(mine).toEqual([{ Id: id, PersonContact: { OwnerId: org.users.rep.userId } }]);
  });
});

describe('enabling Person Accounts on an org with data', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'local-org-pa-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the existing accounts business accounts and keeps the feature on after a restart', async () => {
    const before = await startLocalOrg({ dir, schema: fixtureSchema() });
    const old = await connect(before).sobject('Account').create({ Name: 'Old Co' });
    await before.close();

    const enabled = await startLocalOrg({ dir, schema: fixtureSchema(), personAccounts: true });
    const conn = connect(enabled);
    expect(
      await query(conn, 'SELECT Name, IsPersonAccount, RecordType.DeveloperName FROM Account')
    ).toEqual([
      { Name: 'Old Co', IsPersonAccount: false, RecordType: { DeveloperName: 'Business_Account' } }
    ]);
    await conn.sobject('Account').create({ LastName: 'Nieuw', PersonEmail: 'nieuw@x.example' });
    await enabled.close();

    // As in an org, the feature cannot be turned off again: its data needs the fields.
    const again = await startLocalOrg({ dir, schema: fixtureSchema() });
    expect(again.core.personAccounts).toBe(true);
    const rows = await query(
      connect(again),
      'SELECT Id, Name, IsPersonAccount, PersonContact.Email FROM Account ORDER BY Name'
    );
    expect(rows).toEqual([
      {
        Id: rows[0]!.Id,
        Name: 'Nieuw',
        IsPersonAccount: true,
        PersonContact: { Email: 'nieuw@x.example' }
      },
      {
        Id: (old as { id: string }).id,
        Name: 'Old Co',
        IsPersonAccount: false,
        PersonContact: null
      }
    ]);
    await again.close();
  });
});
