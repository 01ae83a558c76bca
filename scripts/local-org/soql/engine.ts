/**
 * SOQL over the local org's SQLite tables. soql-parser-js parses the query;
 * the compiler resolves every name against the schema and the user's
 * permissions (an invisible object or field answers as an unknown one),
 * turns WHERE, ORDER BY, GROUP BY, LIMIT and OFFSET into SQL with parent
 * relationships as LEFT JOINs and sharing as SQL conditions, and builds the
 * records in the REST API's shape. Child subqueries run as one extra query
 * per 500 parents.
 */
import {
  parseQuery,
  type FieldType,
  type FunctionExp,
  type Query,
  type Subquery,
  type WhereClause
} from 'soql-parser-js';
import { SfError } from '../errors';
import { normalizeId } from '../ids';
import type { UserContext } from '../permissions';
import { recordUrl, type RecordService } from '../records';
import type { ChildRelationship, OrgField, OrgObject, OrgSchema } from '../schema';
import { quoteIdent, type SqlValue } from '../storage';
import { parseDateTime, toApi } from '../values';
import { DATE_FUNCTIONS, SQL_DATE_PART } from './datefns';
import { dateLiteralRange, type DateRange } from './dates';
import {
  caretMessage,
  invalidField,
  invalidRelationship,
  invalidType,
  locate,
  malformed,
  parseError
} from './errors';

export interface QueryOptions {
  /** queryAll: include deleted records. */
  all?: boolean;
  /** API version for attributes.url. */
  version: string;
  /** The org's default time zone, for date literals. */
  timeZone: string;
}

export interface ColumnMetadata {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
}

export interface QueryResult {
  totalSize: number;
  records: Record<string, unknown>[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string | null;
  columnMetadata: ColumnMetadata[];
}

interface RelStep {
  name: string;
  obj: OrgObject;
  /** Key of the step (the table alias of a plain join). */
  alias: string;
  /** SQL for the parent's Id. */
  idExpr: string;
  field: OrgField;
  /** A polymorphic lookup (Task.What): the parent's type comes from its Id. */
  polymorphic?: boolean;
}

interface Resolved {
  expr: string;
  field: OrgField;
  obj: OrgObject;
  rels: RelStep[];
}

type Cond =
  | { kind: 'and' | 'or'; parts: Cond[] }
  | { kind: 'not'; inner: Cond }
  | { kind: 'leaf'; c: Record<string, unknown> };

const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const MAX_IN = 500;

class Compiler {
  readonly joins: string[] = [];
  readonly joinParams: SqlValue[] = [];
  private readonly joinMap = new Map<string, RelStep>();
  private aliasCount = 0;

  constructor(
    readonly svc: RecordService,
    readonly ctx: UserContext,
    readonly soql: string,
    readonly root: OrgObject,
    readonly alias: string,
    readonly objectAlias: string | undefined,
    readonly opts: QueryOptions
  ) {}

  resolve(text: string): Resolved {
    let parts = text.split('.');
    const head = parts[0]!.toLowerCase();
    if (
      parts.length > 1 &&
      (head === this.root.name.toLowerCase() || head === this.objectAlias?.toLowerCase()) &&
      !this.root.parentRelationships.has(head)
    ) {
      parts = parts.slice(1);
    }
    let cur = this.root;
    let alias = this.alias;
    let key = '';
    const rels: RelStep[] = [];
    const relParts = parts.slice(0, -1);
    for (const [i, rel] of relParts.entries()) {
      const f = cur.parentRelationships.get(rel.toLowerCase());
      if (!f || !this.ctx.permissions.canReadField(cur, f)) {
        throw invalidRelationship(this.soql, text, rel);
      }
      if (f.referenceTo.length > 1) {
        // Polymorphic lookups end the path, as in SOQL without TYPEOF.
        if (i !== relParts.length - 1) throw invalidRelationship(this.soql, text, rel);
        return this.polymorphic(text, cur, alias, key, f, parts[parts.length - 1]!, rels);
      }
      const target = this.svc.schema.get(f.referenceTo[0]!);
      if (!target || !this.ctx.permissions.object(target).read) {
        throw invalidRelationship(this.soql, text, rel);
      }
      key += `.${rel.toLowerCase()}`;
      let step = this.joinMap.get(key);
      if (!step) {
        const a = `${this.alias}_j${this.aliasCount++}`;
        const vis = this.svc.visibilitySql(this.ctx, target, a);
        this.joins.push(
          `LEFT JOIN ${quoteIdent(target.name)} ${a} ON ${a}."Id" = ${alias}.${quoteIdent(f.name)}${vis ? ` AND ${vis.sql}` : ''}`
        );
        if (vis) this.joinParams.push(...vis.params);
        step = {
          name: f.relationshipName ?? rel,
          obj: target,
          alias: a,
          idExpr: `${a}."Id"`,
          field: f
        };
        this.joinMap.set(key, step);
      }
      rels.push(step);
      cur = step.obj;
      alias = step.alias;
    }
    const last = parts[parts.length - 1]!;
    const f = this.svc.readableField(this.ctx, cur, last);
    if (!f || f.storage === 'none') throw invalidField(this.soql, text, cur.name);
    return { expr: `${alias}.${quoteIdent(f.name)}`, field: f, obj: cur, rels };
  }

  /**
   * `What.Name` on a polymorphic lookup: one LEFT JOIN per possible parent
   * object (Ids are unique across objects, so at most one matches) and the
   * field taken from whichever matched. `What.Type` names the parent's object.
   */
  private polymorphic(
    text: string,
    cur: OrgObject,
    alias: string,
    key: string,
    f: OrgField,
    last: string,
    rels: RelStep[]
  ): Resolved {
    const targets = f.referenceTo
      .map((n) => this.svc.schema.get(n))
      .filter((o): o is OrgObject => o !== undefined && this.ctx.permissions.object(o).read);
    const stepKey = `${key}.${f.name.toLowerCase()}`;
    const aliases: { obj: OrgObject; alias: string }[] = [];
    for (const target of targets) {
      const joinKey = `${stepKey}:${target.name}`;
      let join = this.joinMap.get(joinKey);
      if (!join) {
        const a = `${this.alias}_j${this.aliasCount++}`;
        const vis = this.svc.visibilitySql(this.ctx, target, a);
        this.joins.push(
          `LEFT JOIN ${quoteIdent(target.name)} ${a} ON ${a}."Id" = ${alias}.${quoteIdent(f.name)}${vis ? ` AND ${vis.sql}` : ''}`
        );
        if (vis) this.joinParams.push(...vis.params);
        join = { name: '', obj: target, alias: a, idExpr: `${a}."Id"`, field: f };
        this.joinMap.set(joinKey, join);
      }
      aliases.push({ obj: target, alias: join.alias });
    }
    const coalesce = (col: string) =>
      aliases.length === 0
        ? 'NULL'
        : aliases.length === 1
          ? `${aliases[0]!.alias}.${col}`
          : `COALESCE(${aliases.map((a) => `${a.alias}.${col}`).join(', ')})`;
    const step: RelStep = {
      name: f.relationshipName ?? f.name,
      obj: targets[0] ?? cur,
      alias: `${alias}_${stepKey}`,
      idExpr: coalesce('"Id"'),
      field: f,
      polymorphic: true
    };
    rels.push(step);
    if (last.toLowerCase() === 'type') {
      const cases = aliases
        .map((a) => `WHEN ${a.alias}."Id" IS NOT NULL THEN '${a.obj.name.replace(/'/g, "''")}'`)
        .join(' ');
      const typeField: OrgField = {
        ...f,
        name: 'Type',
        label: 'Type',
        type: 'string',
        storage: 'text'
      };
      return {
        expr: aliases.length ? `CASE ${cases} END` : 'NULL',
        field: typeField,
        obj: cur,
        rels
      };
    }
    const withField = aliases
      .map((a) => ({ ...a, field: this.svc.readableField(this.ctx, a.obj, last) }))
      .filter((a) => a.field && a.field.storage !== 'none');
    const first = withField[0]?.field;
    if (!first) throw invalidField(this.soql, text, f.relationshipName ?? f.name);
    const col = quoteIdent(first.name);
    const expr =
      withField.length === 1
        ? `${withField[0]!.alias}.${col}`
        : `COALESCE(${withField.map((a) => `${a.alias}.${col}`).join(', ')})`;
    return { expr, field: first, obj: cur, rels };
  }

  /**
   * A date function (`CALENDAR_MONTH(CreatedDate)`, optionally around
   * `convertTimezone()`) as SQL with the field its result behaves as, or
   * undefined for any other function.
   */
  dateFunction(fn: FunctionExp): { sql: string; field: OrgField } | undefined {
    const name = String(fn.functionName).toUpperCase();
    if (!DATE_FUNCTIONS.has(name)) return undefined;
    let param = fn.parameters?.[0];
    let convert = false;
    if (
      param &&
      typeof param !== 'string' &&
      String(param.functionName).toLowerCase() === 'converttimezone'
    ) {
      convert = true;
      param = param.parameters?.[0];
    }
    if (typeof param !== 'string') {
      throw malformed(this.soql, fn.functionName, `${name} needs a date or dateTime field`);
    }
    const r = this.resolve(param);
    if (r.field.type !== 'date' && r.field.type !== 'datetime') {
      throw new SfError(
        'INVALID_FIELD',
        caretMessage(
          this.soql,
          locate(this.soql, param),
          `${name} can only be applied to a date or dateTime field: ${r.field.name}`
        )
      );
    }
    const zone =
      convert && r.field.type === 'datetime'
        ? `'${this.opts.timeZone.replace(/'/g, "''")}'`
        : 'NULL';
    const field: OrgField =
      name === 'DAY_ONLY'
        ? { ...r.field, type: 'date', storage: 'text' }
        : {
            ...r.field,
            type: 'double',
            storage: 'real',
            def: { ...r.field.def, precision: 18, scale: 0 }
          };
    return { sql: `${SQL_DATE_PART}('${name}', ${r.expr}, ${zone})`, field };
  }

  /** Base conditions: not deleted (unless queryAll) and the user's sharing. */
  baseWhere(): { sql: string[]; params: SqlValue[] } {
    const sql: string[] = [];
    const params: SqlValue[] = [];
    if (!this.opts.all) sql.push(`${this.alias}."IsDeleted" = 0`);
    const vis = this.svc.visibilitySql(this.ctx, this.root, this.alias);
    if (vis) {
      sql.push(vis.sql);
      params.push(...vis.params);
    }
    return { sql, params };
  }

  // ------------------------------------------------------------ conditions

  where(
    clause: WhereClause | undefined,
    params: SqlValue[],
    aggregate?: AggregateContext
  ): string | undefined {
    if (!clause) return undefined;
    const tokens: (string | Record<string, unknown>)[] = [];
    const walk = (node: WhereClause | undefined) => {
      if (!node) return;
      const n = node as unknown as {
        left: Record<string, unknown> | null;
        operator?: string;
        right?: WhereClause;
      };
      const left = n.left;
      const isCondition = left && ('field' in left || 'fn' in left);
      if (!isCondition) {
        for (let i = 0; i < Number(left?.openParen ?? 0); i++) tokens.push('(');
        if (n.operator === 'NOT') tokens.push('NOT');
        walk(n.right);
        return;
      }
      for (let i = 0; i < Number(left.openParen ?? 0); i++) tokens.push('(');
      tokens.push(left);
      for (let i = 0; i < Number(left.closeParen ?? 0); i++) tokens.push(')');
      if (n.operator && n.right) {
        tokens.push(n.operator.toUpperCase());
        walk(n.right);
      }
    };
    walk(clause);
    let pos = 0;
    const peek = () => tokens[pos];
    const bad = () => malformed(this.soql, undefined, 'unexpected token in WHERE clause');
    const parseOr = (): Cond => {
      const parts = [parseAnd()];
      while (peek() === 'OR') {
        pos++;
        parts.push(parseAnd());
      }
      return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
    };
    const parseAnd = (): Cond => {
      const parts = [parseUnary()];
      while (peek() === 'AND') {
        pos++;
        parts.push(parseUnary());
      }
      return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
    };
    const parseUnary = (): Cond => {
      const t = tokens[pos++];
      if (t === 'NOT') return { kind: 'not', inner: parseUnary() };
      if (t === '(') {
        const inner = parseOr();
        if (tokens[pos++] !== ')') throw bad();
        return inner;
      }
      if (t && typeof t === 'object') return { kind: 'leaf', c: t };
      throw bad();
    };
    const tree = parseOr();
    if (pos !== tokens.length) throw bad();
    // SOQL has two-valued logic: a comparison with a null value is false, so
    // NOT selects it. SQL's NULL would drop it, so conditions under a NOT are
    // made null-free; elsewhere NULL and false select alike and the plain
    // condition keeps its index.
    const emit = (c: Cond, negated: boolean): string => {
      switch (c.kind) {
        case 'and':
          return `(${c.parts.map((p) => emit(p, negated)).join(' AND ')})`;
        case 'or':
          return `(${c.parts.map((p) => emit(p, negated)).join(' OR ')})`;
        case 'not':
          return `(NOT ${emit(c.inner, true)})`;
        case 'leaf': {
          const sql = this.condition(c.c, params, aggregate);
          return negated ? `COALESCE(${sql}, 0)` : sql;
        }
      }
    };
    return emit(tree, false);
  }

  private condition(
    c: Record<string, unknown>,
    params: SqlValue[],
    aggregate?: AggregateContext
  ): string {
    const op = String(c.operator).toUpperCase().replace('<>', '!=');
    let expr: string;
    let f: OrgField | undefined;
    let label: string;
    const dateFn = c.fn ? this.dateFunction(c.fn as FunctionExp) : undefined;
    if (dateFn) {
      expr = dateFn.sql;
      f = dateFn.field;
      label = (c.fn as FunctionExp).rawValue ?? String((c.fn as FunctionExp).functionName);
    } else if (c.fn) {
      const fn = c.fn as FunctionExp;
      if (!aggregate || !AGGREGATES.has(String(fn.functionName).toUpperCase())) {
        throw malformed(this.soql, fn.functionName, `unexpected token: '${fn.functionName ?? ''}'`);
      }
      const agg = aggregate.fn(fn);
      expr = agg.sql;
      f = agg.resultField;
      label = fn.rawValue ?? String(fn.functionName);
    } else {
      label = String(c.field);
      const r = this.resolve(label);
      expr = r.expr;
      f = r.field;
    }
    if (c.literalType === 'SUBQUERY') {
      const sub = this.semiJoin(c.valueQuery as Query, params);
      return op === 'NOT IN'
        ? `(${expr} IS NULL OR ${expr} NOT IN (${sub}))`
        : `${expr} IN (${sub})`;
    }
    const rawValues = Array.isArray(c.value) ? (c.value as string[]) : [String(c.value)];
    const types = Array.isArray(c.literalType)
      ? (c.literalType as string[])
      : rawValues.map(() => String(c.literalType ?? 'STRING'));
    const nVars = Array.isArray(c.dateLiteralVariable)
      ? (c.dateLiteralVariable as number[])
      : rawValues.map(() => c.dateLiteralVariable as number | undefined);
    const values = rawValues.map((v, i) =>
      this.literal(f, label, v, types[i] ?? 'STRING', nVars[i], op === 'LIKE')
    );
    const one = values[0];
    const bind = (v: SqlValue) => {
      params.push(v);
      return '?';
    };
    const rangeSql = (r: DateRange) => {
      const [s, e] = f?.type === 'date' ? [r.startDate, r.endDate] : [r.startIso, r.endIso];
      return { s, e };
    };
    switch (op) {
      case '=':
      case '!=': {
        let positive: string;
        if (one === null) return op === '=' ? `${expr} IS NULL` : `${expr} IS NOT NULL`;
        if (isRange(one)) {
          const { s, e } = rangeSql(one);
          positive = `(${expr} >= ${bind(s)} AND ${expr} < ${bind(e)})`;
        } else positive = `${expr} = ${bind(one as SqlValue)}`;
        // SOQL's != keeps records whose value is null.
        return op === '=' ? positive : `(${expr} IS NULL OR NOT ${positive})`;
      }
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (one === null || one === undefined) return '0';
        if (isRange(one)) {
          const { s, e } = rangeSql(one);
          if (op === '<') return `${expr} < ${bind(s)}`;
          if (op === '<=') return `${expr} < ${bind(e)}`;
          if (op === '>') return `${expr} >= ${bind(e)}`;
          return `${expr} >= ${bind(s)}`;
        }
        return `${expr} ${op} ${bind(one as SqlValue)}`;
      }
      case 'LIKE':
        return `${expr} LIKE ${bind(one as SqlValue)} ESCAPE '\\'`;
      case 'IN':
      case 'NOT IN': {
        const parts: string[] = [];
        const plain: SqlValue[] = [];
        let hasNull = false;
        for (const v of values) {
          if (v === null) hasNull = true;
          else if (isRange(v)) {
            const { s, e } = rangeSql(v);
            parts.push(`(${expr} >= ${bind(s)} AND ${expr} < ${bind(e)})`);
          } else plain.push(v);
        }
        if (plain.length > 0) parts.push(`${expr} IN (${plain.map(bind).join(', ')})`);
        if (hasNull) parts.push(`${expr} IS NULL`);
        const positive = parts.length === 0 ? '0' : `(${parts.join(' OR ')})`;
        return op === 'IN' ? positive : `(${hasNull ? '' : `${expr} IS NULL OR `}NOT ${positive})`;
      }
      case 'INCLUDES':
      case 'EXCLUDES': {
        if (f?.type !== 'multipicklist') {
          throw malformed(
            this.soql,
            label,
            `${op} operator is only valid on multi-select picklist fields`
          );
        }
        const alts = values.map((v) => {
          const items = String(v ?? '')
            .split(';')
            .map((s) => s.trim())
            .filter(Boolean);
          return `(${items.map((item) => `(';' || ${expr} || ';') LIKE ${bind(`%;${escapeLike(item)};%`)} ESCAPE '\\'`).join(' AND ')})`;
        });
        const positive = `(${alts.join(' OR ')})`;
        return op === 'INCLUDES' ? positive : `(${expr} IS NULL OR NOT ${positive})`;
      }
      default:
        throw malformed(this.soql, String(c.operator), `unexpected token: '${String(c.operator)}'`);
    }
  }

  private literal(
    f: OrgField | undefined,
    label: string,
    raw: string,
    type: string,
    n: number | undefined,
    like: boolean
  ): SqlValue | DateRange {
    if (type === 'NULL') return null;
    const kind = f ? fieldKind(f) : 'double';
    const expected: Record<string, string[]> = {
      string: ['STRING'],
      id: ['STRING'],
      double: ['INTEGER', 'DECIMAL'],
      boolean: ['BOOLEAN'],
      date: ['DATE', 'DATE_LITERAL', 'DATE_N_LITERAL'],
      dateTime: ['DATETIME', 'DATE_LITERAL', 'DATE_N_LITERAL']
    };
    if (!expected[kind]!.includes(type) && !(like && type === 'STRING')) {
      const quoted = kind === 'string' || kind === 'id';
      throw new SfError(
        'INVALID_FIELD',
        caretMessage(
          this.soql,
          locate(this.soql, label),
          `value of filter criterion for field '${label}' must be of type ${kind} and should ${quoted ? '' : 'not '}be enclosed in quotes`
        )
      );
    }
    switch (type) {
      case 'STRING': {
        const text = unquote(raw, like);
        if (kind === 'id' && !like) {
          const id = normalizeId(text);
          if (!id) {
            throw new SfError('INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${text}`);
          }
          return id;
        }
        return text;
      }
      case 'INTEGER':
      case 'DECIMAL':
        return Number(raw);
      case 'BOOLEAN':
        return raw.toUpperCase() === 'TRUE' ? 1 : 0;
      case 'DATE':
        return raw;
      case 'DATETIME': {
        const iso = parseDateTime(raw);
        if (!iso)
          throw malformed(this.soql, raw, `line 1:0 no viable alternative at character '${raw}'`);
        return iso;
      }
      case 'DATE_LITERAL':
      case 'DATE_N_LITERAL': {
        const name = raw.split(':')[0]!;
        const r = dateLiteralRange(name, n, this.svc.now(), this.opts.timeZone);
        if (!r) throw malformed(this.soql, name, `unexpected token: '${name}'`);
        return r;
      }
      default:
        throw malformed(this.soql, raw, `unexpected token: '${raw}'`);
    }
  }

  /** `Id IN (SELECT AccountId FROM Contact WHERE ...)` as an SQL subquery. */
  private semiJoin(q: Query, params: SqlValue[]): string {
    const obj = this.svc.schema.get(q.sObject ?? '');
    if (!obj || !this.ctx.permissions.object(obj).read)
      throw invalidType(this.soql, q.sObject ?? '');
    const sub = new Compiler(
      this.svc,
      this.ctx,
      this.soql,
      obj,
      `${this.alias}_s${this.aliasCount++}`,
      undefined,
      this.opts
    );
    const fields = q.fields ?? [];
    const only = fields[0];
    if (fields.length !== 1 || !only || only.type !== 'Field') {
      throw malformed(this.soql, undefined, 'A semi-join subquery selects exactly one field');
    }
    const r = sub.resolve(only.field);
    const base = sub.baseWhere();
    const whereParams: SqlValue[] = [];
    const w = sub.where(q.where, whereParams);
    params.push(...sub.joinParams, ...base.params, ...whereParams);
    const conds = [...base.sql, ...(w ? [w] : [])];
    return `SELECT ${r.expr} FROM ${quoteIdent(obj.name)} ${sub.alias} ${sub.joins.join(' ')}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}`;
  }

  orderBy(q: Query | Subquery, aggregate?: AggregateContext): string | undefined {
    if (!q.orderBy) return undefined;
    const items = Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
    const parts = items.map((o) => {
      const clause = o as { field?: string; fn?: FunctionExp; order?: string; nulls?: string };
      let expr: string;
      if (clause.fn) {
        if (!aggregate)
          throw malformed(
            this.soql,
            clause.fn.functionName,
            `unexpected token: '${clause.fn.functionName ?? ''}'`
          );
        expr = aggregate.fn(clause.fn).sql;
      } else {
        const r = this.resolve(String(clause.field));
        expr = r.expr;
        if (aggregate && !aggregate.grouped(r.expr)) {
          throw malformed(
            this.soql,
            clause.field,
            `Ordered field must be grouped or aggregated: ${r.field.name}`
          );
        }
      }
      const dir = clause.order?.toUpperCase() === 'DESC' ? 'DESC' : 'ASC';
      const nulls = clause.nulls
        ? ` NULLS ${clause.nulls.toUpperCase() === 'LAST' ? 'LAST' : 'FIRST'}`
        : '';
      return `${expr} ${dir}${nulls}`;
    });
    return parts.join(', ');
  }
}

interface AggregateContext {
  fn(fn: FunctionExp): { sql: string; resultField: OrgField | undefined };
  grouped(expr: string): boolean;
}

function isRange(v: unknown): v is DateRange {
  return typeof v === 'object' && v !== null && 'startIso' in v;
}

function fieldKind(f: OrgField): 'string' | 'id' | 'double' | 'boolean' | 'date' | 'dateTime' {
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'double':
    case 'currency':
    case 'percent':
      return 'double';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'datetime':
      return 'dateTime';
    default:
      return 'string';
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/** A quoted SOQL string's value; in LIKE patterns `\%` and `\_` stay escaped. */
function unquote(raw: string, like: boolean): string {
  const inner = /^'(.*)'$/s.exec(raw)?.[1] ?? raw;
  return inner.replace(/\\(.)/g, (_, ch: string) => {
    if (like && (ch === '%' || ch === '_')) return `\\${ch}`;
    if (like && ch === '\\') return '\\\\';
    return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[ch] ?? ch;
  });
}

// ------------------------------------------------------------------ select

interface Column {
  kind: 'field';
  resolved: Resolved;
  index: number;
}

interface SubColumn {
  kind: 'sub';
  key: string;
  rel: ChildRelationship;
  query: Subquery;
}

export function executeQuery(
  svc: RecordService,
  ctx: UserContext,
  soql: string,
  opts: QueryOptions
): QueryResult {
  let q: Query;
  try {
    q = parseQuery(soql);
  } catch (err) {
    throw parseError(soql, err);
  }
  const name = q.sObject ?? '';
  const root = svc.schema.get(name);
  if (!root || !ctx.permissions.object(root).read) throw invalidType(soql, name);
  const compiler = new Compiler(svc, ctx, soql, root, 't0', q.sObjectAlias, opts);
  const fields = expandFields(svc, ctx, compiler, q.fields ?? []);
  const isAggregate =
    Boolean(q.groupBy) ||
    fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn);
  if (isAggregate) return aggregateQuery(svc, compiler, q, fields);
  return recordQuery(svc, ctx, compiler, q, fields, opts);
}

/** FIELDS(ALL|STANDARD|CUSTOM) expands to the readable fields. */
function expandFields(
  svc: RecordService,
  ctx: UserContext,
  c: Compiler,
  fields: FieldType[]
): FieldType[] {
  const out: FieldType[] = [];
  for (const f of fields) {
    if (f.type === 'FieldFunctionExpression' && f.functionName.toUpperCase() === 'FIELDS') {
      const which = String(f.parameters[0] ?? '').toUpperCase();
      for (const of of svc.readableFields(ctx, c.root)) {
        const custom = of.name.endsWith('__c');
        if (
          which === 'ALL' ||
          (which === 'CUSTOM' && custom) ||
          (which === 'STANDARD' && !custom)
        ) {
          out.push({ type: 'Field', field: of.name });
        }
      }
    } else out.push(f);
  }
  return out;
}

function recordQuery(
  svc: RecordService,
  ctx: UserContext,
  c: Compiler,
  q: Query,
  fields: FieldType[],
  opts: QueryOptions
): QueryResult {
  const selects: string[] = [`${c.alias}."Id"`];
  const columns: (Column | SubColumn)[] = [];
  for (const f of fields) {
    if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const text =
        f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
      const resolved = c.resolve(text);
      columns.push({ kind: 'field', resolved, index: selects.length });
      selects.push(resolved.expr);
    } else if (f.type === 'FieldSubquery') {
      const relName = f.subquery.relationshipName;
      const rel = c.root.childMap.get(relName.toLowerCase());
      const child = rel ? svc.schema.get(rel.childObject) : undefined;
      if (!rel || !child || !ctx.permissions.object(child).read) {
        throw invalidRelationship(c.soql, relName, relName);
      }
      columns.push({ kind: 'sub', key: rel.relationshipName, rel, query: f.subquery });
    } else {
      const token = f.type === 'FieldFunctionExpression' ? f.functionName : f.field;
      throw malformed(c.soql, token, `unexpected token: '${token}'`);
    }
  }
  // The Id of every joined parent, for its attributes.url.
  const relIndex = new Map<string, number>();
  for (const col of columns) {
    if (col.kind !== 'field') continue;
    for (const step of col.resolved.rels) {
      if (!relIndex.has(step.alias)) {
        relIndex.set(step.alias, selects.length);
        selects.push(step.idExpr);
      }
    }
  }
  const base = c.baseWhere();
  const whereParams: SqlValue[] = [];
  const w = c.where(q.where, whereParams);
  const order = c.orderBy(q);
  const conds = [...base.sql, ...(w ? [w] : [])];
  const from = `FROM ${quoteIdent(c.root.name)} ${c.alias} ${c.joins.join(' ')}${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}`;
  const params = [...c.joinParams, ...base.params, ...whereParams];
  const limit = q.limit !== undefined ? ` LIMIT ${Number(q.limit)}` : q.offset ? ' LIMIT -1' : '';
  const offset = q.offset ? ` OFFSET ${Number(q.offset)}` : '';
  const sql = `SELECT ${selects.join(', ')} ${from}${order ? ` ORDER BY ${order}` : ''}${limit}${offset}`;
  const rows = svc.storage.rows(sql, params);
  const records = rows.map((row) =>
    buildRecord(svc.schema, c.root, row, columns, relIndex, opts.version)
  );
  for (const col of columns) {
    if (col.kind === 'sub') attachChildren(svc, ctx, c, col, records, opts);
  }
  return {
    totalSize: records.length,
    records,
    entityName: c.root.name,
    groupBy: false,
    idSelected: columns.some(
      (col) =>
        col.kind === 'field' && col.resolved.rels.length === 0 && col.resolved.field.name === 'Id'
    ),
    keyPrefix: c.root.keyPrefix,
    columnMetadata: columnMetadata(columns)
  };
}

function buildRecord(
  schema: OrgSchema,
  obj: OrgObject,
  row: SqlValue[],
  columns: (Column | SubColumn)[],
  relIndex: Map<string, number>,
  version: string
): Record<string, unknown> {
  const rec: Record<string, unknown> = {
    attributes: { type: obj.name, url: recordUrl(version, obj, String(row[0])) }
  };
  for (const col of columns) {
    if (col.kind === 'sub') {
      rec[col.key] = null;
      continue;
    }
    let target: Record<string, unknown> | null = rec;
    for (const step of col.resolved.rels) {
      const existing: unknown = target[step.name];
      if (existing === undefined) {
        const id = row[relIndex.get(step.alias)!];
        const next: Record<string, unknown> | null =
          id === null || id === undefined
            ? null
            : parentAttributes(schema, step, String(id), version);
        target[step.name] = next;
        target = next;
      } else target = existing as Record<string, unknown> | null;
      if (target === null) break;
    }
    if (target !== null)
      target[col.resolved.field.name] = toApi(col.resolved.field, row[col.index]);
  }
  return rec;
}

function parentAttributes(schema: OrgSchema, step: RelStep, id: string, version: string) {
  const type = step.polymorphic ? (schema.objectForId(id)?.name ?? step.obj.name) : step.obj.name;
  return { attributes: { type, url: recordUrl(version, type, id) } };
}

function attachChildren(
  svc: RecordService,
  ctx: UserContext,
  parent: Compiler,
  col: SubColumn,
  records: Record<string, unknown>[],
  opts: QueryOptions
): void {
  const child = svc.schema.get(col.rel.childObject)!;
  const sq = col.query;
  const c = new Compiler(svc, ctx, parent.soql, child, 'c0', undefined, opts);
  const selects: string[] = [`c0."Id"`, `c0.${quoteIdent(col.rel.field)}`];
  const columns: Column[] = [];
  for (const f of sq.fields ?? []) {
    if (f.type !== 'Field' && f.type !== 'FieldRelationship') {
      throw malformed(
        parent.soql,
        undefined,
        'Nested subqueries and functions are not supported in a child subquery'
      );
    }
    const text =
      f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
    const resolved = c.resolve(text);
    columns.push({ kind: 'field', resolved, index: selects.length });
    selects.push(resolved.expr);
  }
  const relIndex = new Map<string, number>();
  for (const column of columns) {
    for (const step of column.resolved.rels) {
      if (!relIndex.has(step.alias)) {
        relIndex.set(step.alias, selects.length);
        selects.push(step.idExpr);
      }
    }
  }
  const base = c.baseWhere();
  const whereParams: SqlValue[] = [];
  const w = c.where(sq.where, whereParams);
  const order = c.orderBy(sq);
  const byParent = new Map<string, Record<string, unknown>[]>();
  const ids = records.map((r) => String((r.attributes as { url: string }).url.split('/').pop()));
  for (let i = 0; i < ids.length; i += MAX_IN) {
    const chunk = ids.slice(i, i + MAX_IN);
    const conds = [
      ...base.sql,
      `c0.${quoteIdent(col.rel.field)} IN (${chunk.map(() => '?').join(', ')})`,
      ...(w ? [w] : [])
    ];
    const sql = `SELECT ${selects.join(', ')} FROM ${quoteIdent(child.name)} c0 ${c.joins.join(' ')} WHERE ${conds.join(' AND ')}${order ? ` ORDER BY ${order}` : ''}`;
    const rows = svc.storage.rows(sql, [...c.joinParams, ...base.params, ...chunk, ...whereParams]);
    for (const row of rows) {
      const pid = String(row[1]);
      let list = byParent.get(pid);
      if (!list) byParent.set(pid, (list = []));
      list.push(buildRecord(svc.schema, child, row, columns, relIndex, opts.version));
    }
  }
  records.forEach((rec, i) => {
    let list = byParent.get(ids[i]!) ?? [];
    if (sq.offset) list = list.slice(sq.offset);
    if (sq.limit !== undefined) list = list.slice(0, sq.limit);
    rec[col.key] = list.length === 0 ? null : { totalSize: list.length, done: true, records: list };
  });
}

function columnMetadata(columns: (Column | SubColumn)[]): ColumnMetadata[] {
  const meta = (
    name: string,
    f: OrgField | undefined,
    extra: Partial<ColumnMetadata> = {}
  ): ColumnMetadata => ({
    aggregate: false,
    apexType: f ? apexType(f) : null,
    booleanType: f?.type === 'boolean',
    columnName: name,
    custom: Boolean(f?.name.endsWith('__c')),
    displayName: name,
    foreignKeyName: null,
    insertable: Boolean(f?.createable),
    joinColumns: [],
    numberType: f ? f.storage === 'real' : false,
    textType: f ? f.storage === 'text' : false,
    updatable: Boolean(f?.updateable),
    ...extra
  });
  const out: ColumnMetadata[] = [];
  for (const col of columns) {
    if (col.kind === 'sub') {
      out.push(meta(col.key, undefined, { aggregate: true, displayName: col.key }));
      continue;
    }
    const { rels, field } = col.resolved;
    if (rels.length === 0) {
      out.push(meta(field.name, field));
      continue;
    }
    // Parent fields nest as joinColumns under their relationship.
    let list = out;
    for (const step of rels) {
      let join = list.find((m) => m.columnName === step.name && m.foreignKeyName !== null);
      if (!join) {
        join = meta(step.name, undefined, {
          foreignKeyName: step.field.name,
          apexType: step.obj.name
        });
        list.push(join);
      }
      list = join.joinColumns;
    }
    list.push(meta(field.name, field));
  }
  return out;
}

function apexType(f: OrgField): string {
  switch (f.type) {
    case 'boolean':
      return 'Boolean';
    case 'double':
    case 'percent':
      return 'Double';
    case 'currency':
      return 'Decimal';
    case 'date':
      return 'Date';
    case 'datetime':
      return 'Datetime';
    case 'id':
    case 'reference':
      return 'Id';
    default:
      return 'String';
  }
}

// --------------------------------------------------------------- aggregates

function aggregateQuery(
  svc: RecordService,
  c: Compiler,
  q: Query,
  fields: FieldType[]
): QueryResult {
  const groupExprs: string[] = [];
  const groupItems = q.groupBy ? (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) : [];
  for (const g of groupItems) {
    if ('field' in g) {
      groupExprs.push(c.resolve(g.field).expr);
      continue;
    }
    const d = c.dateFunction(g.fn);
    if (!d)
      throw malformed(c.soql, g.fn.functionName, `unexpected token: '${g.fn.functionName ?? ''}'`);
    groupExprs.push(d.sql);
  }
  const ctxAgg: AggregateContext = {
    grouped: (expr) => groupExprs.includes(expr),
    fn: (fn) => {
      const d = c.dateFunction(fn);
      if (d) {
        if (!groupExprs.includes(d.sql)) {
          throw malformed(
            c.soql,
            fn.functionName,
            `Field must be grouped or aggregated: ${fn.rawValue ?? fn.functionName}`
          );
        }
        return { sql: d.sql, resultField: d.field };
      }
      const name = String(fn.functionName).toUpperCase();
      if (!AGGREGATES.has(name))
        throw malformed(c.soql, fn.functionName, `unexpected token: '${fn.functionName ?? ''}'`);
      const param = fn.parameters?.[0];
      if (param === undefined) return { sql: 'COUNT(*)', resultField: undefined };
      if (typeof param !== 'string')
        throw malformed(c.soql, fn.functionName, 'Nested functions are not supported');
      const r = c.resolve(param);
      if ((name === 'SUM' || name === 'AVG') && r.field.storage !== 'real') {
        throw new SfError(
          'INVALID_FIELD',
          caretMessage(
            c.soql,
            locate(c.soql, param),
            `field ${param} does not support aggregate operator ${name}`
          )
        );
      }
      const sql = name === 'COUNT_DISTINCT' ? `COUNT(DISTINCT ${r.expr})` : `${name}(${r.expr})`;
      return { sql, resultField: name === 'MIN' || name === 'MAX' ? r.field : undefined };
    }
  };
  const selects: string[] = [];
  const outputs: { key: string; field?: OrgField; count: boolean }[] = [];
  let exprN = 0;
  let countOnly = false;
  for (const f of fields) {
    if (f.type === 'FieldFunctionExpression') {
      const name = f.functionName.toUpperCase();
      if (
        name === 'COUNT' &&
        f.parameters.length === 0 &&
        fields.length === 1 &&
        groupItems.length === 0
      ) {
        countOnly = true;
      }
      const agg = ctxAgg.fn(f);
      selects.push(agg.sql);
      outputs.push({
        key: f.alias ?? `expr${exprN++}`,
        ...(agg.resultField ? { field: agg.resultField } : {}),
        count: name === 'COUNT' || name === 'COUNT_DISTINCT'
      });
    } else if (f.type === 'Field' || f.type === 'FieldRelationship') {
      const text =
        f.type === 'Field' ? f.field : (f.rawValue ?? [...f.relationships, f.field].join('.'));
      const r = c.resolve(text);
      if (!groupExprs.includes(r.expr)) {
        throw malformed(c.soql, text, `Field must be grouped or aggregated: ${r.field.name}`);
      }
      selects.push(r.expr);
      outputs.push({
        key: (f as { alias?: string }).alias ?? r.field.name,
        field: r.field,
        count: false
      });
    } else {
      throw malformed(c.soql, undefined, 'Subqueries are not allowed in aggregate queries');
    }
  }
  const base = c.baseWhere();
  const whereParams: SqlValue[] = [];
  const w = c.where(q.where, whereParams);
  const havingParams: SqlValue[] = [];
  const having = c.where(q.having as WhereClause | undefined, havingParams, ctxAgg);
  const order = c.orderBy(q, ctxAgg);
  const conds = [...base.sql, ...(w ? [w] : [])];
  const limit = q.limit !== undefined ? ` LIMIT ${Number(q.limit)}` : q.offset ? ' LIMIT -1' : '';
  const offset = q.offset ? ` OFFSET ${Number(q.offset)}` : '';
  const sql =
    `SELECT ${selects.join(', ')} FROM ${quoteIdent(c.root.name)} ${c.alias} ${c.joins.join(' ')}` +
    `${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''}` +
    `${groupExprs.length ? ` GROUP BY ${groupExprs.join(', ')}` : ''}` +
    `${having ? ` HAVING ${having}` : ''}${order ? ` ORDER BY ${order}` : ''}${limit}${offset}`;
  const rows = svc.storage.rows(sql, [
    ...c.joinParams,
    ...base.params,
    ...whereParams,
    ...havingParams
  ]);
  const meta = {
    entityName: c.root.name,
    groupBy: groupExprs.length > 0,
    idSelected: false,
    keyPrefix: null,
    columnMetadata: outputs.map((o, i) => ({
      aggregate: true,
      apexType: o.count ? 'Integer' : o.field ? apexType(o.field) : 'Double',
      booleanType: false,
      columnName: o.key,
      custom: false,
      displayName: (fields[i] as { rawValue?: string }).rawValue ?? o.key,
      foreignKeyName: null,
      insertable: false,
      joinColumns: [],
      numberType: o.count || !o.field || o.field.storage === 'real',
      textType: Boolean(o.field && o.field.storage === 'text'),
      updatable: false
    }))
  };
  if (countOnly) {
    return { totalSize: Number(rows[0]?.[0] ?? 0), records: [], ...meta };
  }
  const records = rows.map((row) => {
    const rec: Record<string, unknown> = { attributes: { type: 'AggregateResult' } };
    outputs.forEach((o, i) => {
      const v = row[i] ?? null;
      rec[o.key] = o.count ? Number(v) : o.field ? toApi(o.field, v) : v;
    });
    return rec;
  });
  return { totalSize: records.length, records, ...meta };
}
