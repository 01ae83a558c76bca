/**
 * Object, field and record access of a user, as an org computes it from the
 * profile (a baseline like a standard user's) and the assigned permission
 * sets. Every API surface asks these questions through the record layer.
 */
import type { PermissionSetDef } from '../metadata/types';
import type { OrgField, OrgObject } from './schema';

export interface ObjectAccess {
  read: boolean;
  create: boolean;
  edit: boolean;
  delete: boolean;
  viewAll: boolean;
  modifyAll: boolean;
}

const NONE: ObjectAccess = {
  read: false,
  create: false,
  edit: false,
  delete: false,
  viewAll: false,
  modifyAll: false
};

/** What a standard user profile grants on the standard objects the project uses. */
export const BASELINE_PROFILE: Record<string, Partial<ObjectAccess>> = {
  Account: { read: true, create: true, edit: true },
  Contact: { read: true, create: true, edit: true },
  Case: { read: true, create: true, edit: true },
  Opportunity: { read: true, create: true, edit: true },
  Order: { read: true, create: true, edit: true },
  Task: { read: true, create: true, edit: true },
  User: { read: true },
  Organization: { read: true },
  // Only in orgs with Person Accounts (personAccounts.ts).
  RecordType: { read: true }
};

export class Permissions {
  private readonly objects = new Map<string, ObjectAccess>();
  private readonly fields = new Map<string, { read: boolean; edit: boolean }>();
  private readonly userPerms = new Set<string>();
  /** Access per object, computed once (every record and field check asks). */
  private readonly resolved = new WeakMap<OrgObject, ObjectAccess>();

  /**
   * @param superUser "Modify All Data": every object, field and record (the admin persona).
   */
  constructor(
    readonly permissionSets: PermissionSetDef[],
    readonly superUser = false
  ) {
    for (const [name, access] of Object.entries(BASELINE_PROFILE)) this.grant(name, access);
    for (const ps of permissionSets) {
      for (const op of ps.objectPermissions) {
        this.grant(op.object, {
          read: op.allowRead,
          create: op.allowCreate,
          edit: op.allowEdit,
          delete: op.allowDelete,
          viewAll: op.viewAllRecords,
          modifyAll: op.modifyAllRecords
        });
      }
      for (const fp of ps.fieldPermissions) {
        const key = fp.field.toLowerCase();
        const prev = this.fields.get(key) ?? { read: false, edit: false };
        this.fields.set(key, {
          read: prev.read || fp.readable || fp.editable,
          edit: prev.edit || fp.editable
        });
      }
      for (const up of ps.userPermissions) this.userPerms.add(up);
    }
  }

  private grant(object: string, access: Partial<ObjectAccess>): void {
    const key = object.toLowerCase();
    const prev = this.objects.get(key) ?? NONE;
    const next: ObjectAccess = {
      read: prev.read || Boolean(access.read),
      create: prev.create || Boolean(access.create),
      edit: prev.edit || Boolean(access.edit),
      delete: prev.delete || Boolean(access.delete),
      viewAll: prev.viewAll || Boolean(access.viewAll),
      modifyAll: prev.modifyAll || Boolean(access.modifyAll)
    };
    this.objects.set(key, next);
  }

  object(obj: OrgObject): ObjectAccess {
    let access = this.resolved.get(obj);
    if (!access) {
      access = this.compute(obj);
      this.resolved.set(obj, access);
    }
    return access;
  }

  private compute(obj: OrgObject): ObjectAccess {
    if (this.superUser) {
      const writable = !obj.readOnly;
      return {
        read: true,
        create: writable,
        edit: writable,
        delete: writable,
        viewAll: true,
        modifyAll: writable
      };
    }
    // Custom metadata is readable by every user, as with the default
    // "Customize Application"-free access to public custom metadata types.
    if (obj.customMetadata) return { ...NONE, read: true, viewAll: true };
    const a = this.objects.get(obj.name.toLowerCase()) ?? NONE;
    // View/Modify All imply the lesser rights, as in an org.
    return {
      ...a,
      read: a.read || a.viewAll || a.modifyAll,
      viewAll: a.viewAll || a.modifyAll
    };
  }

  canReadField(obj: OrgObject, f: OrgField): boolean {
    if (!this.object(obj).read) return false;
    if (this.superUser || !f.permissionable) return true;
    return this.fields.get(`${obj.name}.${f.name}`.toLowerCase())?.read ?? false;
  }

  canEditField(obj: OrgObject, f: OrgField): boolean {
    if (!this.canReadField(obj, f)) return false;
    if (this.superUser || !f.permissionable) return true;
    return this.fields.get(`${obj.name}.${f.name}`.toLowerCase())?.edit ?? false;
  }

  hasUserPermission(name: string): boolean {
    return this.superUser || this.userPerms.has(name);
  }
}

/** Who is calling: every record-layer call carries one. */
export interface UserContext {
  userId: string;
  username: string;
  persona: string;
  permissions: Permissions;
}
