/**
 * The local org's view of the project schema: every object with its storage
 * shape, describe types, relationships in both directions and key prefixes.
 * Built once from a ProjectSchema; system fields an org always has are added
 * where the schema does not declare them.
 */
import { fieldDef } from '../metadata/forceApp';
import type { FieldDef, ObjectDef, ProjectSchema } from '../metadata/types';
import { allocatePrefixes } from './ids';

export type DescribeType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'boolean'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime'
  | 'email'
  | 'phone'
  | 'url'
  | 'address';

/** How a value is kept in SQLite. */
export type Storage = 'text' | 'id' | 'real' | 'bool' | 'none';

export interface OrgField {
  name: string;
  label: string;
  def: FieldDef;
  type: DescribeType;
  storage: Storage;
  /** Formula field (evaluated on read). */
  calculated: boolean;
  autoNumber: boolean;
  /** Platform-set fields (Id, CreatedDate, ...). */
  system: boolean;
  /** Whether field-level security applies (false: always visible to object readers). */
  permissionable: boolean;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  /** A value is needed on create (custom objects' text Name field included, as in an org). */
  required: boolean;
  /** Effective length for text types. */
  length: number;
  referenceTo: string[];
  relationshipName?: string;
  masterDetail: boolean;
  /** Duplicates are refused, compared case-insensitively unless caseSensitive. */
  unique: boolean;
  externalId: boolean;
  /** Name-like compound computed from FirstName/LastName. */
  compoundName: boolean;
}

export interface ChildRelationship {
  relationshipName: string;
  childObject: string;
  field: string;
  cascadeDelete: boolean;
  restrictedDelete: boolean;
}

export interface OrgObject {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  custom: boolean;
  customMetadata: boolean;
  sharingModel: string;
  def: ObjectDef;
  fields: OrgField[];
  /** Lower-case API name -> field. */
  fieldMap: Map<string, OrgField>;
  /** Lower-case relationship name -> reference field. */
  parentRelationships: Map<string, OrgField>;
  children: ChildRelationship[];
  /** Lower-case relationship name -> child relationship. */
  childMap: Map<string, ChildRelationship>;
  hasOwner: boolean;
  /** Master-detail fields (their parent controls this object's sharing). */
  masters: OrgField[];
  /** Writes are refused (custom metadata, Organization, RecordType). */
  readOnly: boolean;
}

function describeType(def: FieldDef): DescribeType {
  switch (def.type) {
    case 'Id':
      return 'id';
    case 'Lookup':
    case 'MasterDetail':
      return 'reference';
    case 'Checkbox':
      return 'boolean';
    case 'Currency':
      return 'currency';
    case 'Percent':
      return 'percent';
    case 'Number':
      return 'double';
    case 'Date':
      return 'date';
    case 'DateTime':
      return 'datetime';
    case 'Email':
      return 'email';
    case 'Phone':
      return 'phone';
    case 'Url':
      return 'url';
    case 'Picklist':
      return 'picklist';
    case 'MultiselectPicklist':
      return 'multipicklist';
    case 'TextArea':
    case 'LongTextArea':
    case 'Html':
      return 'textarea';
    case 'Address':
      return 'address';
    default:
      return 'string';
  }
}

function storageOf(type: DescribeType): Storage {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'bool';
    case 'double':
    case 'currency':
    case 'percent':
      return 'real';
    case 'address':
      return 'none';
    default:
      return 'text';
  }
}

function defaultLength(def: FieldDef, type: DescribeType): number {
  if (def.length) return def.length;
  switch (type) {
    case 'id':
    case 'reference':
      return 18;
    case 'textarea':
      return def.type === 'TextArea' ? 255 : 32768;
    case 'multipicklist':
      return 4099;
    case 'picklist':
      return 255;
    case 'email':
    case 'phone':
    case 'url':
    case 'string':
      return def.type === 'Phone' ? 40 : 255;
    default:
      return 0;
  }
}

const SYSTEM_FIELDS: { name: string; label: string; type: FieldDef['type']; ref?: string[] }[] = [
  { name: 'Id', label: 'Record ID', type: 'Id' },
  { name: 'IsDeleted', label: 'Deleted', type: 'Checkbox' },
  { name: 'CreatedDate', label: 'Created Date', type: 'DateTime' },
  { name: 'CreatedById', label: 'Created By ID', type: 'Lookup', ref: ['User'] },
  { name: 'LastModifiedDate', label: 'Last Modified Date', type: 'DateTime' },
  { name: 'LastModifiedById', label: 'Last Modified By ID', type: 'Lookup', ref: ['User'] },
  { name: 'SystemModstamp', label: 'System Modstamp', type: 'DateTime' }
];

const RELATIONSHIP_OF: Record<string, string> = {
  CreatedById: 'CreatedBy',
  LastModifiedById: 'LastModifiedBy',
  OwnerId: 'Owner'
};

/** Fields of Organization that the Salesforce CLI reads when it connects. */
const ORGANIZATION_FIELDS: { name: string; label: string; type: FieldDef['type'] }[] = [
  { name: 'Name', label: 'Name', type: 'Text' },
  { name: 'InstanceName', label: 'Instance Name', type: 'Text' },
  { name: 'IsSandbox', label: 'Is Sandbox', type: 'Checkbox' },
  { name: 'TrialExpirationDate', label: 'Trial Expiration Date', type: 'DateTime' },
  { name: 'NamespacePrefix', label: 'Namespace Prefix', type: 'Text' },
  { name: 'OrganizationType', label: 'Edition', type: 'Text' },
  { name: 'TimeZoneSidKey', label: 'Default Time Zone', type: 'Text' },
  { name: 'LanguageLocaleKey', label: 'Default Language', type: 'Text' },
  { name: 'DefaultLocaleSidKey', label: 'Default Locale', type: 'Text' }
];

const MDT_FIELDS: { name: string; label: string; type: FieldDef['type'] }[] = [
  { name: 'DeveloperName', label: 'Custom Metadata Record Name', type: 'Text' },
  { name: 'MasterLabel', label: 'Label', type: 'Text' },
  { name: 'Label', label: 'Label', type: 'Text' },
  { name: 'QualifiedApiName', label: 'Qualified API Name', type: 'Text' },
  { name: 'NamespacePrefix', label: 'Namespace Prefix', type: 'Text' },
  { name: 'Language', label: 'Master Language', type: 'Text' }
];

function plainField(name: string, label: string, type: FieldDef['type'], ref?: string[]): FieldDef {
  return fieldDef(name, label, type, {
    system: true,
    createable: false,
    updateable: false,
    ...(ref ? { referenceTo: ref, relationshipName: RELATIONSHIP_OF[name] } : {})
  });
}

function buildField(objectDef: ObjectDef, def: FieldDef): OrgField {
  const type = def.formula ? describeType(def) : describeType(def);
  const calculated = Boolean(def.formula);
  const autoNumber = def.type === 'AutoNumber';
  const masterDetail = def.type === 'MasterDetail';
  const system =
    Boolean(def.system) ||
    ['Id', 'IsDeleted', 'CreatedDate', 'CreatedById', 'LastModifiedDate'].includes(def.name) ||
    ['LastModifiedById', 'SystemModstamp'].includes(def.name);
  const required =
    (def.required ||
      masterDetail ||
      (objectDef.custom &&
        !objectDef.customMetadata &&
        def.name === 'Name' &&
        def.type === 'Text')) &&
    !calculated;
  // Contact and User names are built from FirstName and LastName. An Account
  // has both only with Person Accounts, and then only a person account's
  // Name is built (personAccounts.ts); a business account's is written.
  const compoundName =
    def.type === 'Name' ||
    (def.name === 'Name' &&
      !objectDef.custom &&
      objectDef.name !== 'Account' &&
      objectDef.fields.some((f) => f.name === 'FirstName') &&
      objectDef.fields.some((f) => f.name === 'LastName'));
  const intrinsicWritable = !calculated && !autoNumber && !system && !compoundName;
  const createable = def.createable ?? intrinsicWritable;
  const updateable =
    def.updateable ??
    (intrinsicWritable && !(masterDetail && def.reparentableMasterDetail === false));
  const referenceTo = def.referenceTo ?? [];
  // In metadata a custom field's relationshipName names the child side
  // (`Touchpoints`); the parent side is always the field name with `__r`.
  let relationshipName: string | undefined;
  if (referenceTo.length > 0) {
    relationshipName = def.name.endsWith('__c')
      ? def.name.slice(0, -3) + '__r'
      : (def.relationshipName ?? (def.name.endsWith('Id') ? def.name.slice(0, -2) : undefined));
  }
  // Required, master-detail and standard fields of standard objects are not
  // subject to field-level security in an org; custom fields are.
  // Custom metadata fields have no field-level security: type access decides.
  const permissionable =
    !objectDef.customMetadata &&
    !system &&
    !required &&
    !masterDetail &&
    def.name !== 'Name' &&
    def.name !== 'OwnerId' &&
    (def.name.endsWith('__c') || objectDef.custom);
  return {
    name: def.name,
    label: def.label,
    def,
    type,
    storage: storageOf(type),
    calculated,
    autoNumber,
    system,
    permissionable,
    createable,
    updateable,
    nillable: !required && type !== 'boolean' && !system && !autoNumber,
    required,
    length: defaultLength(def, type),
    referenceTo,
    ...(relationshipName ? { relationshipName } : {}),
    masterDetail,
    unique: def.unique,
    externalId: def.externalId,
    compoundName
  };
}

/** Adds the fields every object of its kind has in an org. */
function completeFields(def: ObjectDef): FieldDef[] {
  const fields = [...def.fields];
  const has = (n: string) => fields.some((f) => f.name.toLowerCase() === n.toLowerCase());
  for (const s of SYSTEM_FIELDS)
    if (!has(s.name)) fields.push(plainField(s.name, s.label, s.type, s.ref));
  if (def.customMetadata) {
    for (const m of MDT_FIELDS) if (!has(m.name)) fields.push(plainField(m.name, m.label, m.type));
  } else if (def.name === 'Organization') {
    for (const m of ORGANIZATION_FIELDS)
      if (!has(m.name)) fields.push(plainField(m.name, m.label, m.type));
  } else {
    if (def.custom && !has('Name'))
      fields.push({ ...plainField('Name', `${def.label} Name`, 'Text'), system: false });
    const isDetail = fields.some((f) => f.type === 'MasterDetail');
    if (!isDetail && !has('OwnerId') && def.name !== 'User' && def.name !== 'RecordType') {
      fields.push({
        ...plainField('OwnerId', 'Owner ID', 'Lookup', ['User']),
        system: false,
        createable: true,
        updateable: true
      });
    }
  }
  return fields;
}

/** Key prefixes of standard objects, for schema files that leave one out. */
const STANDARD_PREFIXES: Record<string, string> = {
  Account: '001',
  Contact: '003',
  User: '005',
  Opportunity: '006',
  Organization: '00D',
  Lead: '00Q',
  Task: '00T',
  Event: '00U',
  Case: '500',
  Campaign: '701',
  Contract: '800',
  Order: '801'
};

/** Child relationship names of the standard lookups (describe's childRelationships). */
const STANDARD_CHILD_NAMES: Record<string, string> = {
  'Contact.AccountId': 'Contacts',
  'Case.AccountId': 'Cases',
  'Case.ContactId': 'Cases',
  'Opportunity.AccountId': 'Opportunities',
  'Order.AccountId': 'Orders',
  'Task.WhatId': 'Tasks',
  'Task.WhoId': 'Tasks',
  'Account.ParentId': 'ChildAccounts'
};

function childRelationshipName(objectName: string, f: OrgField): string | undefined {
  // Custom child relationships carry `__r` in SOQL and describe (`CX_Perceptions__r`).
  if (f.name.endsWith('__c')) {
    const name = f.def.relationshipName;
    return name ? (name.endsWith('__r') ? name : `${name}__r`) : undefined;
  }
  return STANDARD_CHILD_NAMES[`${objectName}.${f.name}`];
}

export class OrgSchema {
  readonly objects = new Map<string, OrgObject>();
  readonly byPrefix = new Map<string, OrgObject>();
  /** Prefixes allocated to custom objects, to persist with the data. */
  readonly allocatedPrefixes: Record<string, string>;

  constructor(
    readonly project: ProjectSchema,
    existingPrefixes: Record<string, string> = {}
  ) {
    const defs = [...project.objects.values()];
    const custom = defs
      .filter((d) => !d.keyPrefix && !d.customMetadata && !STANDARD_PREFIXES[d.name])
      .map((d) => d.name);
    const mdt = defs.filter((d) => !d.keyPrefix && d.customMetadata).map((d) => d.name);
    this.allocatedPrefixes = {
      ...allocatePrefixes(custom, 'a', existingPrefixes),
      ...allocatePrefixes(mdt, 'm', existingPrefixes)
    };
    for (const def of defs) {
      const keyPrefix =
        def.keyPrefix ?? STANDARD_PREFIXES[def.name] ?? this.allocatedPrefixes[def.name];
      if (!keyPrefix) throw new Error(`No key prefix for ${def.name}`);
      const fields = completeFields(def).map((f) => buildField(def, f));
      const obj: OrgObject = {
        name: def.name,
        label: def.label,
        labelPlural: def.pluralLabel,
        keyPrefix,
        custom: def.custom,
        customMetadata: def.customMetadata,
        // Accounts are private by default (reps see the accounts they own).
        sharingModel: def.sharingModel ?? (def.name === 'Account' ? 'Private' : 'ReadWrite'),
        def,
        fields,
        fieldMap: new Map(fields.map((f) => [f.name.toLowerCase(), f])),
        parentRelationships: new Map(),
        children: [],
        childMap: new Map(),
        hasOwner: fields.some((f) => f.name === 'OwnerId'),
        masters: fields.filter((f) => f.masterDetail),
        readOnly: def.customMetadata || def.name === 'Organization' || def.name === 'RecordType'
      };
      for (const f of fields) {
        if (f.relationshipName) obj.parentRelationships.set(f.relationshipName.toLowerCase(), f);
      }
      this.objects.set(def.name.toLowerCase(), obj);
      this.byPrefix.set(keyPrefix, obj);
    }
    for (const obj of this.objects.values()) {
      for (const f of obj.fields) {
        if (f.type !== 'reference' || f.system) continue;
        for (const target of f.referenceTo) {
          const parent = this.objects.get(target.toLowerCase());
          const childName = childRelationshipName(obj.name, f);
          if (!parent || !childName) continue;
          const rel: ChildRelationship = {
            relationshipName: childName,
            childObject: obj.name,
            field: f.name,
            cascadeDelete: f.masterDetail || f.def.deleteConstraint === 'Cascade',
            restrictedDelete: f.def.deleteConstraint === 'Restrict'
          };
          parent.children.push(rel);
          parent.childMap.set(rel.relationshipName.toLowerCase(), rel);
        }
      }
    }
  }

  get(name: string): OrgObject | undefined {
    return this.objects.get(name.toLowerCase());
  }

  objectForId(id: string): OrgObject | undefined {
    return this.byPrefix.get(id.slice(0, 3));
  }
}

export function field(obj: OrgObject, name: string): OrgField | undefined {
  return obj.fieldMap.get(name.toLowerCase());
}
