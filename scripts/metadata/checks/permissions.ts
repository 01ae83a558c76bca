import * as path from 'node:path';
import { findField, findObject, PATHS } from '../forceApp';
import { listFiles } from '../xml';
import type {
  FieldDef,
  ObjectDef,
  ObjectPermission,
  PermissionSetDef,
  ProjectSchema
} from '../types';
import { PERSONAS, type Access, type Persona } from './personas';
import { isFinding, readRawObjects, schemaOrFinding, type Finding } from './project';

const ACCESS_FLAG: Record<Access, keyof ObjectPermission> = {
  create: 'allowCreate',
  read: 'allowRead',
  edit: 'allowEdit',
  delete: 'allowDelete'
};

export function permissionSetFile(set: Pick<PermissionSetDef, 'name' | 'packaged'>): string {
  const dir = set.packaged ? PATHS.packaged : PATHS.unpackaged;
  return `${dir}/permissionsets/${set.name}.permissionset-meta.xml`;
}

/**
 * Permission sets: each persona gets what it needs (object access and the field access that
 * goes with it), rep and manager get no delete, modify-all or view-all on configuration,
 * packaged sets carry nothing the platform refuses at package upload, and every grant names
 * an object and field that exist and may take one.
 */
export function checkPermissions(root: string, personas: Persona[] = PERSONAS): Finding[] {
  const schema = schemaOrFinding(root);
  if (isFinding(schema)) return [schema];
  const standardFields = new Map(
    readRawObjects(root)
      .filter((o) => !o.custom)
      .map((o) => [o.name, o.fields.map((f) => f.name)])
  );
  const findings: Finding[] = [];
  const tabs = new Set(
    listFiles(path.join(root, PATHS.packaged, 'tabs'), '.tab-meta.xml').map((f) =>
      path.basename(f, '.tab-meta.xml')
    )
  );
  const apps = new Set(
    listFiles(path.join(root, PATHS.packaged, 'applications'), '.app-meta.xml').map((f) =>
      path.basename(f, '.app-meta.xml')
    )
  );
  for (const set of schema.permissionSets) {
    findings.push(...grantProblems(schema, set));
    for (const { tab } of set.tabSettings) {
      if (!tab.startsWith('standard-') && !tabs.has(tab)) {
        findings.push({
          file: permissionSetFile(set),
          message: `${set.name}: sets the visibility of tab ${tab}, which does not exist`
        });
      }
    }
    for (const { application } of set.applicationVisibilities) {
      if (!application.startsWith('standard__') && !apps.has(application)) {
        findings.push({
          file: permissionSetFile(set),
          message: `${set.name}: sets the visibility of app ${application}, which does not exist`
        });
      }
    }
    if (set.packaged) findings.push(...packagedProblems(schema, set));
  }
  for (const persona of personas)
    findings.push(...personaProblems(schema, persona, standardFields));
  return findings;
}

/** The object a permission names (`Activity` fields live on Task in the schema). */
function objectFor(schema: ProjectSchema, name: string): ObjectDef | undefined {
  return findObject(schema, name === 'Activity' ? 'Task' : name);
}

function masterOf(schema: ProjectSchema, obj: ObjectDef): ObjectDef[] {
  return obj.fields
    .filter((f) => f.type === 'MasterDetail')
    .flatMap((f) => f.referenceTo ?? [])
    .map((n) => findObject(schema, n))
    .filter((o): o is ObjectDef => o !== undefined);
}

/**
 * Fields that take no field permissions: required fields, which the platform always shows,
 * system fields, and on custom objects every standard field (Id, Name, OwnerId, audit fields).
 */
function takesNoFieldPermission(field: FieldDef, obj: ObjectDef): boolean {
  if (field.required || field.system === true || field.type === 'Id') return true;
  return obj.custom && !field.name.endsWith('__c');
}

function writable(field: FieldDef, obj: ObjectDef): boolean {
  return (
    field.formula === undefined &&
    field.type !== 'AutoNumber' &&
    field.createable !== false &&
    !takesNoFieldPermission(field, obj)
  );
}

function grantProblems(schema: ProjectSchema, set: PermissionSetDef): Finding[] {
  const file = permissionSetFile(set);
  const findings: Finding[] = [];
  const say = (message: string): void => {
    findings.push({ file, message: `${set.name}: ${message}` });
  };
  for (const p of set.objectPermissions) {
    if (!objectFor(schema, p.object)) say(`grants access to ${p.object}, which does not exist`);
    // The platform's own dependencies between object permissions.
    if ((p.allowCreate || p.allowEdit || p.allowDelete || p.viewAllRecords) && !p.allowRead) {
      say(`${p.object}: create, edit, delete and view all need read`);
    }
    if (p.allowDelete && !p.allowEdit) say(`${p.object}: delete needs edit`);
    if (p.modifyAllRecords && !(p.allowDelete && p.viewAllRecords)) {
      say(`${p.object}: modify all needs delete and view all`);
    }
  }
  for (const p of set.fieldPermissions) {
    const [objectName = '', fieldName = ''] = p.field.split('.');
    const obj = objectFor(schema, objectName);
    const field = obj && findField(obj, fieldName);
    if (!field) {
      say(`grants ${p.field}, which does not exist`);
      continue;
    }
    if (takesNoFieldPermission(field, obj) || field.type === 'MasterDetail') {
      say(`${p.field} is required or set by the platform and takes no field permission`);
    } else if (p.editable && !writable(field, obj)) {
      say(`${p.field} is computed (formula or auto number) and cannot be editable`);
    }
    if (p.editable && !p.readable) say(`${p.field}: editable needs readable`);
  }
  return findings;
}

/** What a package version cannot carry; the platform refuses these at upload. */
function packagedProblems(schema: ProjectSchema, set: PermissionSetDef): Finding[] {
  const file = permissionSetFile(set);
  const findings: Finding[] = [];
  const say = (message: string): void => {
    findings.push({ file, message: `${set.name} (packaged): ${message}` });
  };
  for (const name of set.userPermissions) say(`carries the user permission ${name}`);
  for (const p of set.objectPermissions) {
    const obj = objectFor(schema, p.object);
    if (!obj) continue;
    if (!obj.custom) say(`carries object permissions on the standard object ${p.object}`);
    const standardMaster = masterOf(schema, obj).find((m) => !m.custom);
    if (obj.custom && standardMaster) {
      say(
        `carries object permissions on ${p.object}, a master-detail child of ${standardMaster.name}`
      );
    }
  }
  for (const p of set.fieldPermissions) {
    const objectName = p.field.split('.')[0] ?? '';
    const obj = objectFor(schema, objectName);
    if (objectName === 'Activity' || (obj && !obj.custom)) {
      say(`carries field permissions on the standard object field ${p.field}`);
    }
  }
  return findings;
}

function personaProblems(
  schema: ProjectSchema,
  persona: Persona,
  standardFields: Map<string, string[]>
): Finding[] {
  const packaged = schema.permissionSets.find((s) => s.name === persona.packaged && s.packaged);
  const unpackaged = schema.permissionSets.find(
    (s) => s.name === persona.unpackaged && !s.packaged
  );
  const packagedFile = permissionSetFile({ name: persona.packaged, packaged: true });
  const unpackagedFile = permissionSetFile({ name: persona.unpackaged, packaged: false });
  const findings: Finding[] = [];
  if (!packaged)
    findings.push({
      file: packagedFile,
      message: `missing: the ${persona.name} persona's permission set`
    });
  if (!unpackaged) {
    findings.push({
      file: unpackagedFile,
      message: `missing: the ${persona.name} persona's unpackaged grants`
    });
  }
  const sets = [packaged, unpackaged].filter((s): s is PermissionSetDef => s !== undefined);
  // A packaged grant the platform refuses does not count: the persona would never get it.
  const packageable = (object: string): boolean => {
    const obj = findObject(schema, object);
    return obj !== undefined && obj.custom && !masterOf(schema, obj).some((m) => !m.custom);
  };
  const has = (object: string, flag: keyof ObjectPermission): boolean =>
    sets.some(
      (s) =>
        (!s.packaged || packageable(object)) &&
        s.objectPermissions.some(
          (p) => p.object.toLowerCase() === object.toLowerCase() && p[flag] === true
        )
    );
  const fieldGrant = (field: string): { readable: boolean; editable: boolean } => {
    const lower = field.toLowerCase();
    const standard = !objectFor(schema, field.split('.')[0] ?? '')?.custom;
    const grants = sets
      .filter((s) => !(s.packaged && standard))
      .flatMap((s) => s.fieldPermissions)
      .filter((p) => p.field.toLowerCase() === lower);
    return {
      readable: grants.some((g) => g.readable),
      editable: grants.some((g) => g.editable)
    };
  };
  const label = `${persona.name} (${persona.packaged} + ${persona.unpackaged})`;

  for (const need of persona.objects) {
    const obj = findObject(schema, need.object);
    // A grant a package cannot carry belongs in the unpackaged set.
    const target =
      !obj || !obj.custom || masterOf(schema, obj).some((m) => !m.custom)
        ? unpackagedFile
        : packagedFile;
    const missing = need.access.filter((a) => !has(need.object, ACCESS_FLAG[a]));
    if (missing.length > 0) {
      findings.push({
        file: target,
        message: `${label} needs ${missing.join(', ')} on ${need.object}`
      });
    }
    if (!obj?.custom) continue;
    for (const master of masterOf(schema, obj)) {
      if (master.custom && !has(master.name, 'allowRead')) {
        findings.push({
          file: packagedFile,
          message: `${label} needs read on ${master.name} to reach its master-detail child ${obj.name}`
        });
      }
    }
    const fields = obj.fields.filter(
      (f) => !takesNoFieldPermission(f, obj) && f.type !== 'MasterDetail'
    );
    if (need.access.includes('read')) {
      const unreadable = fields.filter((f) => !fieldGrant(`${obj.name}.${f.name}`).readable);
      if (unreadable.length > 0) {
        findings.push({
          file: target,
          message: `${label} cannot read ${unreadable.length} field(s) of ${obj.name}: ${unreadable.map((f) => f.name).join(', ')}`
        });
      }
    }
    if (need.access.includes('create') || need.access.includes('edit')) {
      const locked = fields.filter(
        (f) => writable(f, obj) && !fieldGrant(`${obj.name}.${f.name}`).editable
      );
      if (locked.length > 0) {
        findings.push({
          file: target,
          message: `${label} cannot edit ${locked.length} field(s) of ${obj.name}: ${locked.map((f) => f.name).join(', ')}`
        });
      }
    }
  }

  for (const need of persona.standardFields) {
    const names = standardFields.get(need.object) ?? [];
    const aliases = need.object === 'Activity' ? ['Activity', 'Task'] : [need.object];
    const obj = objectFor(schema, need.object);
    const lacking = names.filter((name) => {
      const field = obj && findField(obj, name);
      if (obj && field && takesNoFieldPermission(field, obj)) return false;
      const grants = aliases.map((a) => fieldGrant(`${a}.${name}`));
      return need.access === 'read'
        ? !grants.some((g) => g.readable)
        : !grants.some((g) => g.editable) && (!obj || !field || writable(field, obj));
    });
    if (lacking.length > 0) {
      findings.push({
        file: unpackagedFile,
        message: `${label} needs ${need.access} on ${need.object} fields: ${lacking.join(', ')}`
      });
    }
  }

  for (const name of persona.userPermissions) {
    if (!unpackaged?.userPermissions.includes(name)) {
      findings.push({
        file: unpackagedFile,
        message: `${label} needs the user permission ${name}`
      });
    }
  }

  for (const object of persona.noDestructiveAccess) {
    for (const set of sets) {
      for (const p of set.objectPermissions.filter(
        (q) => q.object.toLowerCase() === object.toLowerCase()
      )) {
        const granted = (
          [
            ['delete', p.allowDelete],
            ['modify all', p.modifyAllRecords],
            ['view all', p.viewAllRecords]
          ] as const
        )
          .filter(([, on]) => on)
          .map(([name]) => name);
        if (granted.length > 0) {
          findings.push({
            file: permissionSetFile(set),
            message: `${set.name}: the ${persona.name} persona gets no ${granted.join(', ')} on ${object}`
          });
        }
      }
    }
  }
  return findings;
}
