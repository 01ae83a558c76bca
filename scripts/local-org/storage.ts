/**
 * SQLite storage of the local org: one table per object with a real column
 * per field (so a query with a parent field is a plain indexed join), WAL
 * journaling and cached prepared statements. Text columns compare
 * case-insensitively, as SOQL does; Id columns compare exactly.
 */
import Database from 'better-sqlite3';
import type { OrgObject, OrgSchema } from './schema';
import { makeId } from './ids';
import { SQL_DATE_PART, datePart } from './soql/datefns';

export type SqlValue = string | number | null;
export type Row = Record<string, SqlValue>;

const MAX_STATEMENTS = 2000;

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Statements of one table, prepared once (writes run them for every row). */
interface TablePlan {
  /** Stored columns in table order (also the order of SELECT *). */
  columns: string[];
  position: Map<string, number>;
  insert: Database.Statement;
  values: SqlValue[];
  get: Database.Statement;
  /** UPDATE statements by the columns they set. */
  updates: Map<string, Database.Statement>;
  findLive: Map<string, Database.Statement>;
}

/**
 * A row from its values in column order: faster than better-sqlite3's own
 * objects, and the record layer reads a row for every record it writes.
 */
function toRow(columns: string[], values: SqlValue[]): Row {
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]!] = values[i] ?? null;
  return row;
}

export class Storage {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();
  private readonly tables = new Map<string, TablePlan>();
  /** One transaction function for every call: better-sqlite3 builds a wrapper per db.transaction(). */
  private readonly tx: (fn: () => unknown, outermost: boolean) => unknown;
  /**
   * Counter values taken in the open transaction, written once before it
   * commits rather than one UPDATE per record (Ids, auto-numbers).
   */
  private readonly counters = new Map<string, number>();
  /**
   * Record writes so far (inserts, updates, deletes, counters taken); a
   * rolled-back savepoint takes back its own. The record layer compares it
   * around a batch item to know whether a failed item left anything behind.
   */
  writes = 0;
  /** Savepoints and transactions rolled back so far (row caches compare it). */
  rollbacks = 0;

  constructor(file: string) {
    this.db = new Database(file);
    if (file !== ':memory:') {
      this.db.pragma('journal_mode = WAL');
      // Checkpoints (each with an fsync) every 40 MB of changes rather than 4: a Bulk API job
      // writes tens of megabytes, and waited on a checkpoint every few chunks.
      this.db.pragma('wal_autocheckpoint = 10000');
    }
    this.db.pragma('synchronous = NORMAL');
    this.db.function(SQL_DATE_PART, { deterministic: true }, (part, value, tz) =>
      datePart(String(part), value, tz)
    );
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS __meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS __counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
    this.tx = this.db.transaction((fn: () => unknown, outermost: boolean) => {
      const result = fn();
      if (outermost) this.flushCounters();
      return result;
    });
  }

  getMeta(key: string): string | undefined {
    const row = this.stmt('SELECT value FROM __meta WHERE key = ?').get(key) as
      { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt(
      'INSERT INTO __meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
    ).run(key, value);
  }

  /** Next value of a named counter (record Ids, auto-numbers), starting at 1. */
  next(name: string): number {
    this.writes++;
    if (!this.db.inTransaction) {
      const row = this.stmt(
        'INSERT INTO __counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value'
      ).get(name) as { value: number };
      return row.value;
    }
    const value = this.peek(name);
    this.counters.set(name, value);
    return value;
  }

  /** The value next(name) would return, without taking it. */
  peek(name: string): number {
    const taken = this.counters.get(name);
    if (taken !== undefined) return taken + 1;
    const row = this.stmt('SELECT value FROM __counters WHERE name = ?').get(name) as
      { value: number } | undefined;
    return (row?.value ?? 0) + 1;
  }

  newId(obj: OrgObject): string {
    return makeId(obj.keyPrefix, this.next(`id:${obj.keyPrefix}`));
  }

  /** The Id newId(obj) would return, without taking it. */
  peekId(obj: OrgObject): string {
    return makeId(obj.keyPrefix, this.peek(`id:${obj.keyPrefix}`));
  }

  private flushCounters(): void {
    if (this.counters.size === 0) return;
    const upsert = this.stmt(
      'INSERT INTO __counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value'
    );
    for (const [name, value] of this.counters) upsert.run(name, value);
    this.counters.clear();
  }

  /** Creates missing tables, columns and indexes for the schema (data is kept). */
  migrate(schema: OrgSchema): void {
    this.tables.clear();
    for (const obj of schema.objects.values()) {
      const table = quoteIdent(obj.name);
      const cols = obj.fields.filter((f) => f.storage !== 'none');
      const columnSql = (f: (typeof cols)[number]) => {
        const type = f.storage === 'real' ? 'REAL' : f.storage === 'bool' ? 'INTEGER' : 'TEXT';
        const collate = f.storage === 'text' && !f.def.caseSensitive ? ' COLLATE NOCASE' : '';
        return `${quoteIdent(f.name)} ${type}${collate}`;
      };
      const existing = this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
      if (existing.length === 0) {
        const defs = cols.map((f) => (f.name === 'Id' ? `"Id" TEXT PRIMARY KEY` : columnSql(f)));
        this.db.exec(`CREATE TABLE ${table} (${defs.join(', ')})`);
      } else {
        const have = new Set(existing.map((c) => c.name.toLowerCase()));
        for (const f of cols) {
          if (!have.has(f.name.toLowerCase()))
            this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql(f)}`);
        }
      }
      for (const f of cols) {
        if ((f.type === 'reference' && f.name !== 'Id') || f.unique || f.name === 'OwnerId') {
          const idx = quoteIdent(`ix_${obj.name}_${f.name}`);
          const col = quoteIdent(f.name);
          // An optional lookup is mostly empty: leaving out the nulls spares every insert an
          // index entry, and lookups by value (= and IN, all the engine asks) still use it.
          const partial = f.type === 'reference' && f.nillable && !f.unique;
          this.db.exec(
            `CREATE INDEX IF NOT EXISTS ${idx} ON ${table} (${col})${partial ? ` WHERE ${col} IS NOT NULL` : ''}`
          );
        }
      }
    }
  }

  stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      // Queries differ in their IN lists; a bound keeps the cache from growing without end.
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private table(obj: OrgObject): TablePlan {
    let plan = this.tables.get(obj.name);
    if (!plan) {
      const table = quoteIdent(obj.name);
      const columns = (
        this.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
      ).map((c) => c.name);
      plan = {
        columns,
        position: new Map(columns.map((c, i) => [c, i])),
        values: new Array<SqlValue>(columns.length).fill(null),
        insert: this.db.prepare(
          `INSERT INTO ${table} (${columns.map(quoteIdent).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`
        ),
        get: this.db.prepare(`SELECT * FROM ${table} WHERE "Id" = ?`).raw(true),
        updates: new Map(),
        findLive: new Map()
      };
      this.tables.set(obj.name, plan);
    }
    return plan;
  }

  insert(obj: OrgObject, row: Row): void {
    const plan = this.table(obj);
    // Every column in table order (absent ones null, as a column list without them stores);
    // a key that is not a column name as stored takes the statement built for it.
    // better-sqlite3 binds the values when the statement runs: one array serves every insert.
    const values = plan.values.fill(null);
    for (const name in row) {
      const at = plan.position.get(name);
      if (at === undefined) {
        this.insertNamed(obj, row);
        return;
      }
      values[at] = row[name] ?? null;
    }
    plan.insert.run(values);
    this.writes++;
  }

  private insertNamed(obj: OrgObject, row: Row): void {
    const names = Object.keys(row);
    const sql = `INSERT INTO ${quoteIdent(obj.name)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.stmt(sql).run(...names.map((n) => row[n] ?? null));
    this.writes++;
  }

  update(obj: OrgObject, id: string, changes: Row): void {
    const names = Object.keys(changes);
    if (names.length === 0) return;
    const plan = this.table(obj);
    const key = names.join('\0');
    let statement = plan.updates.get(key);
    if (!statement) {
      // Bounded like the statement cache: the sets of changed columns are few in practice.
      if (plan.updates.size >= MAX_STATEMENTS) plan.updates.clear();
      statement = this.db.prepare(
        `UPDATE ${quoteIdent(obj.name)} SET ${names.map((n) => `${quoteIdent(n)} = ?`).join(', ')} WHERE "Id" = ?`
      );
      plan.updates.set(key, statement);
    }
    const values: SqlValue[] = new Array<SqlValue>(names.length + 1);
    for (let i = 0; i < names.length; i++) values[i] = changes[names[i]!] ?? null;
    values[names.length] = id;
    statement.run(values);
    this.writes++;
  }

  get(obj: OrgObject, id: string): Row | undefined {
    const plan = this.table(obj);
    const values = plan.get.get(id) as SqlValue[] | undefined;
    return values && toRow(plan.columns, values);
  }

  /** Live (not deleted) records whose field equals the value (case-insensitive for text). */
  findLive(obj: OrgObject, field: string, value: SqlValue, limit = 2): Row[] {
    const plan = this.table(obj);
    const key = `${field}\0${limit}`;
    let statement = plan.findLive.get(key);
    if (!statement) {
      statement = this.db
        .prepare(
          `SELECT * FROM ${quoteIdent(obj.name)} WHERE ${quoteIdent(field)} = ? AND "IsDeleted" = 0 LIMIT ${limit}`
        )
        .raw(true);
      plan.findLive.set(key, statement);
    }
    const rows = statement.all(value) as SqlValue[][];
    return rows.map((values) => toRow(plan.columns, values));
  }

  /** Ids of live records that reference the parent through a field. */
  childIds(obj: OrgObject, field: string, parentId: string, includeDeleted = false): string[] {
    const rows = this.stmt(
      `SELECT "Id" FROM ${quoteIdent(obj.name)} WHERE ${quoteIdent(field)} = ?${includeDeleted ? '' : ' AND "IsDeleted" = 0'}`
    ).all(parentId) as { Id: string }[];
    return rows.map((r) => r.Id);
  }

  remove(obj: OrgObject, id: string): void {
    this.stmt(`DELETE FROM ${quoteIdent(obj.name)} WHERE "Id" = ?`).run(id);
    this.writes++;
  }

  /** Rows as arrays in column order (the query engine's fast path). */
  rows(sql: string, params: SqlValue[] = []): SqlValue[][] {
    let s = this.rawStatements.get(sql);
    if (!s) {
      if (this.rawStatements.size >= MAX_STATEMENTS) this.rawStatements.clear();
      s = this.db.prepare(sql).raw(true);
      this.rawStatements.set(sql, s);
    }
    return s.all(...params) as SqlValue[][];
  }

  all(sql: string, params: SqlValue[] = []): Row[] {
    return this.stmt(sql).all(...params) as Row[];
  }

  /**
   * Runs fn in a transaction, or in a savepoint inside an open one; an
   * exception rolls it back (with the counters and writes it took) and is rethrown.
   */
  transaction<T>(fn: () => T): T {
    const outermost = !this.db.inTransaction;
    const writes = this.writes;
    const counters = outermost || this.counters.size === 0 ? undefined : new Map(this.counters);
    try {
      return this.tx(fn, outermost) as T;
    } catch (err) {
      this.writes = writes;
      this.rollbacks++;
      this.counters.clear();
      if (counters) for (const [name, value] of counters) this.counters.set(name, value);
      throw err;
    } finally {
      if (outermost) this.counters.clear();
    }
  }

  close(): void {
    this.db.close();
  }
}
