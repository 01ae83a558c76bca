/**
 * Bulk API 2.0 ingest jobs (reference §4.1): create, upload CSV, close or
 * abort, then processing in the background in chunks, each chunk one SQLite
 * transaction through the record layer (so validation, permissions and
 * sharing hold per row as on REST). Result files echo the uploaded header
 * and values after the quoted sf__ columns.
 */
import { parse } from 'csv-parse';
import { SfError } from '../errors';
import type { ApiRequest } from '../http/router';
import type { LocalOrgCore } from '../core';
import { toSfError, type DmlOperation, type RecordInput } from '../records';
import { field, type OrgObject } from '../schema';
import {
  DELIMITERS,
  columnDelimiter,
  eol,
  isPlainCsv,
  lineEnding,
  plainRecords,
  quote,
  quotedLine
} from './csv';
import { invalidJob, jobDate, touch, yieldToServer, type BulkJobs, type JobBase } from './jobs';

export const OPERATIONS: readonly DmlOperation[] = [
  'insert',
  'update',
  'upsert',
  'delete',
  'hardDelete'
];

/** Rows per transaction: large enough to amortise the commit, small enough to keep the server responsive. */
export const CHUNK_ROWS = 2000;

export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: DmlOperation;
  externalIdFieldName?: string;
  uploads: Buffer[];
  numberRecordsFailed: number;
  apiActiveProcessingTime: number;
  /** The header as uploaded (echoed in result files). */
  header?: string;
  successful: string[];
  failed: string[];
  unprocessed: string[];
  abortRequested: boolean;
}

export function createIngestJob(
  req: ApiRequest,
  jobs: BulkJobs,
  body: Record<string, unknown>
): IngestJob {
  const operation = body.operation;
  if (typeof operation !== 'string' || !OPERATIONS.includes(operation as DmlOperation)) {
    throw invalidJob(
      `Invalid operation: ${String(operation)}. Use one of ${OPERATIONS.join(', ')}`
    );
  }
  const objectName = body.object;
  const obj = typeof objectName === 'string' ? req.core.schema.get(objectName) : undefined;
  if (!obj || !req.user.permissions.object(obj).read) {
    throw invalidJob(`Unable to find object: ${String(objectName)}`);
  }
  if (body.contentType !== undefined && body.contentType !== 'CSV') {
    throw invalidJob(`Invalid contentType: ${String(body.contentType)}. Only CSV is supported`);
  }
  if (operation === 'hardDelete' && !req.user.permissions.hasUserPermission('BulkApiHardDelete')) {
    throw new SfError(
      'FEATURENOTENABLED',
      'hardDelete operation requires special user profile permission, please contact your system administrator',
      undefined,
      400
    );
  }
  let externalIdFieldName: string | undefined;
  if (operation === 'upsert') {
    const name = body.externalIdFieldName;
    const ext = typeof name === 'string' ? field(obj, name) : undefined;
    if (
      !ext ||
      !(ext.externalId || ext.name === 'Id') ||
      !req.user.permissions.canReadField(obj, ext)
    ) {
      throw invalidJob(
        typeof name === 'string'
          ? `Field name provided, ${name} is not an External ID or indexed field for ${obj.name}`
          : 'externalIdFieldName is required for the upsert operation'
      );
    }
    externalIdFieldName = ext.name;
  }
  const now = jobDate(new Date());
  const job: IngestJob = {
    kind: 'ingest',
    id: jobs.newId(),
    operation: operation as DmlOperation,
    object: obj.name,
    ...(externalIdFieldName ? { externalIdFieldName } : {}),
    createdById: req.user.userId,
    createdDate: now,
    systemModstamp: now,
    state: 'Open',
    apiVersion: req.version,
    lineEnding: lineEnding(body.lineEnding),
    columnDelimiter: columnDelimiter(body.columnDelimiter),
    user: req.user,
    uploads: [],
    numberRecordsProcessed: 0,
    numberRecordsFailed: 0,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    successful: [],
    failed: [],
    unprocessed: [],
    abortRequested: false
  };
  jobs.ingest.set(job.id, job);
  jobs.store.save(job);
  return job;
}

/** JobInfo: `full` adds the counters and jobType polled job info carries. */
export function ingestInfo(job: IngestJob, full: boolean): Record<string, unknown> {
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    ...(full ? { jobType: 'V2Ingest' } : {}),
    contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter
  };
  if (full) {
    Object.assign(info, {
      numberRecordsProcessed: job.numberRecordsProcessed,
      numberRecordsFailed: job.numberRecordsFailed,
      retries: job.retries,
      totalProcessingTime: job.totalProcessingTime,
      apiActiveProcessingTime: job.apiActiveProcessingTime,
      apexProcessingTime: 0,
      ...(job.errorMessage ? { errorMessage: job.errorMessage } : {})
    });
  }
  return info;
}

function headerLine(buf: Buffer): string {
  let end = buf.indexOf(0x0a);
  if (end < 0) end = buf.length;
  let line = buf.subarray(0, end).toString('utf8');
  if (line.endsWith('\r')) line = line.slice(0, -1);
  return line.replace(/^\uFEFF/, '');
}

/** csv-parse's errors name the line and the problem (`Invalid Closing Quote ... at line 3`). */
function isCsvError(err: unknown): err is Error {
  return err instanceof Error && String((err as { code?: unknown }).code ?? '').startsWith('CSV_');
}

/** The data lines of an upload as sent (unprocessedrecords echoes them). */
function dataLines(buf: Buffer): string[] {
  return buf
    .toString('utf8')
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l !== '');
}

/** What a CSV column means for the job's object; undefined when the org would not know it. */
type Column = { kind: 'id' } | { kind: 'field'; name: string } | { kind: 'ignored' };

function columnsFor(job: IngestJob, obj: OrgObject, header: string[]): Column[] {
  const deleting = job.operation === 'delete' || job.operation === 'hardDelete';
  const cols = header.map((raw): Column | undefined => {
    const name = raw.trim();
    if (name.toLowerCase() === 'id') return { kind: 'id' };
    if (deleting) return { kind: 'ignored' };
    const dot = name.indexOf('.');
    if (dot > 0) {
      const rel = obj.parentRelationships.get(name.slice(0, dot).toLowerCase());
      return rel && !rel.system && job.user.permissions.canReadField(obj, rel)
        ? { kind: 'field', name }
        : undefined;
    }
    const f = field(obj, name);
    return f && f.storage !== 'none' && job.user.permissions.canReadField(obj, f)
      ? { kind: 'field', name: f.name }
      : undefined;
  });
  const unknown = cols.findIndex((c) => c === undefined);
  if (unknown >= 0) {
    throw new Error(`InvalidBatch : Field name not found : ${header[unknown]?.trim() ?? ''}`);
  }
  if ((deleting || job.operation === 'update') && !cols.some((c) => c?.kind === 'id')) {
    throw new Error(
      deleting
        ? `InvalidBatch : The '${job.operation}' batch must contain only ids`
        : 'InvalidBatch : Field name not found : Id'
    );
  }
  return cols as Column[];
}

/** The `CODE:message:fields --` form of failedResults. */
function errorText(err: SfError): string {
  const fields = err.fields ?? [];
  return `${err.errorCode}:${err.message}:${fields.length ? `${fields.join(',')} ` : ''}--`;
}

const CSV = { csv: true } as const;

interface RowOutcome {
  id: string;
  created: boolean;
}

function runRow(
  job: IngestJob,
  core: LocalOrgCore,
  obj: OrgObject,
  cols: Column[],
  values: string[]
): RowOutcome {
  const records = core.records;
  const input: RecordInput = {};
  let id = '';
  // A plain loop: this runs for every row, and closures cost under tsx (keepNames).
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i]!;
    const v = values[i] ?? '';
    if (c.kind === 'id') id = v.trim();
    // An empty value leaves the field alone; #N/A sets it to null.
    else if (c.kind === 'field' && v !== '') input[c.name] = v === '#N/A' ? null : v;
  }
  const opts = CSV;
  switch (job.operation) {
    case 'insert':
      if (id) throw new SfError('INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
      return { id: records.create(job.user, obj.name, input, opts), created: true };
    case 'update':
      if (!id) throw new SfError('MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);
      return { id: records.update(job.user, obj.name, id, input, opts), created: false };
    case 'upsert': {
      if (id) input.Id = id;
      try {
        return records.upsert(
          job.user,
          obj.name,
          job.externalIdFieldName ?? 'Id',
          undefined,
          input,
          opts
        );
      } catch (err) {
        if (err instanceof SfError && err.errorCode === 'MULTIPLE_CHOICES') {
          const key = job.externalIdFieldName ?? 'Id';
          const value = Object.entries(input).find(
            ([k]) => k.toLowerCase() === key.toLowerCase()
          )?.[1];
          throw new SfError(
            'DUPLICATE_EXTERNAL_ID',
            `Duplicate external id specified: ${String(value)}`,
            [key]
          );
        }
        throw err;
      }
    }
    case 'delete':
      if (!id) throw new SfError('MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id']);
      return { id: records.delete(job.user, id, obj.name), created: false };
    case 'hardDelete':
      if (!id) throw new SfError('MISSING_ARGUMENT', 'Id not specified in a delete call', ['Id']);
      return { id: records.hardDelete(job.user, id, obj.name), created: false };
  }
}

/** One chunk in one transaction: the rows, their result lines and the job's counters. */
function runChunk(
  job: IngestJob,
  core: LocalOrgCore,
  jobs: BulkJobs,
  obj: OrgObject,
  cols: Column[],
  rows: string[][]
): void {
  const started = Date.now();
  const delimiter = DELIMITERS[job.columnDelimiter];
  const idIndex = cols.findIndex((c) => c.kind === 'id');
  const successful: string[] = [];
  const failed: string[] = [];
  core.records.transaction(() => {
    const first = job.numberRecordsProcessed + 1;
    const out = core.records.batch(rows, false, (values, i) => {
      if (values.length !== cols.length) {
        throw new SfError(
          'INVALID_FIELD',
          `Data row ${first + i} has ${values.length} values but the header names ${cols.length} columns`,
          []
        );
      }
      return runRow(job, core, obj, cols, values);
    });
    out.forEach((r, i) => {
      const values = rows[i]!;
      const echoed = quotedLine(values, delimiter);
      if (r.ok) {
        successful.push(
          `${quote(r.value.id)}${delimiter}${quote(String(r.value.created))}${delimiter}${echoed}`
        );
      } else {
        const given = idIndex >= 0 ? (values[idIndex] ?? '').trim() : '';
        const id = job.operation === 'insert' || job.operation === 'upsert' ? '' : given;
        failed.push(
          `${quote(id)}${delimiter}${quote(errorText(toSfError(r.error)))}${delimiter}${echoed}`
        );
      }
    });
    job.numberRecordsProcessed += rows.length;
    job.numberRecordsFailed += failed.length;
    job.apiActiveProcessingTime += Date.now() - started;
    touch(job);
    jobs.store.appendResults(job, { successful, failed });
  });
  job.successful.push(...successful);
  job.failed.push(...failed);
}

/** Marks rows as unprocessed (an aborted or failed job). */
function leaveUnprocessed(job: IngestJob, jobs: BulkJobs, lines: string[]): void {
  job.unprocessed.push(...lines);
  jobs.store.appendResults(job, { unprocessed: lines });
}

/**
 * Processes an UploadComplete job in the background; after a restart, an
 * InProgress job continues after the rows it had already committed.
 */
export async function processIngestJob(
  job: IngestJob,
  core: LocalOrgCore,
  jobs: BulkJobs
): Promise<void> {
  const started = Date.now() - job.totalProcessingTime;
  const obj = core.schema.get(job.object)!;
  const delimiter = DELIMITERS[job.columnDelimiter];
  await yieldToServer();
  if (!core.storage.db.open) return;
  if (job.abortRequested) {
    job.state = 'Aborted';
    touch(job);
    leaveUnprocessed(
      job,
      jobs,
      job.uploads.flatMap((u) => dataLines(u))
    );
    return;
  }
  job.state = 'InProgress';
  touch(job);
  jobs.store.save(job);
  let skip = job.numberRecordsProcessed;
  try {
    let cols: Column[] | undefined;
    for (const upload of job.uploads) {
      let header: string[] | undefined;
      let chunk: string[][] = [];
      const records: AsyncIterable<string[]> | Iterable<string[]> = isPlainCsv(upload)
        ? plainRecords(upload, delimiter)
        : parse(upload, {
            delimiter,
            bom: true,
            relax_column_count: true,
            skip_empty_lines: true
          });
      for await (const record of records) {
        if (!header) {
          header = record;
          job.header ??= headerLine(upload);
          cols ??= columnsFor(job, obj, header);
          continue;
        }
        if (skip > 0) {
          skip--;
          continue;
        }
        // The org was stopped: the job carries on from its last chunk at the next start.
        if (!core.storage.db.open) return;
        chunk.push(record);
        if (chunk.length >= CHUNK_ROWS || job.abortRequested) {
          if (job.abortRequested) {
            leaveUnprocessed(
              job,
              jobs,
              chunk.map((r) => quotedLine(r, delimiter))
            );
          } else runChunk(job, core, jobs, obj, cols!, chunk);
          chunk = [];
          await yieldToServer();
        }
      }
      if (chunk.length > 0 && cols) {
        if (job.abortRequested) {
          leaveUnprocessed(
            job,
            jobs,
            chunk.map((r) => quotedLine(r, delimiter))
          );
        } else runChunk(job, core, jobs, obj, cols, chunk);
      }
    }
    if (job.abortRequested) job.state = 'Aborted';
    else if (!cols) {
      job.state = 'Failed';
      job.errorMessage = 'InvalidBatch : No data was uploaded for this job';
    } else job.state = 'JobComplete';
  } catch (err) {
    if (!core.storage.db.open) return;
    job.state = 'Failed';
    job.errorMessage =
      err instanceof Error && err.message.startsWith('InvalidBatch')
        ? err.message
        : `InvalidBatch : ${err instanceof SfError || isCsvError(err) ? err.message : 'the CSV data could not be read'}`;
    // Rows never reached stay in unprocessedrecords.
    if (job.numberRecordsProcessed === 0) {
      leaveUnprocessed(
        job,
        jobs,
        job.uploads.flatMap((u) => dataLines(u))
      );
    }
  }
  job.totalProcessingTime = Date.now() - started;
  touch(job);
  if (core.storage.db.open) jobs.store.save(job);
}

/** A result file: the sf__ columns (quoted), the header as uploaded, the rows. */
export function resultCsv(job: IngestJob, kind: 'successful' | 'failed' | 'unprocessed'): string {
  const d = DELIMITERS[job.columnDelimiter];
  const nl = eol(job.lineEnding);
  const header = job.header ?? (job.uploads[0] ? headerLine(job.uploads[0]) : '');
  const lines =
    kind === 'successful'
      ? [`${quote('sf__Id')}${d}${quote('sf__Created')}${d}${header}`, ...job.successful]
      : kind === 'failed'
        ? [`${quote('sf__Id')}${d}${quote('sf__Error')}${d}${header}`, ...job.failed]
        : [header, ...job.unprocessed];
  if (!header && kind === 'unprocessed') return '';
  return lines.join(nl) + nl;
}
