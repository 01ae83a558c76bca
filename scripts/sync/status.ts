import type { Store } from './store';

/**
 * `status`: counts per stage, and the reconciliation read = stored + quarantined.
 */

export interface StoreStatus {
  orgId: string;
  store: string;
  schemaVersion: number;
  imports: { files: number; running: number; failed: number };
  read: number;
  stored: number;
  quarantined: number;
  reconciled: boolean;
  responses: { total: number; imported: number; repCaptures: number };
  matched: number;
  unmatched: number;
  matchPending: number;
  unmatchedReasons: Record<string, number>;
  scorePending: number;
  scopes: number;
  pushed: number;
  pushPending: number;
  failed: number;
  tasks: number;
  lastRun: { runId: string; status: string; startedAt: string; finishedAt: string | null } | null;
}

export function storeStatus(store: Store): StoreStatus {
  const db = store.db;
  const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
  const imports = one<{ files: number; running: number; failed: number; read: number | null }>(
    `SELECT COUNT(*) AS files, SUM(status = 'running') AS running, SUM(status = 'failed') AS failed,
            SUM(CASE WHEN status = 'done' THEN rows_read ELSE 0 END) AS read FROM imports`
  );
  const rows = one<{ stored: number | null; quarantined: number | null }>(
    `SELECT SUM(r.status = 'stored') AS stored, SUM(r.status = 'quarantined') AS quarantined
     FROM rows r JOIN imports i ON i.id = r.import_id WHERE i.status = 'done'`
  );
  const resp = one<Record<string, number | null>>(
    `SELECT COUNT(*) AS total,
            SUM(source != 'Rep_Capture') AS imported,
            SUM(source = 'Rep_Capture') AS rep,
            SUM(source != 'Rep_Capture' AND match_status = 'matched') AS matched,
            SUM(source != 'Rep_Capture' AND match_status = 'unmatched') AS unmatched,
            SUM(source != 'Rep_Capture' AND match_status = 'pending') AS pending,
            SUM(score_pending) AS score_pending,
            SUM(source != 'Rep_Capture' AND pushed_key IS NOT NULL AND push_pending = 0 AND push_error IS NULL) AS pushed,
            SUM(push_pending) AS push_pending,
            SUM(push_error IS NOT NULL) AS failed,
            SUM(task_id IS NOT NULL) AS tasks
     FROM responses`
  );
  const reasons = db
    .prepare(
      `SELECT COALESCE(match_reason, 'unknown') AS reason, COUNT(*) AS n FROM responses
       WHERE match_status = 'unmatched' GROUP BY 1 ORDER BY 2 DESC`
    )
    .all() as { reason: string; n: number }[];
  const scopes = one<{ n: number }>('SELECT COUNT(*) AS n FROM stats').n;
  const run = one<
    { run_id: string; status: string; started_at: string; finished_at: string | null } | undefined
  >(
    'SELECT run_id, status, started_at, finished_at FROM sync_runs ORDER BY started_at DESC LIMIT 1'
  );
  const read = imports.read ?? 0;
  const stored = rows.stored ?? 0;
  const quarantined = rows.quarantined ?? 0;
  const n = (v: number | null | undefined) => v ?? 0;
  return {
    orgId: store.orgId,
    store: store.file,
    schemaVersion: store.schemaVersion,
    imports: { files: imports.files, running: n(imports.running), failed: n(imports.failed) },
    read,
    stored,
    quarantined,
    reconciled: read === stored + quarantined,
    responses: { total: n(resp.total), imported: n(resp.imported), repCaptures: n(resp.rep) },
    matched: n(resp.matched),
    unmatched: n(resp.unmatched),
    matchPending: n(resp.pending),
    unmatchedReasons: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
    scorePending: n(resp.score_pending),
    scopes,
    pushed: n(resp.pushed),
    pushPending: n(resp.push_pending),
    failed: n(resp.failed),
    tasks: n(resp.tasks),
    lastRun: run
      ? {
          runId: run.run_id,
          status: run.status,
          startedAt: run.started_at,
          finishedAt: run.finished_at
        }
      : null
  };
}
