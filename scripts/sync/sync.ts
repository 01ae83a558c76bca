import { randomUUID } from 'node:crypto';
import { crashPoint } from './crash';
import { importFiles, type ImportOptions, type ImportResult } from './importer';
import { matchStore, type MatchResult } from './match';
import { ApiCounter, withRetry, type OrgTarget } from './org';
import { PushSession, readOrgSettings, readRepCaptures, type PushResult } from './push';
import { scoreStore, type ScoreResult } from './score';
import type { Store } from './store';

/**
 * `sync`: import (when files are given), match, score, push, in that order,
 * and a CX_Sync_Run__c record in the org so admins see every run. Each step
 * is restartable, so a rerun after a crash finishes the work.
 */

export interface SyncOptions {
  files?: string[];
  import?: ImportOptions;
  bulkThreshold?: number;
  counter?: ApiCounter;
  /** How far in the past the rep-capture cut-off lies (>= 1 s). */
  captureLagMs?: number;
  /** Responses matched, scored and pushed per round (default 40,000). */
  roundSize?: number;
  /** Called before each stage (awaited: tests act between two steps). */
  onStage?: (stage: string) => void | Promise<void>;
}

export interface SyncResult {
  runId: string;
  status: 'Succeeded' | 'Partial' | 'Failed';
  startedAt: string;
  finishedAt: string;
  counts: {
    read: number;
    stored: number;
    quarantined: number;
    matched: number;
    unmatched: number;
    pushed: number;
    failed: number;
  };
  import: ImportResult | null;
  match: MatchResult | null;
  score: ScoreResult | null;
  push: PushResult | null;
  apiCalls: { total: number; byObject: Record<string, number> };
  /** Milliseconds per stage, as run (admins see where a run spends its time). */
  durationsMs: Record<string, number>;
  error: string | null;
}

/**
 * The store-based `score` step: reads the org's settings and the rep captures
 * no snapshot includes yet, then brings the statistics up to date. The
 * library function behind `outside-in score` without a file.
 */
export async function scoreWithOrg(
  store: Store,
  target: OrgTarget,
  options: { counter?: ApiCounter; captureLagMs?: number } = {}
): Promise<ScoreResult> {
  const counter = options.counter ?? new ApiCounter();
  const settings = await readOrgSettings(target.conn, counter);
  const captures = await readRepCaptures(store, target.conn, counter, options.captureLagMs);
  return scoreStore(store, { settings: settings.scoring, repCaptures: captures });
}

/** Two rounds' match results as one. */
function addMatch(a: MatchResult, b: MatchResult): MatchResult {
  const reasons = { ...a.reasons };
  for (const [k, v] of Object.entries(b.reasons)) reasons[k] = (reasons[k] ?? 0) + v;
  return {
    considered: a.considered + b.considered,
    matched: a.matched + b.matched,
    unmatched: a.unmatched + b.unmatched,
    changed: a.changed + b.changed,
    reasons,
    apiCalls: a.apiCalls + b.apiCalls
  };
}

/** Two rounds' score results as one (the second round reads no rep captures). */
function addScore(a: ScoreResult, b: ScoreResult): ScoreResult {
  return {
    added: a.added + b.added,
    changed: a.changed + b.changed,
    recomputed: a.recomputed + b.recomputed,
    scopesWritten: a.scopesWritten + b.scopesWritten,
    awaitingMatch: b.awaitingMatch,
    repCaptures: a.repCaptures,
    includesThrough: b.includesThrough ?? a.includesThrough,
    failures: [...a.failures, ...b.failures]
  };
}

export async function runSync(
  store: Store,
  target: OrgTarget,
  options: SyncOptions = {}
): Promise<SyncResult> {
  const counter = options.counter ?? new ApiCounter();
  const runId = `run-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const result: SyncResult = {
    runId,
    status: 'Failed',
    startedAt,
    finishedAt: startedAt,
    counts: { read: 0, stored: 0, quarantined: 0, matched: 0, unmatched: 0, pushed: 0, failed: 0 },
    import: null,
    match: null,
    score: null,
    push: null,
    apiCalls: { total: 0, byObject: counter.calls },
    durationsMs: {},
    error: null
  };
  let stageStart = Date.now();
  const timed = (stage: string) => {
    const now = Date.now();
    result.durationsMs[stage] = (result.durationsMs[stage] ?? 0) + now - stageStart;
    stageStart = now;
  };
  store.db
    .prepare("INSERT INTO sync_runs (run_id, started_at, status) VALUES (?, ?, 'Running')")
    .run(runId, startedAt);
  const conn = target.conn;
  const record = async (status: string) => {
    counter.add('CX_Sync_Run__c:collections');
    const details = JSON.stringify({
      import: result.import && {
        ...result.import,
        files: result.import.files.map((f) => ({
          ...f,
          unusedColumns: f.unusedColumns.slice(0, 20)
        }))
      },
      match: result.match,
      score: result.score && { ...result.score, failures: result.score.failures.slice(0, 50) },
      push: result.push && { ...result.push, failures: result.push.failures.slice(0, 200) },
      apiCalls: counter.calls,
      durationsMs: result.durationsMs,
      error: result.error
    }).slice(0, 131072);
    await withRetry(() =>
      conn.sobject('CX_Sync_Run__c').upsert(
        {
          Run_Id__c: runId,
          Started__c: startedAt,
          Finished__c: status === 'Running' ? null : result.finishedAt,
          Status__c: status,
          Rows_Read__c: result.counts.read,
          Stored__c: result.counts.stored,
          Quarantined__c: result.counts.quarantined,
          Matched__c: result.counts.matched,
          Unmatched__c: result.counts.unmatched,
          Pushed__c: result.counts.pushed,
          Failed__c: result.counts.failed,
          Details__c: details
        },
        'Run_Id__c'
      )
    );
  };
  try {
    await record('Running');
    // Rounds: match, score, snapshots and the perceptions of up to `roundSize` responses;
    // the org processes a round's perceptions while the next round is read, matched and
    // scored. Full rounds start while the files are still being imported.
    const settings = await readOrgSettings(conn, counter);
    const session = new PushSession(store, conn, counter, {
      settings,
      runId,
      ...(options.bulkThreshold !== undefined ? { bulkThreshold: options.bulkThreshold } : {})
    });
    const roundSize = options.roundSize ?? 40_000;
    const cursor = { rowid: 0 };
    const cache = {};
    let round = 0;
    const lastRow = () =>
      (store.db.prepare('SELECT MAX(rowid) AS m FROM responses').get() as { m: number | null }).m ??
      0;
    const runRound = async (windowed = true) => {
      round++;
      await options.onStage?.('match');
      const from = cursor.rowid;
      const match = await matchStore(
        store,
        conn,
        windowed ? { counter, cursor, limit: roundSize, cache } : { counter, cache }
      );
      result.match = result.match ? addMatch(result.match, match) : match;
      result.counts.matched = result.match.matched;
      result.counts.unmatched = result.match.unmatched;
      timed('match');
      crashPoint('sync:matched');
      await options.onStage?.('score');
      // Rep captures are read once: later rounds' snapshots include the same ones.
      const captures =
        round === 1 ? await readRepCaptures(store, conn, counter, options.captureLagMs) : undefined;
      const score = scoreStore(store, {
        settings: settings.scoring,
        ...(captures ? { repCaptures: captures } : {})
      });
      result.score = result.score ? addScore(result.score, score) : score;
      timed('score');
      crashPoint('sync:scored');
      await options.onStage?.('push');
      if (round === 1) await session.start();
      await session.pushSnapshots();
      await session.submitPerceptions(windowed ? { window: { from, to: cursor.rowid } } : {});
      timed('push');
    };
    timed('start');
    if (options.files && options.files.length > 0) {
      await options.onStage?.('import');
      result.import = await importFiles(store, options.files, {
        ...options.import,
        onRows: {
          every: roundSize,
          run: async () => {
            timed('import');
            const last = lastRow();
            while (cursor.rowid + roundSize <= last) await runRound();
          }
        }
      });
      Object.assign(result.counts, {
        read: result.import.read,
        stored: result.import.stored,
        quarantined: result.import.quarantined
      });
      timed('import');
    }
    crashPoint('sync:imported');
    const last = lastRow();
    do await runRound();
    while (cursor.rowid < last);
    // A later file may have edited a response of a round already done: one more round for
    // whatever is still waiting for its match, then the perceptions scored outside the
    // rounds' rows.
    const waiting = store.db
      .prepare(
        "SELECT 1 FROM responses WHERE match_status = 'pending' AND source != 'Rep_Capture' LIMIT 1"
      )
      .get();
    if (waiting) await runRound(false);
    else await session.submitPerceptions();
    result.push = await session.finish();
    timed('push');
    crashPoint('sync:pushed');
    const p = result.push;
    result.counts.pushed = p.snapshots.pushed + p.perceptions.pushed + p.tasks.created;
    result.counts.failed = p.failures.length + (result.score?.failures.length ?? 0);
    const fileFailures = result.import?.failedFiles ?? 0;
    result.status = result.counts.failed > 0 || fileFailures > 0 ? 'Partial' : 'Succeeded';
  } catch (e) {
    result.error = (e as Error).message;
    if (process.env.OUTSIDE_IN_DEBUG) process.stderr.write(`${(e as Error).stack}\n`);
    result.status = 'Failed';
    if ((e as Error).name === 'SimulatedCrash') throw e;
  } finally {
    result.finishedAt = new Date().toISOString();
    result.apiCalls = { total: counter.total, byObject: counter.calls };
    store.db
      .prepare(
        'UPDATE sync_runs SET finished_at = ?, status = ?, counts = ?, details = ? WHERE run_id = ?'
      )
      .run(
        result.finishedAt,
        result.status,
        JSON.stringify(result.counts),
        JSON.stringify({ error: result.error }),
        runId
      );
  }
  try {
    await record(result.status);
    store.db.prepare('UPDATE sync_runs SET recorded_in_org = 1 WHERE run_id = ?').run(runId);
  } catch (e) {
    result.error = result.error ?? `could not record the run in the org: ${(e as Error).message}`;
  }
  result.apiCalls = { total: counter.total, byObject: counter.calls };
  return result;
}
