/**
 * Bulk API 2.0 routes: /services/data/vXX.X/jobs/ingest and /jobs/query.
 */
import { SfError } from '../errors';
import type { ApiRequest, Router } from '../http/router';
import { jsonObject } from '../rest/common';
import { createIngestJob, ingestInfo, processIngestJob, resultCsv, type IngestJob } from './ingest';
import { jobStateError, jobsOf, touch, visibleJob, type BulkJobs } from './jobs';
import { createQueryJob, queryInfo, queryResults } from './query';

const P = '/services/data/:version/jobs';

/** The org's jobs; on first use after a start, unfinished ingest jobs carry on. */
function bulkJobs(req: ApiRequest): BulkJobs {
  return jobsOf(req.services, req.core, (jobs) => {
    for (const job of jobs.ingest.values()) {
      if (job.state === 'UploadComplete' || job.state === 'InProgress') {
        void processIngestJob(job, req.core, jobs);
      }
    }
  });
}

function ingestJob(req: ApiRequest): IngestJob {
  return visibleJob(bulkJobs(req).ingest, req.user, req.params.id);
}

function csvReply(body: string) {
  return { status: 200, raw: body, contentType: 'text/csv' };
}

function newState(req: ApiRequest): string {
  const state = jsonObject(req).state;
  if (typeof state !== 'string') {
    throw new SfError('INVALIDJOBSTATE', 'The request needs a state', undefined, 400);
  }
  return state;
}

function list<T extends { createdById: string }>(
  req: ApiRequest,
  jobs: Iterable<T>,
  info: (job: T) => Record<string, unknown>
) {
  const records = [...jobs]
    .filter((j) => j.createdById === req.user.userId || req.user.permissions.superUser)
    .map(info);
  return { status: 200, body: { done: true, records, nextRecordsUrl: null } };
}

export function register(router: Router): void {
  // ---------------------------------------------------------------- ingest
  router.post(`${P}/ingest`, (req) => ({
    status: 200,
    body: ingestInfo(createIngestJob(req, bulkJobs(req), jsonObject(req)), false)
  }));

  router.get(`${P}/ingest`, (req) =>
    list(req, bulkJobs(req).ingest.values(), (j) => ingestInfo(j, true))
  );

  router.get(`${P}/ingest/:id`, (req) => ({ status: 200, body: ingestInfo(ingestJob(req), true) }));

  router.put(`${P}/ingest/:id/batches`, (req) => {
    const job = ingestJob(req);
    if (job.state !== 'Open') throw jobStateError(job, 'data can only be uploaded to an Open job');
    const type = String(req.headers['content-type'] ?? '');
    if (!/^text\/csv\b/i.test(type)) {
      throw new SfError(
        'INVALIDBATCH',
        `InvalidBatch : The Content-Type must be text/csv, not ${type || 'missing'}`,
        undefined,
        400
      );
    }
    if (req.rawBody.length === 0) {
      throw new SfError('INVALIDBATCH', 'InvalidBatch : The upload is empty', undefined, 400);
    }
    job.uploads.push(req.rawBody);
    touch(job);
    bulkJobs(req).store.addUpload(job, req.rawBody);
    return { status: 201 };
  });

  router.patch(`${P}/ingest/:id`, (req) => {
    const job = ingestJob(req);
    const state = newState(req);
    if (state === 'UploadComplete') {
      if (job.state !== 'Open') throw jobStateError(job, 'only an Open job can be closed');
      job.state = 'UploadComplete';
      touch(job);
      const reply = { status: 200, body: ingestInfo(job, false) };
      bulkJobs(req).store.save(job);
      void processIngestJob(job, req.core, bulkJobs(req));
      return reply;
    } else if (state === 'Aborted') {
      if (!['Open', 'UploadComplete', 'InProgress'].includes(job.state)) {
        throw jobStateError(job, 'a finished job cannot be aborted');
      }
      job.abortRequested = true;
      if (job.state === 'Open') {
        job.state = 'Aborted';
        touch(job);
      }
      bulkJobs(req).store.save(job);
    } else {
      throw new SfError(
        'INVALIDJOBSTATE',
        `Invalid state: ${state}. Use UploadComplete or Aborted`,
        undefined,
        400
      );
    }
    return { status: 200, body: ingestInfo(job, false) };
  });

  router.delete(`${P}/ingest/:id`, (req) => {
    const job = ingestJob(req);
    if (job.state === 'InProgress' || job.state === 'UploadComplete') {
      throw jobStateError(job, 'a job cannot be deleted while it is processed');
    }
    bulkJobs(req).ingest.delete(job.id);
    bulkJobs(req).store.remove(job.id);
    return { status: 204 };
  });

  const results = (kind: 'successful' | 'failed' | 'unprocessed') => (req: ApiRequest) => {
    const job = ingestJob(req);
    if (kind !== 'unprocessed' && !['JobComplete', 'Failed', 'Aborted'].includes(job.state)) {
      throw new SfError(
        'JOB_NOT_COMPLETE',
        `The job ${job.id} is not complete: its state is ${job.state}`,
        undefined,
        412
      );
    }
    return csvReply(resultCsv(job, kind));
  };
  router.get(`${P}/ingest/:id/successfulResults`, results('successful'));
  router.get(`${P}/ingest/:id/failedResults`, results('failed'));
  router.get(`${P}/ingest/:id/unprocessedrecords`, results('unprocessed'));

  // ---------------------------------------------------------------- query
  const queryJob = (req: ApiRequest) => visibleJob(bulkJobs(req).query, req.user, req.params.id);

  router.post(`${P}/query`, (req) => ({
    status: 200,
    body: queryInfo(createQueryJob(req, bulkJobs(req), jsonObject(req)), false)
  }));

  router.get(`${P}/query`, (req) =>
    list(req, bulkJobs(req).query.values(), (j) => queryInfo(j, true))
  );

  router.get(`${P}/query/:id`, (req) => ({ status: 200, body: queryInfo(queryJob(req), true) }));

  router.get(`${P}/query/:id/results`, (req) => queryResults(req, queryJob(req)));

  router.patch(`${P}/query/:id`, (req) => {
    const job = queryJob(req);
    if (newState(req) !== 'Aborted') {
      throw new SfError('INVALIDJOBSTATE', 'A query job can only be Aborted', undefined, 400);
    }
    if (job.state === 'JobComplete' || job.state === 'Failed') {
      throw jobStateError(job, 'a finished job cannot be aborted');
    }
    job.state = 'Aborted';
    touch(job);
    return { status: 200, body: queryInfo(job, false) };
  });

  router.delete(`${P}/query/:id`, (req) => {
    const job = queryJob(req);
    bulkJobs(req).query.delete(job.id);
    return { status: 204 };
  });
}
