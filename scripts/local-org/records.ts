/**
 * The record layer: every API surface (REST, collections, tree, Bulk API,
 * UI API, GraphQL) creates, changes, deletes and reads records here, with a
 * UserContext, so validation, permissions and sharing hold the same way
 * everywhere.
 */
import { SfError, notFound } from './errors';
import type { FormulonLiteral } from 'formulon';
import {
  compileFormula,
  fromLiteral,
  toLiteral,
  type CompiledFormula,
  type FormulaEnv
} from './formula';
import { normalizeId, to15 } from './ids';
import type { UserContext } from './permissions';
import { field, type OrgField, type OrgObject, type OrgSchema } from './schema';
import { quoteIdent, type Row, type SqlValue, type Storage } from './storage';
import { defaultToStorage, toApi, toStorage } from './values';

export type DmlOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

export interface RecordServiceOptions {
  now?: () => Date;
  /**
   * Called once per row written; an error it returns fails that row (the
   * fault injector answers UNABLE_TO_LOCK_ROW through it).
   */
  rowFault?: (op: DmlOperation, obj: OrgObject) => SfError | undefined;
  /** Platform behaviour beyond the schema (Person Accounts), run inside each write. */
  hooks?: RecordHooks;
}

/**
 * What an org does on a write beyond the schema's rules: completing or
 * refusing a row before the checks, writing related records after it.
 * Everything runs in the write's transaction, so a refusal leaves nothing.
 */
export interface RecordHooks {
  /**
   * A create (prior undefined) or update about to be checked. `values` holds
   * the fields the caller gave; the hook may change `row` or throw an SfError.
   */
  beforeWrite?(
    w: HookContext,
    obj: OrgObject,
    row: Row,
    values: Map<OrgField, SqlValue>,
    prior: Row | undefined
  ): void;
  /** The row is written (prior undefined on create). */
  afterWrite?(w: HookContext, obj: OrgObject, row: Row, prior: Row | undefined): void;
  /** A delete or hard delete a caller asked for; may refuse it. */
  beforeDelete?(w: HookContext, obj: OrgObject, row: Row): void;
  /** Records that go with this one when it is deleted (beyond master-detail children). */
  dependents?(w: HookContext, obj: OrgObject, row: Row): { obj: OrgObject; id: string }[];
}

/** What a hook may use: the caller, and writes the platform makes itself. */
export interface HookContext {
  ctx: UserContext;
  records: RecordService;
}

/** Input record: API field names, `Rel__r: {Ext__c: v}` or `Rel__r.Ext__c` references. */
export type RecordInput = Record<string, unknown>;

export interface WriteOptions {
  /** Values are CSV text (Bulk API): empty means null, types are parsed from strings. */
  csv?: boolean;
}

/** A batch item's outcome; a rolled-back item keeps the value it had before the rollback. */
export type BatchItem<T> = { ok: true; value: T } | { ok: false; error: SfError; rolledBack?: T };

export interface ApiRecord {
  attributes: { type: string; url: string };
  [field: string]: unknown;
}

class Rollback extends Error {
  constructor(readonly results: BatchItem<unknown>[]) {
    super('rolled back');
  }
}

const NEW_RECORD: FormulaEnv = { isNew: true };

/** A batch item failed after writing: the batch runs again with a savepoint per item. */
class Redo extends Error {}

/**
 * Whether a field is writable, per permission set holder and field (both
 * fixed once built): asked for every field of every row written.
 */
const creatable = new WeakMap<object, Map<OrgField, boolean>>();
const updatable = new WeakMap<object, Map<OrgField, boolean>>();

/** What an input key names on an object (the same keys come back for every record). */
interface InputKey {
  isId: boolean;
  /** Position of the dot of `Rel__r.Ext__c`, or -1. */
  dot: number;
  /** The relationship the key names as a whole (`Rel__r: {…}`). */
  relationship: OrgField | undefined;
  /** The relationship before the dot. */
  dotted: OrgField | undefined;
  field: OrgField | undefined;
}

/** The fields each step of a write looks at, worked out once per object (the schema is fixed once built). */
interface WritePlan {
  /** Stored, not calculated: the columns an insert fills, with their defaults. */
  stored: { f: OrgField; absent: SqlValue }[];
  required: OrgField[];
  autoNumbers: OrgField[];
  references: OrgField[];
  unique: OrgField[];
  compoundNames: OrgField[];
  formulas: { f: OrgField; text: string; blankAsZero: boolean }[];
  keys: Map<string, InputKey>;
  /** field(obj, name) by the name as written (formula identifiers, input keys). */
  names: Map<string, OrgField | undefined>;
}

const plans = new WeakMap<OrgObject, WritePlan>();

/** Input keys and names are the caller's: the caches of them stay bounded. */
const MAX_NAMES = 1000;

function planOf(obj: OrgObject): WritePlan {
  let plan = plans.get(obj);
  if (!plan) {
    const fields = obj.fields;
    plan = {
      stored: fields
        .filter((f) => f.storage !== 'none' && !f.calculated)
        .map((f) => {
          const d = defaultToStorage(f);
          return { f, absent: d === undefined ? (f.type === 'boolean' ? 0 : null) : d };
        }),
      required: fields.filter((f) => f.required && !f.autoNumber && !f.system && !f.compoundName),
      autoNumbers: fields.filter((f) => f.autoNumber),
      references: fields.filter((f) => f.type === 'reference' && !f.system),
      unique: fields.filter((f) => f.unique && f.name !== 'Id'),
      compoundNames: fields.filter((f) => f.compoundName),
      formulas: fields.flatMap((f) =>
        f.calculated && f.def.formula
          ? [{ f, text: f.def.formula, blankAsZero: f.def.formulaTreatBlanksAs === 'BlankAsZero' }]
          : []
      ),
      keys: new Map(),
      names: new Map()
    };
    plans.set(obj, plan);
  }
  return plan;
}

function fieldNamed(obj: OrgObject, plan: WritePlan, name: string): OrgField | undefined {
  let f = plan.names.get(name);
  if (f === undefined && !plan.names.has(name)) {
    f = field(obj, name);
    if (plan.names.size >= MAX_NAMES) plan.names.clear();
    plan.names.set(name, f);
  }
  return f;
}

function inputKey(obj: OrgObject, plan: WritePlan, key: string): InputKey {
  let info = plan.keys.get(key);
  if (!info) {
    const lower = key.toLowerCase();
    const dot = key.indexOf('.');
    info = {
      isId: lower === 'id',
      dot,
      relationship: obj.parentRelationships.get(lower),
      dotted: dot > 0 ? obj.parentRelationships.get(key.slice(0, dot).toLowerCase()) : undefined,
      field: field(obj, key)
    };
    if (plan.keys.size >= MAX_NAMES) plan.keys.clear();
    plan.keys.set(key, info);
  }
  return info;
}

export class RecordService {
  private readonly formulas = new Map<string, CompiledFormula | null>();
  readonly now: () => Date;
  /**
   * Parent rows read during a batch (lookups, master-detail sharing), by Id:
   * the rows of a chunk mostly share a few parents. Writes through the record
   * layer drop their row; a rollback drops them all.
   */
  private rowCache: Map<string, Row> | undefined;
  private rowCacheRollbacks = 0;

  constructor(
    readonly storage: Storage,
    readonly schema: OrgSchema,
    private readonly options: RecordServiceOptions = {}
  ) {
    this.now = options.now ?? (() => new Date());
  }

  // ---------------------------------------------------------------- objects

  /** The object if the user may read it; otherwise as an org answers for an unknown type. */
  readableObject(ctx: UserContext, name: string): OrgObject {
    const obj = this.schema.get(name);
    if (!obj || !ctx.permissions.object(obj).read) {
      throw new SfError('INVALID_TYPE', `sObject type '${name}' is not supported.`);
    }
    return obj;
  }

  readableField(ctx: UserContext, obj: OrgObject, name: string): OrgField | undefined {
    const f = field(obj, name);
    return f && ctx.permissions.canReadField(obj, f) ? f : undefined;
  }

  // ---------------------------------------------------------------- sharing

  canSeeRow(ctx: UserContext, obj: OrgObject, row: Row): boolean {
    const access = ctx.permissions.object(obj);
    if (!access.read) return false;
    if (access.viewAll) return true;
    const master = obj.masters[0];
    if (master) {
      const parent = this.parentRow(master, row);
      return parent !== undefined && this.canSeeRow(ctx, parent.obj, parent.row);
    }
    if (obj.sharingModel === 'Private' && obj.hasOwner) return row.OwnerId === ctx.userId;
    return true;
  }

  canEditRow(ctx: UserContext, obj: OrgObject, row: Row): boolean {
    const access = ctx.permissions.object(obj);
    if (!access.edit) return false;
    if (access.modifyAll) return true;
    const master = obj.masters[0];
    if (master) {
      const parent = this.parentRow(master, row);
      if (!parent) return false;
      return master.def.writeRequiresMasterRead
        ? this.canSeeRow(ctx, parent.obj, parent.row)
        : this.canEditRow(ctx, parent.obj, parent.row);
    }
    if ((obj.sharingModel === 'Private' || obj.sharingModel === 'Read') && obj.hasOwner) {
      return row.OwnerId === ctx.userId;
    }
    return this.canSeeRow(ctx, obj, row);
  }

  private canDeleteRow(ctx: UserContext, obj: OrgObject, row: Row): boolean {
    const access = ctx.permissions.object(obj);
    if (!access.delete) return false;
    if (access.modifyAll) return true;
    const master = obj.masters[0];
    if (master) {
      const parent = this.parentRow(master, row);
      return parent !== undefined && this.canEditRow(ctx, parent.obj, parent.row);
    }
    // Deleting needs ownership unless the user may modify all records.
    return obj.hasOwner ? row.OwnerId === ctx.userId : this.canEditRow(ctx, obj, row);
  }

  private parentRow(f: OrgField, row: Row): { obj: OrgObject; row: Row } | undefined {
    const id = row[f.name];
    if (typeof id !== 'string') return undefined;
    const obj = this.schema.objectForId(id);
    if (!obj) return undefined;
    const parent = this.cachedRow(obj, id);
    return parent ? { obj, row: parent } : undefined;
  }

  /** A record by Id, from the batch's cache when one is open (callers only read it). */
  private cachedRow(obj: OrgObject, id: string): Row | undefined {
    const cache = this.rowCache;
    if (!cache) return this.storage.get(obj, id);
    if (this.rowCacheRollbacks !== this.storage.rollbacks) {
      cache.clear();
      this.rowCacheRollbacks = this.storage.rollbacks;
    }
    let row = cache.get(id);
    if (row === undefined) {
      row = this.storage.get(obj, id);
      if (row) cache.set(id, row);
    }
    return row;
  }

  private updateRow(obj: OrgObject, id: string, changes: Row): void {
    this.rowCache?.delete(id);
    this.storage.update(obj, id, changes);
  }

  /**
   * An SQL condition that keeps only the rows of `obj` (table alias `alias`)
   * the user can see, or undefined when the user sees them all.
   */
  visibilitySql(
    ctx: UserContext,
    obj: OrgObject,
    alias: string
  ): { sql: string; params: SqlValue[] } | undefined {
    const access = ctx.permissions.object(obj);
    if (access.viewAll) return undefined;
    const master = obj.masters[0];
    if (master) {
      const parentObj = this.schema.get(master.referenceTo[0] ?? '');
      if (!parentObj) return undefined;
      const pAlias = `${alias}_m`;
      const inner = this.visibilitySql(ctx, parentObj, pAlias);
      if (!inner) return undefined;
      return {
        sql: `${alias}.${quoteIdent(master.name)} IN (SELECT ${pAlias}."Id" FROM ${quoteIdent(parentObj.name)} ${pAlias} WHERE ${inner.sql})`,
        params: inner.params
      };
    }
    if (obj.sharingModel === 'Private' && obj.hasOwner) {
      return { sql: `${alias}."OwnerId" = ?`, params: [ctx.userId] };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- batches

  /**
   * Runs fn for every item. allOrNone: one transaction, and when any item
   * fails every other item reports ALL_OR_NONE_OPERATION_ROLLED_BACK.
   * Otherwise each item commits or rolls back on its own.
   *
   * Every write of the record layer (create, update, upsert, delete) either
   * completes or fails without leaving anything behind, so an item that calls
   * one of them needs no savepoint of its own: the batch runs in one, and
   * only when a failed item did write (it made several calls) does the batch
   * run again with a savepoint per item.
   */
  batch<I, T>(items: I[], allOrNone: boolean, fn: (item: I, index: number) => T): BatchItem<T>[] {
    const outer = this.rowCache;
    if (!outer) {
      this.rowCache = new Map();
      this.rowCacheRollbacks = this.storage.rollbacks;
    }
    try {
      let results: BatchItem<T>[];
      try {
        results = this.storage.transaction(() => this.runItems(items, allOrNone, fn, false));
      } catch (err) {
        if (err instanceof Rollback) return rolledBack(err.results as BatchItem<T>[]);
        if (!(err instanceof Redo)) throw err;
        try {
          results = this.storage.transaction(() => this.runItems(items, allOrNone, fn, true));
        } catch (again) {
          if (again instanceof Rollback) return rolledBack(again.results as BatchItem<T>[]);
          throw again;
        }
      }
      return results;
    } finally {
      if (!outer) this.rowCache = undefined;
    }
  }

  private runItems<I, T>(
    items: I[],
    allOrNone: boolean,
    fn: (item: I, index: number) => T,
    savepoints: boolean
  ): BatchItem<T>[] {
    const storage = this.storage;
    const results: BatchItem<T>[] = [];
    let failed = false;
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as I;
      const writes = storage.writes;
      try {
        const value = savepoints ? storage.transaction(() => fn(item, i)) : fn(item, i);
        results.push({ ok: true, value });
      } catch (err) {
        if (storage.writes !== writes) throw new Redo();
        results.push({ ok: false, error: toSfError(err) });
        failed = true;
      }
    }
    if (allOrNone && failed) throw new Rollback(results);
    return results;
  }

  transaction<T>(fn: () => T): T {
    return this.storage.transaction(fn);
  }

  // ---------------------------------------------------------------- writes

  create(
    ctx: UserContext,
    objectName: string,
    input: RecordInput,
    opts: WriteOptions = {}
  ): string {
    return this.createRecord(ctx, objectName, input, opts, undefined);
  }

  /**
   * Checks everything before writing, so a failure leaves nothing behind; the
   * Id and auto-numbers are taken only once the row is in. `absent`: a unique
   * field upsert has just found no record for.
   */
  private createRecord(
    ctx: UserContext,
    objectName: string,
    input: RecordInput,
    opts: WriteOptions,
    absent: OrgField | undefined
  ): string {
    // One transaction keeps the row and its counters together.
    if (!this.storage.db.inTransaction) {
      return this.storage.transaction(() =>
        this.createRecord(ctx, objectName, input, opts, absent)
      );
    }
    const obj = this.writableObject(ctx, objectName, 'create');
    const values = this.readInput(ctx, obj, input, 'create', opts);
    const plan = planOf(obj);
    const row: Row = {};
    const nowIso = this.now().toISOString();
    for (const { f, absent } of plan.stored) {
      const v = values.get(f);
      row[f.name] = v !== undefined ? v : absent;
    }
    if (obj.hasOwner && row.OwnerId === null) row.OwnerId = ctx.userId;
    this.options.hooks?.beforeWrite?.({ ctx, records: this }, obj, row, values, undefined);
    this.checkReferences(ctx, obj, row, undefined);
    let missing: OrgField[] | undefined;
    for (const f of plan.required) if (row[f.name] === null) (missing ??= []).push(f);
    if (missing) {
      throw new SfError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.map((f) => f.name).join(', ')}]`,
        missing.map((f) => f.name)
      );
    }
    const id = this.storage.peekId(obj);
    row.Id = id;
    row.IsDeleted = 0;
    row.CreatedDate = nowIso;
    row.CreatedById = ctx.userId;
    row.LastModifiedDate = nowIso;
    row.LastModifiedById = ctx.userId;
    row.SystemModstamp = nowIso;
    for (const f of plan.autoNumbers) {
      row[f.name] = autoNumber(f, this.storage.peek(autoNumberCounter(obj, f)));
    }
    this.derive(obj, row);
    this.checkUnique(obj, row, values, undefined, absent);
    this.checkRules(obj, row, undefined);
    this.fault('insert', obj);
    this.storage.insert(obj, row);
    this.storage.newId(obj);
    for (const f of plan.autoNumbers) this.storage.next(autoNumberCounter(obj, f));
    this.options.hooks?.afterWrite?.({ ctx, records: this }, obj, row, undefined);
    return id;
  }

  /**
   * A record the platform writes itself (a person account's contact): no
   * permission, reference or rule checks; defaults, system fields, compound
   * names and formulas as for any record. Runs inside the caller's write.
   */
  platformInsert(ctx: UserContext, obj: OrgObject, values: Row): string {
    const plan = planOf(obj);
    const row: Row = {};
    for (const { f, absent } of plan.stored) row[f.name] = values[f.name] ?? absent;
    const nowIso = this.now().toISOString();
    const id = this.storage.peekId(obj);
    Object.assign(row, {
      Id: id,
      IsDeleted: 0,
      CreatedDate: nowIso,
      CreatedById: ctx.userId,
      LastModifiedDate: nowIso,
      LastModifiedById: ctx.userId,
      SystemModstamp: nowIso
    });
    for (const f of plan.autoNumbers) {
      row[f.name] = autoNumber(f, this.storage.peek(autoNumberCounter(obj, f)));
    }
    this.derive(obj, row);
    this.storage.insert(obj, row);
    this.storage.newId(obj);
    for (const f of plan.autoNumbers) this.storage.next(autoNumberCounter(obj, f));
    return id;
  }

  /** Changes the platform makes to a record itself (see platformInsert). */
  platformUpdate(ctx: UserContext, obj: OrgObject, id: string, changes: Row): void {
    const row = this.storage.get(obj, id);
    if (!row) return;
    const nowIso = this.now().toISOString();
    const next: Row = {
      ...row,
      ...changes,
      LastModifiedDate: nowIso,
      LastModifiedById: ctx.userId,
      SystemModstamp: nowIso
    };
    this.derive(obj, next);
    const diff: Row = {};
    for (const k of Object.keys(next)) if (next[k] !== row[k]) diff[k] = next[k] ?? null;
    this.updateRow(obj, id, diff);
  }

  update(
    ctx: UserContext,
    objectName: string | undefined,
    rawId: unknown,
    input: RecordInput,
    opts: WriteOptions = {}
  ): string {
    const { obj, row, id } = this.existing(objectName, rawId);
    return this.updateRecord(ctx, obj, row, id, input, opts);
  }

  /** Checks everything, then one UPDATE: a failure leaves nothing behind. */
  private updateRecord(
    ctx: UserContext,
    obj: OrgObject,
    row: Row,
    id: string,
    input: RecordInput,
    opts: WriteOptions
  ): string {
    this.writableObject(ctx, obj.name, 'edit');
    // A record the user cannot see answers like one the user may not change.
    if (!this.canEditRow(ctx, obj, row)) {
      throw new SfError(
        'INSUFFICIENT_ACCESS_OR_READONLY',
        'insufficient access rights on object id',
        []
      );
    }
    const values = this.readInput(ctx, obj, input, 'update', opts);
    const next: Row = { ...row };
    const cleared: OrgField[] = [];
    for (const [f, v] of values) {
      next[f.name] = v;
      if (v === null && f.required) cleared.push(f);
    }
    this.options.hooks?.beforeWrite?.({ ctx, records: this }, obj, next, values, row);
    this.checkReferences(ctx, obj, next, values);
    if (cleared.length > 0) {
      throw new SfError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${cleared.map((f) => f.name).join(', ')}]`,
        cleared.map((f) => f.name)
      );
    }
    const nowIso = this.now().toISOString();
    next.LastModifiedDate = nowIso;
    next.LastModifiedById = ctx.userId;
    next.SystemModstamp = nowIso;
    this.derive(obj, next);
    this.checkUnique(obj, next, values, id);
    this.checkRules(obj, next, row);
    this.fault('update', obj);
    const changes: Row = {};
    for (const k of Object.keys(next)) if (next[k] !== row[k]) changes[k] = next[k] ?? null;
    this.updateRow(obj, id, changes);
    this.options.hooks?.afterWrite?.({ ctx, records: this }, obj, next, row);
    return id;
  }

  /**
   * Upsert on an external-Id field (or `Id`). The value comes from the URL,
   * or from the record when extValue is undefined (collections, Bulk API).
   */
  upsert(
    ctx: UserContext,
    objectName: string,
    extFieldName: string,
    extValue: unknown,
    input: RecordInput,
    opts: WriteOptions = {}
  ): { id: string; created: boolean } {
    const obj = this.readableObject(ctx, objectName);
    const ext = field(obj, extFieldName);
    if (!ext || !(ext.externalId || ext.name === 'Id') || !ctx.permissions.canReadField(obj, ext)) {
      throw new SfError(
        'INVALID_FIELD',
        `Field name provided, ${extFieldName} is not an External ID or indexed field for ${obj.name}`,
        [extFieldName]
      );
    }
    // The record without the external Id (in any case); its value comes from the first such key.
    const extLower = ext.name.toLowerCase();
    const body: RecordInput = {};
    let value = extValue;
    let found = extValue !== undefined;
    const keys = Object.keys(input);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (k.toLowerCase() === extLower) {
        if (!found) value = input[k];
        found = true;
      } else body[k] = input[k];
    }
    if (value === undefined || value === null || value === '') {
      if (ext.name === 'Id') return { id: this.create(ctx, obj.name, body, opts), created: true };
      throw new SfError('MISSING_ARGUMENT', `${ext.name} not specified`, [ext.name]);
    }
    const stored = toStorage(ext, value);
    const matches =
      ext.name === 'Id'
        ? this.storage.findLive(obj, 'Id', stored)
        : this.storage.findLive(obj, ext.name, stored, 100);
    if (matches.length > 1) {
      throw new SfError(
        'MULTIPLE_CHOICES',
        `Multiple records found: ${matches.map((m) => String(m.Id)).join(', ')}`,
        matches.map((m) => String(m.Id)),
        300
      );
    }
    const match = matches[0];
    if (match) {
      const id = String(match.Id);
      this.updateRecord(ctx, obj, match, id, body, opts);
      return { id, created: false };
    }
    if (ext.name === 'Id') throw notFound();
    body[ext.name] = value;
    return { id: this.createRecord(ctx, obj.name, body, opts, ext), created: true };
  }

  /** Moves a record (and its master-detail children) to the recycle bin. */
  delete(ctx: UserContext, rawId: unknown, objectName?: string): string {
    const { obj, row, id } = this.existing(objectName, rawId);
    if (!ctx.permissions.object(obj).read) throw notFound();
    if (obj.readOnly || !this.canDeleteRow(ctx, obj, row)) {
      throw new SfError(
        'INSUFFICIENT_ACCESS_OR_READONLY',
        'insufficient access rights on object id',
        []
      );
    }
    this.options.hooks?.beforeDelete?.({ ctx, records: this }, obj, row);
    this.fault('delete', obj);
    // A savepoint: a cascade that fails halfway leaves nothing behind.
    this.storage.transaction(() => this.removeCascade(ctx, obj, id, false));
    return id;
  }

  /** Removes a record for good, deleted or not (Bulk API hardDelete, emptying the bin). */
  hardDelete(ctx: UserContext, rawId: unknown, objectName?: string): string {
    const { obj, row, id } = this.existing(objectName, rawId, true);
    if (!ctx.permissions.hasUserPermission('BulkApiHardDelete')) {
      throw new SfError(
        'INSUFFICIENT_ACCESS_OR_READONLY',
        'insufficient access rights: hard delete needs the Bulk API Hard Delete permission',
        []
      );
    }
    if (!this.canSeeRow(ctx, obj, row) || (!row.IsDeleted && !this.canDeleteRow(ctx, obj, row))) {
      throw new SfError(
        'INSUFFICIENT_ACCESS_OR_READONLY',
        'insufficient access rights on object id',
        []
      );
    }
    if (!row.IsDeleted) this.options.hooks?.beforeDelete?.({ ctx, records: this }, obj, row);
    this.fault('hardDelete', obj);
    this.storage.transaction(() => this.removeCascade(ctx, obj, id, true));
    return id;
  }

  private removeCascade(ctx: UserContext, obj: OrgObject, id: string, hard: boolean): void {
    const nowIso = this.now().toISOString();
    const hooks = this.options.hooks;
    if (hooks?.dependents) {
      const row = this.storage.get(obj, id);
      // Dependents go first, so the lookups below do not clear their link to this record.
      if (row) {
        for (const d of hooks.dependents({ ctx, records: this }, obj, row)) {
          this.removeCascade(ctx, d.obj, d.id, hard);
        }
      }
    }
    for (const rel of obj.children) {
      const child = this.schema.get(rel.childObject);
      if (!child) continue;
      const ids = this.storage.childIds(child, rel.field, id, hard);
      if (ids.length === 0) continue;
      if (rel.restrictedDelete) {
        throw new SfError(
          'DELETE_FAILED',
          `Your attempt to delete ${obj.label} could not be completed because it is associated with the following ${child.labelPlural}.`,
          []
        );
      }
      for (const childId of ids) {
        if (rel.cascadeDelete) this.removeCascade(ctx, child, childId, hard);
        else this.updateRow(child, childId, { [rel.field]: null, SystemModstamp: nowIso });
      }
    }
    this.rowCache?.delete(id);
    if (hard) this.storage.remove(obj, id);
    else this.storage.update(obj, id, { IsDeleted: 1, SystemModstamp: nowIso });
  }

  // ---------------------------------------------------------------- reads

  /** GET /sobjects/X/id: the record with all readable fields, or the listed ones. */
  retrieve(
    ctx: UserContext,
    objectName: string,
    rawId: unknown,
    fieldNames: string[] | undefined,
    version: string
  ): ApiRecord {
    const obj = this.readableObject(ctx, objectName);
    const id = normalizeId(rawId);
    if (!id || this.schema.objectForId(id) !== obj) throw notFound();
    const row = this.storage.get(obj, id);
    if (!row || !this.canSeeRow(ctx, obj, row)) throw notFound();
    if (row.IsDeleted) throw new SfError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    const fields = fieldNames
      ? fieldNames.map((n) => {
          const f = this.readableField(ctx, obj, n);
          if (!f) {
            throw new SfError(
              'INVALID_FIELD',
              `No such column '${n}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`
            );
          }
          return f;
        })
      : this.readableFields(ctx, obj);
    return this.toApiRecord(obj, row, fields, version);
  }

  readableFields(ctx: UserContext, obj: OrgObject): OrgField[] {
    return obj.fields.filter((f) => f.storage !== 'none' && ctx.permissions.canReadField(obj, f));
  }

  toApiRecord(obj: OrgObject, row: Row, fields: OrgField[], version: string): ApiRecord {
    const rec: ApiRecord = {
      attributes: { type: obj.name, url: recordUrl(version, obj, String(row.Id)) }
    };
    for (const f of fields) rec[f.name] = toApi(f, row[f.name]);
    return rec;
  }

  // ---------------------------------------------------------------- internals

  private writableObject(ctx: UserContext, name: string, op: 'create' | 'edit'): OrgObject {
    const obj = this.readableObject(ctx, name);
    if (obj.readOnly) {
      throw new SfError(
        'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
        `entity type cannot be ${op === 'create' ? 'inserted' : 'updated'}: ${obj.label}`,
        []
      );
    }
    const access = ctx.permissions.object(obj);
    if (op === 'create' ? !access.create : !access.edit) {
      throw new SfError(
        'INSUFFICIENT_ACCESS_OR_READONLY',
        `You do not have permission to ${op} ${obj.labelPlural} records.`,
        []
      );
    }
    return obj;
  }

  private existing(
    objectName: string | undefined,
    rawId: unknown,
    includeDeleted = false
  ): { obj: OrgObject; row: Row; id: string } {
    const id = normalizeId(rawId);
    const obj = id ? this.schema.objectForId(id) : undefined;
    const named = objectName ? this.schema.get(objectName) : undefined;
    if (!id || !obj || (objectName && named !== obj)) {
      throw new SfError('MALFORMED_ID', `malformed id ${String(rawId)}`, ['Id']);
    }
    const row = this.storage.get(obj, id);
    if (!row) {
      throw new SfError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', [], 404);
    }
    if (row.IsDeleted && !includeDeleted) {
      throw new SfError('ENTITY_IS_DELETED', 'entity is deleted', [], 404);
    }
    return { obj, row, id };
  }

  /** Reads input fields and references into storage values, checking names, rights and types. */
  private readInput(
    ctx: UserContext,
    obj: OrgObject,
    input: RecordInput,
    op: 'create' | 'update',
    opts: WriteOptions
  ): Map<OrgField, SqlValue> {
    const values = new Map<OrgField, SqlValue>();
    const notWritable: string[] = [];
    const plan = planOf(obj);
    const keys = Object.keys(input);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (key === 'attributes') continue;
      const rawValue = input[key];
      const raw = opts.csv && rawValue === '' ? null : rawValue;
      const info = inputKey(obj, plan, key);
      if (info.isId) {
        if (op === 'create' && raw !== null && raw !== undefined) {
          throw new SfError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
        }
        continue;
      }
      const dot = info.dot;
      const isRef =
        dot > 0 ||
        (raw !== null &&
          typeof raw === 'object' &&
          !Array.isArray(raw) &&
          info.relationship !== undefined);
      if (isRef) {
        const spec = dot > 0 ? { [key.slice(dot + 1)]: raw } : (raw as Record<string, unknown>);
        const f = dot > 0 ? info.dotted : info.relationship;
        if (!f || f.system) throw noSuchColumn(obj, key);
        if (!this.writableField(ctx, obj, f, op)) {
          notWritable.push(f.name);
          continue;
        }
        values.set(f, this.resolveReference(ctx, f, spec));
        continue;
      }
      const f = info.field;
      if (!f || f.storage === 'none') throw noSuchColumn(obj, key);
      if (!this.writableField(ctx, obj, f, op)) {
        notWritable.push(f.name);
        continue;
      }
      values.set(f, toStorage(f, raw));
    }
    if (notWritable.length > 0) {
      throw new SfError(
        'INVALID_FIELD_FOR_INSERT_UPDATE',
        `Unable to create/update fields: ${notWritable.join(', ')}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
        notWritable
      );
    }
    return values;
  }

  private writableField(
    ctx: UserContext,
    obj: OrgObject,
    f: OrgField,
    op: 'create' | 'update'
  ): boolean {
    if (op === 'create' ? !f.createable : !f.updateable) return false;
    const caches = op === 'create' ? creatable : updatable;
    let known = caches.get(ctx.permissions);
    if (!known) {
      known = new Map();
      caches.set(ctx.permissions, known);
    }
    let writable = known.get(f);
    if (writable === undefined) {
      writable = ctx.permissions.canEditField(obj, f);
      known.set(f, writable);
    }
    return writable;
  }

  /** `Account__r: {Key__c: 'X'}` (optionally with attributes.type) to the parent's Id. */
  private resolveReference(ctx: UserContext, f: OrgField, spec: Record<string, unknown>): SqlValue {
    const attrs = spec.attributes as { type?: unknown } | undefined;
    const keys = Object.keys(spec).filter((k) => k !== 'attributes');
    const typeName =
      typeof attrs?.type === 'string'
        ? attrs.type
        : f.referenceTo.length === 1
          ? f.referenceTo[0]
          : undefined;
    const target = typeName ? this.schema.get(typeName) : undefined;
    if (!target || !f.referenceTo.some((r) => r.toLowerCase() === target.name.toLowerCase())) {
      throw new SfError(
        'INVALID_FIELD',
        `The relationship ${f.relationshipName ?? f.name} needs attributes.type naming one of: ${f.referenceTo.join(', ')}`,
        [f.name]
      );
    }
    const extName = keys[0];
    if (keys.length !== 1 || extName === undefined) {
      throw new SfError(
        'INVALID_FIELD',
        `A foreign key reference on ${f.relationshipName ?? f.name} names exactly one external Id field`,
        [f.name]
      );
    }
    const ext = field(target, extName);
    if (
      !ext ||
      !(ext.externalId || ext.name === 'Id') ||
      !ctx.permissions.canReadField(target, ext)
    ) {
      throw new SfError(
        'INVALID_FIELD',
        `Field name provided, ${extName} is not an External ID or indexed field for ${target.name}`,
        [f.name]
      );
    }
    const raw = spec[extName];
    if (raw === null || raw === undefined || raw === '') return null;
    const value = toStorage(ext, raw);
    const rows = this.storage.findLive(target, ext.name, value);
    if (rows.length === 0) {
      throw new SfError(
        'INVALID_FIELD',
        `Foreign key external ID: ${String(raw)} not found for field ${ext.name} in entity ${target.name}`,
        [f.name]
      );
    }
    if (rows.length > 1) {
      throw new SfError(
        'DUPLICATE_EXTERNAL_ID',
        `Foreign key external ID: ${String(raw)} matched more than one record for field ${ext.name} in entity ${target.name}`,
        [f.name]
      );
    }
    return String(rows[0]!.Id);
  }

  /** Lookups must point at a live record of a referenced object that the user can see. */
  private checkReferences(
    ctx: UserContext,
    obj: OrgObject,
    row: Row,
    changed: Map<OrgField, SqlValue> | undefined
  ): void {
    for (const f of planOf(obj).references) {
      if (changed && !changed.has(f)) continue;
      const id = row[f.name];
      if (typeof id !== 'string') continue;
      const target = this.schema.objectForId(id);
      if (!target || !f.referenceTo.some((r) => r.toLowerCase() === target.name.toLowerCase())) {
        throw new SfError('MALFORMED_ID', `${f.label}: id value of incorrect type: ${id}`, [
          f.name
        ]);
      }
      const parent = this.cachedRow(target, id);
      if (!parent || parent.IsDeleted) {
        throw new SfError('INVALID_CROSS_REFERENCE_KEY', `${f.label}: invalid cross reference id`, [
          f.name
        ]);
      }
      if (target.name === 'User') continue;
      const allowed =
        f.masterDetail && !f.def.writeRequiresMasterRead
          ? this.canEditRow(ctx, target, parent)
          : this.canSeeRow(ctx, target, parent);
      if (!allowed) {
        throw new SfError(
          'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
          'insufficient access rights on cross-reference id',
          [f.name]
        );
      }
    }
  }

  private checkUnique(
    obj: OrgObject,
    row: Row,
    changed: Map<OrgField, SqlValue>,
    selfId: string | undefined,
    absent?: OrgField
  ): void {
    for (const f of planOf(obj).unique) {
      if (f === absent) continue;
      if (selfId && !changed.has(f)) continue;
      const value = row[f.name];
      if (value === null || value === undefined) continue;
      const other = this.storage.findLive(obj, f.name, value).find((r) => r.Id !== selfId);
      if (other) {
        throw new SfError(
          'DUPLICATE_VALUE',
          `duplicate value found: ${f.name} duplicates value on record with id: ${to15(String(other.Id))}`,
          [f.name]
        );
      }
    }
  }

  /** Compound names and formula fields, kept with the row so queries can filter and sort on them. */
  /**
   * Recomputes the stored formula fields of every record of an object (after
   * a formula changed between runs; formulas are kept with the row).
   */
  recomputeFormulas(obj: OrgObject): number {
    const calculated = obj.fields.filter((f) => f.calculated && f.storage !== 'none');
    if (calculated.length === 0) return 0;
    const rows = this.storage.all(`SELECT * FROM ${quoteIdent(obj.name)}`);
    this.storage.transaction(() => {
      for (const row of rows) {
        const next = { ...row };
        this.derive(obj, next);
        const changes: Row = {};
        for (const f of calculated)
          if (next[f.name] !== row[f.name]) changes[f.name] = next[f.name] ?? null;
        this.updateRow(obj, String(row.Id), changes);
      }
    });
    return rows.length;
  }

  private derive(obj: OrgObject, row: Row): void {
    const plan = planOf(obj);
    for (const f of plan.compoundNames) {
      row[f.name] =
        [row.FirstName, row.LastName].filter((p) => typeof p === 'string' && p).join(' ') || null;
    }
    for (const { f, text, blankAsZero } of plan.formulas) {
      const compiled = this.formula(text);
      if (!compiled) continue;
      try {
        const lit = compiled.evaluate((name) => this.literal(obj, plan, row, name, blankAsZero));
        row[f.name] = toStorageValue(f, fromLiteral(f, lit));
      } catch {
        // A formula that cannot be evaluated shows as blank, as #Error! would.
        row[f.name] = null;
      }
    }
  }

  private checkRules(obj: OrgObject, row: Row, prior: Row | undefined): void {
    const rules = obj.def.validationRules;
    if (rules.length === 0) return;
    const plan = planOf(obj);
    const env = prior
      ? { isNew: false, prior: (name: string) => this.literal(obj, plan, prior, name, false) }
      : NEW_RECORD;
    this.fireRules(rules, (name) => this.literal(obj, plan, row, name, false), env);
  }

  private fireRules(
    rules: OrgObject['def']['validationRules'],
    values: (name: string) => FormulonLiteral | undefined,
    env: FormulaEnv
  ): void {
    for (const rule of rules) {
      if (!rule.active) continue;
      const compiled = this.formula(rule.errorConditionFormula);
      if (!compiled) continue;
      let fires = false;
      try {
        fires = compiled.evaluate(values, env).value === true;
      } catch {
        fires = false;
      }
      if (fires) {
        throw new SfError(
          'FIELD_CUSTOM_VALIDATION_EXCEPTION',
          rule.errorMessage,
          rule.errorDisplayField ? [rule.errorDisplayField] : []
        );
      }
    }
  }

  private literal(
    obj: OrgObject,
    plan: WritePlan,
    row: Row,
    name: string,
    blankAsZero: boolean
  ): FormulonLiteral | undefined {
    const f = fieldNamed(obj, plan, name);
    if (!f) return undefined;
    let v = row[f.name] ?? null;
    if (v === null && blankAsZero && f.storage === 'real') v = 0;
    return toLiteral(f, f.type === 'boolean' ? v === 1 : v);
  }

  private formula(text: string): CompiledFormula | null {
    let compiled = this.formulas.get(text);
    if (compiled === undefined) {
      try {
        compiled = compileFormula(text);
      } catch {
        compiled = null;
      }
      this.formulas.set(text, compiled);
    }
    return compiled;
  }

  private fault(op: DmlOperation, obj: OrgObject): void {
    const err = this.options.rowFault?.(op, obj);
    if (err) throw err;
  }
}

function rolledBack<T>(results: BatchItem<T>[]): BatchItem<T>[] {
  return results.map((r) =>
    r.ok
      ? {
          ok: false,
          rolledBack: r.value,
          error: new SfError(
            'ALL_OR_NONE_OPERATION_ROLLED_BACK',
            'Record rolled back because not all records were valid and the request was using AllOrNone header',
            []
          )
        }
      : r
  );
}

function toStorageValue(f: OrgField, v: string | number | boolean | null): SqlValue {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return null;
  if (f.storage === 'real') return typeof v === 'number' ? v : Number(v);
  return typeof v === 'number' ? v : String(v);
}

function autoNumberCounter(obj: OrgObject, f: OrgField): string {
  return `auto:${obj.name}.${f.name}`;
}

function autoNumber(f: OrgField, n: number): string {
  const format = f.def.displayFormat ?? '{0}';
  return format.replace(/\{(0+)\}/, (_, zeros: string) => String(n).padStart(zeros.length, '0'));
}

function noSuchColumn(obj: OrgObject, name: string): SfError {
  return new SfError('INVALID_FIELD', `No such column '${name}' on sobject of type ${obj.name}`);
}

export function recordUrl(version: string, obj: OrgObject | string, id: string): string {
  return `/services/data/v${version}/sobjects/${typeof obj === 'string' ? obj : obj.name}/${id}`;
}

export function toSfError(err: unknown): SfError {
  if (err instanceof SfError) return err;
  return new SfError(
    'UNKNOWN_EXCEPTION',
    'An unexpected error occurred. Please include this ErrorId if you contact support: local-org',
    [],
    500
  );
}
