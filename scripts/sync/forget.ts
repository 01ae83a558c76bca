import type { Connection } from '@jsforce/jsforce-node';
import { ApiCounter, queryIn, soqlString, queryAll, withRetry } from './org';
import { markScopesDirty } from './score';
import type { Store } from './store';

/**
 * `forget --email`: erases a person for good. In the org, their perceptions
 * and the follow-up Tasks those opened are hard-deleted (Bulk API 2.0
 * hardDelete: the recycle bin would still answer queryAll). In the store,
 * their responses go and their raw rows are blanked; the scope-months they
 * fed are marked to recompute (the next score and push update the snapshots).
 */

export interface ForgetResult {
  email: string;
  responses: number;
  perceptionsDeleted: number;
  tasksDeleted: number;
  /** Tasks this user may not delete: cleared of the person's data instead. */
  tasksScrubbed: number;
  hardDeleted: boolean;
  scopesToRecompute: number;
  warnings: string[];
  failures: { object: string; id: string; error: string }[];
}

async function hardDelete(
  conn: Connection,
  counter: ApiCounter,
  object: string,
  ids: string[],
  result: ForgetResult
): Promise<number> {
  if (ids.length === 0) return 0;
  try {
    counter.add(`${object}:bulk`, 6);
    const res = await conn.bulk2.loadAndWaitForResults({
      object,
      operation: 'hardDelete',
      input: 'Id\n' + ids.join('\n') + '\n',
      pollInterval: Number(process.env.OUTSIDE_IN_POLL_MS ?? 1000),
      pollTimeout: 10 * 60 * 1000
    });
    for (const f of res.failedResults) {
      result.failures.push({
        object,
        id: String(f.sf__Id ?? (f as Record<string, unknown>).Id),
        error: String(f.sf__Error)
      });
    }
    return res.successfulResults.length;
  } catch (e) {
    // Without Bulk hard delete (permission or API), delete and say that the recycle bin keeps them.
    result.hardDeleted = false;
    result.warnings.push(
      `${object}: hard delete failed (${(e as Error).message}); deleted to the recycle bin instead`
    );
    let n = 0;
    for (let i = 0; i < ids.length; i += 200) {
      counter.add(`${object}:collections`);
      const chunk = ids.slice(i, i + 200);
      const out = (await withRetry(() =>
        conn.sobject(object).destroy(chunk, { allOrNone: false })
      )) as unknown as {
        id: string;
        success: boolean;
        errors: { message: string }[];
      }[];
      out.forEach((r, j) => {
        if (r.success) n++;
        else
          result.failures.push({
            object,
            id: chunk[j]!,
            error: r.errors.map((x) => x.message).join('; ')
          });
      });
    }
    return n;
  }
}

export async function forgetPerson(
  store: Store,
  conn: Connection | null,
  email: string,
  counter = new ApiCounter()
): Promise<ForgetResult> {
  const norm = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(norm)) throw new Error(`"${email}" is not an e-mail address`);
  const db = store.db;
  const rows = db
    .prepare(
      'SELECT response_id, contact_id, account_id, perception_id FROM responses WHERE email_norm = ?'
    )
    .all(norm) as {
    response_id: string;
    contact_id: string | null;
    account_id: string | null;
    perception_id: string | null;
  }[];
  const contactIds = [...new Set(rows.map((r) => r.contact_id).filter((c): c is string => !!c))];
  // Rep captures about the same person carry no e-mail but their Contact.
  const captures = contactIds.length
    ? (db
        .prepare(
          `SELECT response_id, contact_id, account_id, perception_id FROM responses WHERE source = 'Rep_Capture' AND contact_id IN (${contactIds.map(() => '?').join(',')})`
        )
        .all(...contactIds) as typeof rows)
    : [];
  const all = [...rows, ...captures];
  const result: ForgetResult = {
    email: norm,
    responses: all.length,
    perceptionsDeleted: 0,
    tasksDeleted: 0,
    tasksScrubbed: 0,
    hardDeleted: true,
    scopesToRecompute: 0,
    warnings: [],
    failures: []
  };
  const responseIds = all.map((r) => r.response_id);
  if (conn) {
    const perceptionIds = new Set(all.map((r) => r.perception_id).filter((p): p is string => !!p));
    for (const p of await queryIn<{ Id: string; Response_Id__c: string }>(
      conn,
      counter,
      'CX_Perception__c',
      'Id, Response_Id__c',
      'Response_Id__c',
      responseIds
    )) {
      perceptionIds.add(p.Id);
      responseIds.push(p.Response_Id__c);
    }
    // Perceptions in the org linked to the person's Contact records, synced or not.
    for (const p of await queryAll<{ Id: string; Response_Id__c: string }>(
      conn,
      counter,
      'CX_Perception__c',
      `SELECT Id, Response_Id__c FROM CX_Perception__c WHERE Contact__r.Email = ${soqlString(email.trim())}`
    )) {
      perceptionIds.add(p.Id);
      responseIds.push(p.Response_Id__c);
    }
    const tasks = await queryIn<{ Id: string }>(conn, counter, 'Task', 'Id', 'CX_Response_Id__c', [
      ...new Set(responseIds)
    ]);
    const before = result.failures.length;
    result.tasksDeleted = await hardDelete(
      conn,
      counter,
      'Task',
      tasks.map((t) => t.Id),
      result
    );
    // Tasks this user may not delete (another owner) lose what identifies the person instead.
    const refused = result.failures.splice(before).filter((f) => f.object === 'Task');
    for (let i = 0; i < refused.length; i += 200) {
      const chunk = refused.slice(i, i + 200);
      counter.add('Task:collections');
      const out = (await withRetry(() =>
        conn.sobject('Task').update(
          chunk.map((f) => ({
            Id: f.id,
            WhoId: null,
            Subject: 'Follow up (erased on request)',
            Description: '[erased on request]'
          })),
          { allOrNone: false }
        )
      )) as unknown as { success: boolean; errors: { message: string }[] }[];
      out.forEach((r, j) => {
        const f = chunk[j]!;
        if (r.success) result.tasksScrubbed++;
        else {
          result.failures.push({
            ...f,
            error: `${f.error}; erasing its data failed too: ${r.errors.map((e) => e.message).join('; ')}`
          });
        }
      });
    }
    if (result.tasksScrubbed > 0) {
      result.warnings.push(
        `${result.tasksScrubbed} follow-up Task(s) could not be deleted by this user; the person's data in them was erased instead`
      );
    }
    result.perceptionsDeleted = await hardDelete(
      conn,
      counter,
      'CX_Perception__c',
      [...perceptionIds],
      result
    );
  }
  store.tx(() => {
    const ids = [...new Set(responseIds)];
    for (const id of ids) markScopesDirty(store, id);
    const blank = db.prepare(`UPDATE rows SET raw = '"[erased]"' WHERE response_id = ?`);
    const q = db.prepare(`UPDATE quarantine SET raw = '"[erased]"' WHERE response_id = ?`);
    const del = db.prepare('DELETE FROM responses WHERE response_id = ?');
    for (const id of ids) {
      blank.run(id);
      q.run(id);
      del.run(id);
    }
    // Rejected rows that never became responses may still carry the address.
    db.prepare(
      `UPDATE rows SET raw = '"[erased]"' WHERE status = 'quarantined' AND lower(raw) LIKE ?`
    ).run(`%${norm}%`);
    db.prepare(`UPDATE quarantine SET raw = '"[erased]"' WHERE lower(raw) LIKE ?`).run(`%${norm}%`);
    const mark = db.prepare('INSERT OR IGNORE INTO summaries (object, record_id) VALUES (?, ?)');
    for (const c of contactIds) mark.run('Contact', c);
    for (const a of new Set(all.map((r) => r.account_id).filter((x): x is string => !!x)))
      mark.run('Account', a);
    result.scopesToRecompute = (
      db.prepare('SELECT COUNT(*) AS n FROM stats WHERE dirty = 1').get() as { n: number }
    ).n;
  });
  return result;
}
