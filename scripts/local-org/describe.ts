/**
 * describeGlobal and sObject describe, as the user sees them: objects and
 * fields the user cannot read are left out, createable/updateable reflect
 * the user's permissions. Carries the keys the clients read (reference §1.2).
 */
import { ACCOUNT_RECORD_TYPES, BUSINESS_ACCOUNT_RECORD_TYPE } from './personAccounts';
import type { UserContext } from './permissions';
import type { OrgField, OrgObject, OrgSchema } from './schema';

const MASTER_RECORD_TYPE_ID = '012000000000000AAA';

const SOAP_TYPES: Record<string, string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  address: 'urn:address'
};

export function objectUrls(version: string, obj: OrgObject): Record<string, string> {
  const base = `/services/data/v${version}/sobjects/${obj.name}`;
  return {
    sobject: base,
    describe: `${base}/describe`,
    rowTemplate: `${base}/{ID}`,
    ...(obj.customMetadata ? {} : { compactLayouts: `${base}/describe/compactLayouts` })
  };
}

export function objectSummary(ctx: UserContext, obj: OrgObject, version: string) {
  const access = ctx.permissions.object(obj);
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: access.create,
    custom: obj.custom,
    customSetting: false,
    deepCloneable: false,
    deletable: access.delete,
    deprecatedAndHidden: false,
    feedEnabled: false,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: obj.keyPrefix,
    label: obj.label,
    labelPlural: obj.labelPlural,
    layoutable: !obj.customMetadata,
    mergeable: false,
    mruEnabled: !obj.customMetadata,
    name: obj.name,
    queryable: true,
    replicateable: !obj.customMetadata,
    retrieveable: true,
    searchable: !obj.customMetadata,
    triggerable: !obj.customMetadata,
    undeletable: access.delete,
    updateable: access.edit,
    urls: objectUrls(version, obj)
  };
}

export function describeGlobal(ctx: UserContext, schema: OrgSchema, version: string) {
  const sobjects = [...schema.objects.values()]
    .filter((o) => ctx.permissions.object(o).read)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((o) => objectSummary(ctx, o, version));
  return { encoding: 'UTF-8', maxBatchSize: 200, sobjects };
}

export function describeField(ctx: UserContext, obj: OrgObject, f: OrgField) {
  const def = f.def;
  const isText = SOAP_TYPES[f.type] === undefined;
  const idLookup =
    f.type === 'id' || f.externalId || f.unique || (f.name === 'Name' && !f.autoNumber);
  const filterable = f.type !== 'textarea' || def.type === 'TextArea';
  const masterIndex = obj.masters.indexOf(f);
  return {
    aggregatable: filterable && f.type !== 'boolean',
    aiPredictionField: false,
    autoNumber: f.autoNumber,
    byteLength: isText ? f.length * 3 : f.type === 'id' || f.type === 'reference' ? 18 : 0,
    calculated: f.calculated,
    calculatedFormula: def.formula ?? null,
    cascadeDelete: false,
    caseSensitive: def.caseSensitive,
    compoundFieldName: null,
    controllerName: null,
    createable: f.createable && ctx.permissions.canEditField(obj, f),
    custom: f.name.endsWith('__c'),
    defaultValue: f.type === 'boolean' ? def.defaultValue?.toLowerCase() === 'true' : null,
    defaultValueFormula: f.type === 'boolean' ? null : (def.defaultValue ?? null),
    defaultedOnCreate: f.system || f.type === 'boolean' || f.name === 'OwnerId' || f.autoNumber,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: 0,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: f.externalId,
    extraTypeInfo:
      f.type === 'textarea' ? (def.type === 'Html' ? 'richtextarea' : 'plaintextarea') : null,
    filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: def.formulaTreatBlanksAs === 'BlankAsZero',
    groupable: filterable && f.storage !== 'real',
    highScaleNumber: false,
    htmlFormatted: def.type === 'Html',
    idLookup,
    inlineHelpText: def.inlineHelpText ?? null,
    label: f.label,
    length: isText ? f.length : 0,
    mask: null,
    maskType: null,
    name: f.name,
    nameField: f.name === 'Name',
    namePointing: f.referenceTo.length > 1,
    nillable: f.nillable,
    permissionable: f.permissionable,
    picklistValues: (def.picklist?.values ?? []).map((v) => ({
      active: true,
      defaultValue: v.default,
      label: v.label,
      validFor: null,
      value: v.value
    })),
    polymorphicForeignKey: f.referenceTo.length > 1,
    precision: f.storage === 'real' ? (def.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo,
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: masterIndex >= 0 ? masterIndex : null,
    restrictedDelete: def.deleteConstraint === 'Restrict',
    restrictedPicklist: Boolean(def.picklist?.restricted),
    scale: f.storage === 'real' ? (def.scale ?? 0) : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[f.type] ?? 'xsd:string',
    sortable: filterable,
    type: f.type,
    unique: f.unique && f.name !== 'Id',
    updateable: f.updateable && ctx.permissions.canEditField(obj, f),
    writeRequiresMasterRead: Boolean(def.writeRequiresMasterRead)
  };
}

export function describeObject(
  ctx: UserContext,
  schema: OrgSchema,
  obj: OrgObject,
  version: string
) {
  const fields = obj.fields
    .filter((f) => ctx.permissions.canReadField(obj, f))
    .map((f) => describeField(ctx, obj, f));
  const childRelationships = obj.children
    .filter((c) => {
      const child = schema.get(c.childObject);
      return child !== undefined && ctx.permissions.object(child).read;
    })
    .map((c) => ({
      cascadeDelete: c.cascadeDelete,
      childSObject: c.childObject,
      deprecatedAndHidden: false,
      field: c.field,
      junctionIdListNames: [],
      junctionReferenceTo: [],
      relationshipName: c.relationshipName,
      restrictedDelete: c.restrictedDelete
    }));
  return {
    ...objectSummary(ctx, obj, version),
    actionOverrides: [],
    childRelationships,
    compactLayoutable: !obj.customMetadata,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields,
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: obj.customMetadata ? [] : recordTypeInfos(obj, version),
    searchLayoutable: !obj.customMetadata,
    sobjectDescribeOption: 'FULL',
    supportedScopes: obj.hasOwner
      ? [
          { label: 'All', name: 'everything' },
          { label: 'My', name: 'mine' }
        ]
      : [{ label: 'All', name: 'everything' }]
  };
}

/** The master record type, and Account's business and person account types when it has them. */
function recordTypeInfos(obj: OrgObject, version: string) {
  const info = (id: string, name: string, developerName: string, isDefault: boolean) => ({
    active: true,
    available: true,
    defaultRecordTypeMapping: isDefault,
    developerName,
    master: id === MASTER_RECORD_TYPE_ID,
    name,
    recordTypeId: id,
    urls: { layout: `/services/data/v${version}/sobjects/${obj.name}/describe/layouts/${id}` }
  });
  const personAccounts = obj.name === 'Account' && obj.fieldMap.has('ispersonaccount');
  if (!personAccounts) return [info(MASTER_RECORD_TYPE_ID, 'Master', 'Master', true)];
  return [
    ...ACCOUNT_RECORD_TYPES.map((rt) =>
      info(rt.id, rt.name, rt.developerName, rt.id === BUSINESS_ACCOUNT_RECORD_TYPE)
    ),
    info(MASTER_RECORD_TYPE_ID, 'Master', 'Master', false)
  ];
}
