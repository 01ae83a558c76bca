import type { Connection } from '@jsforce/jsforce-node';
import { crashPoint } from './crash';
import { ApiCounter, looksLikeId, queryAll, queryIn } from './org';
import type { Store } from './store';

/**
 * `match`: links each response to its Contact (e-mail, case-insensitive,
 * trimmed), Account (through the Contact, or by Account Id or AccountNumber),
 * transaction (Case number, Opportunity Id, Order number, any record Id) and
 * Touchpoint (key or name). Unmatched responses stay in the store with their
 * reason; a change of match makes the response rescore.
 */

export interface TouchpointRecord {
  Id: string;
  Name: string;
  Key__c: string;
  Journey__c: string | null;
  Journey__r: { Key__c: string } | null;
  Follow_Up_Threshold__c: number | null;
  Brand_Promise__c: number | null;
  Believed_Expectation__c: number | null;
  Importance_Weight__c: number | null;
  Process_Owner__c: string | null;
  Process_Owner__r: { IsActive: boolean } | null;
}

export async function readTouchpoints(
  conn: Connection,
  counter?: ApiCounter
): Promise<TouchpointRecord[]> {
  return queryAll<TouchpointRecord>(
    conn,
    counter,
    'CX_Touchpoint__c',
    `SELECT Id, Name, Key__c, Journey__c, Journey__r.Key__c, Follow_Up_Threshold__c, Brand_Promise__c,
       Believed_Expectation__c, Importance_Weight__c, Process_Owner__c, Process_Owner__r.IsActive
     FROM CX_Touchpoint__c`.replace(/\s+/g, ' ')
  );
}

/** Whether the org has Person Accounts (Account.PersonEmail exists). */
async function personAccountsEnabled(conn: Connection, counter: ApiCounter): Promise<boolean> {
  try {
    counter.add('Account:describe');
    const d = await conn.sobject('Account').describe();
    return d.fields.some((f) => f.name === 'PersonEmail');
  } catch {
    return false;
  }
}

export interface MatchResult {
  considered: number;
  matched: number;
  unmatched: number;
  changed: number;
  reasons: Record<string, number>;
  apiCalls: number;
}

interface Pending {
  rowid: number;
  response_id: string;
  email_norm: string | null;
  account_ref: string | null;
  touchpoint_ref: string | null;
  case_ref: string | null;
  opportunity_ref: string | null;
  order_ref: string | null;
  record_ref: string | null;
  content_hash: string;
  match_status: string;
  contact_id: string | null;
  account_id: string | null;
  touchpoint_key: string | null;
  journey_key: string | null;
  case_id: string | null;
  opportunity_id: string | null;
  order_id: string | null;
  related_record_id: string | null;
  import_id: number | null;
  source_row: number | null;
}

export interface MatchCache {
  touchpoints?: TouchpointRecord[];
  personAccounts?: boolean;
  byEmail?: Map<string, { Id: string; AccountId: string | null }[]>;
  /** Found records by reference (an Id, its 15 characters, or `#number`), per object. */
  found?: Map<string, Map<string, string>>;
  /** References already asked about, per kind. */
  seen?: Map<string, Set<string>>;
}

export interface MatchOptions {
  /** Re-match every imported response, not only new and unmatched ones. */
  all?: boolean;
  counter?: ApiCounter;
  /**
   * Rounds (a sync matches, scores and pushes a round while the org processes the last):
   * only the responses among the next `limit` store rows after `cursor.rowid`; the cursor
   * moves past them. A window of rows, not a sorted page, so a round reads only its rows.
   */
  cursor?: { rowid: number };
  limit?: number;
  /**
   * What does not change during a sync, read once: touchpoints, Person Accounts on or off,
   * and the records already looked up by e-mail, Id or number (a later round asks the org
   * only about references it has not seen).
   */
  cache?: MatchCache;
}

export async function matchStore(
  store: Store,
  conn: Connection,
  options: MatchOptions = {}
): Promise<MatchResult> {
  const counter = options.counter ?? new ApiCounter();
  const startCalls = counter.total;
  const db = store.db;
  const from = options.cursor?.rowid ?? 0;
  const to = options.limit !== undefined ? from + options.limit : Number.MAX_SAFE_INTEGER;
  const pending = db
    .prepare(
      `SELECT rowid, response_id, email_norm, account_ref, touchpoint_ref, case_ref, opportunity_ref, order_ref,
         record_ref, content_hash, match_status, contact_id, account_id, touchpoint_key, journey_key, case_id,
         opportunity_id, order_id, related_record_id, import_id, source_row
       FROM responses WHERE source != 'Rep_Capture' ${options.all ? '' : "AND match_status IN ('pending', 'unmatched')"}
         AND rowid > ? AND rowid <= ?`
    )
    .all(from, to) as Pending[];
  if (options.cursor) options.cursor.rowid = to;
  const result: MatchResult = {
    considered: pending.length,
    matched: 0,
    unmatched: 0,
    changed: 0,
    reasons: {},
    apiCalls: 0
  };
  if (pending.length === 0) return result;

  const cache = options.cache ?? {};
  const touchpoints = (cache.touchpoints ??= await readTouchpoints(conn, counter));
  const tpByRef = new Map<string, TouchpointRecord>();
  for (const t of touchpoints) tpByRef.set(t.Name.trim().toLowerCase(), t);
  for (const t of touchpoints) tpByRef.set(t.Key__c.trim().toLowerCase(), t);

  const seen = (cache.seen ??= new Map<string, Set<string>>());
  // The values of one kind not asked about yet in this sync; they count as asked from now.
  const unseen = (kind: string, values: string[]): string[] => {
    let set = seen.get(kind);
    if (!set) seen.set(kind, (set = new Set()));
    const out: string[] = [];
    for (const v of values) {
      // E-mails and numbers match regardless of case; record Ids do not.
      const k = kind.endsWith(':id') ? v : v.toLowerCase();
      if (!set.has(k)) {
        set.add(k);
        out.push(v);
      }
    }
    return out;
  };
  const emails = unseen(
    'email',
    pending.map((p) => p.email_norm).filter((e): e is string => !!e)
  );
  const contacts = await queryIn<{ Id: string; Email: string; AccountId: string | null }>(
    conn,
    counter,
    'Contact',
    'Id, Email, AccountId',
    'Email',
    emails
  );
  const byEmail = (cache.byEmail ??= new Map<string, { Id: string; AccountId: string | null }[]>());
  for (const c of contacts) {
    const k = c.Email.trim().toLowerCase();
    byEmail.set(k, [...(byEmail.get(k) ?? []), c]);
  }
  if ((cache.personAccounts ??= await personAccountsEnabled(conn, counter))) {
    // Person Accounts: the e-mail lives on the Account; its person contact is the Contact.
    const persons = await queryIn<{ Id: string; PersonEmail: string; PersonContactId: string }>(
      conn,
      counter,
      'Account',
      'Id, PersonEmail, PersonContactId',
      'PersonEmail',
      emails
    );
    for (const a of persons) {
      const k = a.PersonEmail.trim().toLowerCase();
      const known = byEmail.get(k) ?? [];
      if (!known.some((c) => c.Id === a.PersonContactId)) {
        byEmail.set(k, [...known, { Id: a.PersonContactId, AccountId: a.Id }]);
      }
    }
  }

  const accountRefs = pending.map((p) => p.account_ref).filter((r): r is string => !!r);
  const found = (cache.found ??= new Map<string, Map<string, string>>());
  const mapOf = (object: string) => {
    let m = found.get(object);
    if (!m) found.set(object, (m = new Map()));
    return m;
  };
  const accountIds = unseen(
    'Account:id',
    accountRefs.filter((r) => looksLikeId(r, '001'))
  );
  const accountNumbers = unseen(
    'Account:number',
    accountRefs.filter((r) => !looksLikeId(r, '001'))
  );
  const accounts = mapOf('Account');
  for (const a of await queryIn<{ Id: string }>(conn, counter, 'Account', 'Id', 'Id', accountIds)) {
    accounts.set(a.Id, a.Id);
    accounts.set(a.Id.slice(0, 15), a.Id);
  }
  for (const a of await queryIn<{ Id: string; AccountNumber: string }>(
    conn,
    counter,
    'Account',
    'Id, AccountNumber',
    'AccountNumber',
    accountNumbers
  )) {
    accounts.set(`#${a.AccountNumber.toLowerCase()}`, a.Id);
  }

  const lookup = async (
    object: string,
    numberField: string | null,
    prefix: string,
    refs: (string | null)[]
  ) => {
    const map = mapOf(object);
    const all = refs.filter((r): r is string => !!r);
    const ids = unseen(
      `${object}:id`,
      all.filter((r) => looksLikeId(r, prefix))
    );
    for (const r of await queryIn<{ Id: string }>(conn, counter, object, 'Id', 'Id', ids)) {
      map.set(r.Id, r.Id);
      map.set(r.Id.slice(0, 15), r.Id);
    }
    if (numberField) {
      const numbers = unseen(
        `${object}:number`,
        all.filter((r) => !looksLikeId(r, prefix))
      );
      for (const r of await queryIn<Record<string, string>>(
        conn,
        counter,
        object,
        `Id, ${numberField}`,
        numberField,
        numbers
      )) {
        map.set(`#${String(r[numberField]).toLowerCase()}`, r.Id as string);
      }
    }
    return map;
  };
  const cases = await lookup(
    'Case',
    'CaseNumber',
    '500',
    pending.map((p) => p.case_ref)
  );
  const opps = await lookup(
    'Opportunity',
    null,
    '006',
    pending.map((p) => p.opportunity_ref)
  );
  const orders = await lookup(
    'Order',
    'OrderNumber',
    '801',
    pending.map((p) => p.order_ref)
  );
  crashPoint('match:queried');

  const find = (map: Map<string, string>, ref: string | null) =>
    ref ? (map.get(ref) ?? map.get(`#${ref.toLowerCase()}`) ?? null) : null;

  const update = db.prepare(
    `UPDATE responses SET match_status = @status, match_reason = @reason, match_candidates = @candidates,
       match_hash = @hash, contact_id = @contact, account_id = @account, touchpoint_id = @tpId,
       touchpoint_key = @tpKey, journey_key = @journey, case_id = @caseId, opportunity_id = @oppId,
       order_id = @orderId, related_record_id = @related,
       score_pending = CASE WHEN @changed = 1 THEN 1 ELSE score_pending END
     WHERE rowid = @rowid`
  );
  const quarantineTp = db.prepare(
    `INSERT INTO quarantine (stage, import_id, file, row_number, response_id, field, code, reason, created_at)
     VALUES ('match', @importId, (SELECT path FROM imports WHERE id = @importId), @row, @id, 'touchpoint', 'unknown_touchpoint', @reason, @now)
     ON CONFLICT (response_id) WHERE stage = 'match' DO UPDATE SET reason = excluded.reason`
  );
  const clearQuarantine = db.prepare(
    "DELETE FROM quarantine WHERE stage = 'match' AND response_id = ?"
  );
  // Few responses are in the match quarantine: only those are looked up to clear it.
  const inQuarantine = new Set(
    (
      db.prepare("SELECT response_id FROM quarantine WHERE stage = 'match'").all() as {
        response_id: string;
      }[]
    ).map((q) => q.response_id)
  );
  const markSummary = db.prepare(
    'INSERT OR IGNORE INTO summaries (object, record_id) VALUES (?, ?)'
  );
  const now = new Date().toISOString();
  store.tx(() => {
    for (const p of pending) {
      let reason: string | null = null;
      let candidates: string[] | null = null;
      let contact: string | null = null;
      let account: string | null = null;
      if (p.email_norm) {
        const hits = byEmail.get(p.email_norm) ?? [];
        if (hits.length === 1) {
          contact = hits[0]!.Id;
          account = hits[0]!.AccountId;
        } else if (hits.length > 1) {
          reason = 'ambiguous';
          candidates = hits.map((h) => h.Id);
        }
      }
      if (p.account_ref) {
        const a = find(accounts, p.account_ref);
        if (a) account = a;
        else if (!account) reason = reason ?? `unknown account "${p.account_ref}"`;
      }
      if (!account && !reason) reason = p.email_norm ? 'unknown e-mail' : 'no e-mail or account';
      let tp: TouchpointRecord | undefined;
      if (p.touchpoint_ref) {
        tp = tpByRef.get(p.touchpoint_ref.trim().toLowerCase());
        if (!tp) reason = reason ?? `unknown touchpoint "${p.touchpoint_ref}"`;
      }
      const recordRef = p.record_ref && looksLikeId(p.record_ref) ? p.record_ref : null;
      const next = {
        contact: reason === 'ambiguous' ? null : contact,
        account: reason ? null : account,
        tpId: tp?.Id ?? null,
        tpKey: tp?.Key__c ?? null,
        journey: tp?.Journey__r?.Key__c ?? null,
        caseId: find(cases, p.case_ref),
        oppId: find(opps, p.opportunity_ref),
        orderId: find(orders, p.order_ref),
        related: recordRef
      };
      // Unmatched responses still count in touchpoint, journey and org scores.
      if (reason) next.account = null;
      const status = reason ? 'unmatched' : 'matched';
      const changed =
        p.match_status !== status ||
        p.account_id !== next.account ||
        p.contact_id !== next.contact ||
        p.touchpoint_key !== next.tpKey ||
        p.journey_key !== next.journey ||
        p.case_id !== next.caseId ||
        p.opportunity_id !== next.oppId ||
        p.order_id !== next.orderId ||
        p.related_record_id !== next.related;
      update.run({
        rowid: p.rowid,
        status,
        reason,
        candidates: candidates ? JSON.stringify(candidates) : null,
        hash: p.content_hash,
        ...next,
        changed: changed ? 1 : 0
      });
      if (changed) {
        result.changed++;
        // The Account or Contact a response leaves needs its CX_ fields recomputed too.
        if (p.account_id && p.account_id !== next.account) markSummary.run('Account', p.account_id);
        if (p.contact_id && p.contact_id !== next.contact) markSummary.run('Contact', p.contact_id);
      }
      if (reason?.startsWith('unknown touchpoint')) {
        quarantineTp.run({
          importId: p.import_id,
          row: p.source_row,
          id: p.response_id,
          reason,
          now
        });
      } else if (inQuarantine.has(p.response_id)) clearQuarantine.run(p.response_id);
      if (reason) {
        result.unmatched++;
        const key = reason.startsWith('unknown account')
          ? 'unknown account'
          : reason.startsWith('unknown touchpoint')
            ? 'unknown touchpoint'
            : reason;
        result.reasons[key] = (result.reasons[key] ?? 0) + 1;
      } else result.matched++;
    }
  });
  result.apiCalls = counter.total - startCalls;
  return result;
}
