import * as path from 'node:path';
import { findField, findObject, PATHS } from '../forceApp';
import type { ProjectSchema } from '../types';
import { listFiles, many, text } from '../xml';
import { readRawObjects, rel, tryRead, type Finding } from './project';
import { resolveOn } from './resolve';

/**
 * Custom fields and relationships named in a formula: dotted names with a segment ending in
 * `__c` or `__r`. Text in quotes and comments is not code; `$User.X__c` and other globals name
 * no field of the record.
 */
export function formulaFieldPaths(formula: string): string[] {
  const code = formula
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, ' ');
  const names = code.match(/\$?[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*/g) ?? [];
  return [
    ...new Set(
      names.filter((n) => !n.startsWith('$') && n.split('.').some((s) => /__[cr]$/i.test(s)))
    )
  ];
}

/**
 * Fields named inside the metadata itself: formula fields, validation rules (formula and
 * error field), and custom metadata records (their type and fields).
 */
export function metadataReferenceProblems(schema: ProjectSchema, root: string): Finding[] {
  const findings: Finding[] = [];
  for (const raw of readRawObjects(root)) {
    const obj = findObject(schema, raw.name === 'Activity' ? 'Task' : raw.name);
    if (!obj) continue;
    const check = (file: string, what: string, formula: string): void => {
      for (const name of formulaFieldPaths(formula)) {
        const problem = resolveOn(schema, obj, name.split('.'));
        if (problem) findings.push({ file, message: `${what} names ${name}: ${problem}` });
      }
    };
    for (const field of raw.fields) {
      const formula = text(field.xml, 'formula');
      if (formula) check(field.file, `the formula of ${raw.name}.${field.name}`, formula);
      const defaultValue = text(field.xml, 'defaultValue');
      if (defaultValue) check(field.file, `the default of ${raw.name}.${field.name}`, defaultValue);
    }
    const rulesDir = path.join(root, PATHS.packaged, 'objects', raw.name, 'validationRules');
    for (const file of listFiles(rulesDir, '.validationRule-meta.xml')) {
      const xml = tryRead(file, 'ValidationRule');
      if (!xml) continue;
      const shown = rel(root, file);
      const name = `${raw.name} validation rule ${path.basename(file, '.validationRule-meta.xml')}`;
      check(shown, name, text(xml, 'errorConditionFormula') ?? '');
      const display = text(xml, 'errorDisplayField');
      if (display && !findField(obj, display)) {
        findings.push({
          file: shown,
          message: `${name} shows its error on ${display}, which does not exist`
        });
      }
    }
  }
  for (const file of listFiles(path.join(root, PATHS.packaged, 'customMetadata'), '.md-meta.xml')) {
    const xml = tryRead(file, 'CustomMetadata');
    if (!xml) continue;
    const shown = rel(root, file);
    const typeName = `${path.basename(file).split('.')[0] ?? ''}__mdt`;
    const type = findObject(schema, typeName);
    if (!type) {
      findings.push({ file: shown, message: `a record of ${typeName}, which does not exist` });
      continue;
    }
    for (const value of many(xml.values)) {
      const field = text(value, 'field') ?? '';
      if (!findField(type, field)) {
        findings.push({ file: shown, message: `sets ${typeName}.${field}, which does not exist` });
      }
    }
  }
  return findings;
}
