/**
 * The project's schema as read from force-app (custom objects, fields,
 * permission sets, custom metadata, labels) and from config/standard-objects.json
 * (the standard objects and fields the project uses). The offline checks, the
 * local org and the sync all read this one shape.
 */

/** Metadata API field types (CustomField.type) the project may use. */
export type FieldType =
  | 'AutoNumber'
  | 'Checkbox'
  | 'Currency'
  | 'Date'
  | 'DateTime'
  | 'Email'
  | 'Html'
  | 'Lookup'
  | 'LongTextArea'
  | 'MasterDetail'
  | 'MultiselectPicklist'
  | 'Number'
  | 'Percent'
  | 'Phone'
  | 'Picklist'
  | 'Text'
  | 'TextArea'
  | 'Url'
  // Standard-object-only types, as the schema file declares them.
  | 'Id'
  | 'Address'
  | 'Name';

export interface PicklistValue {
  /** API value (fullName in metadata). */
  value: string;
  label: string;
  default: boolean;
}

export interface FieldDef {
  /** API name, e.g. `Stage__c` or `Name`. */
  name: string;
  label: string;
  type: FieldType;
  /** Set for formula fields: the formula text; `type` is then the return type. */
  formula?: string;
  /** Blank-as-zero vs blank-as-blank for formulas (`BlankAsZero` | `BlankAsBlank`). */
  formulaTreatBlanksAs?: 'BlankAsZero' | 'BlankAsBlank';
  length?: number;
  precision?: number;
  scale?: number;
  visibleLines?: number;
  required: boolean;
  unique: boolean;
  caseSensitive: boolean;
  externalId: boolean;
  /** Target objects of Lookup/MasterDetail (several for polymorphic standard fields). */
  referenceTo?: string[];
  /**
   * As each source writes it. Custom fields (`__c`): the metadata's relationshipName, the
   * child side (`Touchpoints`, queried as `Touchpoints__r`; the parent side is the field name
   * with `__r`). Standard and system fields: the parent side (`Account`, `Owner`).
   */
  relationshipName?: string;
  relationshipLabel?: string;
  deleteConstraint?: 'SetNull' | 'Restrict' | 'Cascade';
  writeRequiresMasterRead?: boolean;
  reparentableMasterDetail?: boolean;
  picklist?: { values: PicklistValue[]; restricted: boolean };
  /** Default value as written in metadata (a formula expression such as `true` or `'Web'`). */
  defaultValue?: string;
  displayFormat?: string;
  description?: string;
  inlineHelpText?: string;
  /** Standard fields the platform sets (Id, CreatedDate, ...): never writable. */
  system?: boolean;
  /** Whether the field can be set on create / update (standard fields may say no). */
  createable?: boolean;
  updateable?: boolean;
}

export interface ValidationRuleDef {
  name: string;
  active: boolean;
  errorConditionFormula: string;
  errorMessage: string;
  errorDisplayField?: string;
  description?: string;
}

export interface ObjectDef {
  /** API name, e.g. `CX_Touchpoint__c` or `Account`. */
  name: string;
  label: string;
  pluralLabel: string;
  custom: boolean;
  /** Custom metadata type (`__mdt`). */
  customMetadata: boolean;
  /** Three-character Id prefix; standard objects declare theirs, custom ones get one allocated. */
  keyPrefix?: string;
  sharingModel?: string;
  description?: string;
  /** Every field, the Name field and system fields included. */
  fields: FieldDef[];
  validationRules: ValidationRuleDef[];
}

export interface ObjectPermission {
  object: string;
  allowCreate: boolean;
  allowRead: boolean;
  allowEdit: boolean;
  allowDelete: boolean;
  viewAllRecords: boolean;
  modifyAllRecords: boolean;
}

export interface FieldPermission {
  /** `Object.Field` */
  field: string;
  readable: boolean;
  editable: boolean;
}

export interface PermissionSetDef {
  name: string;
  label: string;
  description?: string;
  /** True for force-app (packaged), false for config/unpackaged (post-install grants). */
  packaged: boolean;
  objectPermissions: ObjectPermission[];
  fieldPermissions: FieldPermission[];
  /** User permissions such as `BulkApiHardDelete`, `ApiEnabled`. */
  userPermissions: string[];
  tabSettings: { tab: string; visibility: string }[];
  applicationVisibilities: { application: string; visible: boolean }[];
}

export interface CustomMetadataRecord {
  /** Type API name, e.g. `CX_Dimension__mdt`. */
  type: string;
  /** DeveloperName, e.g. `Reliability`. */
  developerName: string;
  label: string;
  protected: boolean;
  values: Record<string, string | number | boolean | null>;
}

export interface CustomLabelDef {
  name: string;
  value: string;
  shortDescription: string;
  categories?: string;
  /** Translations by language code (`nl_NL`). */
  translations: Record<string, string>;
}

export interface ProjectSchema {
  /** By API name; lookups are case-insensitive through `findObject`. */
  objects: Map<string, ObjectDef>;
  permissionSets: PermissionSetDef[];
  customMetadata: CustomMetadataRecord[];
  labels: CustomLabelDef[];
}
