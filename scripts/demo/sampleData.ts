import type { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Loads a `sf data import tree` plan (data/sample-data-plan.json) into an org
 * through the sObject Tree API, sending the requests the Salesforce CLI
 * sends: POST /composite/tree/{sobject} with at most 200 records each, in
 * plan order, `@referenceId` values replaced by the Ids of records created
 * earlier (in any file), records whose references are not created yet sent
 * after the others.
 */

/** The sObject Tree API's limit of records per request. */
export const TREE_LIMIT = 200;

export interface PlanStep {
  sobject: string;
  files: string[];
}

interface TreeRecord {
  attributes: { type: string; referenceId: string };
  [field: string]: unknown;
}

interface PlanPart {
  sobject: string;
  file: string;
  records: TreeRecord[];
}

export interface LoadSampleDataOptions {
  /** Objects of the plan to leave out. */
  skip?: string[];
  onProgress?: (progress: { sobject: string; file: string; created: number }) => void;
}

export interface LoadSampleDataResult {
  /** False when the org already held the sample data (nothing was sent). */
  loaded: boolean;
  /** Records created. */
  created: number;
  /** Tree requests sent. */
  requests: number;
  /** referenceId → record Id of what this call created. */
  refs: Map<string, string>;
}

export class SampleDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SampleDataError';
  }
}

/** Reads and checks a plan file; file paths come back absolute. */
export function readPlan(planPath: string): PlanStep[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(planPath, 'utf8'));
  } catch (err) {
    throw new SampleDataError(`${planPath}: cannot read the plan (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed)) {
    throw new SampleDataError(`${planPath}: a plan is an array of {sobject, files} steps`);
  }
  return parsed.map((step: unknown, i) => {
    const s = step as Partial<PlanStep>;
    if (
      typeof s?.sobject !== 'string' ||
      !Array.isArray(s.files) ||
      !s.files.every((f) => typeof f === 'string')
    ) {
      throw new SampleDataError(
        `${planPath}: step ${i + 1} needs "sobject" (a string) and "files" (an array of file names)`
      );
    }
    return {
      sobject: s.sobject,
      files: s.files.map((f) => path.resolve(path.dirname(planPath), f))
    };
  });
}

function readRecords(file: string, sobject: string): TreeRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SampleDataError(`${file}: cannot read the data file (${(err as Error).message})`);
  }
  const records = (parsed as { records?: unknown }).records;
  if (!Array.isArray(records)) throw new SampleDataError(`${file}: no "records" array`);
  records.forEach((r: unknown, i) => {
    const attrs = (r as Partial<TreeRecord>)?.attributes;
    if (!attrs || typeof attrs.referenceId !== 'string' || !attrs.referenceId) {
      throw new SampleDataError(`${file}: record ${i + 1} has no attributes.referenceId`);
    }
    if (attrs.type !== undefined && attrs.type !== sobject) {
      throw new SampleDataError(
        `${file}: record ${i + 1} (${attrs.referenceId}) is a ${attrs.type}, but the plan step is ${sobject}`
      );
    }
  });
  return records as TreeRecord[];
}

/** The referenceIds a value names: `@Ref` where Ref is a record of the plan. */
function refName(value: unknown, known: Set<string>): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('@')) return undefined;
  const name = value.slice(1);
  return known.has(name) ? name : undefined;
}

interface TreeResult {
  hasErrors: boolean;
  results: Array<{
    referenceId: string;
    id?: string;
    errors?: Array<{ statusCode?: string; message?: string; fields?: string[] }>;
  }>;
}

/** A tree API error body, from an object or its JSON text. */
function treeBody(value: unknown): TreeResult | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const body = parsed as Partial<TreeResult> | undefined;
  return body && Array.isArray(body.results) ? (body as TreeResult) : undefined;
}

async function sendTree(
  conn: Connection,
  part: PlanPart,
  records: TreeRecord[]
): Promise<TreeResult['results']> {
  let body: TreeResult;
  try {
    body = await conn.request<TreeResult>({
      method: 'POST',
      url: `/composite/tree/${part.sobject}`,
      body: JSON.stringify({ records }),
      headers: { 'content-type': 'application/json' }
    });
  } catch (err) {
    // A tree that fails answers 400 with {hasErrors, results}; jsforce puts that body in the message.
    const data = treeBody((err as { data?: unknown }).data) ?? treeBody((err as Error).message);
    if (data) body = { hasErrors: true, results: data.results };
    else throw new SampleDataError(`${part.file}: ${(err as Error).message}`);
  }
  if (body.hasErrors) {
    const failed = body.results
      .filter((r) => r.errors && r.errors.length)
      .map(
        (r) =>
          `record ${r.referenceId}: ${(r.errors ?? [])
            .map(
              (e) =>
                `${e.statusCode ?? 'ERROR'} ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`
            )
            .join('; ')}`
      );
    throw new SampleDataError(`${part.file}: ${failed.join('; ') || 'the tree request failed'}`);
  }
  return body.results;
}

/**
 * Sends every record of the plan. Values `@X`, where X is a referenceId of
 * the plan, become the Id of X; a record whose references are not all
 * created yet waits for the other records of its file and of the files
 * after it, as `sf data import tree` does.
 */
export async function importPlan(
  conn: Connection,
  planPath: string,
  options: LoadSampleDataOptions = {}
): Promise<Omit<LoadSampleDataResult, 'loaded'>> {
  const steps = readPlan(planPath).filter((s) => !options.skip?.includes(s.sobject));
  const parts: PlanPart[] = steps.flatMap((s) =>
    s.files.map((file) => ({ sobject: s.sobject, file, records: readRecords(file, s.sobject) }))
  );
  const known = new Set(parts.flatMap((p) => p.records.map((r) => r.attributes.referenceId)));
  const refs = new Map<string, string>();
  let created = 0;
  let requests = 0;
  let pending = parts;
  while (pending.length > 0) {
    const waiting: PlanPart[] = [];
    let progress = false;
    for (const part of pending) {
      const ready: TreeRecord[] = [];
      const later: TreeRecord[] = [];
      for (const record of part.records) {
        const out: TreeRecord = { ...record };
        let unresolved = false;
        for (const [field, value] of Object.entries(record)) {
          const ref = refName(value, known);
          if (ref === undefined) continue;
          const id = refs.get(ref);
          if (id === undefined) unresolved = true;
          else out[field] = id;
        }
        (unresolved ? later : ready).push(unresolved ? record : out);
      }
      for (let i = 0; i < ready.length; i += TREE_LIMIT) {
        const chunk = ready.slice(i, i + TREE_LIMIT);
        const results = await sendTree(conn, part, chunk);
        requests++;
        for (const r of results) if (r.id) refs.set(r.referenceId, r.id);
        created += results.length;
        progress = true;
        options.onProgress?.({
          sobject: part.sobject,
          file: part.file,
          created: results.length
        });
      }
      if (later.length) waiting.push({ ...part, records: later });
    }
    if (!progress && waiting.length) {
      const first = waiting[0] as PlanPart;
      const missing = first.records.flatMap((r) =>
        Object.entries(r)
          .filter(([, v]) => refName(v, known) !== undefined)
          .map(([field, v]) => `${r.attributes.referenceId}.${field} = ${String(v)}`)
      );
      throw new SampleDataError(
        `${first.file}: references that no record can resolve (a cycle): ${missing.join(', ')}`
      );
    }
    pending = waiting;
  }
  return { created, requests, refs };
}

/** SOQL string literal. */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The sample records already in the org, found by the Name of the records
 * of the plan's first file (the sample accounts): referenceId → Id.
 */
export async function findSampleRecords(
  conn: Connection,
  planPath: string
): Promise<{ sobject: string; expected: number; found: Map<string, string> }> {
  const first = readPlan(planPath)[0];
  const file = first?.files[0];
  if (!first || !file) throw new SampleDataError(`${planPath}: the plan has no files`);
  const records = readRecords(file, first.sobject).filter((r) => typeof r.Name === 'string');
  if (records.length === 0) {
    throw new SampleDataError(`${file}: the records need a Name to tell whether they are loaded`);
  }
  const soql = `SELECT Id, Name FROM ${first.sobject} WHERE Name IN (${records
    .map((r) => literal(r.Name as string))
    .join(', ')})`;
  const rows = (await conn.query<{ Id: string; Name: string }>(soql, { autoFetch: true })).records;
  const byName = new Map(rows.map((r) => [r.Name.toLowerCase(), r.Id]));
  const found = new Map<string, string>();
  for (const r of records) {
    const id = byName.get((r.Name as string).toLowerCase());
    if (id) found.set(r.attributes.referenceId, id);
  }
  return { sobject: first.sobject, expected: records.length, found };
}

/**
 * The sample data in the org, once: loads the plan when none of its first
 * file's records (the sample accounts) is there, does nothing when all are,
 * and refuses a half-loaded org (a load that stopped midway), naming it.
 */
export async function loadSampleData(
  conn: Connection,
  planPath: string,
  options: LoadSampleDataOptions = {}
): Promise<LoadSampleDataResult> {
  const present = await findSampleRecords(conn, planPath);
  if (present.found.size === present.expected) {
    return { loaded: false, created: 0, requests: 0, refs: present.found };
  }
  if (present.found.size > 0) {
    throw new SampleDataError(
      `The org holds ${present.found.size} of the ${present.expected} sample ${present.sobject} records of ${planPath}: an earlier load stopped midway. Start from an empty org (for the local org: stop it and remove its folder).`
    );
  }
  return { loaded: true, ...(await importPlan(conn, planPath, options)) };
}
