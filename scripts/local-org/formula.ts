/**
 * Formula fields and validation rules, evaluated with formulon. formulon
 * parses the formula; the walk here evaluates IF, CASE, AND, OR and the
 * blank tests lazily (formulon evaluates every branch, so a guarded
 * `IF(ISBLANK(x), 0, x - 1)` would fail on the branch not taken) and hands
 * every other function, with its evaluated arguments, to formulon.
 */
import { ast, parse, type FormulonLiteral, type FormulonNode } from 'formulon';
import type { OrgField } from './schema';

export type FormulaValue = string | number | boolean | null;

const OPERATORS: Record<string, string> = {
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  exponentiate: '^',
  equal: '=',
  unequal: '<>',
  greaterThan: '>',
  greaterThanOrEqual: '>=',
  lessThan: '<',
  lessThanOrEqual: '<='
};

/** Functions whose result is blank when an argument is blank (blank-as-blank). */
const BLANK_PROPAGATING = new Set([...Object.keys(OPERATORS), 'abs', 'round', 'floor', 'ceiling']);

const NULL: FormulonLiteral = { type: 'literal', value: null, dataType: 'null', options: {} };

function isBlank(v: FormulonLiteral): boolean {
  return v.value === null || v.value === undefined || v.value === '';
}

export class FormulaError extends Error {}

/** Where a formula runs: on insert (ISNEW) or on update, with the values before it (PRIORVALUE, ISCHANGED). */
export interface FormulaEnv {
  isNew: boolean;
  prior?: (name: string) => FormulonLiteral | undefined;
}

type Values = (name: string) => FormulonLiteral | undefined;

export interface CompiledFormula {
  evaluate(values: Values, env?: FormulaEnv): FormulonLiteral;
}

export function compileFormula(text: string): CompiledFormula {
  const tree = ast(text);
  if (tree.type === 'error') throw new FormulaError(`${tree.message} in formula: ${text}`);
  return {
    evaluate: (values, env = { isNew: true }) => evalNode(tree, values, env)
  };
}

function sameValue(a: FormulonLiteral | undefined, b: FormulonLiteral | undefined): boolean {
  const norm = (v: unknown) =>
    v instanceof Date ? v.getTime() : Array.isArray(v) ? v.join(';') : v;
  return norm(a?.value ?? null) === norm(b?.value ?? null);
}

function evalNode(node: FormulonNode, values: Values, env: FormulaEnv): FormulonLiteral {
  switch (node.type) {
    case 'literal':
      return node;
    case 'error':
      throw new FormulaError(node.message);
    case 'identifier': {
      const v = values(node.name);
      if (!v) throw new FormulaError(`Field ${node.name} does not exist`);
      return v;
    }
    case 'callExpression':
      break;
  }
  const args = node.arguments;
  const ev = (n: FormulonNode) => evalNode(n, values, env);
  const fieldName = (n: FormulonNode | undefined) => {
    if (n?.type !== 'identifier') throw new FormulaError(`${node.id.toUpperCase()} needs a field`);
    return n.name;
  };
  switch (node.id) {
    case 'if': {
      const cond = ev(args[0]!);
      return cond.value === true ? ev(args[1]!) : ev(args[2]!);
    }
    case 'and': {
      for (const a of args) if (ev(a).value !== true) return bool(false);
      return bool(true);
    }
    case 'or': {
      for (const a of args) if (ev(a).value === true) return bool(true);
      return bool(false);
    }
    case 'not': {
      const v = ev(args[0]!);
      return bool(v.value !== true);
    }
    case 'isnew':
      return bool(env.isNew);
    case 'ischanged': {
      if (env.isNew) return bool(false);
      const name = fieldName(args[0]);
      return bool(!sameValue(values(name), env.prior?.(name)));
    }
    case 'priorvalue': {
      const name = fieldName(args[0]);
      return (env.isNew ? values(name) : env.prior?.(name)) ?? NULL;
    }
    case 'isblank':
    case 'isnull':
      return bool(isBlank(ev(args[0]!)));
    case 'blankvalue':
    case 'nullvalue': {
      const v = ev(args[0]!);
      return isBlank(v) ? ev(args[1]!) : v;
    }
    case 'case': {
      const subject = ev(args[0]!);
      let i = 1;
      for (; i + 1 < args.length; i += 2) {
        const candidate = ev(args[i]!);
        if (candidate.value === subject.value) return ev(args[i + 1]!);
      }
      return i < args.length ? ev(args[i]!) : NULL;
    }
    default:
      break;
  }
  const evaluated = args.map(ev);
  if (BLANK_PROPAGATING.has(node.id) && evaluated.some(isBlank)) return NULL;
  const fast = numeric(node.id, evaluated);
  if (fast) return fast;
  const names = evaluated.map((_, i) => `zz_arg${i}`);
  const op = OPERATORS[node.id];
  const text = op
    ? `${names[0]} ${op} ${names[1]}`
    : `${node.id.toUpperCase()}(${names.join(', ')})`;
  const vars: Record<string, FormulonLiteral> = {};
  evaluated.forEach((v, i) => (vars[names[i]!] = v));
  const result = parse(text, vars);
  if (result.type === 'error') throw new FormulaError(result.message);
  return result;
}

/**
 * Arithmetic and comparisons of two numbers, computed here: they are most of
 * what the project's formulas do, and handing each to formulon re-parses text.
 */
function numeric(id: string, args: FormulonLiteral[]): FormulonLiteral | undefined {
  const [a, b] = args;
  if (args.length !== 2 || a?.dataType !== 'number' || b?.dataType !== 'number') return undefined;
  const x = Number(a.value);
  const y = Number(b.value);
  const num = (value: number): FormulonLiteral => ({
    type: 'literal',
    value,
    dataType: 'number',
    options: {}
  });
  switch (id) {
    case 'add':
      return num(x + y);
    case 'subtract':
      return num(x - y);
    case 'multiply':
      return num(x * y);
    case 'divide':
      return y === 0 ? undefined : num(x / y);
    case 'equal':
      return bool(x === y);
    case 'unequal':
      return bool(x !== y);
    case 'greaterThan':
      return bool(x > y);
    case 'greaterThanOrEqual':
      return bool(x >= y);
    case 'lessThan':
      return bool(x < y);
    case 'lessThanOrEqual':
      return bool(x <= y);
    default:
      return undefined;
  }
}

function bool(value: boolean): FormulonLiteral {
  return { type: 'literal', value, dataType: 'checkbox', options: {} };
}

/** A stored field value as a formulon literal. */
export function toLiteral(f: OrgField, value: FormulaValue): FormulonLiteral {
  if (value === null || value === undefined) {
    return NULL;
  }
  switch (f.type) {
    case 'double':
    case 'currency':
    case 'percent':
      return {
        type: 'literal',
        value: Number(value),
        dataType: 'number',
        options: { length: (f.def.precision ?? 18) - (f.def.scale ?? 0), scale: f.def.scale ?? 0 }
      };
    case 'boolean':
      return bool(value === true || value === 1);
    case 'date':
      return {
        type: 'literal',
        value: new Date(`${String(value)}T00:00:00.000Z`),
        dataType: 'date',
        options: {}
      };
    case 'datetime':
      return { type: 'literal', value: new Date(String(value)), dataType: 'datetime', options: {} };
    case 'picklist':
      return { type: 'literal', value: String(value), dataType: 'picklist', options: {} };
    case 'multipicklist':
      return {
        type: 'literal',
        value: String(value).split(';'),
        dataType: 'multipicklist',
        options: {}
      };
    default:
      return {
        type: 'literal',
        value: String(value),
        dataType: 'text',
        options: { length: String(value).length }
      };
  }
}

/** A formula result as a storable value for the field's type. */
export function fromLiteral(f: OrgField, lit: FormulonLiteral): FormulaValue {
  if (lit.value === null || lit.value === undefined) return null;
  switch (f.type) {
    case 'double':
    case 'currency':
    case 'percent': {
      const n = Number(lit.value);
      if (!Number.isFinite(n)) return null;
      const scale = f.def.scale ?? 0;
      return Number(n.toFixed(scale));
    }
    case 'boolean':
      return lit.value === true;
    case 'date':
      return (lit.value instanceof Date ? lit.value.toISOString() : String(lit.value)).slice(0, 10);
    case 'datetime':
      return lit.value instanceof Date ? lit.value.toISOString() : String(lit.value);
    default:
      return String(lit.value);
  }
}
