import { crashPoint } from './crash';
import {
  accumulatePrepared,
  createStatistics,
  DEFAULT_SETTINGS,
  parseAnswers,
  parseStatistics,
  periodOf,
  prepareResponse,
  serializeStatistics,
  statisticsOf,
  type ScopeKind,
  type ScopeStatistics,
  type ScoringResponse,
  type ScoringSettings
} from './scoring';
import type { Store } from './store';

/**
 * `score`: keeps the mergeable statistics of every scope and month
 * (A account with its breakdown, T touchpoint, J journey, O org) up to date.
 * New responses are added to the stored statistics (cost grows with the new
 * data); a response that was edited, re-matched or erased makes its
 * scope-months recompute from the store.
 */

export type Scope = 'A' | 'T' | 'J' | 'O';
const KIND: Record<Scope, ScopeKind> = { A: 'account', T: 'touchpoint', J: 'journey', O: 'org' };
const COLUMN: Record<Scope, string | null> = {
  A: 'account_id',
  T: 'touchpoint_key',
  J: 'journey_key',
  O: null
};

/** A rep capture read back from the org (CX_Perception__c with Source__c = 'Rep_Capture'). */
export interface RepCapture {
  id: string;
  responseId: string;
  createdDate: string;
  occurredAt: string;
  accountId: string;
  contactId: string | null;
  touchpointId: string | null;
  touchpointKey: string | null;
  journeyKey: string | null;
  channel: string | null;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  expectation: number | null;
  perception: number | null;
  selfRating: number | null;
  answers: string | null;
  comment: string | null;
  language: string | null;
  caseId: string | null;
  opportunityId: string | null;
  orderId: string | null;
  relatedRecordId: string | null;
}

export interface ScoreOptions {
  settings?: ScoringSettings;
  /** Rep captures read back from the org, all those with CreatedDate <= cutoff. */
  repCaptures?: { records: RepCapture[]; cutoff: string };
}

export interface ScoreResult {
  /** Responses added to the statistics incrementally. */
  added: number;
  /** Responses whose change made their scope-months recompute. */
  changed: number;
  /** Scope-months recomputed from the store. */
  recomputed: number;
  /** Scope-months written (and so to be pushed). */
  scopesWritten: number;
  /** Imported responses not matched yet (scored after `match`). */
  awaitingMatch: number;
  repCaptures: { read: number; new: number; changed: number; invalid: number };
  /** Every rep capture with CreatedDate <= this is in the statistics. */
  includesThrough: string | null;
  failures: { responseId: string; reason: string }[];
}

interface ResponseRow {
  rowid?: number;
  response_id: string;
  source: string;
  touchpoint_key: string | null;
  journey_key: string | null;
  account_id: string | null;
  contact_id: string | null;
  channel: string | null;
  occurred_at: string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  expectation: number | null;
  perception: number | null;
  self_rating: number | null;
  answers: string;
  content_hash: string;
  scored_key: string | null;
  scored_scopes: string | null;
  match_status: string;
}

/** A response row as the scoring module reads it. */
export function scoringResponse(row: ResponseRow): ScoringResponse {
  const parsed = parseAnswers(row.answers);
  if (!parsed.ok) throw new Error(parsed.error);
  return {
    touchpointKey: row.touchpoint_key,
    channel: row.channel,
    occurredAt: row.occurred_at,
    nps: row.nps,
    csat: row.csat,
    ces: row.ces,
    answers: parsed.answers,
    selfRating: row.self_rating,
    perception: row.perception,
    expectation: row.expectation
  };
}

const scopeId = (scope: Scope, key: string, period: string) =>
  `${scope}\u0000${key}\u0000${period}`;
function splitScopeId(id: string): [Scope, string, string] {
  const [s, k, p] = id.split('\u0000') as [Scope, string, string];
  return [s, k, p];
}

/** Scope-months a response feeds: every response feeds its org month; matched ones more. */
function scopesOf(row: ResponseRow, period: string): string[] {
  const out = [scopeId('O', '', period)];
  if (row.account_id) out.push(scopeId('A', row.account_id, period));
  if (row.touchpoint_key) out.push(scopeId('T', row.touchpoint_key, period));
  if (row.journey_key) out.push(scopeId('J', row.journey_key, period));
  return out;
}

/** The settings the store was last scored with; a time-zone change re-periods everything. */
function checkTimeZone(store: Store, settings: ScoringSettings): void {
  const previous = store.getMeta('score_time_zone');
  if (previous !== undefined && previous !== settings.timeZone) {
    store.tx(() => {
      store.db
        .prepare('UPDATE responses SET score_pending = 1, scored_key = NULL, scored_scopes = NULL')
        .run();
      store.db.prepare('DELETE FROM stats').run();
    });
  }
  store.setMeta('score_time_zone', settings.timeZone);
}

/** Stores rep captures read back from the org; they feed the statistics like imported responses. */
export function ingestRepCaptures(
  store: Store,
  records: RepCapture[]
): {
  new: number;
  changed: number;
  invalid: number;
  failures: { responseId: string; reason: string }[];
} {
  const db = store.db;
  const find = db.prepare('SELECT content_hash FROM responses WHERE response_id = ?');
  const upsert = db.prepare(
    `INSERT INTO responses (response_id, source, email, email_norm, touchpoint_ref, channel, occurred_at, nps, csat, ces,
       expectation, perception, self_rating, answers, comment, language, content_hash, updated_at,
       match_status, contact_id, account_id, touchpoint_id, touchpoint_key, journey_key, case_id, opportunity_id,
       order_id, related_record_id, created_date, perception_id, score_pending, push_pending)
     VALUES (@responseId, 'Rep_Capture', NULL, NULL, @touchpointKey, @channel, @occurredAt, @nps, @csat, @ces,
       @expectation, @perception, @selfRating, @answers, @comment, @language, @hash, @now,
       'matched', @contactId, @accountId, @touchpointId, @touchpointKey, @journeyKey, @caseId, @opportunityId,
       @orderId, @relatedRecordId, @createdDate, @id, 1, 0)
     ON CONFLICT(response_id) DO UPDATE SET touchpoint_ref = excluded.touchpoint_ref, channel = excluded.channel,
       occurred_at = excluded.occurred_at, nps = excluded.nps, csat = excluded.csat, ces = excluded.ces,
       expectation = excluded.expectation, perception = excluded.perception, self_rating = excluded.self_rating,
       answers = excluded.answers, comment = excluded.comment, language = excluded.language,
       content_hash = excluded.content_hash, updated_at = excluded.updated_at, contact_id = excluded.contact_id,
       account_id = excluded.account_id, touchpoint_id = excluded.touchpoint_id, touchpoint_key = excluded.touchpoint_key,
       journey_key = excluded.journey_key, case_id = excluded.case_id, opportunity_id = excluded.opportunity_id,
       order_id = excluded.order_id, related_record_id = excluded.related_record_id,
       created_date = excluded.created_date, perception_id = excluded.perception_id, score_pending = 1`
  );
  const out = {
    new: 0,
    changed: 0,
    invalid: 0,
    failures: [] as { responseId: string; reason: string }[]
  };
  const now = new Date().toISOString();
  store.tx(() => {
    for (const c of records) {
      const answers = c.answers && c.answers.trim() !== '' ? c.answers : '{"v":1,"a":[]}';
      const check = parseAnswers(answers);
      let reason: string | null = check.ok ? null : check.error;
      if (!reason) {
        try {
          prepareResponse({ ...scoringFields(c), answers: check.ok ? check.answers : [] });
        } catch (e) {
          reason = (e as Error).message;
        }
      }
      if (reason) {
        out.invalid++;
        out.failures.push({ responseId: c.responseId, reason: `rep capture ${c.id}: ${reason}` });
        continue;
      }
      const hash = JSON.stringify([
        c.occurredAt,
        c.accountId,
        c.contactId,
        c.touchpointKey,
        c.journeyKey,
        c.channel,
        c.nps,
        c.csat,
        c.ces,
        c.expectation,
        c.perception,
        c.selfRating,
        answers,
        c.comment,
        c.caseId,
        c.opportunityId,
        c.orderId,
        c.relatedRecordId
      ]);
      const existing = find.get(c.responseId) as { content_hash: string } | undefined;
      if (existing && existing.content_hash === hash) continue;
      upsert.run({ ...c, answers, hash, now });
      if (existing) out.changed++;
      else out.new++;
    }
  });
  return out;
}

function scoringFields(c: RepCapture): ScoringResponse {
  return {
    touchpointKey: c.touchpointKey,
    channel: c.channel,
    nps: c.nps,
    csat: c.csat,
    ces: c.ces,
    selfRating: c.selfRating,
    perception: c.perception,
    expectation: c.expectation
  };
}

/**
 * Brings the statistics up to date with the store. Library function behind
 * `outside-in score` and the score step of `sync`.
 */
export function scoreStore(store: Store, options: ScoreOptions = {}): ScoreResult {
  const settings = options.settings ?? DEFAULT_SETTINGS;
  const db = store.db;
  checkTimeZone(store, settings);
  const result: ScoreResult = {
    added: 0,
    changed: 0,
    recomputed: 0,
    scopesWritten: 0,
    awaitingMatch: 0,
    repCaptures: { read: 0, new: 0, changed: 0, invalid: 0 },
    includesThrough: store.getMeta('captures_through') ?? null,
    failures: []
  };
  if (options.repCaptures) {
    const r = ingestRepCaptures(store, options.repCaptures.records);
    result.repCaptures = {
      read: options.repCaptures.records.length,
      new: r.new,
      changed: r.changed,
      invalid: r.invalid
    };
    result.failures.push(...r.failures);
    result.includesThrough = options.repCaptures.cutoff;
  }
  crashPoint('score:captures');

  const cache = new Map<string, ScopeStatistics>();
  const dirty = new Set<string>();
  const loadStats = db.prepare(
    'SELECT stats FROM stats WHERE scope = ? AND scope_key = ? AND period = ?'
  );
  const get = (id: string): ScopeStatistics => {
    let s = cache.get(id);
    if (!s) {
      const [scope, key, period] = splitScopeId(id);
      const row = loadStats.get(scope, key, period) as { stats: string } | undefined;
      s = row ? parseStatistics(row.stats, KIND[scope]) : createStatistics(KIND[scope]);
      cache.set(id, s);
    }
    return s;
  };
  const markSummary = db.prepare(
    'INSERT OR IGNORE INTO summaries (object, record_id) VALUES (?, ?)'
  );
  const update = db.prepare(
    `UPDATE responses SET period = ?, scored_key = ?, scored_scopes = ?, score_pending = 0,
       push_pending = CASE WHEN source = 'Rep_Capture' OR account_id IS NULL THEN push_pending ELSE 1 END
     WHERE rowid = ?`
  );
  const failScore = db.prepare(
    'UPDATE responses SET score_pending = 0, push_error = ? WHERE rowid = ?'
  );
  // Pending responses in pages (the statement cannot stay open while rows are updated), so
  // memory does not grow with the backlog.
  const page = db.prepare(
    `SELECT rowid, response_id, source, touchpoint_key, journey_key, account_id, contact_id, channel, occurred_at,
       nps, csat, ces, expectation, perception, self_rating, answers, content_hash, scored_key, scored_scopes,
       match_status
     FROM responses WHERE score_pending = 1 AND match_status != 'pending' AND response_id > ?
     ORDER BY response_id LIMIT 5000`
  );
  const accounts = new Set<string>();
  const contacts = new Set<string>();

  store.tx(() => {
    result.awaitingMatch = (
      db
        .prepare(
          "SELECT COUNT(*) AS n FROM responses WHERE score_pending = 1 AND match_status = 'pending'"
        )
        .get() as { n: number }
    ).n;
    let after = '';
    for (;;) {
      const rows = page.all(after) as ResponseRow[];
      if (rows.length === 0) break;
      after = rows[rows.length - 1]!.response_id;
      for (const row of rows) scoreRow(row);
    }
    function scoreRow(row: ResponseRow): void {
      let period: string;
      let prepared;
      try {
        period = periodOf(row.occurred_at, settings.timeZone);
        prepared = prepareResponse(scoringResponse(row));
      } catch (e) {
        result.failures.push({ responseId: row.response_id, reason: (e as Error).message });
        failScore.run(`score: ${(e as Error).message}`, row.rowid);
        return;
      }
      const scopes = scopesOf(row, period);
      const key = [
        row.content_hash,
        row.account_id,
        row.contact_id,
        row.touchpoint_key,
        row.journey_key,
        period
      ].join('|');
      if (row.scored_key === null) {
        for (const id of scopes) if (!dirty.has(id)) accumulatePrepared(get(id), prepared);
        result.added++;
      } else if (row.scored_key !== key) {
        for (const id of [...(JSON.parse(row.scored_scopes ?? '[]') as string[]), ...scopes])
          dirty.add(id);
        result.changed++;
      }
      update.run(period, key, JSON.stringify(scopes), row.rowid);
      if (row.account_id) accounts.add(row.account_id);
      if (row.contact_id) contacts.add(row.contact_id);
    }
    for (const id of accounts) markSummary.run('Account', id);
    for (const id of contacts) markSummary.run('Contact', id);
    // Scope-months marked by an erasure (forget) recompute too.
    for (const r of db
      .prepare('SELECT scope, scope_key, period FROM stats WHERE dirty = 1')
      .all() as {
      scope: Scope;
      scope_key: string;
      period: string;
    }[]) {
      dirty.add(scopeId(r.scope, r.scope_key, r.period));
    }
    for (const id of dirty) {
      cache.set(id, recompute(store, id));
      result.recomputed++;
    }
    const write = db.prepare(
      `INSERT INTO stats (scope, scope_key, period, stats, n, dirty, push_pending, includes_through)
       VALUES (?, ?, ?, ?, ?, 0, 1, ?)
       ON CONFLICT(scope, scope_key, period) DO UPDATE SET stats = excluded.stats, n = excluded.n, dirty = 0,
         push_pending = 1, includes_through = excluded.includes_through`
    );
    for (const [id, stats] of cache) {
      const [scope, key, period] = splitScopeId(id);
      write.run(
        scope,
        key,
        period,
        serializeStatistics(stats),
        stats.overall.n,
        result.includesThrough
      );
      result.scopesWritten++;
    }
    if (result.includesThrough) store.setMeta('captures_through', result.includesThrough);
  });
  crashPoint('score:done');
  return result;
}

/** Statistics of one scope-month from every scored response in it. */
export function recompute(store: Store, id: string): ScopeStatistics {
  const [scope, key, period] = splitScopeId(id);
  const col = COLUMN[scope];
  const rows = store.db
    .prepare(
      `SELECT * FROM responses WHERE period = ? AND score_pending = 0 AND scored_key IS NOT NULL
       ${col ? `AND ${col} = ?` : ''}`
    )
    .iterate(...(col ? [period, key] : [period])) as IterableIterator<ResponseRow>;
  function* responses(): Generator<ScoringResponse> {
    for (const row of rows) yield scoringResponse(row);
  }
  return statisticsOf(KIND[scope], responses());
}

/** Marks the scope-months a response feeds for recomputation (before it is erased). */
export function markScopesDirty(store: Store, responseId: string): void {
  const row = store.db
    .prepare('SELECT scored_scopes FROM responses WHERE response_id = ?')
    .get(responseId) as { scored_scopes: string | null } | undefined;
  if (!row?.scored_scopes) return;
  const mark = store.db.prepare(
    `INSERT INTO stats (scope, scope_key, period, stats, n, dirty, push_pending) VALUES (?, ?, ?, '', 0, 1, 1)
     ON CONFLICT(scope, scope_key, period) DO UPDATE SET dirty = 1`
  );
  for (const id of JSON.parse(row.scored_scopes) as string[]) mark.run(...splitScopeId(id));
}

/** The statistics of one scope-month as stored (tests, the workbench). */
export function storedStatistics(
  store: Store,
  scope: Scope,
  key: string,
  period: string
): ScopeStatistics | null {
  const row = store.db
    .prepare('SELECT stats FROM stats WHERE scope = ? AND scope_key = ? AND period = ?')
    .get(scope, key, period) as { stats: string } | undefined;
  return row && row.stats ? parseStatistics(row.stats, KIND[scope]) : null;
}
