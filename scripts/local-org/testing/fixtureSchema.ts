/**
 * A ProjectSchema built in code with the shapes of the project's data model
 * (a subset of force-app and the standard-object schema file), so the local
 * org's layers are tested against a schema that does not change under them.
 */
import { fieldDef as f } from '../../metadata/forceApp';
import type {
  FieldDef,
  ObjectDef,
  ObjectPermission,
  PermissionSetDef,
  ProjectSchema
} from '../../metadata/types';

type FieldOpts = Partial<FieldDef>;

const ext = (name: string, label: string, length = 80): FieldDef =>
  f(name, label, 'Text', { length, required: true, unique: true, externalId: true });

const picklist = (values: string[], restricted = true) => ({
  restricted,
  values: values.map((v) => ({ value: v, label: v.replace(/_/g, ' '), default: false }))
});

const num = (name: string, label: string, precision: number, scale: number, o: FieldOpts = {}) =>
  f(name, label, 'Number', { precision, scale, ...o });

const CHANNELS = ['Web', 'Mobile app', 'Email', 'Phone', 'Chat', 'Store', 'Field visit', 'Social'];

function obj(
  name: string,
  label: string,
  fields: FieldDef[],
  opts: Partial<ObjectDef> = {}
): ObjectDef {
  const custom = name.endsWith('__c') || name.endsWith('__mdt');
  return {
    name,
    label,
    pluralLabel: `${label}s`,
    custom,
    customMetadata: name.endsWith('__mdt'),
    fields,
    validationRules: [],
    ...opts
  };
}

const cxStandardFields = [
  num('CX_Experience_Index__c', 'Experience Index', 5, 2),
  num('CX_NPS__c', 'NPS', 5, 2),
  f('CX_Last_Perception__c', 'Last Perception', 'DateTime'),
  f('CX_Alert__c', 'Experience Alert', 'Checkbox', { defaultValue: 'false' })
];

export function fixtureSchema(): ProjectSchema {
  const objects: ObjectDef[] = [
    obj(
      'User',
      'User',
      [
        f('Username', 'Username', 'Text', { length: 80, required: true, unique: true }),
        f('FirstName', 'First Name', 'Text', { length: 40 }),
        f('LastName', 'Last Name', 'Text', { length: 80, required: true }),
        f('Name', 'Full Name', 'Name', { length: 121 }),
        f('Email', 'Email', 'Email', { required: true }),
        f('Alias', 'Alias', 'Text', { length: 8 }),
        f('IsActive', 'Active', 'Checkbox', { defaultValue: 'true' }),
        f('TimeZoneSidKey', 'Time Zone', 'Text', { length: 40 }),
        f('LanguageLocaleKey', 'Language', 'Text', { length: 40 })
      ],
      { keyPrefix: '005', sharingModel: 'Read' }
    ),
    obj('Organization', 'Organization', [], { keyPrefix: '00D', sharingModel: 'Read' }),
    obj(
      'Account',
      'Account',
      [
        f('Name', 'Account Name', 'Text', { length: 255, required: true }),
        f('Industry', 'Industry', 'Picklist', {
          picklist: picklist(['Banking', 'Retail', 'Energy'], false)
        }),
        f('ParentId', 'Parent Account ID', 'Lookup', {
          referenceTo: ['Account'],
          relationshipName: 'Parent'
        }),
        f('AnnualRevenue', 'Annual Revenue', 'Currency', { precision: 18, scale: 0 }),
        ...cxStandardFields
      ],
      { keyPrefix: '001', sharingModel: 'Private' }
    ),
    obj(
      'Contact',
      'Contact',
      [
        f('FirstName', 'First Name', 'Text', { length: 40 }),
        f('LastName', 'Last Name', 'Text', { length: 80, required: true }),
        f('Name', 'Full Name', 'Name', { length: 121 }),
        f('Email', 'Email', 'Email'),
        f('AccountId', 'Account ID', 'Lookup', {
          referenceTo: ['Account'],
          relationshipName: 'Account'
        }),
        ...cxStandardFields
      ],
      { keyPrefix: '003' }
    ),
    obj(
      'Case',
      'Case',
      [
        f('Subject', 'Subject', 'Text', { length: 255 }),
        f('AccountId', 'Account ID', 'Lookup', { referenceTo: ['Account'] }),
        f('ContactId', 'Contact ID', 'Lookup', { referenceTo: ['Contact'] })
      ],
      { keyPrefix: '500' }
    ),
    obj(
      'Opportunity',
      'Opportunity',
      [
        f('Name', 'Name', 'Text', { length: 120, required: true }),
        f('AccountId', 'Account ID', 'Lookup', { referenceTo: ['Account'] }),
        f('Amount', 'Amount', 'Currency', { precision: 18, scale: 2 }),
        f('StageName', 'Stage', 'Picklist', {
          required: true,
          picklist: picklist(['Prospecting', 'Closed Won', 'Closed Lost'])
        }),
        f('CloseDate', 'Close Date', 'Date', { required: true })
      ],
      { keyPrefix: '006' }
    ),
    obj(
      'Task',
      'Task',
      [
        f('Subject', 'Subject', 'Text', { length: 255 }),
        f('WhoId', 'Name ID', 'Lookup', { referenceTo: ['Contact'], relationshipName: 'Who' }),
        f('WhatId', 'Related To ID', 'Lookup', {
          referenceTo: ['Account', 'Opportunity', 'Case'],
          relationshipName: 'What'
        }),
        f('ActivityDate', 'Due Date Only', 'Date'),
        f('Status', 'Status', 'Picklist', {
          required: true,
          picklist: picklist(['Not Started', 'Completed'])
        }),
        f('CX_Response_Id__c', 'Response Id', 'Text', {
          length: 80,
          unique: true,
          externalId: true
        }),
        f('CX_Touchpoint__c', 'Touchpoint', 'Lookup', {
          referenceTo: ['CX_Touchpoint__c'],
          relationshipName: 'CX_Tasks',
          deleteConstraint: 'SetNull'
        })
      ],
      { keyPrefix: '00T' }
    ),
    obj('CX_Journey__c', 'Journey', [
      f('Name', 'Journey Name', 'Text', { length: 80 }),
      ext('Key__c', 'Key'),
      f('Active__c', 'Active', 'Checkbox', { defaultValue: 'true' }),
      f('Description__c', 'Description', 'TextArea'),
      // An external Id that is not unique: upserts on it can match several records.
      f('Legacy_Id__c', 'Legacy Id', 'Text', { length: 40, externalId: true })
    ]),
    {
      ...obj('CX_Touchpoint__c', 'Touchpoint', [
        f('Name', 'Touchpoint Name', 'Text', { length: 80 }),
        f('Journey__c', 'Journey', 'Lookup', {
          referenceTo: ['CX_Journey__c'],
          relationshipName: 'Touchpoints',
          deleteConstraint: 'SetNull'
        }),
        f('Stage__c', 'Stage', 'Picklist', {
          required: true,
          picklist: picklist(['Awareness', 'Consideration', 'Purchase', 'Onboarding', 'Service'])
        }),
        num('Stage_Order__c', 'Stage Order', 3, 0),
        f('Channels__c', 'Channels', 'MultiselectPicklist', { picklist: picklist(CHANNELS) }),
        f('Process_Owner__c', 'Process Owner', 'Lookup', {
          referenceTo: ['User'],
          relationshipName: 'CX_Owned_Touchpoints'
        }),
        num('Brand_Promise__c', 'Brand Promise', 5, 2),
        num('Importance_Weight__c', 'Importance Weight', 5, 4, { defaultValue: '1' }),
        ext('Key__c', 'Key'),
        f('Description__c', 'Description', 'TextArea')
      ]),
      validationRules: [
        {
          name: 'Promise_In_Range',
          active: true,
          errorConditionFormula:
            'AND(NOT(ISBLANK(Brand_Promise__c)), OR(Brand_Promise__c < 0, Brand_Promise__c > 100))',
          errorMessage: 'The brand promise is on the 0-100 scale.',
          errorDisplayField: 'Brand_Promise__c'
        },
        {
          name: 'Key_Is_Fixed',
          active: true,
          errorConditionFormula: 'AND(NOT(ISNEW()), ISCHANGED(Key__c))',
          errorMessage: 'The key of a touchpoint cannot change.',
          errorDisplayField: 'Key__c'
        }
      ]
    },
    obj(
      'CX_Perception__c',
      'Perception',
      [
        f('Name', 'Perception Number', 'AutoNumber', { displayFormat: 'P-{0000000}' }),
        f('Account__c', 'Account', 'MasterDetail', {
          referenceTo: ['Account'],
          relationshipName: 'CX_Perceptions',
          writeRequiresMasterRead: true,
          reparentableMasterDetail: false
        }),
        f('Contact__c', 'Contact', 'Lookup', {
          referenceTo: ['Contact'],
          relationshipName: 'CX_Perceptions',
          deleteConstraint: 'SetNull'
        }),
        f('Touchpoint__c', 'Touchpoint', 'Lookup', {
          referenceTo: ['CX_Touchpoint__c'],
          relationshipName: 'Perceptions',
          deleteConstraint: 'SetNull'
        }),
        f('Channel__c', 'Channel', 'Picklist', { picklist: picklist(CHANNELS) }),
        f('Occurred_At__c', 'Occurred At', 'DateTime', { required: true }),
        f('Source__c', 'Source', 'Picklist', {
          required: true,
          picklist: picklist(['Rep_Capture', 'Import', 'Survey_Tool'])
        }),
        num('NPS__c', 'NPS', 2, 0),
        num('Expectation__c', 'Expectation', 5, 2),
        num('Perception__c', 'Perception', 5, 2),
        num('Self_Rating__c', 'Self Rating', 5, 2),
        num('Gap__c', 'Gap', 5, 2, {
          formula: 'Perception__c - Expectation__c',
          formulaTreatBlanksAs: 'BlankAsBlank'
        }),
        num('Delivery_Gap__c', 'Delivery Gap', 5, 2, {
          formula: 'Self_Rating__c - Perception__c',
          formulaTreatBlanksAs: 'BlankAsBlank'
        }),
        f('Comment__c', 'Comment', 'LongTextArea', { length: 32768 }),
        f('Response_Id__c', 'Response Id', 'Text', {
          length: 80,
          required: true,
          unique: true,
          externalId: true
        })
      ],
      { sharingModel: 'ControlledByParent' }
    ),
    obj(
      'CX_Account_Score__c',
      'Account Experience Score',
      [
        f('Name', 'Score Number', 'AutoNumber', { displayFormat: 'AS-{000000}' }),
        f('Account__c', 'Account', 'MasterDetail', {
          referenceTo: ['Account'],
          relationshipName: 'CX_Account_Scores'
        }),
        f('Period__c', 'Period', 'Text', { length: 7 }),
        num('Responses__c', 'Responses', 9, 0),
        ext('Score_Key__c', 'Score Key', 120)
      ],
      { sharingModel: 'ControlledByParent' }
    ),
    obj(
      'CX_Sync_Run__c',
      'Sync Run',
      [
        f('Name', 'Sync Run Number', 'AutoNumber', { displayFormat: 'SR-{000000}' }),
        ext('Run_Id__c', 'Run Id'),
        f('Status__c', 'Status', 'Picklist', {
          picklist: picklist(['Running', 'Succeeded', 'Partial', 'Failed'], false)
        })
      ],
      { sharingModel: 'Private' }
    ),
    obj('CX_Dimension__mdt', 'Dimension', [
      num('Weight__c', 'Weight', 5, 4),
      num('Sort_Order__c', 'Sort Order', 3, 0)
    ]),
    obj('CX_Setting__mdt', 'Setting', [
      num('Minimum_Sample__c', 'Minimum Sample', 5, 0),
      f('Fallback_Owner_Username__c', 'Fallback Owner Username', 'Text', { length: 80 })
    ])
  ];

  const op = (object: string, read: boolean, write = false, viewAll = false): ObjectPermission => ({
    object,
    allowRead: read,
    allowCreate: write,
    allowEdit: write,
    allowDelete: write,
    viewAllRecords: viewAll,
    modifyAllRecords: false
  });
  const fp = (field: string, editable = true) => ({ field, readable: true, editable });
  const ps = (name: string, packaged: boolean, o: Partial<PermissionSetDef>): PermissionSetDef => ({
    name,
    label: name.replace(/_/g, ' '),
    packaged,
    objectPermissions: [],
    fieldPermissions: [],
    userPermissions: [],
    tabSettings: [],
    applicationVisibilities: [],
    ...o
  });
  const touchpointFields = [
    'Journey__c',
    'Stage_Order__c',
    'Channels__c',
    'Process_Owner__c',
    'Brand_Promise__c',
    'Importance_Weight__c',
    'Description__c'
  ];
  const perceptionFields = [
    'Contact__c',
    'Touchpoint__c',
    'Channel__c',
    'NPS__c',
    'Expectation__c',
    'Perception__c',
    'Self_Rating__c',
    'Gap__c',
    'Delivery_Gap__c',
    'Comment__c'
  ];
  const permissionSets: PermissionSetDef[] = [
    ps('Outside_In_Manager', true, {
      objectPermissions: [
        op('CX_Journey__c', true, true, true),
        op('CX_Touchpoint__c', true, true, true),
        op('CX_Sync_Run__c', true, false, true)
      ],
      fieldPermissions: [
        fp('CX_Journey__c.Active__c'),
        fp('CX_Journey__c.Description__c'),
        ...touchpointFields.map((n) => fp(`CX_Touchpoint__c.${n}`)),
        fp('CX_Sync_Run__c.Status__c', false)
      ]
    }),
    ps('Outside_In_Manager_Grants', false, {
      objectPermissions: [
        op('Account', true, true, true),
        op('CX_Perception__c', true, true, true),
        op('CX_Account_Score__c', true, false, true)
      ],
      fieldPermissions: [
        ...perceptionFields.map((n) =>
          fp(`CX_Perception__c.${n}`, !['Gap__c', 'Delivery_Gap__c'].includes(n))
        ),
        fp('CX_Account_Score__c.Period__c', false),
        fp('CX_Account_Score__c.Responses__c', false),
        fp('Account.CX_Experience_Index__c', false),
        fp('Account.CX_NPS__c', false),
        fp('Account.CX_Alert__c', false)
      ]
    }),
    ps('Outside_In_Rep', true, {
      objectPermissions: [op('CX_Journey__c', true), op('CX_Touchpoint__c', true)],
      // The rep sees touchpoints but not their brand promise or weights.
      fieldPermissions: [
        fp('CX_Journey__c.Active__c', false),
        fp('CX_Touchpoint__c.Journey__c', false),
        fp('CX_Touchpoint__c.Channels__c', false),
        fp('CX_Touchpoint__c.Stage_Order__c', false)
      ]
    }),
    ps('Outside_In_Rep_Grants', false, {
      objectPermissions: [
        { ...op('CX_Perception__c', true, false), allowCreate: true },
        op('CX_Account_Score__c', true)
      ],
      fieldPermissions: [
        ...[
          'Contact__c',
          'Touchpoint__c',
          'Channel__c',
          'NPS__c',
          'Perception__c',
          'Expectation__c',
          'Comment__c'
        ].map((n) => fp(`CX_Perception__c.${n}`)),
        fp('CX_Perception__c.Gap__c', false),
        fp('CX_Account_Score__c.Period__c', false),
        fp('Account.CX_Experience_Index__c', false)
      ]
    }),
    ps('Outside_In_Sync', true, {
      objectPermissions: [
        op('CX_Journey__c', true, true, true),
        op('CX_Touchpoint__c', true, true, true),
        op('CX_Sync_Run__c', true, true, true)
      ],
      fieldPermissions: [
        ...touchpointFields.map((n) => fp(`CX_Touchpoint__c.${n}`)),
        fp('CX_Sync_Run__c.Status__c')
      ]
    }),
    ps('Outside_In_Sync_Grants', false, {
      objectPermissions: [
        { ...op('Account', true, true, true), allowDelete: false },
        { ...op('CX_Perception__c', true, true, true), modifyAllRecords: true },
        { ...op('CX_Account_Score__c', true, true, true), modifyAllRecords: true },
        op('Task', true, true, true)
      ],
      fieldPermissions: [
        ...perceptionFields.map((n) =>
          fp(`CX_Perception__c.${n}`, !['Gap__c', 'Delivery_Gap__c'].includes(n))
        ),
        fp('CX_Account_Score__c.Period__c'),
        fp('CX_Account_Score__c.Responses__c'),
        fp('Account.CX_Experience_Index__c'),
        fp('Account.CX_NPS__c'),
        fp('Account.CX_Alert__c'),
        fp('Account.CX_Last_Perception__c'),
        fp('Task.CX_Response_Id__c'),
        fp('Task.CX_Touchpoint__c')
      ],
      userPermissions: ['BulkApiHardDelete']
    })
  ];

  return {
    objects: new Map(objects.map((o) => [o.name, o])),
    permissionSets,
    customMetadata: [
      {
        type: 'CX_Dimension__mdt',
        developerName: 'Reliability',
        label: 'Reliability',
        protected: false,
        values: { Weight__c: 0.32, Sort_Order__c: 2 }
      },
      {
        type: 'CX_Dimension__mdt',
        developerName: 'Tangibles',
        label: 'Tangibles',
        protected: false,
        values: { Weight__c: 0.11, Sort_Order__c: 1 }
      },
      {
        type: 'CX_Setting__mdt',
        developerName: 'Default',
        label: 'Default',
        protected: false,
        values: { Minimum_Sample__c: 5, Fallback_Owner_Username__c: null }
      }
    ],
    labels: []
  };
}
