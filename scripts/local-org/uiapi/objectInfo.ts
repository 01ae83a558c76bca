/**
 * UI API object info and picklist values (what getObjectInfo and
 * getPicklistValues deliver), as the user sees the object: invisible fields
 * are left out, createable/updateable follow the user's permissions.
 */
import { createHash } from 'node:crypto';
import { SfError, notFound } from '../errors';
import type { LocalOrgCore } from '../core';
import type { UserContext } from '../permissions';
import { field, type OrgField, type OrgObject } from '../schema';

export const MASTER_RECORD_TYPE = '012000000000000AAA';

const DATA_TYPES: Record<string, string> = {
  id: 'Reference',
  reference: 'Reference',
  string: 'String',
  textarea: 'TextArea',
  picklist: 'Picklist',
  multipicklist: 'MultiPicklist',
  boolean: 'Boolean',
  double: 'Double',
  currency: 'Currency',
  percent: 'Percent',
  date: 'Date',
  datetime: 'DateTime',
  email: 'Email',
  phone: 'Phone',
  url: 'Url',
  address: 'Address'
};

/** The object named in a UI API path, or 404 when the user cannot see it. */
export function uiObject(
  core: LocalOrgCore,
  user: UserContext,
  name: string | undefined
): OrgObject {
  const obj = name ? core.schema.get(name) : undefined;
  if (!obj || !user.permissions.object(obj).read) throw notFound();
  return obj;
}

function fieldInfo(core: LocalOrgCore, user: UserContext, obj: OrgObject, f: OrgField) {
  const def = f.def;
  // A field is only as writable as its object is for the user.
  const access = user.permissions.object(obj);
  const filterable = f.type !== 'textarea' || def.type === 'TextArea';
  return {
    apiName: f.name,
    calculated: f.calculated,
    compound: false,
    compoundComponentName: null,
    compoundFieldName: null,
    controllerName: null,
    controllingFields: [],
    createable: f.createable && access.create && user.permissions.canEditField(obj, f),
    custom: f.name.endsWith('__c'),
    dataType: DATA_TYPES[f.type] ?? 'String',
    extraTypeInfo:
      f.type === 'textarea' ? (def.type === 'Html' ? 'RichTextArea' : 'PlainTextArea') : null,
    filterable,
    filteredLookupInfo: null,
    highScaleNumber: false,
    htmlFormatted: def.type === 'Html',
    inlineHelpText: def.inlineHelpText ?? null,
    label: f.label,
    length: f.storage === 'text' ? f.length : 0,
    nameField: f.name === 'Name',
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: f.storage === 'real' ? (def.precision ?? 18) : 0,
    reference: f.type === 'reference',
    referenceTargetField: null,
    referenceToInfos: f.referenceTo
      .map((r) => core.schema.get(r))
      .filter((o): o is OrgObject => o !== undefined && user.permissions.object(o).read)
      .map((o) => ({ apiName: o.name, nameFields: field(o, 'Name') ? ['Name'] : [] })),
    relationshipName: f.relationshipName ?? null,
    required: f.required && !f.system,
    scale: f.storage === 'real' ? (def.scale ?? 0) : 0,
    searchPrefilterable: false,
    sortable: filterable,
    unique: f.unique && f.name !== 'Id',
    updateable: f.updateable && access.edit && user.permissions.canEditField(obj, f)
  };
}

export function objectInfo(core: LocalOrgCore, user: UserContext, obj: OrgObject) {
  const access = user.permissions.object(obj);
  const fields: Record<string, unknown> = {};
  for (const f of obj.fields) {
    if (f.storage === 'none' || !user.permissions.canReadField(obj, f)) continue;
    fields[f.name] = fieldInfo(core, user, obj, f);
  }
  const childRelationships = obj.children
    .filter((c) => {
      const child = core.schema.get(c.childObject);
      return child !== undefined && user.permissions.object(child).read;
    })
    .map((c) => ({
      childObjectApiName: c.childObject,
      fieldName: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName
    }));
  const body = {
    apiName: obj.name,
    associateEntityType: null,
    associateParentEntity: null,
    childRelationships,
    compactLayoutable: !obj.customMetadata,
    createable: access.create,
    custom: obj.custom,
    defaultRecordTypeId: MASTER_RECORD_TYPE,
    deletable: access.delete,
    dependentFields: {},
    feedEnabled: false,
    fields,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: !obj.customMetadata,
    mruEnabled: !obj.customMetadata,
    nameFields: field(obj, 'Name') ? ['Name'] : [],
    queryable: true,
    recordTypeInfos: {
      [MASTER_RECORD_TYPE]: {
        available: true,
        defaultRecordTypeMapping: true,
        master: true,
        name: 'Master',
        recordTypeId: MASTER_RECORD_TYPE
      }
    },
    searchLayoutable: !obj.customMetadata,
    searchable: !obj.customMetadata,
    themeInfo: null,
    updateable: access.edit
  };
  return { ...body, eTag: createHash('md5').update(JSON.stringify(body)).digest('hex') };
}

function picklistField(obj: OrgObject, f: OrgField, version: string, rt: string) {
  const values = (f.def.picklist?.values ?? []).map((v) => ({
    attributes: null,
    label: v.label,
    validFor: [],
    value: v.value
  }));
  const def = f.def.picklist?.values.find((v) => v.default);
  const body = {
    controllerValues: {},
    defaultValue: def
      ? { attributes: null, label: def.label, validFor: [], value: def.value }
      : null,
    url: `/services/data/v${version}/ui-api/object-info/${obj.name}/picklist-values/${rt}/${f.name}`,
    values
  };
  return { ...body, eTag: createHash('md5').update(JSON.stringify(body)).digest('hex') };
}

function checkRecordType(rt: string | undefined): string {
  if (rt !== MASTER_RECORD_TYPE && rt !== MASTER_RECORD_TYPE.slice(0, 15)) {
    throw new SfError('NOT_FOUND', `Record type ${rt ?? ''} is not available`, undefined, 404);
  }
  return MASTER_RECORD_TYPE;
}

export function picklistValues(
  user: UserContext,
  obj: OrgObject,
  recordTypeId: string | undefined,
  fieldName: string | undefined,
  version: string
) {
  const rt = checkRecordType(recordTypeId);
  const f = fieldName ? field(obj, fieldName) : undefined;
  if (
    !f ||
    !(f.type === 'picklist' || f.type === 'multipicklist') ||
    !user.permissions.canReadField(obj, f)
  ) {
    throw notFound();
  }
  return picklistField(obj, f, version, rt);
}

export function picklistValuesByRecordType(
  user: UserContext,
  obj: OrgObject,
  recordTypeId: string | undefined,
  version: string
) {
  const rt = checkRecordType(recordTypeId);
  const picklistFieldValues: Record<string, unknown> = {};
  for (const f of obj.fields) {
    if (
      (f.type === 'picklist' || f.type === 'multipicklist') &&
      user.permissions.canReadField(obj, f)
    ) {
      picklistFieldValues[f.name] = picklistField(obj, f, version, rt);
    }
  }
  return {
    eTag: createHash('md5').update(JSON.stringify(picklistFieldValues)).digest('hex'),
    picklistFieldValues
  };
}
