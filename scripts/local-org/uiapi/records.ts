/**
 * UI API record representations (reference §7.2): `fields` map of
 * `{value, displayValue}`, spanning fields as nested records, `...Z` dates.
 * Records are read with SOQL through the engine, so object and field
 * permissions and sharing are the same as for REST queries.
 */
import { createHash } from 'node:crypto';
import { SfError, notFound } from '../errors';
import { normalizeId } from '../ids';
import type { LocalOrgCore } from '../core';
import type { UserContext } from '../permissions';
import { field, type OrgField, type OrgObject } from '../schema';

/** A field path below an object: leaves are fields, branches relationships. */
export interface FieldTree {
  fields: Map<string, OrgField>;
  rels: Map<string, { field: OrgField; obj: OrgObject; tree: FieldTree }>;
}

function emptyTree(): FieldTree {
  return { fields: new Map(), rels: new Map() };
}

export function invalidField(obj: OrgObject, name: string): SfError {
  return new SfError(
    'INVALID_FIELD',
    `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    undefined,
    400
  );
}

/**
 * Adds `Object.Field` or `Object.Rel.Field` to the tree. Returns false when
 * the user cannot see the path (the caller decides: error or omit).
 */
export function addPath(
  core: LocalOrgCore,
  user: UserContext,
  root: OrgObject,
  tree: FieldTree,
  qualified: string,
  qualifiedWithObject = true
): boolean {
  const parts = qualified.split('.').map((p) => p.trim());
  if (qualifiedWithObject) {
    if (parts.length < 2 || parts[0]!.toLowerCase() !== root.name.toLowerCase()) return false;
    parts.shift();
  }
  let obj = root;
  let node = tree;
  for (const rel of parts.slice(0, -1)) {
    const f = obj.parentRelationships.get(rel.toLowerCase());
    if (!f || f.referenceTo.length !== 1 || !user.permissions.canReadField(obj, f)) return false;
    const target = core.schema.get(f.referenceTo[0]!);
    if (!target || !user.permissions.object(target).read) return false;
    const key = f.relationshipName ?? rel;
    let next = node.rels.get(key);
    if (!next) {
      next = { field: f, obj: target, tree: emptyTree() };
      node.rels.set(key, next);
    }
    obj = target;
    node = next.tree;
  }
  const last = parts[parts.length - 1] ?? '';
  const f = field(obj, last);
  if (!f || f.storage === 'none' || !user.permissions.canReadField(obj, f)) return false;
  node.fields.set(f.name, f);
  return true;
}

/** The tree from `fields` (errors when invisible) and `optionalFields` (omitted when invisible). */
export function fieldTree(
  core: LocalOrgCore,
  user: UserContext,
  obj: OrgObject,
  fields: string[],
  optionalFields: string[]
): FieldTree {
  const tree = emptyTree();
  for (const name of fields) {
    if (!addPath(core, user, obj, tree, name)) {
      throw invalidField(obj, name.split('.').slice(1).join('.') || name);
    }
  }
  for (const name of optionalFields) addPath(core, user, obj, tree, name);
  return tree;
}

const META = ['LastModifiedById', 'LastModifiedDate', 'SystemModstamp'];

/** The SOQL select list for a tree: the fields, each parent's Id and Name, and the record metadata. */
function selectList(obj: OrgObject, tree: FieldTree, prefix: string, out: Set<string>): void {
  out.add(`${prefix}Id`);
  for (const m of META) if (field(obj, m)) out.add(`${prefix}${m}`);
  for (const name of tree.fields.keys()) out.add(`${prefix}${name}`);
  for (const [key, branch] of tree.rels) {
    out.add(`${prefix}${branch.field.name}`);
    selectList(branch.obj, branch.tree, `${prefix}${key}.`, out);
  }
}

function nameFieldOf(obj: OrgObject): OrgField | undefined {
  return field(obj, 'Name');
}

/** Adds the parents' Name fields (their displayValue) where the user may read them. */
function withNames(user: UserContext, tree: FieldTree): void {
  for (const branch of tree.rels.values()) {
    const n = nameFieldOf(branch.obj);
    if (n && user.permissions.canReadField(branch.obj, n) && !branch.tree.fields.has(n.name)) {
      branch.tree.fields.set(n.name, n);
    }
    withNames(user, branch.tree);
  }
}

/** `2019-02-15T10:33:07.000Z`: UI API date-times. */
export function uiDateTime(value: unknown): unknown {
  return typeof value === 'string' && /\+0000$/.test(value) ? value.replace('+0000', 'Z') : value;
}

export function uiValue(f: OrgField, value: unknown): { value: unknown; displayValue: unknown } {
  const v = f.type === 'datetime' ? uiDateTime(value) : value;
  let displayValue: unknown = null;
  if ((f.type === 'picklist' || f.type === 'multipicklist') && typeof v === 'string') {
    const values = f.def.picklist?.values ?? [];
    displayValue = v
      .split(';')
      .map((p) => values.find((pv) => pv.value === p)?.label ?? p)
      .join(';');
  }
  return { value: v ?? null, displayValue };
}

export function etagOf(id: string, modstamp: unknown): string {
  return createHash('md5')
    .update(`${id}:${String(modstamp)}`)
    .digest('hex');
}

export interface UiRecord {
  apiName: string;
  childRelationships: Record<string, never>;
  eTag: string;
  fields: Record<string, unknown>;
  id: string;
  lastModifiedById: string | null;
  lastModifiedDate: string | null;
  recordTypeId: null;
  recordTypeInfo: null;
  systemModstamp: string | null;
  weakEtag: number;
}

function build(obj: OrgObject, rec: Record<string, unknown>, tree: FieldTree): UiRecord {
  const fields: Record<string, unknown> = {};
  for (const [name, f] of tree.fields) fields[name] = uiValue(f, rec[name]);
  for (const [key, branch] of tree.rels) {
    const parent = rec[key] as Record<string, unknown> | null | undefined;
    if (parent && typeof parent === 'object') {
      const nested = build(branch.obj, parent, branch.tree);
      const n = nameFieldOf(branch.obj);
      fields[key] = {
        displayValue: n ? (parent[n.name] ?? null) : null,
        value: nested
      };
    } else fields[key] = { displayValue: null, value: null };
  }
  const id = String(rec.Id);
  const modstamp = uiDateTime(rec.SystemModstamp ?? null) as string | null;
  return {
    apiName: obj.name,
    childRelationships: {},
    eTag: etagOf(id, modstamp),
    fields,
    id,
    lastModifiedById: (rec.LastModifiedById as string | undefined) ?? null,
    lastModifiedDate: (uiDateTime(rec.LastModifiedDate ?? null) as string | null) ?? null,
    recordTypeId: null,
    recordTypeInfo: null,
    systemModstamp: modstamp,
    weakEtag: modstamp ? Date.parse(modstamp) : 0
  };
}

/** The record object of an Id, if the user may read that object; otherwise 404. */
export function objectOfId(
  core: LocalOrgCore,
  user: UserContext,
  rawId: unknown
): { obj: OrgObject; id: string } {
  const id = normalizeId(rawId);
  const obj = id ? core.schema.objectForId(id) : undefined;
  if (!id || !obj || !user.permissions.object(obj).read) throw notFound();
  return { obj, id };
}

/** Reads one record as the UI API returns it (404 when missing or not shared with the user). */
export function readUiRecord(
  core: LocalOrgCore,
  user: UserContext,
  obj: OrgObject,
  id: string,
  tree: FieldTree,
  version: string
): UiRecord {
  withNames(user, tree);
  const select = new Set<string>();
  selectList(obj, tree, '', select);
  const result = core.query(
    user,
    `SELECT ${[...select].join(', ')} FROM ${obj.name} WHERE Id = '${id}'`,
    {
      version
    }
  );
  const rec = result.records[0];
  if (!rec) throw notFound();
  return build(obj, rec, tree);
}

/** Fields of a layout type: Full is every readable field, Compact the name. */
export function layoutFields(user: UserContext, obj: OrgObject, layoutTypes: string[]): string[] {
  const out: string[] = [];
  for (const t of layoutTypes) {
    if (t.toLowerCase() === 'full') {
      for (const f of obj.fields) {
        if (f.storage !== 'none' && user.permissions.canReadField(obj, f))
          out.push(`${obj.name}.${f.name}`);
      }
    } else if (t.toLowerCase() === 'compact') {
      if (field(obj, 'Name')) out.push(`${obj.name}.Name`);
      out.push(`${obj.name}.Id`);
    }
  }
  return out;
}
