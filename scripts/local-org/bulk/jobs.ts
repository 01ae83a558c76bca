/**
 * Bulk API 2.0 job bookkeeping shared by ingest and query jobs: the job
 * store of a running org, job Ids (key prefix 750), and the JobInfo fields
 * every job carries.
 */
import type { LocalOrgCore } from '../core';
import { SfError, notFound } from '../errors';
import type { LocalOrgServices } from '../http/services';
import { makeId } from '../ids';
import type { UserContext } from '../permissions';
import type { ColumnDelimiter, LineEnding } from './csv';
import type { IngestJob } from './ingest';
import { IngestJobStore } from './persist';
import type { QueryJob } from './query';

export type JobState =
  'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface JobBase {
  id: string;
  object: string;
  createdById: string;
  createdDate: string;
  systemModstamp: string;
  state: JobState;
  apiVersion: string;
  lineEnding: LineEnding;
  columnDelimiter: ColumnDelimiter;
  user: UserContext;
  numberRecordsProcessed: number;
  retries: number;
  totalProcessingTime: number;
  errorMessage?: string;
}

export const JOB_RETENTION_MS = 7 * 24 * 3600_000;

export class BulkJobs {
  readonly ingest = new Map<string, IngestJob>();
  readonly query = new Map<string, QueryJob>();
  readonly store: IngestJobStore;

  constructor(private readonly core: LocalOrgCore) {
    this.store = new IngestJobStore(core);
    const cutoff = Date.now() - JOB_RETENTION_MS;
    for (const job of this.store.loadAll()) {
      const finished = ['JobComplete', 'Failed', 'Aborted'].includes(job.state);
      // An org deletes finished jobs after seven days; so does the local org, when it starts.
      if (finished && Date.parse(job.systemModstamp.replace('+0000', 'Z')) < cutoff) {
        this.store.remove(job.id);
      } else this.ingest.set(job.id, job);
    }
  }

  /** Job Ids count on in the org's database, so they stay unique across restarts. */
  newId(): string {
    return makeId('750', this.core.storage.next('bulk-job'));
  }
}

const stores = new WeakMap<LocalOrgServices, BulkJobs>();

/**
 * The jobs of one running org, loaded from its database on first use; `onLoad`
 * runs once then (the ingest module resumes unfinished jobs there).
 */
export function jobsOf(
  services: LocalOrgServices,
  core: LocalOrgCore,
  onLoad?: (jobs: BulkJobs) => void
): BulkJobs {
  let jobs = stores.get(services);
  if (!jobs) {
    jobs = new BulkJobs(core);
    stores.set(services, jobs);
    onLoad?.(jobs);
  }
  return jobs;
}

/** A job the user may see: their own, or any with View All Data (the admin). */
export function visibleJob<T extends JobBase>(
  map: Map<string, T>,
  user: UserContext,
  id: string | undefined
): T {
  const job = id ? map.get(id) : undefined;
  if (!job || (job.createdById !== user.userId && !user.permissions.superUser)) throw notFound();
  return job;
}

/** `2021-08-31T01:31:13.000+0000`, the form JobInfo dates take. */
export function jobDate(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

export function touch(job: JobBase): void {
  job.systemModstamp = jobDate(new Date());
}

export function invalidJob(message: string): SfError {
  return new SfError('INVALIDJOB', `InvalidJob : ${message}`, undefined, 400);
}

export function jobStateError(job: JobBase, wanted: string): SfError {
  return new SfError(
    'INVALIDJOBSTATE',
    `Job ${job.id} is in state ${job.state}; ${wanted}`,
    undefined,
    409
  );
}

/** Lets the server answer other requests between chunks of work. */
export function yieldToServer(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
