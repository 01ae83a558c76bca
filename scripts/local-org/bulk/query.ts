/**
 * Bulk API 2.0 query jobs as `sf data export bulk` and jsforce use them
 * (reference §4.2): the SOQL runs through the same engine as REST query
 * (permissions and sharing included); results are CSV pages with every value
 * quoted, `Sforce-Locator` (the string `null` on the last page) and
 * `Sforce-NumberOfRecords`.
 */
import { SfError } from '../errors';
import type { ApiRequest, ApiResponse } from '../http/router';
import type { ColumnMetadata } from '../soql/engine';
import { DELIMITERS, columnDelimiter, eol, lineEnding, quotedLine } from './csv';
import { invalidJob, jobDate, touch, yieldToServer, type BulkJobs, type JobBase } from './jobs';

export interface QueryJob extends JobBase {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: string;
  header: string[];
  rows: string[][];
}

/**
 * Records per results page when the client gives no maxRecords: large, as an
 * org's pages are (jsforce feeds every page into one CSV parser).
 */
export const DEFAULT_PAGE = 1_000_000;

interface Path {
  key: string[];
  name: string;
}

/** Column paths in select order; parent fields flatten to `Account.Name`. */
function paths(columns: ColumnMetadata[], prefix: string[] = []): Path[] {
  const out: Path[] = [];
  for (const c of columns) {
    if (c.aggregate && c.joinColumns.length > 0) {
      throw new SfError(
        'INVALIDJOB',
        'InvalidJob : Nested queries are not supported in Bulk API 2.0 query jobs',
        undefined,
        400
      );
    }
    if (c.joinColumns.length > 0) out.push(...paths(c.joinColumns, [...prefix, c.columnName]));
    else out.push({ key: [...prefix, c.columnName], name: [...prefix, c.columnName].join('.') });
  }
  return out;
}

function cell(rec: Record<string, unknown>, key: string[]): string {
  let cur: unknown = rec;
  for (const k of key) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[k];
  }
  if (cur === null || cur === undefined) return '';
  if (typeof cur === 'string') {
    // Bulk results carry date-times in the `Z` form.
    return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/.test(cur)
      ? cur.replace('+0000', 'Z')
      : cur;
  }
  return String(cur);
}

export function createQueryJob(
  req: ApiRequest,
  jobs: BulkJobs,
  body: Record<string, unknown>
): QueryJob {
  const operation = body.operation ?? 'query';
  if (operation !== 'query' && operation !== 'queryAll') {
    throw invalidJob(`Invalid operation: ${String(operation)}. Use query or queryAll`);
  }
  if (typeof body.query !== 'string' || body.query.trim() === '') {
    throw invalidJob('A query is required');
  }
  if (body.contentType !== undefined && body.contentType !== 'CSV') {
    throw invalidJob(`Invalid contentType: ${String(body.contentType)}. Only CSV is supported`);
  }
  // The query is checked when the job is created, as the org does.
  const result = req.core.query(req.user, body.query, {
    version: req.version,
    all: operation === 'queryAll'
  });
  if (
    result.groupBy ||
    result.columnMetadata.some((c) => c.aggregate && c.joinColumns.length === 0)
  ) {
    throw invalidJob('Aggregate queries are not supported in Bulk API 2.0 query jobs');
  }
  const cols = paths(result.columnMetadata);
  const now = jobDate(new Date());
  const job: QueryJob = {
    kind: 'query',
    id: jobs.newId(),
    operation,
    object: result.entityName,
    query: body.query,
    createdById: req.user.userId,
    createdDate: now,
    systemModstamp: now,
    state: 'UploadComplete',
    apiVersion: req.version,
    lineEnding: lineEnding(body.lineEnding),
    columnDelimiter: columnDelimiter(body.columnDelimiter),
    user: req.user,
    numberRecordsProcessed: 0,
    retries: 0,
    totalProcessingTime: 0,
    header: cols.map((c) => c.name),
    rows: []
  };
  jobs.query.set(job.id, job);
  const started = Date.now();
  // Completes in the background, so clients see the states they poll for.
  void (async () => {
    await yieldToServer();
    if (job.state !== 'UploadComplete') return;
    job.state = 'InProgress';
    touch(job);
    job.rows = result.records.map((rec) => cols.map((c) => cell(rec, c.key)));
    job.numberRecordsProcessed = job.rows.length;
    await yieldToServer();
    if ((job.state as string) === 'Aborted') return;
    job.totalProcessingTime = Date.now() - started;
    job.state = 'JobComplete';
    touch(job);
  })();
  return job;
}

export function queryInfo(job: QueryJob, full: boolean): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: job.createdDate,
    systemModstamp: job.systemModstamp,
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    ...(full ? { jobType: 'V2Query' } : {}),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    ...(full
      ? {
          numberRecordsProcessed: job.numberRecordsProcessed,
          retries: job.retries,
          totalProcessingTime: job.totalProcessingTime,
          isPkChunkingSupported: true
        }
      : {})
  };
}

function encodeLocator(offset: number): string {
  return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator: string): number | undefined {
  const n = Number(Buffer.from(locator, 'base64').toString('utf8'));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function queryResults(req: ApiRequest, job: QueryJob): ApiResponse {
  if (job.state !== 'JobComplete') {
    throw new SfError(
      'JOB_NOT_COMPLETE',
      `The job ${job.id} is not complete: its state is ${job.state}`,
      undefined,
      412
    );
  }
  if (job.apiVersion !== req.version) {
    throw new SfError(
      'API_VERSION_MISMATCH',
      `The job was created with API version ${job.apiVersion}; request its results with the same version`,
      undefined,
      409
    );
  }
  const locator = req.url.searchParams.get('locator');
  const start = locator ? decodeLocator(locator) : 0;
  if (start === undefined || start > job.rows.length) {
    throw new SfError('INVALID_LOCATOR', `Invalid locator: ${locator ?? ''}`, undefined, 400);
  }
  const maxParam = req.url.searchParams.get('maxRecords');
  const max = maxParam === null ? DEFAULT_PAGE : Number(maxParam);
  if (!Number.isInteger(max) || max <= 0) {
    throw new SfError('INVALIDQUERY', `Invalid maxRecords: ${maxParam ?? ''}`, undefined, 400);
  }
  const end = Math.min(job.rows.length, start + max);
  const d = DELIMITERS[job.columnDelimiter];
  const nl = eol(job.lineEnding);
  const lines = [quotedLine(job.header, d)];
  for (let i = start; i < end; i++) lines.push(quotedLine(job.rows[i]!, d));
  return {
    status: 200,
    raw: lines.join(nl) + nl,
    contentType: 'text/csv',
    headers: {
      'Sforce-Locator': end < job.rows.length ? encodeLocator(end) : 'null',
      'Sforce-NumberOfRecords': String(end - start)
    }
  };
}
