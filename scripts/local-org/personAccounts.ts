/**
 * Person Accounts, as an org with the feature enabled behaves as far as the
 * project uses it (Salesforce's "Person Account Record Types" API guide and
 * what data loaders meet in such orgs):
 *
 * - Account gains RecordTypeId, IsPersonAccount (read-only), FirstName,
 *   LastName, PersonEmail and PersonContactId (read-only, to Contact);
 *   Contact gains IsPersonAccount (read-only); RecordType holds a business
 *   and a person account record type.
 * - An Account created with a person account record type, or with LastName
 *   (or FirstName, PersonEmail) and no Name, is a person account: its Name is
 *   FirstName + LastName, and a person contact with the same names and
 *   e-mail (Contact.Email = PersonEmail) is created under it and linked by
 *   PersonContactId. Changing the names or e-mail on the account changes
 *   the person contact; deleting the account deletes it.
 * - A person account's Name is not writable ("Unable to create/update
 *   fields: Name"); a business account refuses the person fields ("bad field
 *   names on insert/update call").
 *
 * The local org's own rules where the sources did not say (README): a
 * person contact's names, e-mail and account are changed through its
 * account, and it is deleted with it; no business contact joins a person
 * account; an account does not change between business and person.
 */
import { fieldDef as def } from '../metadata/forceApp';
import type { FieldDef, ObjectDef, ProjectSchema } from '../metadata/types';
import { SfError } from './errors';
import { makeId } from './ids';
import type { HookContext, RecordHooks } from './records';
import type { OrgField, OrgObject, OrgSchema } from './schema';
import type { Row, SqlValue, Storage } from './storage';

/** Record types of Account in an org with Person Accounts (Ids fixed, so they survive restarts). */
export const BUSINESS_ACCOUNT_RECORD_TYPE = makeId('012', 1);
export const PERSON_ACCOUNT_RECORD_TYPE = makeId('012', 2);

export const ACCOUNT_RECORD_TYPES = [
  {
    id: BUSINESS_ACCOUNT_RECORD_TYPE,
    name: 'Business Account',
    developerName: 'Business_Account',
    isPersonType: false
  },
  {
    id: PERSON_ACCOUNT_RECORD_TYPE,
    name: 'Person Account',
    developerName: 'PersonAccount',
    isPersonType: true
  }
] as const;

/** Storage meta key: once on, Person Accounts stay on for that org (as in a real org). */
const META_KEY = 'personAccounts';

/** The fields a business account may not use; any of them (without Name) makes a person account. */
const PERSON_FIELDS = ['FirstName', 'LastName', 'PersonEmail'] as const;
/** A person contact's fields that belong to its account. */
const SHARED_CONTACT_FIELDS = ['FirstName', 'LastName', 'Email', 'AccountId'] as const;

const readOnly = { createable: false, updateable: false } as const;

const ACCOUNT_FIELDS: FieldDef[] = [
  def('RecordTypeId', 'Account Record Type', 'Lookup', {
    referenceTo: ['RecordType'],
    relationshipName: 'RecordType'
  }),
  def('IsPersonAccount', 'Is Person Account', 'Checkbox', readOnly),
  def('FirstName', 'First Name', 'Text', { length: 40 }),
  def('LastName', 'Last Name', 'Text', { length: 80 }),
  def('PersonEmail', 'Email', 'Email', { length: 80 }),
  def('PersonContactId', 'Contact ID', 'Lookup', {
    referenceTo: ['Contact'],
    relationshipName: 'PersonContact',
    ...readOnly
  })
];

const CONTACT_FIELDS: FieldDef[] = [
  def('IsPersonAccount', 'Is Person Account', 'Checkbox', readOnly)
];

const RECORD_TYPE: ObjectDef = {
  name: 'RecordType',
  label: 'Record Type',
  pluralLabel: 'Record Types',
  custom: false,
  customMetadata: false,
  keyPrefix: '012',
  fields: [
    def('Name', 'Record Type Name', 'Text', { length: 80, ...readOnly }),
    def('DeveloperName', 'Record Type Name', 'Text', { length: 80, ...readOnly }),
    def('SobjectType', 'SObject Type Name', 'Text', { length: 40, ...readOnly }),
    def('IsPersonType', 'Is Person Type', 'Checkbox', readOnly),
    def('IsActive', 'Active', 'Checkbox', readOnly),
    def('Description', 'Description', 'Text', { length: 255, ...readOnly })
  ],
  validationRules: []
};

function withFields(o: ObjectDef, fields: FieldDef[]): ObjectDef {
  const names = new Set(fields.map((f) => f.name.toLowerCase()));
  return { ...o, fields: [...o.fields.filter((f) => !names.has(f.name.toLowerCase())), ...fields] };
}

/** The schema of an org with Person Accounts: the Account, Contact and RecordType fields above. */
export function withPersonAccounts(project: ProjectSchema): ProjectSchema {
  const objects = new Map(project.objects);
  const keyOf = (name: string) =>
    [...objects.keys()].find((k) => k.toLowerCase() === name.toLowerCase());
  const account = keyOf('Account');
  const contact = keyOf('Contact');
  if (!account || !contact) {
    throw new Error('Person Accounts need the Account and Contact objects in the schema');
  }
  objects.set(account, withFields(objects.get(account)!, ACCOUNT_FIELDS));
  objects.set(contact, withFields(objects.get(contact)!, CONTACT_FIELDS));
  const rt = keyOf('RecordType');
  objects.set(
    rt ?? 'RecordType',
    rt ? withFields(objects.get(rt)!, RECORD_TYPE.fields) : RECORD_TYPE
  );
  return { ...project, objects };
}

/** Whether the org in this storage had Person Accounts enabled before. */
export function personAccountsEnabled(storage: Storage): boolean {
  return storage.getMeta(META_KEY) === 'on';
}

/**
 * Seeds the record types and, the first time, makes every existing account a
 * business account and every contact a business contact (as enabling the
 * feature does in an org).
 */
export function enablePersonAccounts(storage: Storage, schema: OrgSchema): void {
  const rt = schema.get('RecordType');
  const account = schema.get('Account');
  if (!rt || !account) throw new Error('The schema has no Person Account fields');
  storage.transaction(() => {
    for (const r of ACCOUNT_RECORD_TYPES) {
      if (storage.get(rt, r.id)) continue;
      const now = new Date(0).toISOString();
      storage.insert(rt, {
        Id: r.id,
        IsDeleted: 0,
        CreatedDate: now,
        LastModifiedDate: now,
        SystemModstamp: now,
        Name: r.name,
        DeveloperName: r.developerName,
        SobjectType: 'Account',
        IsPersonType: r.isPersonType ? 1 : 0,
        IsActive: 1,
        Description: null
      });
    }
    if (!personAccountsEnabled(storage)) {
      storage.db
        .prepare(
          'UPDATE "Account" SET "IsPersonAccount" = 0, "RecordTypeId" = COALESCE("RecordTypeId", ?) WHERE "IsPersonAccount" IS NULL'
        )
        .run(BUSINESS_ACCOUNT_RECORD_TYPE);
      storage.db.exec('UPDATE "Contact" SET "IsPersonAccount" = 0 WHERE "IsPersonAccount" IS NULL');
      storage.setMeta(META_KEY, 'on');
    }
  });
}

function given(obj: OrgObject, values: Map<OrgField, SqlValue>, name: string): boolean {
  const f = obj.fieldMap.get(name.toLowerCase());
  const v = f ? values.get(f) : undefined;
  return v !== undefined && v !== null;
}

function personName(row: Row): string {
  return [row.FirstName, row.LastName].filter((p) => typeof p === 'string' && p).join(' ');
}

function notWritable(names: string[]): SfError {
  return new SfError(
    'INVALID_FIELD_FOR_INSERT_UPDATE',
    `Unable to create/update fields: ${names.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
    names
  );
}

function requiredMissing(name: string): SfError {
  return new SfError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${name}]`, [name]);
}

/** The record layer's Person Account behaviour. */
export class PersonAccountRules implements RecordHooks {
  private readonly account: OrgObject;
  private readonly contact: OrgObject;
  private readonly recordType: OrgObject;

  constructor(schema: OrgSchema) {
    const get = (name: string) => {
      const o = schema.get(name);
      if (!o) throw new Error(`Person Accounts need the ${name} object`);
      return o;
    };
    this.account = get('Account');
    this.contact = get('Contact');
    this.recordType = get('RecordType');
  }

  beforeWrite(
    w: HookContext,
    obj: OrgObject,
    row: Row,
    values: Map<OrgField, SqlValue>,
    prior: Row | undefined
  ): void {
    if (obj === this.account) this.checkAccount(w, row, values, prior);
    else if (obj === this.contact) this.checkContact(w, row, values, prior);
  }

  afterWrite(w: HookContext, obj: OrgObject, row: Row, prior: Row | undefined): void {
    if (obj !== this.account || row.IsPersonAccount !== 1) return;
    const shared = {
      FirstName: row.FirstName ?? null,
      LastName: row.LastName ?? null,
      Email: row.PersonEmail ?? null,
      OwnerId: row.OwnerId ?? null
    };
    if (!prior) {
      const contactId = w.records.platformInsert(w.ctx, this.contact, {
        ...shared,
        AccountId: String(row.Id),
        IsPersonAccount: 1
      });
      w.records.platformUpdate(w.ctx, this.account, String(row.Id), {
        PersonContactId: contactId
      });
      return;
    }
    const changed =
      row.FirstName !== prior.FirstName ||
      row.LastName !== prior.LastName ||
      row.PersonEmail !== prior.PersonEmail ||
      row.OwnerId !== prior.OwnerId;
    if (changed && typeof row.PersonContactId === 'string') {
      w.records.platformUpdate(w.ctx, this.contact, row.PersonContactId, shared);
    }
  }

  beforeDelete(_w: HookContext, obj: OrgObject, row: Row): void {
    if (obj === this.contact && row.IsPersonAccount === 1) {
      throw new SfError(
        'DELETE_FAILED',
        'A person contact is deleted with its person account: delete the account instead.',
        []
      );
    }
  }

  dependents(_w: HookContext, obj: OrgObject, row: Row): { obj: OrgObject; id: string }[] {
    return obj === this.account && typeof row.PersonContactId === 'string'
      ? [{ obj: this.contact, id: row.PersonContactId }]
      : [];
  }

  /** The record type named on the row, if any, checked to be one of Account's. */
  private recordTypeOf(w: HookContext, row: Row): Row | undefined {
    const id = row.RecordTypeId;
    if (typeof id !== 'string') return undefined;
    const rt = w.records.storage.get(this.recordType, id);
    if (!rt || rt.IsDeleted || rt.IsActive !== 1 || rt.SobjectType !== 'Account') {
      throw new SfError(
        'INVALID_CROSS_REFERENCE_KEY',
        `Record Type ID: this ID value isn't valid for the user: ${id}`,
        ['RecordTypeId']
      );
    }
    return rt;
  }

  private checkAccount(
    w: HookContext,
    row: Row,
    values: Map<OrgField, SqlValue>,
    prior: Row | undefined
  ): void {
    const has = (name: string) => given(this.account, values, name);
    let person: boolean;
    if (prior) {
      person = prior.IsPersonAccount === 1;
      if (row.RecordTypeId !== prior.RecordTypeId) {
        const rt = this.recordTypeOf(w, row);
        if (!rt || (rt.IsPersonType === 1) !== person) {
          throw new SfError(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            'The local org does not change an account between business and person account; create the account again with the other record type.',
            ['RecordTypeId']
          );
        }
      }
    } else {
      const rt = this.recordTypeOf(w, row);
      person = rt ? rt.IsPersonType === 1 : !has('Name') && PERSON_FIELDS.some((name) => has(name));
      row.RecordTypeId = rt
        ? String(rt.Id)
        : person
          ? PERSON_ACCOUNT_RECORD_TYPE
          : BUSINESS_ACCOUNT_RECORD_TYPE;
      row.IsPersonAccount = person ? 1 : 0;
    }
    if (!person) {
      const bad = PERSON_FIELDS.filter((name) => has(name));
      if (bad.length > 0) {
        throw new SfError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `Account: bad field names on insert/update call: ${bad.join(', ')}`,
          [...bad]
        );
      }
      return;
    }
    if (has('Name')) throw notWritable(['Name']);
    if (row.LastName === null || row.LastName === undefined || row.LastName === '') {
      throw requiredMissing('LastName');
    }
    row.Name = personName(row);
  }

  private checkContact(
    w: HookContext,
    row: Row,
    values: Map<OrgField, SqlValue>,
    prior: Row | undefined
  ): void {
    if (prior?.IsPersonAccount === 1) {
      const changed = SHARED_CONTACT_FIELDS.filter((name) => {
        const f = this.contact.fieldMap.get(name.toLowerCase());
        return f !== undefined && values.has(f) && row[f.name] !== prior[f.name];
      });
      if (changed.length > 0) {
        throw new SfError(
          'INVALID_FIELD_FOR_INSERT_UPDATE',
          `A person contact's ${changed.join(', ')} belong to its person account: change them on the account.`,
          [...changed]
        );
      }
      return;
    }
    const accountId = row.AccountId;
    if (typeof accountId !== 'string' || accountId === prior?.AccountId) return;
    const account = w.records.storage.get(this.account, accountId);
    if (account?.IsPersonAccount === 1) {
      throw new SfError(
        'FIELD_INTEGRITY_EXCEPTION',
        'A person account has one contact, its person contact: link this contact to a business account.',
        ['AccountId']
      );
    }
  }
}
