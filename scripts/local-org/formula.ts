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
  const run = compileNode(tree);
  return {
    evaluate: (values, env = NEW) => run(values, env)
  };
}

const NEW: FormulaEnv = { isNew: true };

function sameValue(a: FormulonLiteral | undefined, b: FormulonLiteral | undefined): boolean {
  return normValue(a?.value ?? null) === normValue(b?.value ?? null);
}

function normValue(v: unknown): unknown {
  return v instanceof Date ? v.getTime() : Array.isArray(v) ? v.join(';') : v;
}

/** A compiled node: evaluates with the record's values and the environment. */
type Evaluator = (values: Values, env: FormulaEnv) => FormulonLiteral;

/**
 * Turns the tree into closures once, so evaluating a formula for a row
 * allocates only its results (rules run for every row a bulk job writes).
 * Errors in a node still surface only when that node is evaluated.
 */
function compileNode(node: FormulonNode): Evaluator {
  switch (node.type) {
    case 'literal':
      return () => node;
    case 'error': {
      const message = node.message;
      return () => {
        throw new FormulaError(message);
      };
    }
    case 'identifier': {
      const name = node.name;
      return (values) => {
        const v = values(name);
        if (!v) throw new FormulaError(`Field ${name} does not exist`);
        return v;
      };
    }
    case 'callExpression':
      return compileCall(node.id, node.arguments);
  }
}

/** The name of a field argument (ISCHANGED, PRIORVALUE), or an evaluator that fails as the call would. */
function fieldArg(id: string, n: FormulonNode | undefined): string | FormulaError {
  return n?.type === 'identifier' ? n.name : new FormulaError(`${id.toUpperCase()} needs a field`);
}

function compileCall(id: string, argNodes: FormulonNode[]): Evaluator {
  const args = argNodes.map(compileNode);
  const a0 = args[0];
  const a1 = args[1];
  const a2 = args[2];
  switch (id) {
    case 'if':
      return (values, env) =>
        a0!(values, env).value === true ? a1!(values, env) : a2!(values, env);
    case 'and':
      return (values, env) => {
        for (let i = 0; i < args.length; i++) {
          if (args[i]!(values, env).value !== true) return bool(false);
        }
        return bool(true);
      };
    case 'or':
      return (values, env) => {
        for (let i = 0; i < args.length; i++) {
          if (args[i]!(values, env).value === true) return bool(true);
        }
        return bool(false);
      };
    case 'not':
      return (values, env) => bool(a0!(values, env).value !== true);
    case 'isnew':
      return (_values, env) => bool(env.isNew);
    case 'ischanged': {
      const name = fieldArg(id, argNodes[0]);
      return (values, env) => {
        if (env.isNew) return bool(false);
        if (name instanceof FormulaError) throw name;
        return bool(!sameValue(values(name), env.prior?.(name)));
      };
    }
    case 'priorvalue': {
      const name = fieldArg(id, argNodes[0]);
      return (values, env) => {
        if (name instanceof FormulaError) throw name;
        return (env.isNew ? values(name) : env.prior?.(name)) ?? NULL;
      };
    }
    case 'isblank':
    case 'isnull':
      return (values, env) => bool(isBlank(a0!(values, env)));
    case 'blankvalue':
    case 'nullvalue':
      return (values, env) => {
        const v = a0!(values, env);
        return isBlank(v) ? a1!(values, env) : v;
      };
    case 'case':
      return (values, env) => {
        const subject = a0!(values, env);
        let i = 1;
        for (; i + 1 < args.length; i += 2) {
          const candidate = args[i]!(values, env);
          if (candidate.value === subject.value) return args[i + 1]!(values, env);
        }
        return i < args.length ? args[i]!(values, env) : NULL;
      };
    default:
      break;
  }
  const propagatesBlank = BLANK_PROPAGATING.has(id);
  const names = args.map((_, i) => `zz_arg${i}`);
  const op = OPERATORS[id];
  // The text formulon evaluates for any other function, with the evaluated arguments as variables.
  const text = op ? `${names[0]} ${op} ${names[1]}` : `${id.toUpperCase()}(${names.join(', ')})`;
  const numericOp = args.length === 2 ? NUMERIC.get(id) : undefined;
  return (values, env) => {
    const evaluated: FormulonLiteral[] = new Array(args.length);
    let blank = false;
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!(values, env);
      evaluated[i] = v;
      if (isBlank(v)) blank = true;
    }
    if (propagatesBlank && blank) return NULL;
    if (numericOp) {
      const a = evaluated[0]!;
      const b = evaluated[1]!;
      if (a.dataType === 'number' && b.dataType === 'number') {
        const fast = numericOp(Number(a.value), Number(b.value));
        if (fast) return fast;
      }
    }
    const vars: Record<string, FormulonLiteral> = {};
    for (let i = 0; i < evaluated.length; i++) vars[names[i]!] = evaluated[i]!;
    const result = parse(text, vars);
    if (result.type === 'error') throw new FormulaError(result.message);
    return result;
  };
}

/**
 * Arithmetic and comparisons of two numbers, computed here: they are most of
 * what the project's formulas do, and handing each to formulon re-parses text.
 * Undefined hands the call to formulon (division by zero is its error).
 */
const NUMERIC = new Map<string, (x: number, y: number) => FormulonLiteral | undefined>([
  ['add', (x, y) => num(x + y)],
  ['subtract', (x, y) => num(x - y)],
  ['multiply', (x, y) => num(x * y)],
  ['divide', (x, y) => (y === 0 ? undefined : num(x / y))],
  ['equal', (x, y) => bool(x === y)],
  ['unequal', (x, y) => bool(x !== y)],
  ['greaterThan', (x, y) => bool(x > y)],
  ['greaterThanOrEqual', (x, y) => bool(x >= y)],
  ['lessThan', (x, y) => bool(x < y)],
  ['lessThanOrEqual', (x, y) => bool(x <= y)]
]);

function num(value: number): FormulonLiteral {
  return { type: 'literal', value, dataType: 'number', options: {} };
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
