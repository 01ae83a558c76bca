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

export class Storage {
  readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly rawStatements = new Map<string, Database.Statement>();

  constructor(file: string) {
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.function(SQL_DATE_PART, { deterministic: true }, (part, value, tz) =>
      datePart(String(part), value, tz)
    );
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS __meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS __counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    `);
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
    const row = this.stmt(
      'INSERT INTO __counters (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value'
    ).get(name) as { value: number };
    return row.value;
  }

  newId(obj: OrgObject): string {
    return makeId(obj.keyPrefix, this.next(`id:${obj.keyPrefix}`));
  }

  /** Creates missing tables, columns and indexes for the schema (data is kept). */
  migrate(schema: OrgSchema): void {
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
          this.db.exec(`CREATE INDEX IF NOT EXISTS ${idx} ON ${table} (${quoteIdent(f.name)})`);
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

  insert(obj: OrgObject, row: Row): void {
    const names = Object.keys(row);
    const sql = `INSERT INTO ${quoteIdent(obj.name)} (${names.map(quoteIdent).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
    this.stmt(sql).run(...names.map((n) => row[n] ?? null));
  }

  update(obj: OrgObject, id: string, changes: Row): void {
    const names = Object.keys(changes);
    if (names.length === 0) return;
    const sql = `UPDATE ${quoteIdent(obj.name)} SET ${names.map((n) => `${quoteIdent(n)} = ?`).join(', ')} WHERE "Id" = ?`;
    this.stmt(sql).run(...names.map((n) => changes[n] ?? null), id);
  }

  get(obj: OrgObject, id: string): Row | undefined {
    return this.stmt(`SELECT * FROM ${quoteIdent(obj.name)} WHERE "Id" = ?`).get(id) as
      Row | undefined;
  }

  /** Live (not deleted) records whose field equals the value (case-insensitive for text). */
  findLive(obj: OrgObject, field: string, value: SqlValue, limit = 2): Row[] {
    return this.stmt(
      `SELECT * FROM ${quoteIdent(obj.name)} WHERE ${quoteIdent(field)} = ? AND "IsDeleted" = 0 LIMIT ${limit}`
    ).all(value) as Row[];
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

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}
