/**
 * What each Outside-In persona must be able to do, as data: the permission-set check compares
 * the grants of each persona's two permission sets (packaged + unpackaged) with these needs.
 */

export type Access = 'create' | 'read' | 'edit' | 'delete';

export interface ObjectNeed {
  object: string;
  access: Access[];
}

/** Access to the package's CX_ fields on a standard object (Account, Contact, Activity). */
export interface StandardFieldNeed {
  object: string;
  access: 'read' | 'edit';
}

export interface Persona {
  name: string;
  /** The packaged permission set (force-app). */
  packaged: string;
  /** The unpackaged grants (config/unpackaged): what a package cannot carry. */
  unpackaged: string;
  /**
   * Object access. Reading an object also means reading each of its fields, and create or
   * edit means editing each field a user may write (formulas, auto numbers, required and
   * master-detail fields take no field permissions).
   */
  objects: ObjectNeed[];
  standardFields: StandardFieldNeed[];
  /** User permissions the unpackaged set must enable. */
  userPermissions: string[];
  /** Objects on which this persona gets no delete, modify-all or view-all. */
  noDestructiveAccess: string[];
}

/** Journeys, touchpoints, surveys and questions: what admins configure and everyone else reads. */
export const CONFIGURATION_OBJECTS = [
  'CX_Journey__c',
  'CX_Touchpoint__c',
  'CX_Survey__c',
  'CX_Survey_Question__c'
];

const readAll = (objects: string[]): ObjectNeed[] =>
  objects.map((object) => ({ object, access: ['read'] }));

export const PERSONAS: Persona[] = [
  {
    name: 'Admin',
    packaged: 'Outside_In_Admin',
    unpackaged: 'Outside_In_Admin_Grants',
    objects: [
      ...CONFIGURATION_OBJECTS.map((object): ObjectNeed => ({
        object,
        access: ['create', 'read', 'edit', 'delete']
      })),
      ...readAll(['CX_Score__c', 'CX_Sync_Run__c', 'CX_Perception__c', 'CX_Account_Score__c'])
    ],
    standardFields: [
      { object: 'Account', access: 'read' },
      { object: 'Contact', access: 'read' }
    ],
    userPermissions: [],
    noDestructiveAccess: []
  },
  {
    name: 'Manager',
    packaged: 'Outside_In_Manager',
    unpackaged: 'Outside_In_Manager_Grants',
    objects: readAll([
      ...CONFIGURATION_OBJECTS,
      'CX_Score__c',
      'CX_Perception__c',
      'CX_Account_Score__c'
    ]),
    standardFields: [
      { object: 'Account', access: 'read' },
      { object: 'Contact', access: 'read' }
    ],
    userPermissions: [],
    noDestructiveAccess: CONFIGURATION_OBJECTS
  },
  {
    name: 'Rep',
    packaged: 'Outside_In_Rep',
    unpackaged: 'Outside_In_Rep_Grants',
    objects: [
      // The capture form lists a touchpoint's questions; questions are read through their survey.
      ...readAll(['CX_Touchpoint__c', 'CX_Survey__c', 'CX_Survey_Question__c', 'CX_Score__c']),
      ...readAll(['CX_Account_Score__c']),
      { object: 'CX_Perception__c', access: ['create', 'read'] }
    ],
    standardFields: [
      { object: 'Account', access: 'read' },
      { object: 'Contact', access: 'read' }
    ],
    userPermissions: [],
    noDestructiveAccess: CONFIGURATION_OBJECTS
  },
  {
    name: 'Sync',
    packaged: 'Outside_In_Sync',
    unpackaged: 'Outside_In_Sync_Grants',
    objects: [
      ...readAll(CONFIGURATION_OBJECTS),
      // Upserts, reads rep captures back, and hard-deletes on erasure.
      { object: 'CX_Perception__c', access: ['create', 'read', 'edit', 'delete'] },
      { object: 'CX_Account_Score__c', access: ['create', 'read', 'edit'] },
      { object: 'CX_Score__c', access: ['create', 'read', 'edit'] },
      { object: 'CX_Sync_Run__c', access: ['create', 'read', 'edit'] },
      // Matching reads the transaction records; summary fields are written on Account and Contact.
      { object: 'Account', access: ['read', 'edit'] },
      { object: 'Contact', access: ['read', 'edit'] },
      ...readAll(['Case', 'Opportunity', 'Order'])
    ],
    standardFields: [
      { object: 'Account', access: 'edit' },
      { object: 'Contact', access: 'edit' },
      { object: 'Activity', access: 'edit' }
    ],
    userPermissions: ['BulkApiHardDelete'],
    noDestructiveAccess: []
  }
];
