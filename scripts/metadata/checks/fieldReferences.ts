import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseQuery, type Query, type Subquery, type WhereClause } from 'soql-parser-js';
import ts from 'typescript';
import { findField, findObject, PATHS } from '../forceApp';
import type { ObjectDef, ProjectSchema } from '../types';
import { listFiles } from '../xml';
import { isFinding, rel, schemaOrFinding, type Finding } from './project';
import { metadataReferenceProblems } from './metadataReferences';
import { childObject, parentRelationship, resolveOn, resolvePath } from './resolve';

/**
 * Every field and custom label that the components, the TypeScript code or the metadata name
 * exists in force-app or in config/standard-objects.json: `@salesforce/schema/...` and
 * `@salesforce/label/c...` imports, `Object.Field` strings, fields of lwc GraphQL queries
 * (`gql`), SOQL in string and template literals, formulas, validation rules and custom
 * metadata records.
 * Strings are read from the syntax tree, and only shapes that can mean a field are checked,
 * so prose and file names that merely contain `__c` raise nothing.
 */
export function checkFieldReferences(root: string): Finding[] {
  const schema = schemaOrFinding(root);
  if (isFinding(schema)) return [schema];
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const report = (file: string, line: number, message: string): void => {
    const key = `${file}:${line}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ file, line, message });
  };
  for (const file of sourceFiles(root)) {
    scanFile(schema, root, file, report);
  }
  return [...metadataReferenceProblems(schema, root), ...findings];
}

/** Component code (not its tests) and TypeScript under scripts/ (not tests or fixtures). */
function sourceFiles(root: string): string[] {
  const lwc = listFiles(path.join(root, PATHS.packaged, 'lwc'), '.js').filter(
    (f) => !f.split(path.sep).includes('__tests__')
  );
  const scripts = listFiles(path.join(root, 'scripts'), '.ts').filter((f) => {
    const parts = rel(root, f).split('/');
    return (
      !f.endsWith('.test.ts') &&
      !f.endsWith('.d.ts') &&
      !parts.includes('fixtures') &&
      !parts.includes('.build')
    );
  });
  return [...lwc, ...scripts];
}

type Report = (file: string, line: number, message: string) => void;

function scanFile(schema: ProjectSchema, root: string, file: string, report: Report): void {
  const source = ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS
  );
  const shown = rel(root, file);
  const lineOf = (node: ts.Node): number =>
    source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      // Labels deploy with force-app; tooling outside it (the workbench) supplies its own.
      if (spec.startsWith('@salesforce/label/c.') && shown.startsWith('force-app/')) {
        const label = spec.slice('@salesforce/label/c.'.length);
        if (!schema.labels.some((l) => l.name === label)) {
          report(shown, lineOf(node), `imports ${spec}: no custom label ${label}`);
        }
      }
      if (spec.startsWith('@salesforce/schema/')) {
        const problem = resolvePath(schema, spec.slice('@salesforce/schema/'.length).split('.'));
        if (problem) report(shown, lineOf(node), `imports ${spec}: ${problem}`);
      }
      return;
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(source) === 'gql') {
      const query = templateText(node.template, '');
      for (const problem of graphqlProblems(schema, query)) {
        report(shown, lineOf(node), `GraphQL query: ${problem}`);
      }
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      checkLiteral(schema, node.text, false, (m) => report(shown, lineOf(node), m));
    } else if (ts.isTemplateExpression(node)) {
      checkLiteral(schema, templateText(node, '\u0000'), true, (m) =>
        report(shown, lineOf(node), m)
      );
      node.templateSpans.forEach((span) => visit(span.expression));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

/** A template's text with each `${...}` replaced by `hole`. */
function templateText(template: ts.TemplateLiteral, hole: string): string {
  if (ts.isNoSubstitutionTemplateLiteral(template)) return template.text;
  return template.head.text + template.templateSpans.map((s) => hole + s.literal.text).join('');
}

const FIELD_PATH = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Z][A-Za-z0-9_]*)+$/;
const SOQL = /^\s*SELECT\s[\s\S]*\sFROM\s/i;

function checkLiteral(
  schema: ProjectSchema,
  value: string,
  hasHoles: boolean,
  say: (message: string) => void
): void {
  if (SOQL.test(value)) {
    // A query whose object is computed cannot be checked here.
    if (/\bFROM\s+\u0000/i.test(value)) return;
    const query = parseSoql(value, hasHoles);
    if (query) {
      for (const problem of soqlProblems(schema, query)) say(`SOQL: ${problem}`);
    }
    return;
  }
  if (hasHoles || !FIELD_PATH.test(value)) return;
  const parts = value.split('.');
  const [objectName = ''] = parts;
  const customObject = /__(c|mdt)$/.test(objectName);
  const namesCustom = parts.slice(1).some((p) => /__[cr]$/.test(p));
  if (!customObject && !(namesCustom && findObject(schema, objectName))) return;
  const problem = resolvePath(schema, parts);
  if (problem) say(`names '${value}': ${problem}`);
}

/** Parses a query, trying fillers for the template's holes; undefined when it does not parse. */
function parseSoql(value: string, hasHoles: boolean): Query | undefined {
  const fillers = hasHoles ? ["'x'", '0', 'Id'] : [''];
  for (const filler of fillers) {
    try {
      return parseQuery(value.split('\u0000').join(filler));
    } catch {
      // try the next filler
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- SOQL

function soqlProblems(schema: ProjectSchema, query: Query): string[] {
  const name = query.sObject ?? '';
  const obj = findObject(schema, name);
  if (!obj) {
    // SQL for the embedded store (snake_case tables) reads like SOQL; Salesforce names do not
    // start in lower case.
    if (!/^[A-Z]/.test(name) && !/__(c|mdt)$/.test(name)) return [];
    return [`object ${name} is not in force-app or config/standard-objects.json`];
  }
  return queryProblems(schema, obj, query);
}

function queryProblems(schema: ProjectSchema, obj: ObjectDef, query: Query | Subquery): string[] {
  const problems: string[] = [];
  const alias = query.sObjectAlias?.toLowerCase();
  const check = (fieldPath: string): void => {
    const parts = fieldPath.split('.');
    if (alias && parts.length > 1 && parts[0]?.toLowerCase() === alias) parts.shift();
    const problem = resolveOn(schema, obj, parts);
    if (problem) problems.push(problem);
  };
  for (const field of query.fields ?? []) {
    switch (field.type) {
      case 'Field':
        check(field.field);
        break;
      case 'FieldRelationship':
        check([...field.relationships, field.field].join('.'));
        break;
      case 'FieldFunctionExpression':
        for (const p of field.parameters) {
          if (typeof p === 'string' && /^[A-Za-z][A-Za-z0-9_.]*$/.test(p)) check(p);
        }
        break;
      case 'FieldSubquery': {
        const child = childObject(schema, obj, field.subquery.relationshipName);
        if (child) problems.push(...queryProblems(schema, child, field.subquery));
        else if (field.subquery.relationshipName.endsWith('__r')) {
          problems.push(`${obj.name} has no child relationship ${field.subquery.relationshipName}`);
        }
        break;
      }
      default:
        break;
    }
  }
  const where = (clause: WhereClause | undefined): void => {
    if (!clause) return;
    const left = clause.left as Record<string, unknown> | null;
    if (left && typeof left.field === 'string') check(left.field);
    if (left && left.valueQuery) problems.push(...soqlProblems(schema, left.valueQuery as Query));
    if ('right' in clause) where(clause.right);
  };
  where(query.where);
  const clauses = (value: unknown): Record<string, unknown>[] =>
    value === undefined
      ? []
      : ((Array.isArray(value) ? value : [value]) as Record<string, unknown>[]);
  for (const c of [...clauses(query.orderBy), ...clauses(query.groupBy)]) {
    if (typeof c.field === 'string') check(c.field);
  }
  return problems;
}

// ---------------------------------------------------------------- GraphQL (UI API)

interface Selection {
  name: string;
  children?: Selection[];
}

/** Just enough of GraphQL to read the selections: names, nesting, arguments skipped. */
export function parseGraphqlSelections(source: string): Selection[] {
  const tokens =
    source
      .replace(/#[^\n]*/g, ' ')
      .match(
        /"""[\s\S]*?"""|"(?:\\.|[^"\\])*"|\.\.\.|[{}():!=@[\]$]|[_A-Za-z][_0-9A-Za-z]*|-?\d[\d.eE+-]*/g
      ) ?? [];
  let i = 0;
  const skipBalanced = (open: string, close: string): void => {
    let depth = 0;
    do {
      if (tokens[i] === open) depth++;
      else if (tokens[i] === close) depth--;
      i++;
    } while (depth > 0 && i < tokens.length);
  };
  const selectionSet = (): Selection[] => {
    const out: Selection[] = [];
    i++; // '{'
    while (i < tokens.length && tokens[i] !== '}') {
      const token = tokens[i] ?? '';
      if (token === '...') {
        i++;
        if (tokens[i] === 'on') i += 2;
        else i++;
        while (tokens[i] === '@') {
          i += 2;
          if (tokens[i] === '(') skipBalanced('(', ')');
        }
        if (tokens[i] === '{') out.push(...selectionSet());
        continue;
      }
      let name = token;
      i++;
      if (tokens[i] === ':') {
        name = tokens[i + 1] ?? '';
        i += 2;
      }
      if (tokens[i] === '(') skipBalanced('(', ')');
      while (tokens[i] === '@') {
        i += 2;
        if (tokens[i] === '(') skipBalanced('(', ')');
      }
      const selection: Selection = { name };
      if (tokens[i] === '{') selection.children = selectionSet();
      out.push(selection);
    }
    i++; // '}'
    return out;
  };
  const top: Selection[] = [];
  while (i < tokens.length) {
    if (tokens[i] === '{') top.push(...selectionSet());
    else if (tokens[i] === '(') skipBalanced('(', ')');
    else i++;
  }
  return top;
}

const VALUE_KEYS = new Set(['value', 'displayValue', 'label', 'format', '__typename']);

function graphqlProblems(schema: ProjectSchema, source: string): string[] {
  const problems: string[] = [];
  const child = (list: Selection[] | undefined, name: string): Selection | undefined =>
    list?.find((s) => s.name === name);
  const nodesOf = (s: Selection): Selection[] =>
    child(child(s.children, 'edges')?.children, 'node')?.children ?? [];

  const walk = (obj: ObjectDef, selections: Selection[]): void => {
    for (const s of selections) {
      if (!s.children) continue; // Id, ApiName, WeakEtag and other record scalars
      if (s.children.every((c) => VALUE_KEYS.has(c.name))) {
        if (!findField(obj, s.name)) problems.push(`${obj.name} has no field ${s.name}`);
      } else if (child(s.children, 'edges')) {
        const target = childObject(schema, obj, s.name);
        if (target) walk(target, nodesOf(s));
        // Standard child relationships (Contacts, Cases) are not in the schema.
        else if (s.name.endsWith('__r')) {
          problems.push(`${obj.name} has no child relationship ${s.name}`);
        }
      } else {
        const ref = parentRelationship(obj, s.name);
        if (!ref) {
          problems.push(`${obj.name} has no relationship ${s.name}`);
          continue;
        }
        const targets = ref.referenceTo ?? [];
        const target = targets.length === 1 ? findObject(schema, targets[0] ?? '') : undefined;
        if (target) walk(target, s.children);
      }
    }
  };

  for (const uiapi of parseGraphqlSelections(source).filter((s) => s.name === 'uiapi')) {
    for (const objectSelection of child(uiapi.children, 'query')?.children ?? []) {
      const obj = findObject(schema, objectSelection.name);
      if (!obj) {
        problems.push(
          `object ${objectSelection.name} is not in force-app or config/standard-objects.json`
        );
        continue;
      }
      walk(obj, nodesOf(objectSelection));
    }
  }
  return problems;
}
