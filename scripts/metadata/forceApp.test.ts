import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  clearProjectSchemaCache,
  findField,
  findObject,
  findProjectRoot,
  loadProjectSchema
} from './forceApp';
import { MetadataError } from './xml';

const fixture = path.join(__dirname, 'fixtures', 'project');

function field(objectName: string, fieldName: string) {
  const obj = findObject(loadProjectSchema(fixture), objectName);
  if (!obj) throw new Error(`no object ${objectName}`);
  const f = findField(obj, fieldName);
  if (!f) throw new Error(`no field ${objectName}.${fieldName}`);
  return f;
}

describe('loadProjectSchema on the fixture project', () => {
  const schema = loadProjectSchema(fixture);

  it('reads custom objects with their labels, sharing and description', () => {
    const journey = findObject(schema, 'CX_Journey__c');
    expect(journey).toMatchObject({
      label: 'Journey',
      pluralLabel: 'Journeys',
      custom: true,
      customMetadata: false,
      sharingModel: 'ReadWrite',
      description: 'A customer journey from its start to its end.'
    });
    expect(journey?.keyPrefix).toMatch(/^a[0-9A-Za-z]{2}$/);
  });

  it('finds objects and fields case-insensitively', () => {
    expect(findObject(schema, 'cx_touchpoint__C')?.name).toBe('CX_Touchpoint__c');
    expect(findObject(schema, 'No_Such__c')).toBeUndefined();
    const tp = findObject(schema, 'CX_Touchpoint__c');
    expect(tp && findField(tp, 'stage__c')?.name).toBe('Stage__c');
    expect(tp && findField(tp, 'Nope__c')).toBeUndefined();
  });

  it('adds the Name, owner and system fields to custom objects', () => {
    const names = findObject(schema, 'CX_Journey__c')?.fields.map((f) => f.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'Id',
        'Name',
        'OwnerId',
        'CreatedDate',
        'CreatedById',
        'LastModifiedDate',
        'LastModifiedById',
        'SystemModstamp',
        'IsDeleted',
        'Key__c'
      ])
    );
    expect(field('CX_Journey__c', 'Name')).toMatchObject({
      label: 'Journey Name',
      type: 'Text',
      length: 80,
      required: true,
      createable: true
    });
    expect(field('CX_Journey__c', 'CreatedDate')).toMatchObject({
      type: 'DateTime',
      system: true,
      createable: false,
      updateable: false
    });
    expect(field('CX_Journey__c', 'OwnerId')).toMatchObject({
      type: 'Lookup',
      referenceTo: ['User'],
      relationshipName: 'Owner'
    });
  });

  it('gives master-detail children an auto-number Name and no owner', () => {
    const perception = findObject(schema, 'CX_Perception__c');
    expect(perception && findField(perception, 'OwnerId')).toBeUndefined();
    expect(field('CX_Perception__c', 'Name')).toMatchObject({
      type: 'AutoNumber',
      displayFormat: 'P-{0000000}',
      createable: false
    });
    expect(field('CX_Perception__c', 'Account__c')).toMatchObject({
      type: 'MasterDetail',
      referenceTo: ['Account'],
      relationshipName: 'CX_Perceptions',
      required: true,
      writeRequiresMasterRead: true,
      reparentableMasterDetail: false,
      updateable: false
    });
  });

  it('reads field attributes: external ids, picklists, formulas, numbers', () => {
    expect(field('CX_Journey__c', 'Key__c')).toMatchObject({
      type: 'Text',
      length: 80,
      externalId: true,
      unique: true,
      caseSensitive: false,
      required: true,
      description: 'Stable key used by imports.'
    });
    expect(field('CX_Touchpoint__c', 'Stage__c').picklist).toEqual({
      restricted: true,
      values: [
        { value: 'Awareness', label: 'Awareness', default: true },
        { value: 'Field visit', label: 'Field visit', default: false }
      ]
    });
    expect(field('CX_Perception__c', 'Gap__c')).toMatchObject({
      type: 'Number',
      formula: 'Perception__c - Expectation__c',
      formulaTreatBlanksAs: 'BlankAsBlank',
      precision: 5,
      scale: 2,
      createable: false,
      updateable: false
    });
    expect(field('CX_Touchpoint__c', 'Journey__c')).toMatchObject({
      type: 'Lookup',
      referenceTo: ['CX_Journey__c'],
      relationshipName: 'Touchpoints',
      deleteConstraint: 'SetNull',
      required: false
    });
    expect(field('CX_Touchpoint__c', 'Brand_Promise__c').inlineHelpText).toBe(
      'What the brand promises here, on a 0-100 scale.'
    );
  });

  it('reads validation rules with their formula unescaped', () => {
    expect(findObject(schema, 'CX_Touchpoint__c')?.validationRules).toEqual([
      {
        name: 'Promise_In_Range',
        active: true,
        description: 'The promise is on the 0-100 scale.',
        errorConditionFormula: 'OR(Brand_Promise__c < 0, Brand_Promise__c > 100)',
        errorDisplayField: 'Brand_Promise__c',
        errorMessage: 'Brand promise must be between 0 and 100.'
      }
    ]);
  });

  it('merges CX_ fields into the standard objects of the schema file', () => {
    const account = findObject(schema, 'Account');
    expect(account).toMatchObject({ custom: false, keyPrefix: '001', label: 'Account' });
    expect(account?.fields.map((f) => f.name)).toEqual([
      'Id',
      'Name',
      'OwnerId',
      'Industry',
      'CX_NPS__c'
    ]);
    expect(field('Account', 'Industry').picklist?.values.map((v) => v.value)).toEqual([
      'Banking',
      'Retail'
    ]);
    expect(field('Account', 'OwnerId').referenceTo).toEqual(['User']);
    expect(field('Task', 'WhatId').referenceTo).toEqual(['Account', 'CX_Touchpoint__c']);
  });

  it('puts Activity fields on Task and Event and adds the Id a schema file leaves out', () => {
    expect(field('Task', 'CX_Response_Id__c')).toMatchObject({ externalId: true, unique: true });
    expect(field('Task', 'Id').type).toBe('Id');
    expect(field('Event', 'CX_Response_Id__c').externalId).toBe(true);
    expect(findObject(schema, 'Event')).toMatchObject({ custom: false, label: 'Event' });
    expect(findObject(schema, 'Activity')).toBeUndefined();
  });

  it('reads custom metadata types and typed record values', () => {
    const dimension = findObject(schema, 'CX_Dimension__mdt');
    expect(dimension).toMatchObject({ customMetadata: true, custom: true });
    expect(dimension?.keyPrefix).toMatch(/^m/);
    expect(dimension?.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(['DeveloperName', 'MasterLabel', 'Weight__c'])
    );
    expect(dimension && findField(dimension, 'CreatedDate')).toBeUndefined();
    expect(schema.customMetadata).toEqual([
      {
        type: 'CX_Dimension__mdt',
        developerName: 'Reliability',
        label: 'Reliability',
        protected: false,
        values: { Weight__c: 0.32 }
      }
    ]);
  });

  it('reads packaged and unpackaged permission sets', () => {
    expect(schema.permissionSets.map((p) => [p.name, p.packaged])).toEqual([
      ['Outside_In_Rep', true],
      ['Outside_In_Rep_Grants', false]
    ]);
    const grants = schema.permissionSets[1];
    expect(grants?.userPermissions).toEqual(['ApiEnabled']);
    expect(grants?.objectPermissions).toEqual([
      {
        object: 'CX_Perception__c',
        allowCreate: true,
        allowRead: true,
        allowEdit: false,
        allowDelete: false,
        viewAllRecords: false,
        modifyAllRecords: false
      }
    ]);
    expect(grants?.fieldPermissions).toEqual([
      { field: 'Account.CX_NPS__c', readable: true, editable: false },
      { field: 'CX_Perception__c.Expectation__c', readable: true, editable: true },
      { field: 'CX_Perception__c.Gap__c', readable: true, editable: false },
      { field: 'CX_Perception__c.Perception__c', readable: true, editable: true }
    ]);
  });

  it('reads custom labels with their translations', () => {
    expect(schema.labels).toEqual([
      {
        name: 'CX_Save',
        value: 'Save',
        shortDescription: 'Save button',
        categories: 'Capture',
        translations: { nl_NL: 'Opslaan' }
      }
    ]);
  });

  it('memoises per root', () => {
    expect(loadProjectSchema(fixture)).toBe(schema);
  });
});

describe('loadProjectSchema on bad input', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-'));
    fs.writeFileSync(path.join(dir, 'sfdx-project.json'), '{}');
    clearProjectSchemaCache();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function write(rel: string, body: string): void {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), body);
  }

  it('reads an empty project', () => {
    const schema = loadProjectSchema(dir);
    expect(schema.objects.size).toBe(0);
    expect(schema.permissionSets).toEqual([]);
  });

  it('names the file of malformed XML', () => {
    write('force-app/main/default/objects/X__c/X__c.object-meta.xml', '<CustomObject><label>');
    expect(() => loadProjectSchema(dir)).toThrow(MetadataError);
    expect(() => loadProjectSchema(dir)).toThrow(
      /force-app\/main\/default\/objects\/X__c\/X__c.object-meta.xml: XML does not parse/
    );
  });

  it('names the file and field of an unknown field type', () => {
    write(
      'force-app/main/default/objects/X__c/X__c.object-meta.xml',
      '<CustomObject><label>X</label></CustomObject>'
    );
    write(
      'force-app/main/default/objects/X__c/fields/A__c.field-meta.xml',
      '<CustomField><type>Txt</type></CustomField>'
    );
    expect(() => loadProjectSchema(dir)).toThrow(/A__c.field-meta.xml: field A__c .*"Txt"/);
  });

  it('names the object and field of a bad standard-objects.json entry', () => {
    write(
      'config/standard-objects.json',
      JSON.stringify({
        objects: [{ name: 'Account', label: 'Account', fields: [{ name: 'Foo', type: 'Blob' }] }]
      })
    );
    expect(() => loadProjectSchema(dir)).toThrow(
      /config\/standard-objects.json: objects\[0\] \(Account\)\.fields\[0\] \(Foo\)\.type/
    );
  });

  it('fills in the lengths the platform fixes for text areas, emails, phones and URLs', () => {
    write(
      'force-app/main/default/objects/X__c/X__c.object-meta.xml',
      '<CustomObject><label>X</label><sharingModel>Private</sharingModel></CustomObject>'
    );
    for (const type of ['TextArea', 'Email', 'Phone', 'Url']) {
      write(
        `force-app/main/default/objects/X__c/fields/${type}__c.field-meta.xml`,
        `<CustomField><label>${type}</label><type>${type}</type></CustomField>`
      );
    }
    const x = findObject(loadProjectSchema(dir), 'X__c');
    expect(
      ['TextArea', 'Email', 'Phone', 'Url'].map((t) => x && findField(x, `${t}__c`)?.length)
    ).toEqual([255, 80, 40, 255]);
    expect(x?.sharingModel).toBe('Private');
    expect(x && findField(x, 'OwnerId')).toBeDefined();
  });

  it('keeps key prefixes stable when another object is added', () => {
    const obj = (name: string) =>
      write(
        `force-app/main/default/objects/${name}/${name}.object-meta.xml`,
        `<CustomObject><label>${name}</label><sharingModel>ReadWrite</sharingModel></CustomObject>`
      );
    obj('B__c');
    const before = findObject(loadProjectSchema(dir), 'B__c')?.keyPrefix;
    clearProjectSchemaCache();
    obj('A__c');
    const after = loadProjectSchema(dir);
    expect(findObject(after, 'B__c')?.keyPrefix).toBe(before);
    expect(findObject(after, 'A__c')?.keyPrefix).not.toBe(before);
  });
});

describe('the real project', () => {
  it('is found from this directory and reads', () => {
    const root = findProjectRoot();
    expect(fs.existsSync(path.join(root, 'sfdx-project.json'))).toBe(true);
    expect(() => loadProjectSchema(root)).not.toThrow();
  });
});
