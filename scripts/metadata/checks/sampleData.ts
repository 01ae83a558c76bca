import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { findField, findObject } from '../forceApp';
import type { FieldDef, ObjectDef, ProjectSchema } from '../types';
import { isFinding, schemaOrFinding, type Finding } from './project';
import { childLink } from './resolve';

/** The sample data plan, as `sf data import tree --plan` reads it. */
export const SAMPLE_DATA_PLAN = 'data/sample-data-plan.json';

const planSchema = z.array(
  z.object({
    sobject: z.string().min(1),
    saveRefs: z.boolean().optional(),
    resolveRefs: z.boolean().optional(),
    files: z.array(z.string().min(1)).min(1)
  })
);

type Json = Record<string, unknown>;

const TEXT_TYPES = ['Text', 'TextArea', 'LongTextArea', 'Html', 'Email', 'Phone', 'Url'];
const NUMBER_TYPES = ['Number', 'Currency', 'Percent'];

/**
 * The sample data imports: every record's object and fields exist and may be written, values
 * fit their field (type, length, precision, restricted picklist values), required fields are
 * set, and every `@reference` points to a record saved earlier in the plan with a type the
 * lookup accepts. `sf data import tree` finds these one failed request at a time, in an org.
 */
export function checkSampleData(root: string): Finding[] {
  const planFile = path.join(root, SAMPLE_DATA_PLAN);
  if (!fs.existsSync(planFile)) return [];
  const schema = schemaOrFinding(root);
  if (isFinding(schema)) return [schema];
  const findings: Finding[] = [];
  const plan = readJson(planFile, SAMPLE_DATA_PLAN, findings);
  if (plan === undefined) return findings;
  const parsed = planSchema.safeParse(plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return [
      {
        file: SAMPLE_DATA_PLAN,
        message: `${issue?.path.join('.') || '(top level)'}: ${issue?.message ?? 'invalid'}`
      }
    ];
  }

  const saved = new Map<string, string>();
  const listed = new Set<string>();
  for (const [index, entry] of parsed.data.entries()) {
    for (const name of entry.files) listed.add(path.resolve(root, 'data', name));
    const obj = findObject(schema, entry.sobject);
    if (!obj) {
      findings.push({
        file: SAMPLE_DATA_PLAN,
        message: `step ${index + 1} imports ${entry.sobject}, which is not in the schema`
      });
      continue;
    }
    const pending = new Map<string, string>();
    for (const name of entry.files) {
      const shown = `data/${name}`;
      const doc = readJson(path.join(root, 'data', name), shown, findings);
      if (doc === undefined) continue;
      const records = (doc as Json | null)?.records;
      if (!Array.isArray(records)) {
        findings.push({ file: shown, message: 'expected {"records": [...]}' });
        continue;
      }
      const context: RecordContext = {
        schema,
        file: shown,
        findings,
        saved,
        pending,
        resolveRefs: entry.resolveRefs === true
      };
      records.forEach((record, i) => checkRecord(context, obj, record, `records[${i}]`));
    }
    if (entry.saveRefs) for (const [ref, type] of pending) saved.set(ref, type);
  }
  for (const file of fs.readdirSync(path.join(root, 'data'))) {
    const full = path.resolve(root, 'data', file);
    if (file.endsWith('.json') && full !== path.resolve(planFile) && !listed.has(full)) {
      findings.push({ file: `data/${file}`, message: 'not imported by the plan' });
    }
  }
  return findings;
}

interface RecordContext {
  schema: ProjectSchema;
  file: string;
  findings: Finding[];
  /** referenceId → object, from earlier plan steps that save their references. */
  saved: Map<string, string>;
  /** referenceIds of this step. */
  pending: Map<string, string>;
  resolveRefs: boolean;
}

function checkRecord(
  ctx: RecordContext,
  obj: ObjectDef,
  record: unknown,
  where: string,
  parentLink?: FieldDef
): void {
  const say = (message: string): void => {
    ctx.findings.push({ file: ctx.file, message: `${label}: ${message}` });
  };
  let label = where;
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    say('a record is a JSON object');
    return;
  }
  const fields = record as Json;
  const attributes = (fields.attributes ?? {}) as Json;
  const referenceId = typeof attributes.referenceId === 'string' ? attributes.referenceId : '';
  if (referenceId) label = `${where} (${referenceId})`;
  if (attributes.type !== obj.name) {
    say(`attributes.type is ${String(attributes.type)}, expected ${obj.name}`);
  }
  if (!referenceId) say('no attributes.referenceId');
  else if (ctx.saved.has(referenceId) || ctx.pending.has(referenceId)) {
    say(`referenceId ${referenceId} is used twice`);
  } else ctx.pending.set(referenceId, obj.name);

  for (const [key, value] of Object.entries(fields)) {
    if (key === 'attributes') continue;
    if (isChildRecords(value)) {
      const link = childLink(ctx.schema, obj, key);
      if (!link) {
        // Standard child relationships (Contacts) are not in the schema.
        if (key.endsWith('__r')) say(`${obj.name} has no child relationship ${key}`);
        continue;
      }
      const { child, field: parentField } = link;
      value.records.forEach((r, i) =>
        checkRecord(ctx, child, r, `${label}.${key}[${i}]`, parentField)
      );
      continue;
    }
    const field = findField(obj, key);
    if (!field) {
      say(`${obj.name} has no field ${key}`);
      continue;
    }
    if (field.system === true || field.createable === false) {
      say(`${obj.name}.${key} cannot be set on create`);
      continue;
    }
    const problem = valueProblem(ctx, field, value);
    if (problem) say(`${obj.name}.${key}: ${problem}`);
  }

  for (const field of obj.fields) {
    const required = field.required && field.createable !== false && field.system !== true;
    if (!required || field.defaultValue !== undefined || field === parentLink) continue;
    const value = Object.entries(fields).find(
      ([k]) => k.toLowerCase() === field.name.toLowerCase()
    )?.[1];
    if (value === undefined || value === null || value === '') {
      say(`${obj.name}.${field.name} is required`);
    }
  }
}

function isChildRecords(value: unknown): value is { records: unknown[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as { records?: unknown }).records)
  );
}

function valueProblem(ctx: RecordContext, field: FieldDef, value: unknown): string | undefined {
  if (value === null) return undefined;
  if (field.type === 'Lookup' || field.type === 'MasterDetail') {
    if (typeof value !== 'string') return 'a reference is a string';
    if (!value.startsWith('@')) return undefined;
    if (!ctx.resolveRefs) return `${value}: the plan step does not resolve references`;
    const target = ctx.saved.get(value.slice(1));
    if (!target) return `${value} is not a record saved earlier in the plan`;
    const accepted = field.referenceTo ?? [];
    if (!accepted.includes(target)) {
      return `${value} refers to ${target}; the field points to ${accepted.join(' or ')}`;
    }
    return undefined;
  }
  if (TEXT_TYPES.includes(field.type)) {
    if (typeof value !== 'string') return `expected text, got ${JSON.stringify(value)}`;
    if (field.length !== undefined && value.length > field.length) {
      return `${value.length} characters; the field holds ${field.length}`;
    }
    return undefined;
  }
  if (NUMBER_TYPES.includes(field.type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return `expected a number, got ${JSON.stringify(value)}`;
    }
    if (field.precision !== undefined) {
      const digits = Math.trunc(Math.abs(value)).toString().replace(/^0$/, '').length;
      const allowed = field.precision - (field.scale ?? 0);
      if (digits > allowed) return `${value} has more than ${allowed} digits before the point`;
    }
    return undefined;
  }
  if (field.type === 'Checkbox') {
    return typeof value === 'boolean'
      ? undefined
      : `expected true or false, got ${JSON.stringify(value)}`;
  }
  if (field.type === 'Date') {
    return typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(value) &&
      !isNaN(Date.parse(value))
      ? undefined
      : `expected a date YYYY-MM-DD, got ${JSON.stringify(value)}`;
  }
  if (field.type === 'DateTime') {
    return typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}T/.test(value) &&
      !isNaN(Date.parse(value))
      ? undefined
      : `expected an ISO 8601 date-time, got ${JSON.stringify(value)}`;
  }
  if ((field.type === 'Picklist' || field.type === 'MultiselectPicklist') && field.picklist) {
    if (typeof value !== 'string') return `expected a picklist value, got ${JSON.stringify(value)}`;
    if (!field.picklist.restricted) return undefined;
    const allowed = new Set(field.picklist.values.map((v) => v.value));
    const chosen = field.type === 'MultiselectPicklist' ? value.split(';') : [value];
    const unknown = chosen.filter((v) => !allowed.has(v));
    if (unknown.length > 0) {
      return `${unknown.map((v) => `"${v}"`).join(', ')} is not a value of this restricted picklist`;
    }
  }
  return undefined;
}

function readJson(file: string, shown: string, findings: Finding[]): unknown {
  if (!fs.existsSync(file)) {
    findings.push({ file: shown, message: 'missing' });
    return undefined;
  }
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    findings.push({ file: shown, message: `not JSON: ${(err as Error).message}` });
    return undefined;
  }
}
