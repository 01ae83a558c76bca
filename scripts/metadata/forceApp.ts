import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type {
  CustomLabelDef,
  CustomMetadataRecord,
  FieldDef,
  FieldType,
  ObjectDef,
  PermissionSetDef,
  PicklistValue,
  ProjectSchema,
  ValidationRuleDef
} from './types';
import {
  MetadataError,
  bool,
  listFiles,
  many,
  num,
  readMetadataXml,
  text,
  texts,
  type XmlNode
} from './xml';

/** Field types the schema reader accepts (the `FieldType` union, at run time). */
export const SCHEMA_FIELD_TYPES: readonly FieldType[] = [
  'AutoNumber',
  'Checkbox',
  'Currency',
  'Date',
  'DateTime',
  'Email',
  'Html',
  'Lookup',
  'LongTextArea',
  'MasterDetail',
  'MultiselectPicklist',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Text',
  'TextArea',
  'Url',
  'Id',
  'Address',
  'Name'
];

/** Where the project keeps each kind of metadata, relative to the project root. */
export const PATHS = {
  packaged: 'force-app/main/default',
  unpackaged: 'config/unpackaged/main/default',
  standardObjects: 'config/standard-objects.json'
} as const;

/** The directory holding sfdx-project.json, searched upwards from `start`. */
export function findProjectRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'sfdx-project.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No sfdx-project.json above ${start}`);
    dir = parent;
  }
}

const cache = new Map<string, ProjectSchema>();

/**
 * Reads the whole project schema: custom objects and their fields from force-app, the
 * standard objects from config/standard-objects.json with the package's CX_ fields merged
 * in, custom metadata, permission sets (packaged and unpackaged) and custom labels with
 * their translations. Read once per root; later calls return the same object.
 * Throws a `MetadataError` naming the file when a file cannot be read.
 */
export function loadProjectSchema(root?: string): ProjectSchema {
  const projectRoot = path.resolve(root ?? findProjectRoot());
  const cached = cache.get(projectRoot);
  if (cached) return cached;
  const schema = readProjectSchema(projectRoot);
  cache.set(projectRoot, schema);
  return schema;
}

/** Forgets memoised schemas (tests that rewrite a project between reads). */
export function clearProjectSchemaCache(): void {
  cache.clear();
}

/** Case-insensitive object lookup (`cx_touchpoint__c` finds `CX_Touchpoint__c`). */
export function findObject(schema: ProjectSchema, name: string): ObjectDef | undefined {
  const exact = schema.objects.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const [key, obj] of schema.objects) {
    if (key.toLowerCase() === lower) return obj;
  }
  return undefined;
}

/** Case-insensitive field lookup on one object. */
export function findField(obj: ObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return obj.fields.find((f) => f.name.toLowerCase() === lower);
}

function readProjectSchema(root: string): ProjectSchema {
  const objects = new Map<string, ObjectDef>();
  for (const obj of readStandardObjects(root)) objects.set(obj.name, obj);

  const objectsDir = path.join(root, PATHS.packaged, 'objects');
  const dirs = fs.existsSync(objectsDir)
    ? fs
        .readdirSync(objectsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];

  for (const dirName of dirs) {
    const dir = path.join(objectsDir, dirName);
    const fields = listFiles(path.join(dir, 'fields'), '.field-meta.xml').map((f) =>
      readField(f, root)
    );
    const rules = listFiles(path.join(dir, 'validationRules'), '.validationRule-meta.xml').map(
      (f) => readValidationRule(f, root)
    );
    if (dirName.endsWith('__c') || dirName.endsWith('__mdt')) {
      objects.set(dirName, readCustomObject(dir, dirName, fields, rules, root));
    } else {
      // A standard object that the package extends with CX_ fields; Activity fields appear on
      // both Task and Event (an object the schema file does not declare gets a stub).
      const targets = dirName === 'Activity' ? ['Task', 'Event'] : [dirName];
      for (const target of targets) {
        const obj = objects.get(target) ?? standardStub(target);
        obj.fields.push(...fields.map((f) => ({ ...f })));
        obj.validationRules.push(...rules);
        objects.set(target, obj);
      }
    }
  }
  allocateKeyPrefixes(objects);

  return {
    objects,
    permissionSets: [
      ...readPermissionSets(path.join(root, PATHS.packaged, 'permissionsets'), true, root),
      ...readPermissionSets(path.join(root, PATHS.unpackaged, 'permissionsets'), false, root)
    ],
    customMetadata: readCustomMetadata(path.join(root, PATHS.packaged, 'customMetadata'), root),
    labels: readLabels(root)
  };
}

function standardStub(name: string): ObjectDef {
  return {
    name,
    label: name,
    pluralLabel: name,
    custom: false,
    customMetadata: false,
    fields: [systemField('Id', 'Record ID', 'Id')],
    validationRules: []
  };
}

// ---------------------------------------------------------------- custom objects

function readCustomObject(
  dir: string,
  name: string,
  fields: FieldDef[],
  validationRules: ValidationRuleDef[],
  root: string
): ObjectDef {
  const file = path.join(dir, `${name}.object-meta.xml`);
  if (!fs.existsSync(file)) {
    throw new MetadataError(path.relative(root, file), `missing: the object ${name} has no file`);
  }
  const xml = readMetadataXml(file, 'CustomObject', root);
  const customMetadata = name.endsWith('__mdt');
  const sharingModel = text(xml, 'sharingModel');
  const obj: ObjectDef = {
    name,
    label: text(xml, 'label') ?? name,
    pluralLabel: text(xml, 'pluralLabel') ?? text(xml, 'label') ?? name,
    custom: true,
    customMetadata,
    description: text(xml, 'description'),
    fields: [],
    validationRules
  };
  if (sharingModel !== undefined) obj.sharingModel = sharingModel;
  if (customMetadata) {
    obj.fields = [...customMetadataSystemFields(), ...fields];
    return obj;
  }
  const nameField = (xml.nameField ?? {}) as XmlNode;
  const hasMaster = fields.some((f) => f.type === 'MasterDetail');
  const hasOwner = sharingModel !== 'ControlledByParent' && !hasMaster;
  obj.fields = [
    systemField('Id', 'Record ID', 'Id'),
    readNameField(nameField),
    ...(hasOwner ? [ownerField()] : []),
    ...fields,
    systemField('CreatedDate', 'Created Date', 'DateTime'),
    userLookup('CreatedById', 'Created By ID', 'CreatedBy'),
    systemField('LastModifiedDate', 'Last Modified Date', 'DateTime'),
    userLookup('LastModifiedById', 'Last Modified By ID', 'LastModifiedBy'),
    systemField('SystemModstamp', 'System Modstamp', 'DateTime'),
    systemField('IsDeleted', 'Deleted', 'Checkbox')
  ];
  return obj;
}

function readNameField(nameField: XmlNode): FieldDef {
  const auto = text(nameField, 'type') === 'AutoNumber';
  const field: FieldDef = {
    name: 'Name',
    label: text(nameField, 'label') ?? 'Name',
    type: auto ? 'AutoNumber' : 'Text',
    required: !auto,
    unique: false,
    caseSensitive: false,
    externalId: false,
    createable: !auto,
    updateable: !auto
  };
  if (auto) {
    const format = text(nameField, 'displayFormat');
    if (format !== undefined) field.displayFormat = format;
    field.length = 30;
  } else {
    field.length = 80;
  }
  const description = text(nameField, 'description');
  if (description !== undefined) field.description = description;
  return field;
}

/** A field definition with the defaults every field starts from (optional, not unique). */
export function fieldDef(
  name: string,
  label: string,
  type: FieldType,
  opts: Partial<FieldDef> = {}
): FieldDef {
  return {
    name,
    label,
    type,
    required: false,
    unique: false,
    caseSensitive: false,
    externalId: false,
    ...opts
  };
}

function systemField(name: string, label: string, type: FieldType): FieldDef {
  return fieldDef(name, label, type, {
    system: true,
    createable: false,
    updateable: false,
    ...(type === 'Id' ? { length: 18 } : {})
  });
}

function userLookup(name: string, label: string, relationshipName: string): FieldDef {
  return {
    ...systemField(name, label, 'Lookup'),
    referenceTo: ['User'],
    relationshipName
  };
}

function ownerField(): FieldDef {
  // Set by the platform on create when omitted, and writable (record transfer).
  return {
    ...userLookup('OwnerId', 'Owner ID', 'Owner'),
    system: false,
    createable: true,
    updateable: true
  };
}

function customMetadataSystemFields(): FieldDef[] {
  const textField = (name: string, label: string, length: number): FieldDef => ({
    ...systemField(name, label, 'Text'),
    length
  });
  return [
    systemField('Id', 'Custom Metadata Record ID', 'Id'),
    textField('DeveloperName', 'Custom Metadata Record Name', 40),
    textField('MasterLabel', 'Label', 40),
    textField('Label', 'Label', 40),
    textField('Language', 'Master Language', 40),
    textField('NamespacePrefix', 'Namespace Prefix', 15),
    textField('QualifiedApiName', 'Qualified API Name', 70)
  ];
}

// ---------------------------------------------------------------- fields

/** Lengths the platform fixes for types whose metadata carries none. */
const FIXED_LENGTHS: Partial<Record<FieldType, number>> = {
  TextArea: 255,
  Email: 80,
  Phone: 40,
  Url: 255
};

function readField(file: string, root: string): FieldDef {
  const xml = readMetadataXml(file, 'CustomField', root);
  const name = path.basename(file, '.field-meta.xml');
  const shown = path.relative(root, file);
  const rawType = text(xml, 'type');
  if (rawType === undefined) throw new MetadataError(shown, `field ${name} has no <type>`);
  if (!(SCHEMA_FIELD_TYPES as readonly string[]).includes(rawType)) {
    throw new MetadataError(shown, `field ${name} has an unknown type "${rawType}"`);
  }
  const type = rawType as FieldType;
  const formula = text(xml, 'formula');
  const field: FieldDef = {
    name,
    label: text(xml, 'label') ?? name,
    type,
    required: type === 'MasterDetail' || (bool(xml, 'required') ?? false),
    unique: bool(xml, 'unique') ?? false,
    caseSensitive: bool(xml, 'caseSensitive') ?? false,
    externalId: bool(xml, 'externalId') ?? false
  };
  const optional: Partial<FieldDef> = {
    formula,
    length: num(xml, 'length') ?? (formula === undefined ? FIXED_LENGTHS[type] : undefined),
    precision: num(xml, 'precision'),
    scale: num(xml, 'scale'),
    visibleLines: num(xml, 'visibleLines'),
    relationshipName: text(xml, 'relationshipName'),
    relationshipLabel: text(xml, 'relationshipLabel'),
    defaultValue: text(xml, 'defaultValue'),
    displayFormat: text(xml, 'displayFormat'),
    description: text(xml, 'description'),
    inlineHelpText: text(xml, 'inlineHelpText'),
    writeRequiresMasterRead: bool(xml, 'writeRequiresMasterRead'),
    reparentableMasterDetail: bool(xml, 'reparentableMasterDetail')
  };
  const treat = text(xml, 'formulaTreatBlanksAs');
  if (treat === 'BlankAsZero' || treat === 'BlankAsBlank') optional.formulaTreatBlanksAs = treat;
  const constraint = text(xml, 'deleteConstraint');
  if (constraint === 'SetNull' || constraint === 'Restrict' || constraint === 'Cascade') {
    optional.deleteConstraint = constraint;
  } else if (type === 'MasterDetail') {
    optional.deleteConstraint = 'Cascade';
  }
  const refs = texts(xml, 'referenceTo');
  if (refs.length > 0) optional.referenceTo = refs;
  if (type === 'Picklist' || type === 'MultiselectPicklist') {
    optional.picklist = readValueSet((xml.valueSet ?? {}) as XmlNode);
  }
  // What the platform lets a client write.
  const computed = formula !== undefined || type === 'AutoNumber';
  optional.createable = !computed;
  optional.updateable =
    !computed && !(type === 'MasterDetail' && optional.reparentableMasterDetail !== true);
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (field as unknown as Record<string, unknown>)[key] = value;
  }
  return field;
}

function readValueSet(valueSet: XmlNode): { values: PicklistValue[]; restricted: boolean } {
  const definition = (valueSet.valueSetDefinition ?? {}) as XmlNode;
  return {
    restricted: bool(valueSet, 'restricted') ?? false,
    values: many(definition.value).map((v) => {
      const value = text(v, 'fullName') ?? '';
      return { value, label: text(v, 'label') ?? value, default: bool(v, 'default') ?? false };
    })
  };
}

function readValidationRule(file: string, root: string): ValidationRuleDef {
  const xml = readMetadataXml(file, 'ValidationRule', root);
  const rule: ValidationRuleDef = {
    name: path.basename(file, '.validationRule-meta.xml'),
    active: bool(xml, 'active') ?? false,
    errorConditionFormula: text(xml, 'errorConditionFormula') ?? '',
    errorMessage: text(xml, 'errorMessage') ?? ''
  };
  const display = text(xml, 'errorDisplayField');
  if (display !== undefined) rule.errorDisplayField = display;
  const description = text(xml, 'description');
  if (description !== undefined) rule.description = description;
  return rule;
}

// ---------------------------------------------------------------- standard objects

const picklistValueSchema = z.union([
  z.string().transform((value) => ({ value, label: value, default: false })),
  z
    .object({ value: z.string(), label: z.string().optional(), default: z.boolean().optional() })
    .transform((v) => ({ value: v.value, label: v.label ?? v.value, default: v.default ?? false }))
]);

const standardFieldSchema = z.object({
  name: z.string().min(1),
  label: z.string().optional(),
  type: z.enum(SCHEMA_FIELD_TYPES as [FieldType, ...FieldType[]]),
  formula: z.string().optional(),
  length: z.number().int().positive().optional(),
  precision: z.number().int().nonnegative().optional(),
  scale: z.number().int().nonnegative().optional(),
  visibleLines: z.number().int().positive().optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  caseSensitive: z.boolean().optional(),
  externalId: z.boolean().optional(),
  referenceTo: z.union([z.string(), z.array(z.string())]).optional(),
  relationshipName: z.string().optional(),
  relationshipLabel: z.string().optional(),
  deleteConstraint: z.enum(['SetNull', 'Restrict', 'Cascade']).optional(),
  picklist: z
    .object({ values: z.array(picklistValueSchema), restricted: z.boolean().optional() })
    .optional(),
  defaultValue: z.string().optional(),
  displayFormat: z.string().optional(),
  description: z.string().optional(),
  inlineHelpText: z.string().optional(),
  system: z.boolean().optional(),
  createable: z.boolean().optional(),
  updateable: z.boolean().optional()
});

const standardObjectsSchema = z.object({
  objects: z.array(
    z.object({
      name: z.string().min(1),
      label: z.string(),
      pluralLabel: z.string().optional(),
      keyPrefix: z.string().length(3).optional(),
      sharingModel: z.string().optional(),
      description: z.string().optional(),
      fields: z.array(standardFieldSchema)
    })
  )
});

function readStandardObjects(root: string): ObjectDef[] {
  const file = path.join(root, PATHS.standardObjects);
  if (!fs.existsSync(file)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new MetadataError(PATHS.standardObjects, `not JSON: ${(err as Error).message}`);
  }
  const parsed = standardObjectsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = describeJsonPath(raw, issue?.path ?? []);
    throw new MetadataError(PATHS.standardObjects, `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data.objects.map((o) => {
    const fields: FieldDef[] = o.fields.map((f) => {
      const { referenceTo, picklist, label, required, unique, caseSensitive, externalId, ...rest } =
        f;
      const field: FieldDef = {
        ...rest,
        label: label ?? f.name,
        required: required ?? false,
        unique: unique ?? false,
        caseSensitive: caseSensitive ?? false,
        externalId: externalId ?? false
      };
      if (referenceTo !== undefined) {
        field.referenceTo = Array.isArray(referenceTo) ? referenceTo : [referenceTo];
      }
      if (picklist !== undefined) {
        field.picklist = { values: picklist.values, restricted: picklist.restricted ?? false };
      }
      return field;
    });
    if (!fields.some((f) => f.name === 'Id')) fields.unshift(systemField('Id', 'Record ID', 'Id'));
    const obj: ObjectDef = {
      name: o.name,
      label: o.label,
      pluralLabel: o.pluralLabel ?? o.label,
      custom: false,
      customMetadata: false,
      fields,
      validationRules: []
    };
    if (o.keyPrefix !== undefined) obj.keyPrefix = o.keyPrefix;
    if (o.sharingModel !== undefined) obj.sharingModel = o.sharingModel;
    if (o.description !== undefined) obj.description = o.description;
    return obj;
  });
}

/** `objects[2] (Account).fields[5] (Industry).type` from a zod issue path. */
function describeJsonPath(raw: unknown, issuePath: PropertyKey[]): string {
  let node: unknown = raw;
  const parts: string[] = [];
  for (const key of issuePath) {
    node =
      node !== null && typeof node === 'object'
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined;
    if (typeof key === 'number') {
      const name =
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>).name
          : undefined;
      parts[parts.length - 1] += `[${key}]${typeof name === 'string' ? ` (${name})` : ''}`;
    } else {
      parts.push(String(key));
    }
  }
  return parts.join('.') || '(top level)';
}

// ---------------------------------------------------------------- key prefixes

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Gives every custom object a stable three-character key prefix derived from its name
 * (`a..` for objects, `m..` for custom metadata), so Ids stay the same when objects are added.
 */
function allocateKeyPrefixes(objects: Map<string, ObjectDef>): void {
  const used = new Set<string>();
  for (const obj of objects.values()) if (obj.keyPrefix) used.add(obj.keyPrefix);
  const custom = [...objects.values()].filter((o) => o.custom && !o.keyPrefix);
  custom.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const obj of custom) {
    let slot = hash(obj.name) % (62 * 62);
    const first = obj.customMetadata ? 'm' : 'a';
    for (;;) {
      const prefix = first + BASE62[Math.floor(slot / 62)] + BASE62[slot % 62];
      if (!used.has(prefix)) {
        used.add(prefix);
        obj.keyPrefix = prefix;
        break;
      }
      slot = (slot + 1) % (62 * 62);
    }
  }
}

/** FNV-1a: small, stable across Node versions. */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// ---------------------------------------------------------------- permission sets

function readPermissionSets(dir: string, packaged: boolean, root: string): PermissionSetDef[] {
  return listFiles(dir, '.permissionset-meta.xml').map((file) => {
    const xml = readMetadataXml(file, 'PermissionSet', root);
    const set: PermissionSetDef = {
      name: path.basename(file, '.permissionset-meta.xml'),
      label: text(xml, 'label') ?? '',
      packaged,
      objectPermissions: many(xml.objectPermissions).map((p) => ({
        object: text(p, 'object') ?? '',
        allowCreate: bool(p, 'allowCreate') ?? false,
        allowRead: bool(p, 'allowRead') ?? false,
        allowEdit: bool(p, 'allowEdit') ?? false,
        allowDelete: bool(p, 'allowDelete') ?? false,
        viewAllRecords: bool(p, 'viewAllRecords') ?? false,
        modifyAllRecords: bool(p, 'modifyAllRecords') ?? false
      })),
      fieldPermissions: many(xml.fieldPermissions).map((p) => ({
        field: text(p, 'field') ?? '',
        readable: bool(p, 'readable') ?? false,
        editable: bool(p, 'editable') ?? false
      })),
      userPermissions: many(xml.userPermissions)
        .filter((p) => bool(p, 'enabled') ?? false)
        .map((p) => text(p, 'name') ?? ''),
      tabSettings: many(xml.tabSettings).map((t) => ({
        tab: text(t, 'tab') ?? '',
        visibility: text(t, 'visibility') ?? ''
      })),
      applicationVisibilities: many(xml.applicationVisibilities).map((a) => ({
        application: text(a, 'application') ?? '',
        visible: bool(a, 'visible') ?? false
      }))
    };
    const description = text(xml, 'description');
    if (description !== undefined) set.description = description;
    return set;
  });
}

// ---------------------------------------------------------------- custom metadata records

function readCustomMetadata(dir: string, root: string): CustomMetadataRecord[] {
  return listFiles(dir, '.md-meta.xml').map((file) => {
    const xml = readMetadataXml(file, 'CustomMetadata', root);
    const base = path.basename(file, '.md-meta.xml');
    const dot = base.indexOf('.');
    if (dot < 1) {
      throw new MetadataError(path.relative(root, file), 'expected <Type>.<Record>.md-meta.xml');
    }
    const values: CustomMetadataRecord['values'] = {};
    for (const v of many(xml.values)) {
      const field = text(v, 'field');
      if (field !== undefined) values[field] = metadataValue(v.value);
    }
    return {
      type: `${base.slice(0, dot)}__mdt`,
      developerName: base.slice(dot + 1),
      label: text(xml, 'label') ?? base.slice(dot + 1),
      protected: bool(xml, 'protected') ?? false,
      values
    };
  });
}

/** `<value xsi:type="xsd:double">0.32</value>` → 0.32; `xsi:nil="true"` → null. */
function metadataValue(value: unknown): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  const node = value as XmlNode;
  if (node['@_xsi:nil'] === 'true') return null;
  const raw = node['#text'] === undefined ? '' : String(node['#text']);
  const xsiType = String(node['@_xsi:type'] ?? '');
  if (/xsd:(double|int|long|decimal)$/.test(xsiType) && raw.trim() !== '') return Number(raw);
  if (xsiType.endsWith('xsd:boolean')) return raw.trim() === 'true';
  return raw;
}

// ---------------------------------------------------------------- labels

function readLabels(root: string): CustomLabelDef[] {
  const base = path.join(root, PATHS.packaged);
  const labels: CustomLabelDef[] = [];
  for (const file of listFiles(path.join(base, 'labels'), '.labels-meta.xml')) {
    const xml = readMetadataXml(file, 'CustomLabels', root);
    for (const l of many(xml.labels)) {
      const label: CustomLabelDef = {
        name: text(l, 'fullName') ?? '',
        value: text(l, 'value') ?? '',
        shortDescription: text(l, 'shortDescription') ?? '',
        translations: {}
      };
      const categories = text(l, 'categories');
      if (categories !== undefined) label.categories = categories;
      labels.push(label);
    }
  }
  const byName = new Map(labels.map((l) => [l.name, l]));
  for (const file of listFiles(path.join(base, 'translations'), '.translation-meta.xml')) {
    const language = path.basename(file, '.translation-meta.xml');
    const xml = readMetadataXml(file, 'Translations', root);
    for (const t of many(xml.customLabels)) {
      const label = byName.get(text(t, 'name') ?? '');
      const value = text(t, 'label');
      if (label && value !== undefined) label.translations[language] = value;
    }
  }
  return labels;
}
