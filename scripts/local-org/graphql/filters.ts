/**
 * UI API GraphQL `where` and `orderBy` arguments as SOQL text: field
 * operators (eq, ne, lt, gt, lte, gte, in, nin, like, includes, excludes),
 * and/or/not, parent relationship filters, date and date-time inputs
 * (`{value}`, `{literal}`, `{range}`). Names are checked against the schema
 * and the user's field permissions; an invisible field is an unknown one.
 */
import type { LocalOrgCore } from '../core';
import type { UserContext } from '../permissions';
import { field, type OrgField, type OrgObject } from '../schema';

export class PlanError extends Error {
  constructor(
    message: string,
    readonly classification = 'ValidationError'
  ) {
    super(message);
  }
}

const COMPARISONS: Record<string, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  gt: '>',
  lte: '<=',
  gte: '>='
};

/** A visible parent relationship of obj with a single target object. */
export function parentRelationship(
  core: LocalOrgCore,
  user: UserContext,
  obj: OrgObject,
  name: string
): { field: OrgField; target: OrgObject; name: string } | undefined {
  const f = obj.parentRelationships.get(name.toLowerCase());
  if (!f || f.referenceTo.length !== 1 || !user.permissions.canReadField(obj, f)) return undefined;
  // GraphQL names are exact: `Account`, `Journey__r`.
  if ((f.relationshipName ?? '') !== name) return undefined;
  const target = core.schema.get(f.referenceTo[0]!);
  if (!target || !user.permissions.object(target).read) return undefined;
  return { field: f, target, name };
}

export function visibleField(
  user: UserContext,
  obj: OrgObject,
  name: string
): OrgField | undefined {
  const f = field(obj, name);
  if (!f || f.name !== name || f.storage === 'none' || !user.permissions.canReadField(obj, f)) {
    return undefined;
  }
  return f;
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const DATE_LITERALS = new Set([
  'YESTERDAY',
  'TODAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
  'THIS_QUARTER',
  'LAST_QUARTER',
  'NEXT_QUARTER',
  'THIS_YEAR',
  'LAST_YEAR',
  'NEXT_YEAR',
  'THIS_FISCAL_QUARTER',
  'LAST_FISCAL_QUARTER',
  'NEXT_FISCAL_QUARTER',
  'THIS_FISCAL_YEAR',
  'LAST_FISCAL_YEAR',
  'NEXT_FISCAL_YEAR'
]);

const RANGES: Record<string, string> = {
  last_n_days: 'LAST_N_DAYS',
  next_n_days: 'NEXT_N_DAYS',
  last_n_weeks: 'LAST_N_WEEKS',
  next_n_weeks: 'NEXT_N_WEEKS',
  last_n_months: 'LAST_N_MONTHS',
  next_n_months: 'NEXT_N_MONTHS',
  last_n_quarters: 'LAST_N_QUARTERS',
  next_n_quarters: 'NEXT_N_QUARTERS',
  last_n_years: 'LAST_N_YEARS',
  next_n_years: 'NEXT_N_YEARS'
};

function dateInput(f: OrgField, raw: unknown, path: string): string {
  let value = raw;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.literal === 'string') {
      if (!DATE_LITERALS.has(o.literal)) {
        throw new PlanError(`Unknown date literal ${o.literal} in ${path}`);
      }
      return o.literal;
    }
    if (o.range && typeof o.range === 'object') {
      const [k, n] = Object.entries(o.range as Record<string, unknown>)[0] ?? [];
      const soql = k ? RANGES[k] : undefined;
      if (!soql || !Number.isInteger(n)) throw new PlanError(`Invalid date range in ${path}`);
      return `${soql}:${String(n)}`;
    }
    value = o.value;
  }
  if (value === null || value === undefined) return 'null';
  const text = String(value);
  if (f.type === 'date') {
    if (!/^\d{4}-\d\d-\d\d$/.test(text)) throw new PlanError(`Invalid date '${text}' in ${path}`);
    return text;
  }
  const d = new Date(text);
  if (Number.isNaN(d.getTime())) throw new PlanError(`Invalid date-time '${text}' in ${path}`);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** One value as a SOQL literal for the field's type. */
export function literal(f: OrgField, value: unknown, path: string): string {
  if (f.type === 'date' || f.type === 'datetime') return dateInput(f, value, path);
  if (value === null || value === undefined) return 'null';
  if (f.type === 'boolean') {
    if (typeof value !== 'boolean') throw new PlanError(`${path} needs a Boolean`);
    return String(value);
  }
  if (f.storage === 'real') {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) throw new PlanError(`${path} needs a number, not '${String(value)}'`);
    return String(n);
  }
  if (typeof value === 'object') throw new PlanError(`${path} needs a scalar value`);
  return quote(String(value));
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new PlanError(`${path} needs a list`);
  if (value.length === 0) throw new PlanError(`${path} needs at least one value`);
  return value;
}

function fieldOps(f: OrgField, column: string, ops: unknown, path: string): string[] {
  if (ops === null || typeof ops !== 'object' || Array.isArray(ops)) {
    throw new PlanError(`${path} needs an object of operators`);
  }
  const out: string[] = [];
  for (const [op, value] of Object.entries(ops as Record<string, unknown>)) {
    const p = `${path}.${op}`;
    const cmp = COMPARISONS[op];
    if (cmp) out.push(`${column} ${cmp} ${literal(f, value, p)}`);
    else if (op === 'in' || op === 'nin') {
      const items = list(value, p).map((v) => literal(f, v, p));
      out.push(`${column} ${op === 'in' ? 'IN' : 'NOT IN'} (${items.join(', ')})`);
    } else if (op === 'like') {
      if (typeof value !== 'string') throw new PlanError(`${p} needs a String`);
      out.push(`${column} LIKE ${quote(value)}`);
    } else if (op === 'includes' || op === 'excludes') {
      if (f.type !== 'multipicklist') {
        throw new PlanError(`${p}: ${op} applies to multi-select picklists only`);
      }
      const items = list(value, p).map((v) => quote(String(v)));
      out.push(`${column} ${op.toUpperCase()} (${items.join(', ')})`);
    } else {
      throw new PlanError(`Unknown operator '${op}' in ${path}`);
    }
  }
  return out;
}

/** The SOQL condition of a `where` object (empty string: no condition). */
export function whereSoql(
  core: LocalOrgCore,
  user: UserContext,
  obj: OrgObject,
  filter: unknown,
  prefix = '',
  path = 'where'
): string {
  if (filter === null || filter === undefined) return '';
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw new PlanError(`${path} needs an object`);
  }
  const parts: string[] = [];
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    const p = `${path}.${key}`;
    if (key === 'and' || key === 'or') {
      const inner = list(value, p)
        .map((v, i) => whereSoql(core, user, obj, v, prefix, `${p}[${i}]`))
        .filter(Boolean);
      if (inner.length) parts.push(`(${inner.join(key === 'and' ? ' AND ' : ' OR ')})`);
    } else if (key === 'not') {
      const inner = whereSoql(core, user, obj, value, prefix, p);
      if (inner) parts.push(`(NOT (${inner}))`);
    } else {
      const f = visibleField(user, obj, key);
      if (f) {
        parts.push(...fieldOps(f, `${prefix}${f.name}`, value, p));
        continue;
      }
      const rel = parentRelationship(core, user, obj, key);
      if (!rel) throw new PlanError(`Field '${key}' in filter of type '${obj.name}' is undefined`);
      const inner = whereSoql(core, user, rel.target, value, `${prefix}${rel.name}.`, p);
      if (inner) parts.push(inner);
    }
  }
  return parts.length > 1
    ? parts.map((x) => (x.startsWith('(') ? x : `(${x})`)).join(' AND ')
    : (parts[0] ?? '');
}

/** ORDER BY items of an `orderBy` object (`{Name: {order: ASC, nulls: LAST}}`, nested for parents). */
export function orderBySoql(
  core: LocalOrgCore,
  user: UserContext,
  obj: OrgObject,
  orderBy: unknown,
  prefix = '',
  path = 'orderBy'
): string[] {
  if (orderBy === null || orderBy === undefined) return [];
  const items = Array.isArray(orderBy) ? orderBy : [orderBy];
  const out: string[] = [];
  for (const item of items) {
    if (item === null || typeof item !== 'object') throw new PlanError(`${path} needs an object`);
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const f = visibleField(user, obj, key);
      const spec = (value ?? {}) as Record<string, unknown>;
      if (f) {
        const order = spec.order === undefined ? 'ASC' : String(spec.order);
        if (order !== 'ASC' && order !== 'DESC')
          throw new PlanError(`${path}.${key}.order must be ASC or DESC`);
        const nulls =
          spec.nulls === undefined
            ? ''
            : spec.nulls === 'FIRST' || spec.nulls === 'LAST'
              ? ` NULLS ${String(spec.nulls)}`
              : undefined;
        if (nulls === undefined) throw new PlanError(`${path}.${key}.nulls must be FIRST or LAST`);
        out.push(`${prefix}${f.name} ${order}${nulls}`);
        continue;
      }
      const rel = parentRelationship(core, user, obj, key);
      if (!rel) throw new PlanError(`Field '${key}' in orderBy of type '${obj.name}' is undefined`);
      out.push(
        ...orderBySoql(core, user, rel.target, value, `${prefix}${rel.name}.`, `${path}.${key}`)
      );
    }
  }
  return out;
}
