import { bool, many, num, text, texts, type XmlNode } from '../xml';
import { readRawObjects, type Finding, type RawField, type RawObject } from './project';

/** CustomField.type values the Metadata API accepts (FieldType enumeration, API 62.0). */
export const METADATA_FIELD_TYPES = [
  'AutoNumber',
  'Lookup',
  'MasterDetail',
  'MetadataRelationship',
  'Checkbox',
  'Currency',
  'Date',
  'DateTime',
  'Email',
  'EncryptedText',
  'ExternalLookup',
  'IndirectLookup',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'MultiselectPicklist',
  'Summary',
  'Text',
  'TextArea',
  'LongTextArea',
  'Url',
  'Hierarchy',
  'File',
  'CustomDataType',
  'Html',
  'Location',
  'Time'
] as const;

const FORMULA_RETURN_TYPES = [
  'Checkbox',
  'Currency',
  'Date',
  'DateTime',
  'Number',
  'Percent',
  'Text',
  'Time'
];
const NUMERIC_TYPES = ['Number', 'Currency', 'Percent'];
const EXTERNAL_ID_TYPES = ['Text', 'Number', 'Email', 'AutoNumber'];
const UNIQUE_TYPES = ['Text', 'Number', 'Email'];
/** Field types a custom metadata type may have. */
const CUSTOM_METADATA_TYPES = [
  'Checkbox',
  'Date',
  'DateTime',
  'Email',
  'MetadataRelationship',
  'Number',
  'Percent',
  'Phone',
  'Picklist',
  'Text',
  'TextArea',
  'LongTextArea',
  'Url'
];
const DELETE_CONSTRAINTS = ['SetNull', 'Restrict', 'Cascade'];
const MAX_NUMBER_PRECISION = 18;
const MAX_LONG_TEXT = 131072;
const MIN_LONG_TEXT = 256;

/**
 * Field and object rules the Salesforce CLI does not check offline: real field types with the
 * attributes each requires, external-Id and unique rules, master-detail rules, and the
 * project's naming rule (every object, and every field on a standard object, starts with CX_;
 * fields on the package's own objects do not).
 */
export function checkFieldRules(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const obj of readRawObjects(root)) {
    findings.push(...objectRules(obj));
    for (const field of obj.fields) {
      for (const message of fieldProblems(field, obj)) {
        findings.push({ file: field.file, message: `${obj.name}.${field.name}: ${message}` });
      }
    }
  }
  return findings;
}

function objectRules(obj: RawObject): Finding[] {
  const findings: Finding[] = [];
  const dir = `force-app/main/default/objects/${obj.name}`;
  if (obj.custom) {
    if (!obj.name.startsWith('CX_')) {
      findings.push({ file: dir, message: `${obj.name}: object names start with CX_` });
    }
    if (!obj.file) {
      findings.push({ file: dir, message: `${obj.name}: no ${obj.name}.object-meta.xml` });
      return findings;
    }
  }
  const xml = obj.xml;
  if (!obj.custom || !obj.file || !xml) return findings;
  const file = obj.file;
  const say = (message: string): void => {
    findings.push({ file, message: `${obj.name}: ${message}` });
  };
  if (!text(xml, 'label')) say('no <label>');
  if (!text(xml, 'pluralLabel')) say('no <pluralLabel>');
  if (obj.name.endsWith('__c')) {
    const nameField = xml.nameField as XmlNode | undefined;
    const nameType = text(nameField, 'type');
    if (!nameField || !text(nameField, 'label')) say('no <nameField> with a <label>');
    else if (nameType !== 'Text' && nameType !== 'AutoNumber') {
      say(`the name field's type must be Text or AutoNumber, not "${nameType ?? ''}"`);
    } else if (nameType === 'AutoNumber' && !text(nameField, 'displayFormat')) {
      say('an AutoNumber name field needs a <displayFormat>');
    }
    const sharing = text(xml, 'sharingModel');
    if (!sharing) say('no <sharingModel>');
    const masters = obj.fields.filter((f) => text(f.xml, 'type') === 'MasterDetail');
    if (masters.length > 2) {
      say(`${masters.length} master-detail fields; an object has at most 2`);
    }
    if (masters.length > 0 && sharing !== 'ControlledByParent') {
      say(
        `a master-detail child's sharingModel must be ControlledByParent, not "${sharing ?? ''}"`
      );
    }
    if (masters.length === 2) {
      const orders = masters.map((m) => text(m.xml, 'relationshipOrder')).sort();
      if (orders[0] !== '0' || orders[1] !== '1') {
        say('with two master-detail fields, their relationshipOrder must be 0 and 1');
      }
    }
  }
  return findings;
}

/** What is wrong with one field, each as a sentence. */
export function fieldProblems(field: RawField, obj: RawObject): string[] {
  const problems: string[] = [];
  const xml = field.xml;
  const type = text(xml, 'type');
  const formula = text(xml, 'formula');
  const fullName = text(xml, 'fullName');
  const required = bool(xml, 'required') === true;
  const externalId = bool(xml, 'externalId') === true;
  const unique = bool(xml, 'unique') === true;
  const standardObject = !obj.custom;
  const customMetadata = obj.name.endsWith('__mdt');

  if (!field.name.endsWith('__c')) problems.push('custom field names end with __c');
  if (standardObject && !field.name.startsWith('CX_')) {
    problems.push('fields on standard objects start with CX_');
  }
  if (!standardObject && field.name.startsWith('CX_')) {
    problems.push("fields on the package's own objects carry no CX_ prefix");
  }
  if (fullName !== undefined && fullName !== field.name) {
    problems.push(`<fullName>${fullName}</fullName> does not match the file name`);
  }
  if (!text(xml, 'label')) problems.push('no <label>');
  if (type === undefined) {
    problems.push('no <type>');
    return problems;
  }
  if (!(METADATA_FIELD_TYPES as readonly string[]).includes(type)) {
    problems.push(`type "${type}" is not a Metadata API field type`);
    return problems;
  }
  if (customMetadata && !CUSTOM_METADATA_TYPES.includes(type)) {
    problems.push(`a custom metadata type cannot have a ${type} field`);
  }

  if (formula !== undefined) {
    if (!FORMULA_RETURN_TYPES.includes(type)) {
      problems.push(
        `a formula's return type must be one of ${FORMULA_RETURN_TYPES.join(', ')}, not ${type}`
      );
    }
    if (formula.trim() === '') problems.push('the <formula> is empty');
    if (NUMERIC_TYPES.includes(type)) problems.push(...precisionProblems(xml));
    if (required) problems.push('a formula field cannot be required');
    if (externalId) problems.push('a formula field cannot be an External ID');
    if (unique) problems.push('a formula field cannot be unique');
    if (text(xml, 'defaultValue') !== undefined) {
      problems.push('a formula field cannot have a <defaultValue>');
    }
  } else {
    problems.push(...typeProblems(xml, type, obj));
  }

  if (externalId && !EXTERNAL_ID_TYPES.includes(type)) {
    problems.push(`External ID is only allowed on ${EXTERNAL_ID_TYPES.join(', ')}, not ${type}`);
  }
  if (unique && !UNIQUE_TYPES.includes(type)) {
    problems.push(`unique is only allowed on ${UNIQUE_TYPES.join(', ')}, not ${type}`);
  }
  if (bool(xml, 'caseSensitive') === true && !(unique && type === 'Text')) {
    problems.push('caseSensitive needs a unique Text field');
  }
  if (required && ['Checkbox', 'AutoNumber', 'Summary'].includes(type)) {
    problems.push(`a ${type} field cannot be required`);
  }
  return problems;
}

function precisionProblems(xml: XmlNode): string[] {
  const precision = num(xml, 'precision');
  const scale = num(xml, 'scale');
  if (precision === undefined || scale === undefined) {
    return ['needs <precision> and <scale>'];
  }
  if (
    !Number.isInteger(precision) ||
    !Number.isInteger(scale) ||
    scale < 0 ||
    precision < 1 ||
    scale > precision ||
    precision > MAX_NUMBER_PRECISION
  ) {
    return [
      `precision ${precision} and scale ${scale} must satisfy 0 <= scale <= precision <= ${MAX_NUMBER_PRECISION}`
    ];
  }
  return [];
}

function lengthProblem(xml: XmlNode, min: number, max: number): string[] {
  const length = num(xml, 'length');
  if (length === undefined) return ['needs a <length>'];
  if (!Number.isInteger(length) || length < min || length > max) {
    return [`length ${length} must be between ${min} and ${max}`];
  }
  return [];
}

function typeProblems(xml: XmlNode, type: string, obj: RawObject): string[] {
  const problems: string[] = [];
  switch (type) {
    case 'Text':
      problems.push(...lengthProblem(xml, 1, 255));
      break;
    case 'EncryptedText':
      problems.push(...lengthProblem(xml, 1, 175));
      break;
    case 'LongTextArea':
    case 'Html':
      problems.push(...lengthProblem(xml, MIN_LONG_TEXT, MAX_LONG_TEXT));
      if (!(num(xml, 'visibleLines') ?? 0)) problems.push('needs <visibleLines>');
      break;
    case 'Number':
    case 'Currency':
    case 'Percent':
      problems.push(...precisionProblems(xml));
      break;
    case 'Checkbox': {
      const value = text(xml, 'defaultValue');
      if (value !== 'true' && value !== 'false') {
        problems.push('a Checkbox needs <defaultValue> true or false');
      }
      break;
    }
    case 'AutoNumber':
      if (!text(xml, 'displayFormat')) problems.push('an AutoNumber field needs <displayFormat>');
      break;
    case 'Lookup': {
      problems.push(...referenceProblems(xml));
      const constraint = text(xml, 'deleteConstraint');
      if (constraint === undefined) problems.push('a Lookup needs <deleteConstraint>');
      else if (!DELETE_CONSTRAINTS.includes(constraint)) {
        problems.push(
          `deleteConstraint "${constraint}" is not one of ${DELETE_CONSTRAINTS.join(', ')}`
        );
      } else if (constraint === 'SetNull' && bool(xml, 'required') === true) {
        problems.push('a required Lookup cannot clear itself: deleteConstraint SetNull');
      }
      break;
    }
    case 'MasterDetail':
      problems.push(...referenceProblems(xml));
      if (xml.required !== undefined) problems.push('a MasterDetail field takes no <required>');
      if (xml.deleteConstraint !== undefined) {
        problems.push('a MasterDetail field takes no <deleteConstraint>');
      }
      if (!obj.custom || obj.name.endsWith('__mdt')) {
        problems.push('only custom objects can be master-detail children');
      }
      break;
    case 'MetadataRelationship':
      if (texts(xml, 'referenceTo').length === 0) problems.push('needs <referenceTo>');
      break;
    case 'Picklist':
    case 'MultiselectPicklist':
      problems.push(...picklistProblems(xml, type));
      break;
    case 'Summary':
      if (!text(xml, 'summaryOperation')) problems.push('a Summary field needs <summaryOperation>');
      break;
    default:
      break;
  }
  return problems;
}

function referenceProblems(xml: XmlNode): string[] {
  const problems: string[] = [];
  if (texts(xml, 'referenceTo').filter((r) => r).length !== 1) {
    problems.push('needs exactly one <referenceTo>');
  }
  const relationshipName = text(xml, 'relationshipName');
  if (!relationshipName) problems.push('needs a <relationshipName>');
  else if (!/^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*$/.test(relationshipName)) {
    problems.push(
      `relationshipName "${relationshipName}" must be letters, digits and single underscores`
    );
  }
  return problems;
}

function picklistProblems(xml: XmlNode, type: string): string[] {
  const problems: string[] = [];
  const valueSet = xml.valueSet as XmlNode | undefined;
  if (!valueSet || typeof valueSet !== 'object') return ['needs a <valueSet>'];
  if (text(valueSet, 'valueSetName')) return problems;
  const values = many((valueSet.valueSetDefinition as XmlNode | undefined)?.value);
  if (values.length === 0) return ['needs a <valueSet> with <valueSetDefinition> values'];
  const seen = new Set<string>();
  let defaults = 0;
  for (const value of values) {
    const name = text(value, 'fullName');
    if (!name) {
      problems.push('a picklist value has no <fullName>');
      continue;
    }
    if (!text(value, 'label')) problems.push(`picklist value "${name}" has no <label>`);
    if (seen.has(name.toLowerCase())) problems.push(`picklist value "${name}" appears twice`);
    seen.add(name.toLowerCase());
    if (type === 'MultiselectPicklist' && name.includes(';')) {
      problems.push(`multi-select value "${name}" cannot contain ";"`);
    }
    if (bool(value, 'default') === true) defaults++;
  }
  if (type === 'Picklist' && defaults > 1) problems.push('a Picklist has at most one default');
  if (type === 'MultiselectPicklist' && !(num(xml, 'visibleLines') ?? 0)) {
    problems.push('a MultiselectPicklist needs <visibleLines>');
  }
  return problems;
}
