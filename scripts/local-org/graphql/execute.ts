/**
 * The UI API GraphQL endpoint's query subset (reference §7.1), parsed with
 * the `graphql` package and run as SOQL through the local org's engine (so
 * object and field permissions and sharing hold as everywhere else):
 *
 *   query { uiapi { query { Object(where:, first:, after:, orderBy:, scope:) {
 *     edges { cursor node { Id Field { value displayValue label } Parent { ... }
 *     Children(first:) { edges { node { ... } } } } } totalCount pageInfo { ... } } }
 *     aggregate { Object(groupBy:, where:) { edges { node { aggregate { ... } } } totalCount } } } }
 *
 * Variables, operationName, aliases, fragments and @include/@skip are
 * supported. Unknown or invisible objects and fields are validation errors
 * in the form Salesforce's graphql-java reports them.
 */
import {
  GraphQLError,
  Kind,
  parse,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode
} from 'graphql';
import type { LocalOrgCore } from '../core';
import { SfError } from '../errors';
import type { UserContext } from '../permissions';
import type { ChildRelationship, OrgField, OrgObject } from '../schema';
import { uiValue } from '../uiapi/records';
import { PlanError, orderBySoql, parentRelationship, visibleField, whereSoql } from './filters';
import { executeMutation } from './mutations';

export const DEFAULT_FIRST = 10;
export const MAX_FIRST = 2000;

export interface GraphQLRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GqlError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphQLResponse {
  data: Record<string, unknown> | null;
  errors: GqlError[];
}

// ------------------------------------------------------------------ plans

type ValueItem = { key: string; what: 'value' | 'displayValue' | 'label' | 'format' | 'typename' };

export type NodeItem =
  | { kind: 'id'; key: string }
  | { kind: 'typename'; key: string; value: string }
  | { kind: 'field'; key: string; field: OrgField; items: ValueItem[] }
  | { kind: 'parent'; key: string; relName: string; plan: NodePlan }
  | { kind: 'child'; key: string; rel: ChildRelationship; conn: ConnPlan };

export interface NodePlan {
  obj: OrgObject;
  items: NodeItem[];
}

type PageItem = {
  key: string;
  what: 'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor' | 'typename';
};

type EdgeItem =
  | { kind: 'node'; key: string; plan: NodePlan }
  | { kind: 'cursor'; key: string }
  | { kind: 'typename'; key: string };

type ConnItem =
  | { kind: 'edges'; key: string; items: EdgeItem[] }
  | { kind: 'totalCount'; key: string }
  | { kind: 'pageInfo'; key: string; items: PageItem[] }
  | { kind: 'typename'; key: string };

interface ConnPlan {
  obj: OrgObject;
  where: string;
  orderBy: string[];
  first: number;
  offset: number;
  items: ConnItem[];
}

type AggValue = { key: string; fn: string; items: ValueItem[] };
type AggNodeItem =
  | { kind: 'group'; key: string; field: OrgField; alias: string; items: ValueItem[] }
  | { kind: 'agg'; key: string; field: OrgField; fns: AggValue[] };

interface AggPlan {
  obj: OrgObject;
  where: string;
  groupBy: { field: OrgField; alias: string }[];
  edgesKey?: string;
  nodeKey?: string;
  aggregateKey?: string;
  nodeItems: AggNodeItem[];
  totalCountKey?: string;
  first: number;
}

type UiapiItem =
  | { kind: 'query'; key: string; conns: { key: string; name: string; plan: ConnPlan }[] }
  | { kind: 'aggregate'; key: string; aggs: { key: string; plan: AggPlan }[] }
  | { kind: 'typename'; key: string; value: string };

// ------------------------------------------------------------------ planning

export class Planner {
  readonly errors: GqlError[] = [];

  constructor(
    readonly core: LocalOrgCore,
    readonly user: UserContext,
    readonly fragments: Map<string, FragmentDefinitionNode>,
    readonly variables: Record<string, unknown>
  ) {}

  /** Fields of a selection set, fragments expanded and @skip/@include applied. */
  fields(set: SelectionSetNode | undefined): FieldNode[] {
    const out: FieldNode[] = [];
    if (!set) return out;
    for (const sel of set.selections) {
      if (!this.included(sel.directives)) continue;
      if (sel.kind === Kind.FIELD) out.push(sel);
      else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...this.fields(sel.selectionSet));
      else {
        const frag = this.fragments.get(sel.name.value);
        if (!frag) throw new PlanError(`Undefined fragment ${sel.name.value}`);
        out.push(...this.fields(frag.selectionSet));
      }
    }
    return out;
  }

  private included(directives: FieldNode['directives']): boolean {
    for (const d of directives ?? []) {
      const arg = d.arguments?.find((a) => a.name.value === 'if');
      const value = arg ? valueFromASTUntyped(arg.value, this.variables) : undefined;
      if (d.name.value === 'skip' && value === true) return false;
      if (d.name.value === 'include' && value === false) return false;
    }
    return true;
  }

  args(node: FieldNode): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const a of node.arguments ?? []) out[a.name.value] = this.value(a.value);
    return out;
  }

  private value(v: ValueNode): unknown {
    if (v.kind === Kind.VARIABLE && !(v.name.value in this.variables)) return undefined;
    return valueFromASTUntyped(v, this.variables);
  }

  undefinedField(node: FieldNode, path: string[], typeName: string): void {
    const name = node.name.value;
    this.errors.push({
      message: `Validation error (FieldUndefined@[${[...path, name].join('/')}]) : Field '${name}' in type '${typeName}' is undefined`,
      locations: [loc(node)],
      extensions: { classification: 'ValidationError' }
    });
  }

  fail(node: FieldNode, message: string, classification = 'ValidationError'): void {
    this.errors.push({ message, locations: [loc(node)], extensions: { classification } });
  }

  uiapi(node: FieldNode, path: string[]): UiapiItem[] {
    const items: UiapiItem[] = [];
    for (const f of this.fields(node.selectionSet)) {
      const key = f.alias?.value ?? f.name.value;
      const p = [...path, f.name.value];
      if (f.name.value === '__typename') items.push({ kind: 'typename', key, value: 'UIAPI' });
      else if (f.name.value === 'query') {
        const conns: { key: string; name: string; plan: ConnPlan }[] = [];
        for (const o of this.fields(f.selectionSet)) {
          const oKey = o.alias?.value ?? o.name.value;
          if (o.name.value === '__typename') continue;
          const obj = this.object(o.name.value);
          if (!obj) {
            this.undefinedField(o, p, 'RecordQuery');
            continue;
          }
          const plan = this.connection(o, obj, [...p, o.name.value]);
          if (plan) conns.push({ key: oKey, name: o.name.value, plan });
        }
        items.push({ kind: 'query', key, conns });
      } else if (f.name.value === 'aggregate') {
        const aggs: { key: string; plan: AggPlan }[] = [];
        for (const o of this.fields(f.selectionSet)) {
          if (o.name.value === '__typename') continue;
          const obj = this.object(o.name.value);
          if (!obj) {
            this.undefinedField(o, p, 'RecordQueryAggregate');
            continue;
          }
          const plan = this.aggregate(o, obj, [...p, o.name.value]);
          if (plan) aggs.push({ key: o.alias?.value ?? o.name.value, plan });
        }
        items.push({ kind: 'aggregate', key, aggs });
      } else this.undefinedField(f, path, 'UIAPI');
    }
    return items;
  }

  private object(name: string): OrgObject | undefined {
    const obj = this.core.schema.get(name);
    if (!obj || obj.name !== name || !this.user.permissions.object(obj).read) return undefined;
    return obj;
  }

  private guard<T>(node: FieldNode, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof PlanError) {
        this.fail(node, err.message, err.classification);
        return undefined;
      }
      throw err;
    }
  }

  connection(
    node: FieldNode,
    obj: OrgObject,
    path: string[],
    fixedWhere?: string
  ): ConnPlan | undefined {
    const args = this.guard(node, () => this.connectionArgs(node, obj));
    if (!args) return undefined;
    const items: ConnItem[] = [];
    for (const f of this.fields(node.selectionSet)) {
      const key = f.alias?.value ?? f.name.value;
      const p = [...path, f.name.value];
      switch (f.name.value) {
        case '__typename':
          items.push({ kind: 'typename', key });
          break;
        case 'totalCount':
          items.push({ kind: 'totalCount', key });
          break;
        case 'pageInfo': {
          const pageItems: PageItem[] = [];
          for (const pf of this.fields(f.selectionSet)) {
            const what = pf.name.value === '__typename' ? 'typename' : pf.name.value;
            if (
              ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', 'typename'].includes(
                what
              )
            ) {
              pageItems.push({
                key: pf.alias?.value ?? pf.name.value,
                what: what as PageItem['what']
              });
            } else this.undefinedField(pf, p, 'PageInfo');
          }
          items.push({ kind: 'pageInfo', key, items: pageItems });
          break;
        }
        case 'edges': {
          const edgeItems: EdgeItem[] = [];
          for (const ef of this.fields(f.selectionSet)) {
            const eKey = ef.alias?.value ?? ef.name.value;
            if (ef.name.value === 'node') {
              edgeItems.push({
                kind: 'node',
                key: eKey,
                plan: this.node(ef.selectionSet, obj, [...p, 'node'])
              });
            } else if (ef.name.value === 'cursor') edgeItems.push({ kind: 'cursor', key: eKey });
            else if (ef.name.value === '__typename')
              edgeItems.push({ kind: 'typename', key: eKey });
            else this.undefinedField(ef, p, `${obj.name}Edge`);
          }
          items.push({ kind: 'edges', key, items: edgeItems });
          break;
        }
        default:
          this.undefinedField(f, path, `${obj.name}Connection`);
      }
    }
    const where = [fixedWhere, args.where]
      .filter(Boolean)
      .map((w) => `(${w!})`)
      .join(' AND ');
    return { obj, ...args, where, items };
  }

  private connectionArgs(node: FieldNode, obj: OrgObject) {
    const a = this.args(node);
    for (const k of Object.keys(a)) {
      if (!['where', 'first', 'after', 'orderBy', 'scope', 'upperBound'].includes(k)) {
        throw new PlanError(`Unknown argument '${k}' on field '${node.name.value}'`);
      }
    }
    const first = a.first === undefined || a.first === null ? DEFAULT_FIRST : Number(a.first);
    if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) {
      throw new PlanError(
        `first must be an integer from 0 to ${MAX_FIRST}, not ${String(a.first)}`
      );
    }
    let offset = 0;
    if (a.after !== undefined && a.after !== null) {
      const m = /^v1:(\d+)$/.exec(Buffer.from(String(a.after), 'base64').toString('utf8'));
      if (!m) throw new PlanError(`Invalid cursor: ${String(a.after)}`, 'ExecutionAborted');
      offset = Number(m[1]) + 1;
    }
    let where = whereSoql(this.core, this.user, obj, a.where);
    if (a.scope !== undefined && a.scope !== null && a.scope !== 'EVERYTHING') {
      if (a.scope !== 'MINE' || !obj.hasOwner) {
        throw new PlanError(`Unsupported scope ${String(a.scope)} for ${obj.name}`);
      }
      const mine = `OwnerId = '${this.user.userId}'`;
      where = where ? `(${where}) AND ${mine}` : mine;
    }
    const orderBy = orderBySoql(this.core, this.user, obj, a.orderBy);
    return { first, offset, where, orderBy };
  }

  node(set: SelectionSetNode | undefined, obj: OrgObject, path: string[]): NodePlan {
    const items: NodeItem[] = [];
    for (const f of this.fields(set)) {
      const name = f.name.value;
      const key = f.alias?.value ?? name;
      if (name === '__typename') {
        items.push({ kind: 'typename', key, value: obj.name });
        continue;
      }
      if (name === 'Id') {
        items.push({ kind: 'id', key });
        continue;
      }
      const field = visibleField(this.user, obj, name);
      if (field) {
        items.push({
          kind: 'field',
          key,
          field,
          items: this.valueItems(f, [...path, name], field)
        });
        continue;
      }
      const rel = parentRelationship(this.core, this.user, obj, name);
      if (rel) {
        items.push({
          kind: 'parent',
          key,
          relName: rel.name,
          plan: this.node(f.selectionSet, rel.target, [...path, name])
        });
        continue;
      }
      const child = obj.childMap.get(name.toLowerCase());
      const childObj = child ? this.core.schema.get(child.childObject) : undefined;
      if (
        child &&
        child.relationshipName === name &&
        childObj &&
        this.user.permissions.object(childObj).read
      ) {
        const conn = this.connection(f, childObj, [...path, name]);
        if (conn) items.push({ kind: 'child', key, rel: child, conn });
        continue;
      }
      this.undefinedField(f, path, obj.name);
    }
    return { obj, items };
  }

  valueItems(node: FieldNode, path: string[], field: OrgField): ValueItem[] {
    if (!node.selectionSet) {
      this.fail(
        node,
        `Validation error (SubselectionRequired@[${path.join('/')}]) : Sub selection required for type '${typeName(field)}' of field '${field.name}'`
      );
      return [];
    }
    const items: ValueItem[] = [];
    for (const v of this.fields(node.selectionSet)) {
      const what = v.name.value === '__typename' ? 'typename' : v.name.value;
      if (['value', 'displayValue', 'label', 'format', 'typename'].includes(what)) {
        items.push({ key: v.alias?.value ?? v.name.value, what: what as ValueItem['what'] });
      } else this.undefinedField(v, path, typeName(field));
    }
    return items;
  }

  aggregate(node: FieldNode, obj: OrgObject, path: string[]): AggPlan | undefined {
    const a = this.guard(node, () => {
      const args = this.args(node);
      const where = whereSoql(this.core, this.user, obj, args.where);
      const groupBy: { field: OrgField; alias: string }[] = [];
      const spec = args.groupBy as Record<string, unknown> | undefined;
      for (const [name, g] of Object.entries(spec ?? {})) {
        const f = visibleField(this.user, obj, name);
        if (!f)
          throw new PlanError(`Field '${name}' in groupBy of type '${obj.name}' is undefined`);
        if (g && typeof g === 'object' && 'function' in g) {
          throw new PlanError('Date functions in groupBy are not supported by the local org');
        }
        groupBy.push({ field: f, alias: `g${groupBy.length}` });
      }
      const first = args.first === undefined ? MAX_FIRST : Number(args.first);
      if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) {
        throw new PlanError(`first must be an integer from 0 to ${MAX_FIRST}`);
      }
      return { where, groupBy, first };
    });
    if (!a) return undefined;
    const plan: AggPlan = {
      obj,
      where: a.where,
      groupBy: a.groupBy,
      nodeItems: [],
      first: a.first
    };
    for (const f of this.fields(node.selectionSet)) {
      const key = f.alias?.value ?? f.name.value;
      if (f.name.value === 'totalCount') plan.totalCountKey = key;
      else if (f.name.value === 'edges') {
        plan.edgesKey = key;
        for (const nf of this.fields(f.selectionSet)) {
          if (nf.name.value !== 'node') {
            this.undefinedField(nf, [...path, 'edges'], `${obj.name}_AggregateEdge`);
            continue;
          }
          plan.nodeKey = nf.alias?.value ?? 'node';
          for (const af of this.fields(nf.selectionSet)) {
            if (af.name.value !== 'aggregate') {
              this.undefinedField(af, [...path, 'edges', 'node'], `${obj.name}_AggregateNode`);
              continue;
            }
            plan.aggregateKey = af.alias?.value ?? 'aggregate';
            const p = [...path, 'edges', 'node', 'aggregate'];
            for (const ff of this.fields(af.selectionSet)) {
              const field = visibleField(this.user, obj, ff.name.value);
              const fKey = ff.alias?.value ?? ff.name.value;
              if (!field) {
                this.undefinedField(ff, p, `${obj.name}_AggregateResult`);
                continue;
              }
              const group = plan.groupBy.find((g) => g.field === field);
              const fns: AggValue[] = [];
              const valueItems: ValueItem[] = [];
              for (const fn of this.fields(ff.selectionSet)) {
                const fnName = fn.name.value;
                if (['avg', 'count', 'countDistinct', 'min', 'max', 'sum'].includes(fnName)) {
                  fns.push({
                    key: fn.alias?.value ?? fnName,
                    fn: fnName,
                    items: this.valueItems(fn, [...p, ff.name.value, fnName], field)
                  });
                } else if (['value', 'displayValue', 'label', 'format'].includes(fnName) && group) {
                  valueItems.push({
                    key: fn.alias?.value ?? fnName,
                    what: fnName as ValueItem['what']
                  });
                } else
                  this.undefinedField(fn, [...p, ff.name.value], `${typeName(field)}Aggregate`);
              }
              if (valueItems.length && group) {
                plan.nodeItems.push({
                  kind: 'group',
                  key: fKey,
                  field,
                  alias: group.alias,
                  items: valueItems
                });
              }
              if (fns.length) plan.nodeItems.push({ kind: 'agg', key: fKey, field, fns });
            }
          }
        }
      } else if (f.name.value !== '__typename')
        this.undefinedField(f, path, `${obj.name}_AggregateConnection`);
    }
    return plan;
  }
}

function typeName(f: OrgField): string {
  switch (f.type) {
    case 'boolean':
      return 'BooleanValue';
    case 'double':
      return 'DoubleValue';
    case 'currency':
      return 'CurrencyValue';
    case 'percent':
      return 'PercentValue';
    case 'date':
      return 'DateValue';
    case 'datetime':
      return 'DateTimeValue';
    case 'picklist':
      return 'PicklistValue';
    case 'multipicklist':
      return 'MultiPicklistValue';
    case 'textarea':
      return f.def.type === 'LongTextArea' ? 'LongTextAreaValue' : 'TextAreaValue';
    case 'reference':
    case 'id':
      return 'IDValue';
    case 'email':
      return 'EmailValue';
    case 'phone':
      return 'PhoneNumberValue';
    case 'url':
      return 'UrlValue';
    default:
      return 'StringValue';
  }
}

export function loc(node: FieldNode): { line: number; column: number } {
  const l = node.loc;
  if (!l) return { line: 1, column: 1 };
  const before = l.source.body.slice(0, l.start);
  const lines = before.split('\n');
  return { line: lines.length, column: (lines[lines.length - 1]?.length ?? 0) + 1 };
}

// ------------------------------------------------------------------ execution

function cursor(position: number): string {
  return Buffer.from(`v1:${position}`).toString('base64');
}

export class Executor {
  constructor(
    readonly core: LocalOrgCore,
    readonly user: UserContext,
    readonly version: string
  ) {}

  private query(soql: string) {
    return this.core.query(this.user, soql, { version: this.version });
  }

  private selectList(plan: NodePlan, prefix: string, out: Set<string>): void {
    out.add(`${prefix}Id`);
    for (const item of plan.items) {
      if (item.kind === 'field') out.add(`${prefix}${item.field.name}`);
      else if (item.kind === 'parent') this.selectList(item.plan, `${prefix}${item.relName}.`, out);
    }
  }

  /** One record by Id in a node's shape (null when the user cannot see it). */
  record(plan: NodePlan, id: string): Record<string, unknown> | null {
    const select = new Set<string>(['Id']);
    this.selectList(plan, '', select);
    const rec = this.query(
      `SELECT ${[...select].join(', ')} FROM ${plan.obj.name} WHERE Id = '${id.replace(/'/g, '')}'`
    ).records[0];
    return rec ? this.node(plan, rec) : null;
  }

  private nodePlans(conn: ConnPlan): NodePlan[] {
    const plans: NodePlan[] = [];
    for (const item of conn.items) {
      if (item.kind === 'edges')
        for (const e of item.items) if (e.kind === 'node') plans.push(e.plan);
    }
    return plans;
  }

  connection(conn: ConnPlan, extraWhere?: string): Record<string, unknown> {
    const where = [extraWhere, conn.where]
      .filter(Boolean)
      .map((w) => `(${w!})`)
      .join(' AND ');
    const whereText = where ? ` WHERE ${where}` : '';
    const needsRows = conn.items.some((i) => i.kind === 'edges' || i.kind === 'pageInfo');
    let records: Record<string, unknown>[] = [];
    let hasNext = false;
    if (needsRows) {
      const select = new Set<string>(['Id']);
      for (const p of this.nodePlans(conn)) this.selectList(p, '', select);
      const order = [...conn.orderBy, 'Id ASC'].join(', ');
      const soql = `SELECT ${[...select].join(', ')} FROM ${conn.obj.name}${whereText} ORDER BY ${order} LIMIT ${conn.first + 1} OFFSET ${conn.offset}`;
      records = this.query(soql).records;
      hasNext = records.length > conn.first;
      records = records.slice(0, conn.first);
    }
    const out: Record<string, unknown> = {};
    for (const item of conn.items) {
      switch (item.kind) {
        case 'typename':
          out[item.key] = `${conn.obj.name}Connection`;
          break;
        case 'totalCount':
          out[item.key] = this.query(`SELECT COUNT() FROM ${conn.obj.name}${whereText}`).totalSize;
          break;
        case 'pageInfo': {
          const info: Record<string, unknown> = {};
          for (const p of item.items) {
            if (p.what === 'hasNextPage') info[p.key] = hasNext;
            else if (p.what === 'hasPreviousPage') info[p.key] = conn.offset > 0;
            else if (p.what === 'startCursor')
              info[p.key] = records.length ? cursor(conn.offset) : null;
            else if (p.what === 'endCursor') {
              info[p.key] = records.length ? cursor(conn.offset + records.length - 1) : null;
            } else info[p.key] = 'PageInfo';
          }
          out[item.key] = info;
          break;
        }
        case 'edges':
          out[item.key] = records.map((rec, i) => {
            const edge: Record<string, unknown> = {};
            for (const e of item.items) {
              if (e.kind === 'cursor') edge[e.key] = cursor(conn.offset + i);
              else if (e.kind === 'typename') edge[e.key] = `${conn.obj.name}Edge`;
              else edge[e.key] = this.node(e.plan, rec);
            }
            return edge;
          });
          break;
      }
    }
    return out;
  }

  node(plan: NodePlan, rec: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const item of plan.items) {
      switch (item.kind) {
        case 'id':
          out[item.key] = rec.Id ?? null;
          break;
        case 'typename':
          out[item.key] = item.value;
          break;
        case 'field':
          out[item.key] = fieldValue(item.field, rec[item.field.name], item.items);
          break;
        case 'parent': {
          const parent = rec[item.relName] as Record<string, unknown> | null | undefined;
          out[item.key] = parent ? this.node(item.plan, parent) : null;
          break;
        }
        case 'child':
          out[item.key] = this.connection(item.conn, `${item.rel.field} = '${String(rec.Id)}'`);
          break;
      }
    }
    return out;
  }

  aggregate(plan: AggPlan): Record<string, unknown> {
    const select: string[] = plan.groupBy.map((g) => `${g.field.name} ${g.alias}`);
    const aliases = new Map<AggValue, string>();
    for (const item of plan.nodeItems) {
      if (item.kind !== 'agg') continue;
      for (const fn of item.fns) {
        const alias = `a${aliases.size}`;
        aliases.set(fn, alias);
        const soqlFn = fn.fn === 'countDistinct' ? 'COUNT_DISTINCT' : fn.fn.toUpperCase();
        select.push(`${soqlFn}(${item.field.name}) ${alias}`);
      }
    }
    if (select.length === 0) select.push('COUNT(Id) a_count');
    const whereText = plan.where ? ` WHERE ${plan.where}` : '';
    const group = plan.groupBy.length
      ? ` GROUP BY ${plan.groupBy.map((g) => g.field.name).join(', ')}`
      : '';
    const result = this.query(
      `SELECT ${select.join(', ')} FROM ${plan.obj.name}${whereText}${group} LIMIT ${plan.first}`
    );
    const out: Record<string, unknown> = {};
    if (plan.edgesKey) {
      out[plan.edgesKey] = result.records.map((row) => {
        const agg: Record<string, unknown> = {};
        for (const item of plan.nodeItems) {
          if (item.kind === 'group') {
            agg[item.key] = fieldValue(item.field, row[item.alias], item.items);
          } else {
            const entry = (agg[item.key] ?? {}) as Record<string, unknown>;
            for (const fn of item.fns) {
              const raw = row[aliases.get(fn)!];
              const numeric = ['count', 'countDistinct', 'sum', 'avg'].includes(fn.fn);
              entry[fn.key] = numeric
                ? pick(
                    {
                      value: raw ?? null,
                      displayValue: raw === null || raw === undefined ? null : String(raw),
                      label: item.field.label,
                      format: null
                    },
                    fn.items
                  )
                : fieldValue(item.field, raw, fn.items);
            }
            agg[item.key] = entry;
          }
        }
        return { [plan.nodeKey ?? 'node']: { [plan.aggregateKey ?? 'aggregate']: agg } };
      });
    }
    if (plan.totalCountKey) out[plan.totalCountKey] = result.records.length;
    return out;
  }
}

function pick(v: Record<string, unknown>, items: ValueItem[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const i of items) out[i.key] = i.what === 'typename' ? 'AggregateValue' : v[i.what];
  return out;
}

function fieldValue(f: OrgField, raw: unknown, items: ValueItem[]): Record<string, unknown> {
  const { value, displayValue } = uiValue(f, raw);
  const out: Record<string, unknown> = {};
  for (const i of items) {
    if (i.what === 'value') out[i.key] = value;
    else if (i.what === 'displayValue') out[i.key] = displayValue;
    else if (i.what === 'label') out[i.key] = f.label;
    else if (i.what === 'format') out[i.key] = null;
    else out[i.key] = typeName(f);
  }
  return out;
}

// ------------------------------------------------------------------ entry

function selectOperation(doc: DocumentNode, operationName: unknown): OperationDefinitionNode {
  const ops = doc.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION
  );
  if (typeof operationName === 'string' && operationName !== '') {
    const op = ops.find((o) => o.name?.value === operationName);
    if (!op) throw new PlanError(`Unknown operation named '${operationName}'.`, 'ValidationError');
    return op;
  }
  if (ops.length !== 1) {
    throw new PlanError(
      ops.length === 0
        ? 'The document has no operation.'
        : 'Must provide operation name if query contains multiple operations.'
    );
  }
  return ops[0]!;
}

function variablesOf(op: OperationDefinitionNode, given: unknown): Record<string, unknown> {
  const supplied =
    given && typeof given === 'object' && !Array.isArray(given)
      ? (given as Record<string, unknown>)
      : {};
  const out: Record<string, unknown> = {};
  for (const def of op.variableDefinitions ?? []) {
    const name = def.variable.name.value;
    if (name in supplied) out[name] = supplied[name];
    else if (def.defaultValue) out[name] = valueFromASTUntyped(def.defaultValue, {});
    else if (def.type.kind === Kind.NON_NULL_TYPE) {
      throw new PlanError(
        `Variable '${name}' has an invalid value: null. Expected a non-null value.`,
        'ValidationError'
      );
    } else out[name] = null;
  }
  return out;
}

export function executeGraphQL(
  core: LocalOrgCore,
  user: UserContext,
  request: GraphQLRequest,
  version: string
): GraphQLResponse {
  if (typeof request.query !== 'string' || request.query.trim() === '') {
    return {
      data: null,
      errors: [
        { message: 'A query is required', extensions: { classification: 'ValidationError' } }
      ]
    };
  }
  let doc: DocumentNode;
  try {
    doc = parse(request.query);
  } catch (err) {
    const e = err as GraphQLError;
    return {
      data: null,
      errors: [
        {
          message: `Invalid Syntax : ${e.message.replace(/^Syntax Error: /, '')}`,
          ...(e.locations ? { locations: [...e.locations] } : {}),
          extensions: { classification: 'InvalidSyntax' }
        }
      ]
    };
  }
  let op: OperationDefinitionNode;
  let variables: Record<string, unknown>;
  try {
    op = selectOperation(doc, request.operationName);
    variables = variablesOf(op, request.variables);
  } catch (err) {
    if (!(err instanceof PlanError)) throw err;
    return {
      data: null,
      errors: [{ message: err.message, extensions: { classification: err.classification } }]
    };
  }
  if (op.operation === 'subscription') {
    return {
      data: null,
      errors: [
        {
          message: 'The local org serves queries and mutations, not subscriptions',
          extensions: { classification: 'OperationNotSupported' }
        }
      ]
    };
  }
  const fragments = new Map(
    doc.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d])
  );
  const planner = new Planner(core, user, fragments, variables);
  if (op.operation === 'mutation') return executeMutation(core, user, planner, op, version);
  const top: { key: string; items: UiapiItem[] | 'typename' }[] = [];
  try {
    for (const f of planner.fields(op.selectionSet)) {
      const key = f.alias?.value ?? f.name.value;
      if (f.name.value === 'uiapi') top.push({ key, items: planner.uiapi(f, ['uiapi']) });
      else if (f.name.value === '__typename') top.push({ key, items: 'typename' });
      else planner.undefinedField(f, [], 'Query');
    }
  } catch (err) {
    if (!(err instanceof PlanError)) throw err;
    planner.errors.push({
      message: err.message,
      extensions: { classification: err.classification }
    });
  }
  if (planner.errors.length > 0) return { data: null, errors: planner.errors };

  const exec = new Executor(core, user, version);
  const errors: GqlError[] = [];
  const data: Record<string, unknown> = {};
  for (const t of top) {
    if (t.items === 'typename') {
      data[t.key] = 'Query';
      continue;
    }
    const uiapi: Record<string, unknown> = {};
    for (const item of t.items) {
      if (item.kind === 'typename') uiapi[item.key] = item.value;
      else if (item.kind === 'query') {
        const q: Record<string, unknown> = {};
        for (const c of item.conns) {
          try {
            q[c.key] = exec.connection(c.plan);
          } catch (err) {
            q[c.key] = null;
            errors.push({
              message: err instanceof SfError ? err.message : 'An unexpected error occurred',
              path: [t.key, item.key, c.key],
              extensions: {
                classification: 'DataFetchingException',
                ...(err instanceof SfError ? { errorCode: err.errorCode } : {})
              }
            });
          }
        }
        uiapi[item.key] = q;
      } else {
        const q: Record<string, unknown> = {};
        for (const a of item.aggs) {
          try {
            q[a.key] = exec.aggregate(a.plan);
          } catch (err) {
            q[a.key] = null;
            errors.push({
              message: err instanceof SfError ? err.message : 'An unexpected error occurred',
              path: [t.key, item.key, a.key],
              extensions: { classification: 'DataFetchingException' }
            });
          }
        }
        uiapi[item.key] = q;
      }
    }
    data[t.key] = uiapi;
  }
  return { data, errors };
}
