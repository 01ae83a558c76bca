import type { Connection } from '@jsforce/jsforce-node';
import { crashPoint } from './crash';
import { bulkCell } from './csv';
import { readTouchpoints, type TouchpointRecord } from './match';
import { ApiCounter, isTransient, queryAll, queryIn, withRetry } from './org';
import {
  createStatistics,
  DEFAULT_SETTINGS,
  mergeInto,
  npsCategory,
  parseStatistics,
  periodOf,
  periodStart,
  responseSummary,
  serializeSettings,
  settingsFromMetadata,
  snapshotHeadline,
  statisticsOf,
  type ScoringSettings,
  type TouchpointInfo
} from './scoring';
import { scoringResponse, type RepCapture } from './score';
import type { Store } from './store';

/**
 * `push`: score snapshots first (a snapshot includes every imported
 * perception before that perception reaches the org), then perceptions, the
 * CX_ summary fields, and follow-up Tasks. Upserts on external Ids, so a rerun
 * never duplicates. Large sets go through Bulk API 2.0 (job ids saved before
 * the upload), small ones through sObject Collections.
 */

export interface OrgSettings {
  scoring: ScoringSettings;
  fallbackOwnerUsername: string | null;
  dueDays: number;
}

/** Settings from the org's custom metadata and time zone; defaults where the org has none. */
export async function readOrgSettings(
  conn: Connection,
  counter?: ApiCounter
): Promise<OrgSettings> {
  const safe = async <T>(object: string, soql: string): Promise<T[]> => {
    try {
      return await queryAll<T>(conn, counter, object, soql);
    } catch {
      return [];
    }
  };
  const [org] = await safe<{ TimeZoneSidKey: string }>(
    'Organization',
    'SELECT TimeZoneSidKey FROM Organization LIMIT 1'
  );
  const dims = await safe<{ DeveloperName: string; Weight__c: number | null }>(
    'CX_Dimension__mdt',
    'SELECT DeveloperName, Weight__c FROM CX_Dimension__mdt'
  );
  const [setting] = await safe<{
    Minimum_Sample__c: number | null;
    Confidence_Level__c: number | null;
    Alert_Gap_Threshold__c: number | null;
    Alert_NPS_Threshold__c: number | null;
    Fallback_Owner_Username__c: string | null;
    Follow_Up_Due_Days__c: number | null;
  }>(
    'CX_Setting__mdt',
    "SELECT Minimum_Sample__c, Confidence_Level__c, Alert_Gap_Threshold__c, Alert_NPS_Threshold__c, Fallback_Owner_Username__c, Follow_Up_Due_Days__c FROM CX_Setting__mdt WHERE DeveloperName = 'Default'"
  );
  return {
    scoring: settingsFromMetadata({
      dimensions: dims,
      setting: setting ?? null,
      timeZone: org?.TimeZoneSidKey ?? DEFAULT_SETTINGS.timeZone
    }),
    fallbackOwnerUsername: setting?.Fallback_Owner_Username__c ?? null,
    dueDays: setting?.Follow_Up_Due_Days__c ?? 3
  };
}

/**
 * Rep captures the statistics do not include yet: CreatedDate after the last
 * cut-off (re-read with a margin; the store dedupes) and up to a new cut-off
 * at least `lagMs` in the past, so a capture committing now cannot be missed.
 */
export async function readRepCaptures(
  store: Store,
  conn: Connection,
  counter?: ApiCounter,
  lagMs = 2000
): Promise<{ records: RepCapture[]; cutoff: string }> {
  const cutoff = new Date(Math.floor((Date.now() - lagMs) / 1000) * 1000).toISOString();
  const previous = store.getMeta('captures_through');
  const since = previous ? new Date(Date.parse(previous) - 10 * 60 * 1000).toISOString() : null;
  const soql =
    `SELECT Id, Response_Id__c, CreatedDate, Occurred_At__c, Account__c, Contact__c, Touchpoint__c,
      Touchpoint__r.Key__c, Touchpoint__r.Journey__r.Key__c, Channel__c, NPS__c, CSAT__c, CES__c, Expectation__c,
      Perception__c, Self_Rating__c, Answers__c, Comment__c, Language__c, Case__c, Opportunity__c, Order__c,
      Related_Record_Id__c
    FROM CX_Perception__c WHERE Source__c = 'Rep_Capture' AND CreatedDate <= ${cutoff.replace('.000Z', 'Z')}
    ${since ? `AND CreatedDate > ${since.replace(/\.\d{3}Z$/, 'Z')}` : ''}`.replace(/\s+/g, ' ');
  type Row = Record<string, unknown> & {
    Touchpoint__r: { Key__c: string; Journey__r: { Key__c: string } | null } | null;
  };
  const rows = await queryAll<Row>(conn, counter, 'CX_Perception__c', soql);
  const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    cutoff,
    records: rows.map((r) => ({
      id: String(r.Id),
      responseId: String(r.Response_Id__c),
      createdDate: new Date(String(r.CreatedDate).replace(/\+0000$/, 'Z')).toISOString(),
      occurredAt: new Date(String(r.Occurred_At__c).replace(/\+0000$/, 'Z')).toISOString(),
      accountId: String(r.Account__c),
      contactId: s(r.Contact__c),
      touchpointId: s(r.Touchpoint__c),
      touchpointKey: r.Touchpoint__r?.Key__c ?? null,
      journeyKey: r.Touchpoint__r?.Journey__r?.Key__c ?? null,
      channel: s(r.Channel__c),
      nps: n(r.NPS__c),
      csat: n(r.CSAT__c),
      ces: n(r.CES__c),
      expectation: n(r.Expectation__c),
      perception: n(r.Perception__c),
      selfRating: n(r.Self_Rating__c),
      answers: s(r.Answers__c),
      comment: s(r.Comment__c),
      language: s(r.Language__c),
      caseId: s(r.Case__c),
      opportunityId: s(r.Opportunity__c),
      orderId: s(r.Order__c),
      relatedRecordId: s(r.Related_Record_Id__c)
    }))
  };
}

export interface PushFailure {
  object: string;
  key: string;
  error: string;
}

export interface PushResult {
  snapshots: { pushed: number; failed: number };
  perceptions: { pushed: number; failed: number };
  summaries: { accounts: number; contacts: number; failed: number };
  tasks: { created: number; existing: number; failed: number };
  jobs: string[];
  resumedJobs: number;
  failures: PushFailure[];
  apiCalls: Record<string, number>;
}

export interface PushOptions {
  settings?: OrgSettings;
  counter?: ApiCounter;
  /** Above this many rows an object goes through Bulk API 2.0. */
  bulkThreshold?: number;
  runId?: string;
}

type Row = Record<string, unknown>;
interface Outcome {
  id: string | null;
  error: string | null;
}

/** Upload budget of one bulk job: under the 100 MB limit with room for encoding. */
const MAX_UPLOAD_BYTES = 90 * 1024 * 1024;

class Pusher {
  batch = 0;
  job = 0;
  readonly jobs: string[] = [];
  constructor(
    readonly store: Store,
    readonly conn: Connection,
    readonly counter: ApiCounter,
    readonly bulkThreshold: number,
    readonly runId: string | null
  ) {}

  /** Upserts (or updates, with extField 'Id') rows; the outcome per key. */
  async write(
    object: string,
    extField: string,
    rows: Row[],
    keyOf: (r: Row) => string,
    masterField?: string,
    /** Called once the rows are in the org's hands (a bulk job closed), before its results. */
    onSubmitted?: () => void
  ): Promise<Map<string, Outcome>> {
    const out = new Map<string, Outcome>();
    // A master-detail field that cannot be reparented is refused on update even with the same
    // value: records the org already has go without it, and so do rows refused for that reason.
    let todo = rows.map((r) => (masterField && r.__exists ? omit(r, masterField) : r));
    let retriedMaster = false;
    let submitted = onSubmitted;
    const signal = () => {
      submitted?.();
      submitted = undefined;
    };
    // Lock errors are retried a few times; whatever still fails is reported per row.
    for (let attempt = 1; todo.length > 0; attempt++) {
      const results =
        todo.length > this.bulkThreshold
          ? await this.bulk(object, extField, todo, keyOf, signal)
          : await this.collections(object, extField, todo.map(strip), keyOf);
      signal();
      const retry: Row[] = [];
      let master = false;
      for (const r of todo) {
        const k = keyOf(r);
        const res = results.get(k) ?? { id: null, error: 'no result returned for this row' };
        if (res.error && /UNABLE_TO_LOCK_ROW/.test(res.error) && attempt < 4) retry.push(r);
        else if (
          res.error &&
          masterField &&
          !retriedMaster &&
          r[masterField] !== undefined &&
          /INVALID_FIELD_FOR_INSERT_UPDATE/.test(res.error) &&
          res.error.includes(masterField)
        ) {
          retry.push(omit(r, masterField));
          master = true;
        } else out.set(k, res);
      }
      if (master) retriedMaster = true;
      todo = retry;
    }
    signal();
    return out;
  }

  private async collections(
    object: string,
    extField: string,
    rows: Row[],
    keyOf: (r: Row) => string
  ): Promise<Map<string, Outcome>> {
    const out = new Map<string, Outcome>();
    for (let i = 0; i < rows.length; i += 200) {
      const chunk = rows.slice(i, i + 200);
      this.batch++;
      crashPoint(`push:batch${this.batch}`);
      this.counter.add(`${object}:collections`);
      type Res = {
        id?: string;
        success: boolean;
        errors: { statusCode?: string; errorCode?: string; message: string }[];
      };
      const sobject = this.conn.sobject(object);
      const results = (await withRetry(async () =>
        extField === 'Id'
          ? sobject.update(chunk as { Id: string }[], { allOrNone: false })
          : sobject.upsert(chunk, extField, { allOrNone: false })
      )) as unknown as Res[];
      chunk.forEach((r, j) => {
        const res = results[j];
        const error = !res
          ? 'no result returned for this row'
          : res.success
            ? null
            : res.errors.map((e) => `${e.statusCode ?? e.errorCode}: ${e.message}`).join('; ') ||
              'failed';
        out.set(keyOf(r), { id: res?.id ?? (extField === 'Id' ? String(r.Id) : null), error });
      });
    }
    return out;
  }

  private async bulk(
    object: string,
    extField: string,
    rows: Row[],
    keyOf: (r: Row) => string,
    onSubmitted: () => void
  ): Promise<Map<string, Outcome>> {
    // Columns: every field some row sets (a row without it leaves the field alone); markers
    // such as __exists are not fields.
    const names = new Set<string>();
    for (const r of rows) for (const k in r) if (!k.startsWith('__')) names.add(k);
    const columns = [...names];
    const header = columns.join(',') + '\n';
    const out = new Map<string, Outcome>();
    let lines: string[] = [];
    let keys: string[] = [];
    let bytes = header.length;
    // Jobs over the upload budget are submitted one after another and waited for together.
    const waiting: Promise<Map<string, Outcome>>[] = [];
    const flush = async () => {
      if (lines.length === 0) return;
      const csv = header + lines.join('');
      const jobKeys = keys;
      lines = [];
      keys = [];
      bytes = header.length;
      const id = await this.submitJob(object, extField, csv, jobKeys);
      waiting.push(this.finishJob(object, extField, id, jobKeys));
    };
    for (const r of rows) {
      let line = '';
      for (let i = 0; i < columns.length; i++) {
        if (i > 0) line += ',';
        line += bulkCell(r[columns[i]!]);
      }
      line += '\n';
      const size = Buffer.byteLength(line);
      if (bytes + size > MAX_UPLOAD_BYTES) await flush();
      lines.push(line);
      keys.push(keyOf(r));
      bytes += size;
    }
    await flush();
    onSubmitted();
    for (const results of await Promise.all(waiting)) for (const [k, v] of results) out.set(k, v);
    return out;
  }

  /** Creates a job, saves it, uploads the CSV and closes it; its id. */
  private async submitJob(
    object: string,
    extField: string,
    csv: string,
    keys: string[]
  ): Promise<string> {
    const operation = extField === 'Id' ? 'update' : 'upsert';
    const job = this.conn.bulk2.createJob({
      object,
      operation,
      ...(operation === 'upsert' ? { externalIdFieldName: extField } : {}),
      lineEnding: 'LF',
      columnDelimiter: 'COMMA'
    });
    this.counter.add(`${object}:bulk`);
    await withRetry(() => job.open());
    // Saved before the upload: a rerun after a crash finds the job and waits for it.
    this.store.db
      .prepare(
        `INSERT INTO push_jobs (job_id, run_id, object, operation, external_id_field, label, keys, state, rows, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'Open', ?, ?)`
      )
      .run(
        job.id,
        this.runId,
        object,
        operation,
        extField,
        `batch${this.batch + 1}`,
        JSON.stringify(keys),
        keys.length,
        new Date().toISOString()
      );
    this.jobs.push(job.id);
    this.batch++;
    this.job++;
    crashPoint(`push:batch${this.batch}`);
    crashPoint(`push:job${this.job}:open`);
    for (let attempt = 1; ; attempt++) {
      this.counter.add(`${object}:bulk`);
      // A plain PUT of the CSV text: a retried request sends the whole body again
      // (a piped stream, once consumed, would go out empty).
      await withRetry(() => this.upload(job.id, csv));
      crashPoint(`push:job${this.job}:uploaded`);
      this.counter.add(`${object}:bulk`);
      try {
        await withRetry(() => job.close());
        break;
      } catch (e) {
        // An upload that a transient error cut off leaves the job empty: upload it again.
        if (attempt >= 3 || !/upload is empty/i.test((e as Error).message)) throw e;
      }
    }
    this.setJobState(job.id, 'UploadComplete');
    return job.id;
  }

  /** PUT of one job's CSV; errors carry Salesforce's errorCode so withRetry can judge them. */
  private async upload(jobId: string, csv: string): Promise<void> {
    const res = await fetch(
      `${this.conn.instanceUrl}/services/data/v${this.conn.version}/jobs/ingest/${jobId}/batches`,
      {
        method: 'PUT',
        headers: { Authorization: `Bearer ${this.conn.accessToken}`, 'Content-Type': 'text/csv' },
        body: csv
      }
    );
    if (res.ok) return;
    const text = await res.text();
    let code = `ERROR_HTTP_${res.status}`;
    let message = text.slice(0, 500);
    try {
      const body = JSON.parse(text) as { errorCode?: string; message?: string }[];
      code = body[0]?.errorCode ?? code;
      message = body[0]?.message ?? message;
    } catch {
      // not JSON: keep the status
    }
    throw Object.assign(new Error(message), { name: code, errorCode: code });
  }

  private setJobState(
    id: string,
    state: string,
    extra: { processed?: number; failed?: number; error?: string } = {}
  ) {
    this.store.db
      .prepare(
        "UPDATE push_jobs SET state = ?, processed = COALESCE(?, processed), failed = COALESCE(?, failed), error = COALESCE(?, error), finished_at = CASE WHEN ? IN ('done', 'aborted') THEN ? ELSE finished_at END WHERE job_id = ?"
      )
      .run(
        state,
        extra.processed ?? null,
        extra.failed ?? null,
        extra.error ?? null,
        state,
        new Date().toISOString(),
        id
      );
  }

  /** Waits for a job and reads its results, keyed by the external Id column (or Id). */
  /**
   * Waits for a job (polling with backoff) and reads its outcome per key. Results are
   * downloaded only when needed: the failed rows when some failed, the successful rows
   * when not every row was processed; otherwise every key succeeded. That keeps a job
   * at about five API calls.
   */
  async finishJob(
    object: string,
    extField: string,
    id: string,
    keys: string[]
  ): Promise<Map<string, Outcome>> {
    const job = this.conn.bulk2.job('ingest', { id });
    const base = Number(process.env.OUTSIDE_IN_POLL_MS ?? 1000);
    // A first look after the base interval, then the next when the job should be done at the
    // rate it showed between the last two looks, but never more than the time it has run so
    // far (a rate measured early can be far off): a handful of calls whatever the job's size,
    // and little waiting past its end.
    const maxWait = base * 30;
    const since = Date.now();
    let last = { at: since, processed: 0 };
    let wait = base;
    let info;
    for (;;) {
      await new Promise((r) => setTimeout(r, wait));
      this.counter.add(`${object}:bulk`);
      info = await withRetry(() => job.check());
      if (info.state === 'JobComplete' || info.state === 'Failed' || info.state === 'Aborted')
        break;
      const now = Date.now();
      const processed = Number(info.numberRecordsProcessed ?? 0);
      const done = processed - last.processed;
      wait =
        done > 0
          ? Math.round(((keys.length - processed) * (now - last.at) * 1.05) / done)
          : (now - since) * 2;
      wait = Math.max(Math.round(base / 10), Math.min(wait, now - since, maxWait));
      last = { at: now, processed };
    }
    const out = new Map<string, Outcome>();
    if (info.state !== 'JobComplete') {
      const error = `bulk job ${id} ${info.state}: ${info.errorMessage ?? 'no message'}`;
      for (const k of keys) out.set(k, { id: null, error });
      this.setJobState(id, 'done', { error });
      return out;
    }
    const processed = Number(info.numberRecordsProcessed ?? 0);
    const failedCount = Number(info.numberRecordsFailed ?? 0);
    const keyOf = (r: Row) => String(r[extField] ?? r.Id ?? '');
    if (failedCount > 0) {
      this.counter.add(`${object}:bulk`);
      const failed = (await withRetry(() => job.getFailedResults())) as unknown as Row[];
      for (const r of failed) out.set(keyOf(r), { id: null, error: String(r.sf__Error) });
    }
    if (processed < keys.length) {
      this.counter.add(`${object}:bulk`);
      const ok = (await withRetry(() => job.getSuccessfulResults())) as unknown as Row[];
      for (const r of ok) out.set(keyOf(r), { id: String(r.sf__Id), error: null });
      for (const k of keys)
        if (!out.has(k)) out.set(k, { id: null, error: `not processed by bulk job ${id}` });
    } else {
      for (const k of keys) if (!out.has(k)) out.set(k, { id: null, error: null });
    }
    this.setJobState(id, 'done', { processed, failed: failedCount });
    return out;
  }
}

function omit(r: Row, field: string): Row {
  const out = { ...r };
  delete out[field];
  return out;
}

/** Drops bookkeeping keys (`__exists`) before a row goes to the org. */
function strip(r: Row): Row {
  if (!('__exists' in r)) return r;
  const out = { ...r };
  delete out.__exists;
  return out;
}

const scoreKey = (scope: string, key: string, period: string) =>
  scope === 'O' ? `O:${period}` : `${scope}:${key}:${period}`;

interface StatsRow {
  scope: 'A' | 'T' | 'J' | 'O';
  scope_key: string;
  period: string;
  stats: string;
  n: number;
  includes_through: string | null;
  pushed_key: string | null;
}

const sfDateTime = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, '.000Z') : null);

/**
 * One push: leftovers of a crashed run, then any number of rounds of snapshots and
 * perceptions (a sync submits a round while it scores the next), then summaries and
 * Tasks. Perceptions go in bounded pages, so memory does not grow with the backlog.
 */
export class PushSession {
  readonly result: PushResult;
  private readonly p: Pusher;
  private readonly db: Store['db'];
  private settings!: OrgSettings;
  private tpByKey = new Map<string, TouchpointRecord>();
  private directory = new Map<string, TouchpointInfo>();
  private journeys: Map<string, string> | null = null;
  /** Responses whose perception is in the org's hands, with the scored key it carries. */
  private readonly inFlight = new Map<string, string | null>();
  private readonly perceptionJobs: Promise<Map<string, Outcome>>[] = [];

  constructor(
    readonly store: Store,
    readonly conn: Connection,
    readonly counter: ApiCounter,
    private readonly options: PushOptions = {}
  ) {
    this.p = new Pusher(store, conn, counter, options.bulkThreshold ?? 2000, options.runId ?? null);
    this.db = store.db;
    this.result = {
      snapshots: { pushed: 0, failed: 0 },
      perceptions: { pushed: 0, failed: 0 },
      summaries: { accounts: 0, contacts: 0, failed: 0 },
      tasks: { created: 0, existing: 0, failed: 0 },
      jobs: this.p.jobs,
      resumedJobs: 0,
      failures: [],
      apiCalls: counter.calls
    };
  }

  private fail(object: string, key: string, error: string): void {
    this.result.failures.push({ object, key, error });
  }

  /** Settings and touchpoints, and the jobs a crashed run left behind. */
  async start(): Promise<void> {
    const db = this.db;
    this.settings = this.options.settings ?? (await readOrgSettings(this.conn, this.counter));
    // Jobs a crashed run left behind: wait for them and apply their results.
    const leftovers = db
      .prepare(
        "SELECT job_id, object, external_id_field, keys FROM push_jobs WHERE state != 'done' AND state != 'aborted'"
      )
      .all() as {
      job_id: string;
      object: string;
      external_id_field: string;
      keys: string;
    }[];
    for (const j of leftovers) {
      this.result.resumedJobs++;
      let outcomes: Map<string, Outcome>;
      try {
        this.counter.add(`${j.object}:bulk`);
        const info = await withRetry(() => this.conn.bulk2.job('ingest', { id: j.job_id }).check());
        if (info.state === 'Open') {
          // The upload never completed: abort it; its rows are still pending and go again.
          this.counter.add(`${j.object}:bulk`);
          await withRetry(() => this.conn.bulk2.job('ingest', { id: j.job_id }).abort());
          db.prepare("UPDATE push_jobs SET state = 'aborted' WHERE job_id = ?").run(j.job_id);
          continue;
        }
        outcomes = await this.p.finishJob(
          j.object,
          j.external_id_field,
          j.job_id,
          JSON.parse(j.keys) as string[]
        );
      } catch (e) {
        db.prepare("UPDATE push_jobs SET state = 'aborted', error = ? WHERE job_id = ?").run(
          (e as Error).message,
          j.job_id
        );
        continue;
      }
      applyOutcomes(this.store, j.object, outcomes);
    }

    const touchpoints = await readTouchpoints(this.conn, this.counter);
    this.tpByKey = new Map(touchpoints.map((t) => [t.Key__c, t]));
    this.directory = new Map<string, TouchpointInfo>(
      touchpoints.map((t) => [
        t.Key__c,
        {
          promise: t.Brand_Promise__c,
          believedExpectation: t.Believed_Expectation__c,
          importance: t.Importance_Weight__c,
          name: t.Name
        }
      ])
    );
  }

  /** Snapshots of every scope-month the score step wrote. */
  async pushSnapshots(): Promise<void> {
    const db = this.db;
    const statsRows = db
      .prepare(
        'SELECT scope, scope_key, period, stats, n, includes_through, pushed_key FROM stats WHERE push_pending = 1 AND dirty = 0'
      )
      .all() as StatsRow[];
    if (statsRows.length > 0) {
      this.journeys ??= new Map(
        (
          await queryAll<{ Id: string; Key__c: string }>(
            this.conn,
            this.counter,
            'CX_Journey__c',
            'SELECT Id, Key__c FROM CX_Journey__c'
          )
        ).map((j) => [j.Key__c, j.Id])
      );
      const account: Row[] = [];
      const other: Row[] = [];
      for (const s of statsRows) {
        const stats = parseStatistics(
          s.stats,
          s.scope === 'A'
            ? 'account'
            : s.scope === 'T'
              ? 'touchpoint'
              : s.scope === 'J'
                ? 'journey'
                : 'org'
        );
        const row: Row = {
          ...snapshotHeadline(stats, this.settings.scoring, this.directory),
          Period__c: s.period,
          Period_Start__c: periodStart(s.period),
          Statistics__c: s.stats,
          Settings__c: serializeSettings(this.settings.scoring),
          Includes_Through__c: sfDateTime(s.includes_through),
          Score_Key__c: scoreKey(s.scope, s.scope_key, s.period)
        };
        if (s.scope === 'A')
          account.push({ ...row, Account__c: s.scope_key, __exists: s.pushed_key !== null });
        else if (s.scope === 'O') other.push({ ...row, Scope__c: 'Org' });
        else if (s.scope === 'T') {
          const tp = this.tpByKey.get(s.scope_key);
          if (!tp) {
            this.fail(
              'CX_Score__c',
              String(row.Score_Key__c),
              `touchpoint ${s.scope_key} is not in the org`
            );
            continue;
          }
          other.push({ ...row, Scope__c: 'Touchpoint', Touchpoint__c: tp.Id });
        } else {
          const j = this.journeys.get(s.scope_key);
          if (!j) {
            this.fail(
              'CX_Score__c',
              String(row.Score_Key__c),
              `journey ${s.scope_key} is not in the org`
            );
            continue;
          }
          other.push({ ...row, Scope__c: 'Journey', Journey__c: j });
        }
      }
      for (const [object, rows] of [
        ['CX_Account_Score__c', account],
        ['CX_Score__c', other]
      ] as const) {
        const outcomes = await this.p.write(
          object,
          'Score_Key__c',
          rows,
          (r) => String(r.Score_Key__c),
          object === 'CX_Account_Score__c' ? 'Account__c' : undefined
        );
        const n = applyOutcomes(this.store, object, outcomes);
        this.result.snapshots.pushed += n.ok;
        this.result.snapshots.failed += n.failed;
        for (const [k, o] of outcomes) if (o.error) this.fail(object, k, o.error);
      }
    }
    crashPoint('push:snapshots');
  }

  /**
   * Submits the perceptions of matched, scored responses that are not yet on their way, in
   * pages; a page over the bulk threshold goes as a bulk job, whose outcome comes in finish().
   * Call after pushSnapshots: a snapshot includes every perception before it is pushed.
   */
  async submitPerceptions(
    options: { window?: { from: number; to: number }; pageRows?: number } = {}
  ): Promise<void> {
    const pageRows = options.pageRows ?? 50_000;
    const columns = `response_id, account_id, contact_id, touchpoint_id, channel, occurred_at, case_id,
      opportunity_id, order_id, related_record_id, nps, csat, ces, expectation, perception, self_rating,
      comment, language, answers, scored_key`;
    const wanted = `push_pending = 1 AND source != 'Rep_Capture' AND account_id IS NOT NULL AND score_pending = 0`;
    let records: Row[] = [];
    let resent = false;
    const submit = async () => {
      const batch = records;
      records = [];
      // A response sent before with other content: that job ends first, so the org keeps
      // the newer content (two jobs on one record may run in any order).
      if (resent) await Promise.all(this.perceptionJobs);
      resent = false;
      let submitted: () => void = () => undefined;
      const inOrg = new Promise<void>((r) => (submitted = r));
      const done = this.p.write(
        'CX_Perception__c',
        'Response_Id__c',
        batch,
        (r) => String(r.Response_Id__c),
        'Account__c',
        submitted
      );
      this.perceptionJobs.push(done);
      await Promise.race([inOrg, done]);
    };
    const sent = (row: Record<string, unknown>) =>
      this.inFlight.get(String(row.response_id)) === (row.scored_key ?? null);
    const take = async (row: Record<string, unknown>) => {
      const id = String(row.response_id);
      if (this.inFlight.has(id)) resent = true;
      this.inFlight.set(id, (row.scored_key as string | null) ?? null);
      records.push(perceptionRecord(row));
      if (records.length >= pageRows) await submit();
    };
    if (options.window) {
      // A round's own rows: a range of the store's rows, read once.
      const page = this.db.prepare(
        `SELECT rowid, ${columns} FROM responses WHERE rowid > ? AND rowid <= ? AND ${wanted}
         ORDER BY rowid LIMIT 10000`
      );
      for (let after = options.window.from; ;) {
        const rows = page.all(after, options.window.to) as Record<string, unknown>[];
        if (rows.length === 0) break;
        after = Number(rows[rows.length - 1]!.rowid);
        for (const r of rows) if (!sent(r)) await take(r);
      }
    } else if (this.inFlight.size === 0) {
      const page = this.db.prepare(
        `SELECT ${columns} FROM responses WHERE ${wanted} AND response_id > ?
         ORDER BY response_id LIMIT 10000`
      );
      for (let after = ''; ;) {
        const rows = page.all(after) as Record<string, unknown>[];
        if (rows.length === 0) break;
        after = String(rows[rows.length - 1]!.response_id);
        for (const r of rows) await take(r);
      }
    } else {
      // The rest after rounds (edited responses outside every round's rows): the pending ids
      // first, then only the rows not on their way already.
      const one = this.db.prepare(`SELECT ${columns} FROM responses WHERE response_id = ?`);
      const ids = (
        this.db
          .prepare(`SELECT response_id, scored_key FROM responses WHERE ${wanted}`)
          .all() as Record<string, unknown>[]
      ).filter((r) => !sent(r));
      for (const r of ids) await take(one.get(r.response_id) as Record<string, unknown>);
    }
    if (records.length > 0) await submit();
  }

  /**
   * Sends the follow-up Tasks, waits for the perceptions, then pushes the CX_ summary
   * fields (computed while the org still processes the jobs).
   */
  async finish(): Promise<PushResult> {
    const db = this.db;
    // The follow-up Tasks go first: the org takes their job right after the last perceptions,
    // while the summary fields are computed here and the perceptions' outcomes recorded.
    const tasks = await planTasks(
      this.store,
      this.conn,
      this.counter,
      this.settings,
      this.tpByKey,
      this.result
    );
    let tasksSubmitted: () => void = () => undefined;
    const tasksInOrg = new Promise<void>((r) => (tasksSubmitted = r));
    const tasksDone = sendTasks(this.store, this.p, tasks, this.result, tasksSubmitted);
    await Promise.race([tasksInOrg, tasksDone]);
    const summaryRows = summaryRecords(this.store, this.settings, this.directory);
    const perceptionOutcomes = new Map<string, Outcome>();
    for (const outcomes of await Promise.all(this.perceptionJobs))
      for (const [k, o] of outcomes) perceptionOutcomes.set(k, o);
    const n = applyOutcomes(this.store, 'CX_Perception__c', perceptionOutcomes, this.inFlight);
    this.result.perceptions.pushed += n.ok;
    this.result.perceptions.failed += n.failed;
    for (const [k, o] of perceptionOutcomes) if (o.error) this.fail('CX_Perception__c', k, o.error);
    crashPoint('push:perceptions');

    // 3. CX_ summary fields on Account and Contact (last twelve months).
    for (const [object, rows] of [
      ['Account', summaryRows.accounts],
      ['Contact', summaryRows.contacts]
    ] as const) {
      if (rows.length === 0) continue;
      const outcomes = await this.p.write(object, 'Id', rows, (r) => String(r.Id));
      const del = db.prepare('DELETE FROM summaries WHERE object = ? AND record_id = ?');
      for (const [k, o] of outcomes) {
        if (o.error) {
          this.result.summaries.failed++;
          this.fail(object, k, o.error);
        } else {
          del.run(object, k);
          if (object === 'Account') this.result.summaries.accounts++;
          else this.result.summaries.contacts++;
        }
      }
    }
    crashPoint('push:summaries');

    await tasksDone;
    crashPoint('push:tasks');
    this.result.apiCalls = this.counter.calls;
    return this.result;
  }
}

/**
 * `push`: score snapshots first (a snapshot includes every imported perception before that
 * perception reaches the org), then perceptions, the CX_ summary fields and follow-up Tasks.
 */
export async function pushStore(
  store: Store,
  conn: Connection,
  options: PushOptions = {}
): Promise<PushResult> {
  const session = new PushSession(store, conn, options.counter ?? new ApiCounter(), options);
  await session.start();
  await session.pushSnapshots();
  await session.submitPerceptions();
  return session.finish();
}

/** The CX_ summary fields of every Account and Contact marked by the score step. */
function summaryRecords(
  store: Store,
  settings: OrgSettings,
  directory: Map<string, TouchpointInfo>
): { accounts: Row[]; contacts: Row[] } {
  const db = store.db;
  const summaries = db.prepare('SELECT object, record_id FROM summaries').all() as {
    object: 'Account' | 'Contact';
    record_id: string;
  }[];
  const accounts: Row[] = [];
  const contacts: Row[] = [];
  if (summaries.length === 0) return { accounts, contacts };
  const since = periodOf(Date.now() - 365 * 24 * 3600 * 1000, settings.scoring.timeZone);
  const accountStats = db.prepare(
    "SELECT stats FROM stats WHERE scope = 'A' AND scope_key = ? AND period >= ?"
  );
  const contactResponses = db.prepare(
    `SELECT touchpoint_key, channel, occurred_at, nps, csat, ces, expectation, perception, self_rating, answers
     FROM responses WHERE contact_id = ? AND period >= ? AND scored_key IS NOT NULL`
  );
  const lastOf = {
    Account: db.prepare('SELECT MAX(occurred_at) AS t FROM responses WHERE account_id = ?'),
    Contact: db.prepare('SELECT MAX(occurred_at) AS t FROM responses WHERE contact_id = ?')
  };
  for (const s of summaries) {
    let stats;
    if (s.object === 'Account') {
      stats = createStatistics('account');
      for (const r of accountStats.all(s.record_id, since) as { stats: string }[]) {
        mergeInto(stats, parseStatistics(r.stats, 'account'));
      }
    } else {
      const rows = contactResponses.all(s.record_id, since) as Parameters<
        typeof scoringResponse
      >[0][];
      stats = statisticsOf('account', rows.map(scoringResponse));
    }
    const last = lastOf[s.object].get(s.record_id) as { t: string | null };
    const h = snapshotHeadline(stats, settings.scoring, directory);
    const row = {
      Id: s.record_id,
      CX_Experience_Index__c: h.Experience_Index__c,
      CX_NPS__c: h.NPS__c,
      CX_Gap__c: h.Gap__c,
      CX_Alert__c: h.Alert__c,
      CX_Last_Perception__c: sfDateTime(last.t)
    };
    (s.object === 'Account' ? accounts : contacts).push(row);
  }
  return { accounts, contacts };
}

function perceptionRecord(r: Record<string, unknown>): Row {
  return {
    Response_Id__c: r.response_id,
    Account__c: r.account_id,
    Contact__c: r.contact_id,
    Touchpoint__c: r.touchpoint_id,
    Channel__c: r.channel,
    Occurred_At__c: r.occurred_at,
    Case__c: r.case_id,
    Opportunity__c: r.opportunity_id,
    Order__c: r.order_id,
    Related_Record_Id__c: r.related_record_id,
    Source__c: 'Import',
    NPS__c: r.nps,
    CSAT__c: r.csat,
    CES__c: r.ces,
    Expectation__c: r.expectation,
    Perception__c: r.perception,
    Self_Rating__c: r.self_rating,
    Comment__c: r.comment,
    Language__c: r.language,
    Answers__c: r.answers
  };
}

/** Records what the org answered: ids and cleared flags for successes, errors for failures. */
function applyOutcomes(
  store: Store,
  object: string,
  outcomes: Map<string, Outcome>,
  /** For perceptions: the scored key each was sent with (one rescored since stays pending). */
  sentKeys?: Map<string, string | null>
): { ok: number; failed: number } {
  const db = store.db;
  let ok = 0;
  let failed = 0;
  const sql: Record<string, [string, string]> = {
    CX_Perception__c: [
      'UPDATE responses SET perception_id = COALESCE(?, perception_id), push_pending = 0, push_error = NULL, pushed_key = scored_key WHERE response_id = ?',
      'UPDATE responses SET push_error = ? WHERE response_id = ?'
    ],
    Task: [
      "UPDATE responses SET task_id = COALESCE(?, task_id), task_state = 'created', task_error = NULL WHERE response_id = ?",
      'UPDATE responses SET task_error = ? WHERE response_id = ?'
    ],
    CX_Account_Score__c: [
      "UPDATE stats SET push_pending = 0, pushed_key = COALESCE(?, pushed_key, 'pushed') WHERE scope = ? AND scope_key = ? AND period = ?",
      ''
    ]
  };
  sql.CX_Score__c = sql.CX_Account_Score__c!;
  const pair = sql[object];
  const good = pair ? db.prepare(pair[0]) : null;
  const bad = pair?.[1] ? db.prepare(pair[1]) : null;
  const snapshot = object === 'CX_Account_Score__c' || object === 'CX_Score__c';
  const sentAs = sentKeys
    ? db.prepare(
        `UPDATE responses SET perception_id = COALESCE(?, perception_id), push_error = NULL, pushed_key = ?,
           push_pending = CASE WHEN scored_key IS ? THEN 0 ELSE push_pending END
         WHERE response_id = ?`
      )
    : null;
  store.tx(() => {
    for (const [key, o] of outcomes) {
      if (snapshot) {
        const m = /^([ATJO]):(?:(.*):)?(\d{4}-\d{2})$/.exec(key);
        if (!m) continue;
        if (!o.error) good!.run(o.id, m[1], m[2] ?? '', m[3]);
      } else if (o.error) bad?.run(o.error, key);
      else if (sentAs) {
        const k = sentKeys!.get(key) ?? null;
        sentAs.run(o.id, k, k, key);
      } else good?.run(o.id, key);
      if (o.error) failed++;
      else ok++;
    }
  });
  return { ok, failed };
}

interface TaskPlan {
  /** Task records to upsert, by response Id. */
  records: Map<string, Row>;
  /** Tasks an earlier run created but never recorded. */
  known: Map<string, Outcome>;
  /** Responses that want a Task (new or found); none: nothing to record. */
  wanted: number;
  startedAt: string;
}

/** Decides which scored responses open a follow-up Task and builds the records. */
async function planTasks(
  store: Store,
  conn: Connection,
  counter: ApiCounter,
  settings: OrgSettings,
  tpByKey: Map<string, TouchpointRecord>,
  result: PushResult
): Promise<TaskPlan> {
  const db = store.db;
  const plan: TaskPlan = {
    records: new Map(),
    known: new Map(),
    wanted: 0,
    startedAt: new Date(Date.now() - 60_000).toISOString()
  };
  const rows = db
    .prepare(
      `SELECT response_id, source, touchpoint_key, nps, expectation, perception, comment, contact_id, account_id, case_id,
              opportunity_id, order_id, occurred_at
       FROM responses
       WHERE task_state IS NULL AND account_id IS NOT NULL AND score_pending = 0`
    )
    .all() as {
    response_id: string;
    touchpoint_key: string | null;
    nps: number | null;
    expectation: number | null;
    perception: number | null;
    comment: string | null;
    contact_id: string | null;
    account_id: string;
    case_id: string | null;
    opportunity_id: string | null;
    order_id: string | null;
  }[];
  if (rows.length === 0) return plan;
  const none = db.prepare("UPDATE responses SET task_state = 'none' WHERE response_id = ?");
  const wanted: {
    row: (typeof rows)[number];
    gap: number | null;
    tp: TouchpointRecord | undefined;
  }[] = [];
  store.tx(() => {
    for (const row of rows) {
      const tp = row.touchpoint_key ? tpByKey.get(row.touchpoint_key) : undefined;
      const threshold = tp?.Follow_Up_Threshold__c ?? -15;
      // The response's gap and NPS category as the scoring module defines them.
      const summary = responseSummary({
        touchpointKey: row.touchpoint_key,
        channel: null,
        perception: row.perception,
        expectation: row.expectation
      });
      const gap = summary.gap === null ? null : Math.round(summary.gap * 100) / 100;
      const detractor = npsCategory(row.nps) === 'detractor';
      if ((gap !== null && gap < threshold) || detractor) wanted.push({ row, gap, tp });
      else none.run(row.response_id);
    }
  });
  plan.wanted = wanted.length;
  if (wanted.length === 0) return plan;
  // A Task an earlier run created but never recorded (a crash between upload and results)
  // is found, not created again or overwritten. Only Tasks created since the last push that
  // recorded all of its Tasks can be such: a query bounded by that time, not by every id.
  const since = store.getMeta('tasks_recorded_before');
  const wantedIds = new Set(wanted.map((w) => w.row.response_id));
  const existing = (
    await queryAll<{ Id: string; CX_Response_Id__c: string }>(
      conn,
      counter,
      'Task',
      `SELECT Id, CX_Response_Id__c FROM Task WHERE CX_Response_Id__c != null${
        since ? ` AND CreatedDate >= ${since.replace(/\.\d{3}Z$/, 'Z')}` : ''
      }`
    )
  ).filter((t) => wantedIds.has(t.CX_Response_Id__c));
  const found = new Map(existing.map((t) => [t.CX_Response_Id__c, t.Id]));
  let fallback: string | null = null;
  if (settings.fallbackOwnerUsername) {
    const [u] = await queryIn<{ Id: string }>(
      conn,
      counter,
      'User',
      'Id',
      'Username',
      [settings.fallbackOwnerUsername],
      'IsActive = true'
    );
    fallback = u?.Id ?? null;
  }
  const due = new Date(Date.now() + settings.dueDays * 24 * 3600 * 1000).toISOString().slice(0, 10);
  for (const { row, gap, tp } of wanted) {
    const id = found.get(row.response_id);
    if (id) {
      plan.known.set(row.response_id, { id, error: null });
      result.tasks.existing++;
      continue;
    }
    const owner =
      tp?.Process_Owner__c && tp.Process_Owner__r?.IsActive ? tp.Process_Owner__c : fallback;
    const what = row.case_id ?? row.opportunity_id ?? row.order_id ?? row.account_id;
    const reason =
      gap !== null && gap < (tp?.Follow_Up_Threshold__c ?? -15)
        ? `gap ${gap.toFixed(1)}`
        : `NPS ${row.nps}`;
    plan.records.set(row.response_id, {
      CX_Response_Id__c: row.response_id,
      Subject: `Follow up: ${tp?.Name ?? 'customer feedback'} (${reason})`.slice(0, 255),
      Description: [
        `Touchpoint: ${tp?.Name ?? row.touchpoint_key ?? 'unknown'}`,
        gap !== null
          ? `Gap (perception - expectation, 0-100): ${gap.toFixed(1)}; follow-up threshold ${tp?.Follow_Up_Threshold__c ?? -15}`
          : null,
        row.nps !== null ? `NPS answer: ${row.nps}` : null,
        row.comment ? `Verbatim: ${row.comment}` : null,
        `Response: ${row.response_id}`
      ]
        .filter(Boolean)
        .join('\n')
        .slice(0, 32000),
      ActivityDate: due,
      Status: 'Not Started',
      Priority: 'High',
      WhoId: row.contact_id,
      WhatId: what,
      CX_Touchpoint__c: tp?.Id ?? null,
      ...(owner ? { OwnerId: owner } : {})
    });
  }
  return plan;
}

/**
 * Upserts the planned Tasks. A Task follows the response, not its perception record: the
 * customer's experience wants its follow-up even if the perception failed to push.
 */
async function sendTasks(
  store: Store,
  p: Pusher,
  plan: TaskPlan,
  result: PushResult,
  onSubmitted: () => void
): Promise<void> {
  if (plan.wanted === 0) return onSubmitted();
  applyOutcomes(store, 'Task', plan.known);
  const records = [...plan.records.values()];
  if (records.length > 0) {
    const outcomes = await p.write(
      'Task',
      'CX_Response_Id__c',
      records,
      (r) => String(r.CX_Response_Id__c),
      undefined,
      onSubmitted
    );
    const n = applyOutcomes(store, 'Task', outcomes);
    result.tasks.created += n.ok;
    result.tasks.failed += n.failed;
    for (const [k, o] of outcomes)
      if (o.error) result.failures.push({ object: 'Task', key: k, error: o.error });
  } else onSubmitted();
  store.setMeta('tasks_recorded_before', plan.startedAt);
}

export { isTransient };
