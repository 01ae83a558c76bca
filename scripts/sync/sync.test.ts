import { Connection } from '@jsforce/jsforce-node';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadProjectSchema } from '../metadata/forceApp';
import { startLocalOrg, type LocalOrg } from '../local-org';
import type { ProjectSchema } from '../metadata/types';
import { parse } from 'csv-parse/sync';
import { resetCrashPoints } from './crash';
import { csvLine } from './csv';
import { forgetPerson } from './forget';
import { generateFile, generatedMapping, sampleConfig } from './generate';
import { ApiCounter, type OrgTarget } from './org';
import { matchStore } from './match';
import { pushStore } from './push';
import { listQuarantine } from './quarantine';
import { storeStatus } from './status';
import { Store } from './store';
import { runSync, scoreWithOrg } from './sync';
import { loadSampleData } from './testing';

/**
 * The sync against the local org over real HTTP: a full run, reruns, named
 * crash points at every stage boundary and inside bulk jobs, injected faults,
 * rep captures read back exactly, and erasure.
 */

jest.setTimeout(120_000);

let schema: ProjectSchema;
let dir: string;
const config = sampleConfig();
const mapping = generatedMapping(config);

beforeAll(async () => {
  schema = loadProjectSchema();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oi-sync-'));
  await generateFile(path.join(dir, 'a.csv'), { count: 400, seed: 21, badRate: 0.03, config });
  await generateFile(path.join(dir, 'b.csv'), {
    count: 150,
    seed: 22,
    offset: 400,
    badRate: 0.03,
    config
  });
  process.env.OUTSIDE_IN_BACKOFF_MS = '5';
  process.env.OUTSIDE_IN_POLL_MS = '20';
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.OUTSIDE_IN_BACKOFF_MS;
  delete process.env.OUTSIDE_IN_POLL_MS;
});

interface World {
  org: LocalOrg;
  target: OrgTarget;
  admin: Connection;
  store: Store;
  close(): Promise<void>;
}

async function world(): Promise<World> {
  const org = await startLocalOrg({ memory: true, schema });
  const admin = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.users.admin.accessToken,
    version: '62.0'
  });
  await loadSampleData(admin, undefined, { skip: ['CX_Perception__c'] });
  const conn = new Connection({
    instanceUrl: org.instanceUrl,
    accessToken: org.users.sync.accessToken,
    version: '62.0'
  });
  const store = new Store(org.orgId, { memory: true });
  return {
    org,
    admin,
    store,
    target: {
      conn,
      orgId: org.orgId,
      instanceUrl: org.instanceUrl,
      username: org.users.sync.username,
      local: true
    },
    close: async () => {
      store.close();
      await org.close();
    }
  };
}

const files = () => [path.join(dir, 'a.csv'), path.join(dir, 'b.csv')];
const syncOnce = (w: World, extra: Parameters<typeof runSync>[2] = {}) =>
  runSync(w.store, w.target, {
    files: files(),
    import: { mapping },
    bulkThreshold: 120,
    captureLagMs: 1000,
    ...extra
  });

async function all<T>(conn: Connection, soql: string): Promise<T[]> {
  const res = await conn.query<Record<string, unknown>>(soql, {
    autoFetch: true,
    maxFetch: 100000
  });
  return res.records as unknown as T[];
}

/** What the org holds, keyed by external Ids (record Ids differ between orgs). */
async function orgState(w: World) {
  const perceptions = await all<Record<string, unknown>>(
    w.admin,
    'SELECT Response_Id__c, Account__c, Contact__c, Touchpoint__c, Channel__c, NPS__c, CSAT__c, CES__c, Expectation__c, Perception__c, Comment__c, Answers__c, Source__c FROM CX_Perception__c ORDER BY Response_Id__c'
  );
  const scores = await all<Record<string, unknown>>(
    w.admin,
    'SELECT Score_Key__c, Responses__c, Experience_Index__c, NPS__c, CSAT__c, CES__c, Gap__c, Promise_Gap__c, Low_Sample__c, Alert__c, Statistics__c FROM CX_Account_Score__c ORDER BY Score_Key__c'
  );
  const other = await all<Record<string, unknown>>(
    w.admin,
    'SELECT Score_Key__c, Scope__c, Responses__c, Experience_Index__c, NPS__c, Gap__c, Statistics__c FROM CX_Score__c ORDER BY Score_Key__c'
  );
  const tasks = await all<Record<string, unknown>>(
    w.admin,
    'SELECT CX_Response_Id__c, Subject, WhoId, WhatId FROM Task ORDER BY CX_Response_Id__c'
  );
  const accounts = await all<Record<string, unknown>>(
    w.admin,
    'SELECT Name, CX_Experience_Index__c, CX_NPS__c, CX_Gap__c, CX_Alert__c FROM Account ORDER BY Name'
  );
  // Ids differ per org: replace them by the record's position so states compare.
  const ids = new Map<string, string>();
  const norm = (rows: Record<string, unknown>[]) =>
    JSON.parse(
      JSON.stringify(rows.map(({ attributes: _a, ...r }) => r)).replace(
        /"([a-zA-Z0-9]{18})"/g,
        (m, id: string) => {
          if (!/^(001|003|500|006|801|a0)/.test(id)) return m;
          if (!ids.has(id)) ids.set(id, `id${ids.size}`);
          return `"${ids.get(id)}"`;
        }
      )
    ) as unknown[];
  return {
    perceptions: norm(perceptions),
    scores: norm(scores),
    other: norm(other),
    tasks: norm(tasks),
    accounts: norm(accounts)
  };
}

/**
 * Equal org states, but statistics compared as numbers within 1e-6 of their scale: stored
 * statistics keep nine significant digits, so statistics built up over several rounds
 * differ from a one-pass build in the last digits (their headline numbers do not).
 */
function expectSameState(actual: unknown, expected: unknown, at = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Math.abs(actual - expected) > 1e-6 * Math.max(1, Math.abs(expected)))
      throw new Error(`${at}: ${actual} differs from ${expected}`);
    return;
  }
  if (typeof expected === 'string' && typeof actual === 'string' && at.endsWith('Statistics__c')) {
    expectSameState(JSON.parse(actual), JSON.parse(expected), `${at}(json)`);
    return;
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    if (Array.isArray(expected) !== Array.isArray(actual))
      throw new Error(`${at}: array and object`);
    if (Array.isArray(expected) && (actual as unknown[]).length !== expected.length)
      throw new Error(`${at}: ${(actual as unknown[]).length} items, expected ${expected.length}`);
    for (const k of keys)
      expectSameState(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        `${at}.${k}`
      );
    return;
  }
  expect({ at, value: actual }).toEqual({ at, value: expected });
}

describe('sync against the local org', () => {
  let base: World;
  let baseline: Awaited<ReturnType<typeof orgState>>;
  let first: Awaited<ReturnType<typeof runSync>>;

  beforeAll(async () => {
    base = await world();
    first = await syncOnce(base);
    baseline = await orgState(base);
  });
  afterAll(async () => base.close());

  it('imports, matches, scores and pushes; counts reconcile and the run is recorded in the org', async () => {
    expect(first.error).toBeNull();
    expect(first.status).toBe('Succeeded');
    const c = first.counts;
    expect(c.read).toBe(550);
    expect(c.read).toBe(c.stored + c.quarantined);
    expect(c.quarantined).toBeGreaterThan(0);
    expect(c.matched + c.unmatched).toBe(c.stored);
    expect(baseline.perceptions).toHaveLength(c.matched);
    expect(baseline.scores.length).toBeGreaterThan(0);
    expect(baseline.tasks.length).toBeGreaterThan(0);
    // Bulk API 2.0 for the large sets, with few calls per job.
    expect(first.push?.jobs.length).toBeGreaterThan(0);
    const runs = await all<Record<string, unknown>>(
      base.admin,
      `SELECT Run_Id__c, Status__c, Rows_Read__c, Quarantined__c, Matched__c, Details__c FROM CX_Sync_Run__c WHERE Run_Id__c = '${first.runId}'`
    );
    expect(runs[0]).toMatchObject({
      Status__c: 'Succeeded',
      Rows_Read__c: 550,
      Quarantined__c: c.quarantined,
      Matched__c: c.matched
    });
    expect(JSON.parse(String(runs[0]?.Details__c)).match.matched).toBe(c.matched);
    const status = storeStatus(base.store);
    expect(status).toMatchObject({ read: 550, reconciled: true, pushPending: 0, scorePending: 0 });
    // Unknown touchpoints are quarantined at match time with their reason, and stay unmatched.
    const atMatch = listQuarantine(base.store, 'match');
    expect(atMatch.length).toBeGreaterThan(0);
    for (const q of atMatch) {
      expect(q).toMatchObject({ code: 'unknown_touchpoint', field: 'touchpoint' });
      expect(q.reason).toMatch(/unknown touchpoint "NO-SUCH-TOUCHPOINT"/);
      expect(q.file).toMatch(/\.csv$/);
    }
    expect(status.unmatchedReasons['unknown touchpoint "NO-SUCH-TOUCHPOINT"']).toBe(atMatch.length);
  });

  it('an ambiguous e-mail stays unmatched with its candidates', async () => {
    const w = await world();
    try {
      const [contact] = await all<{ Email: string; AccountId: string }>(
        w.admin,
        'SELECT Email, AccountId FROM Contact LIMIT 1'
      );
      await w.admin.sobject('Contact').create({
        LastName: 'Twin',
        Email: contact!.Email.toUpperCase(),
        AccountId: contact!.AccountId
      });
      await runSync(w.store, w.target, {
        files: [path.join(dir, 'a.csv')],
        import: { mapping },
        captureLagMs: 1000
      });
      const row = w.store.db
        .prepare(
          'SELECT match_status, match_reason, match_candidates FROM responses WHERE email_norm = ? LIMIT 1'
        )
        .get(contact!.Email.toLowerCase()) as
        { match_status: string; match_reason: string; match_candidates: string } | undefined;
      expect(row).toMatchObject({ match_status: 'unmatched', match_reason: 'ambiguous' });
      expect(JSON.parse(row!.match_candidates)).toHaveLength(2);
    } finally {
      await w.close();
    }
  });

  it('links transactions by number or Id and opens a follow-up for the process owner, or the fallback when inactive', async () => {
    const w = await world();
    try {
      const [kase] = await all<{ Id: string; CaseNumber: string; ContactId: string }>(
        w.admin,
        'SELECT Id, CaseNumber, ContactId FROM Case LIMIT 1'
      );
      const [opp] = await all<{ Id: string; AccountId: string }>(
        w.admin,
        'SELECT Id, AccountId FROM Opportunity LIMIT 1'
      );
      const [order] = await all<{ Id: string; OrderNumber: string }>(
        w.admin,
        'SELECT Id, OrderNumber FROM Order LIMIT 1'
      );
      const [contact] = await all<{ Email: string; AccountId: string }>(
        w.admin,
        `SELECT Email, AccountId FROM Contact WHERE Id = '${kase!.ContactId}'`
      );
      const [tpA, tpB] = await all<{ Id: string; Key__c: string }>(
        w.admin,
        'SELECT Id, Key__c FROM CX_Touchpoint__c ORDER BY Key__c LIMIT 2'
      );
      // tpA is owned by an active user, tpB by an inactive one: its follow-up goes to the fallback owner.
      const manager = w.org.users.manager;
      const rep = w.org.users.rep;
      await w.admin
        .sobject('CX_Touchpoint__c')
        .update({ Id: tpA!.Id, Process_Owner__c: manager.userId });
      await w.admin
        .sobject('CX_Touchpoint__c')
        .update({ Id: tpB!.Id, Process_Owner__c: rep.userId });
      await w.admin.sobject('User').update({ Id: rep.userId, IsActive: false });
      const f = path.join(dir, 'links.csv');
      fs.writeFileSync(
        f,
        [
          'ResponseId,Email,AccountId,Touchpoint,OccurredAt,NPS,CaseNumber,OpportunityId,OrderNumber,RecordId,Comment',
          `L1,${contact!.Email},,${tpA!.Key__c},2026-10-01T10:00:00Z,2,${kase!.CaseNumber},,,,Slecht geholpen`,
          `L2,,${opp!.AccountId},${tpB!.Key__c},2026-10-02T10:00:00Z,1,,${opp!.Id},${order!.OrderNumber},${kase!.Id},Too slow`,
          `L3,,${opp!.AccountId},${tpB!.Key__c},2026-10-03T10:00:00Z,10,,,,,Great`
        ].join('\n')
      );
      const r = await runSync(w.store, w.target, { files: [f], captureLagMs: 1000 });
      expect(r.counts.matched).toBe(3);
      const p = await all<Record<string, unknown>>(
        w.admin,
        "SELECT Response_Id__c, Account__c, Contact__c, Case__c, Opportunity__c, Order__c, Related_Record_Id__c FROM CX_Perception__c WHERE Response_Id__c IN ('L1','L2') ORDER BY Response_Id__c"
      );
      expect(p[0]).toMatchObject({
        Account__c: contact!.AccountId,
        Case__c: kase!.Id,
        Contact__c: kase!.ContactId
      });
      expect(p[1]).toMatchObject({
        Account__c: opp!.AccountId,
        Opportunity__c: opp!.Id,
        Order__c: order!.Id,
        Related_Record_Id__c: kase!.Id
      });
      const tasks = await all<{
        CX_Response_Id__c: string;
        OwnerId: string;
        WhatId: string;
        Description: string;
      }>(
        w.admin,
        'SELECT CX_Response_Id__c, OwnerId, WhatId, Description FROM Task ORDER BY CX_Response_Id__c'
      );
      expect(tasks.map((t) => t.CX_Response_Id__c)).toEqual(['L1', 'L2']);
      expect(tasks[0]).toMatchObject({ OwnerId: manager.userId, WhatId: kase!.Id });
      expect(tasks[0]?.Description).toContain('Slecht geholpen');
      // No fallback owner is configured: the inactive owner's follow-up stays with the sync user.
      expect(tasks[1]?.OwnerId).not.toBe(rep.userId);
    } finally {
      await w.close();
    }
  });

  it('a second run changes nothing in the org and duplicates nothing', async () => {
    const again = await syncOnce(base);
    expect(again.status).toBe('Succeeded');
    expect(again.push?.perceptions.pushed).toBe(0);
    expect(again.push?.tasks.created).toBe(0);
    expect(await orgState(base)).toEqual(baseline);
  });

  const CRASH_POINTS = [
    'import:batch1',
    'sync:imported',
    'match:queried',
    'sync:matched',
    'score:captures',
    'sync:scored',
    'push:batch1',
    'push:batch2',
    'push:job1:open',
    'push:job1:uploaded',
    'push:job2:uploaded',
    'push:snapshots',
    'push:perceptions',
    'push:summaries',
    'push:batch5',
    'push:tasks'
  ];
  /** Crashes a sync at `point`, reruns it, and compares the org with an uninterrupted run. */
  async function crashThenRerun(
    point: string,
    extra: Parameters<typeof runSync>[2],
    same: (actual: unknown) => void
  ): Promise<void> {
    const w = await world();
    try {
      process.env.OUTSIDE_IN_CRASH_AT = point;
      process.env.OUTSIDE_IN_CRASH_MODE = 'throw';
      resetCrashPoints();
      let crashed = false;
      try {
        await syncOnce(w, extra);
      } catch (e) {
        crashed = (e as Error).name === 'SimulatedCrash';
      } finally {
        delete process.env.OUTSIDE_IN_CRASH_AT;
        delete process.env.OUTSIDE_IN_CRASH_MODE;
      }
      expect(crashed).toBe(true);
      const rerun = await syncOnce(w, extra);
      expect(rerun.error).toBeNull();
      same(await orgState(w));
      expect(storeStatus(w.store)).toMatchObject({ read: 550, reconciled: true, pushPending: 0 });
    } finally {
      await w.close();
    }
  }

  it.each(CRASH_POINTS)('crash at %s, then rerun: the org equals an uninterrupted run', (point) =>
    crashThenRerun(point, {}, (state) => expect(state).toEqual(baseline))
  );

  it('in rounds (the org takes a round of perceptions while the next is scored), the org equals a one-round run', async () => {
    const w = await world();
    try {
      let pushes = 0;
      const r = await syncOnce(w, {
        roundSize: 100,
        bulkThreshold: 40,
        onStage: (stage) => {
          if (stage === 'push') pushes++;
        }
      });
      expect(r.error).toBeNull();
      expect(r.status).toBe('Succeeded');
      // 550 rows, 100 a round: six rounds, each with its own perception job.
      expect(pushes).toBe(6);
      // Full rounds ran while the files were still being imported: the first perception job
      // was created before the last file's import finished.
      const firstJob = w.store.db
        .prepare("SELECT MIN(created_at) AS t FROM push_jobs WHERE object = 'CX_Perception__c'")
        .get() as { t: string };
      const imported = w.store.db.prepare('SELECT MAX(finished_at) AS t FROM imports').get() as {
        t: string;
      };
      expect(firstJob.t < imported.t).toBe(true);
      expect(r.match?.considered).toBe(r.counts.stored);
      expect(r.push!.jobs.length).toBeGreaterThanOrEqual(6);
      expectSameState(await orgState(w), baseline);
      expect(storeStatus(w.store)).toMatchObject({ read: 550, reconciled: true, pushPending: 0 });
    } finally {
      await w.close();
    }
  });

  it('in rounds, a later file that edits a response of a finished round still reaches the org in the same run', async () => {
    const w = await world();
    try {
      const rows = parse(fs.readFileSync(path.join(dir, 'a.csv'))) as string[][];
      const header = rows[0]!;
      const id = header.indexOf('ResponseId');
      const nps = header.indexOf('NPS');
      const pushed = new Set(
        baseline.perceptions.map((p) => (p as { Response_Id__c: string }).Response_Id__c)
      );
      const row = rows.find((r) => pushed.has(r[id]!) && /^\d+$/.test(r[nps]!))!;
      const edited = [...row];
      edited[nps] = String((Number(row[nps]) + 5) % 11);
      const editFile = path.join(dir, 'edit.csv');
      fs.writeFileSync(editFile, csvLine(header) + csvLine(edited));
      try {
        const r = await syncOnce(w, {
          files: [path.join(dir, 'a.csv'), editFile],
          roundSize: 100,
          bulkThreshold: 40
        });
        expect(r.error).toBeNull();
        expect(r.import?.edited).toBe(1);
        const [p] = await all<{ NPS__c: number }>(
          w.admin,
          `SELECT NPS__c FROM CX_Perception__c WHERE Response_Id__c = '${row[id]}'`
        );
        expect(p?.NPS__c).toBe(Number(edited[nps]));
        expect(storeStatus(w.store)).toMatchObject({
          matchPending: 0,
          scorePending: 0,
          pushPending: 0
        });
      } finally {
        fs.rmSync(editFile, { force: true });
      }
    } finally {
      await w.close();
    }
  });

  it.each(['sync:scored#2', 'push:job3:uploaded', 'push:snapshots#3', 'push:perceptions'])(
    'in rounds, a crash at %s, then rerun: the org equals an uninterrupted run',
    (point) =>
      crashThenRerun(point, { roundSize: 100, bulkThreshold: 40 }, (state) =>
        expectSameState(state, baseline)
      )
  );

  it('responses re-matched to another Account move their perceptions; both accounts are rescored', async () => {
    const w = await world();
    try {
      await syncOnce(w);
      const from = w.store.db
        .prepare(
          "SELECT account_id, account_ref, COUNT(*) AS n FROM responses WHERE match_status = 'matched' AND account_ref IS NOT NULL GROUP BY account_id, account_ref ORDER BY n DESC LIMIT 1"
        )
        .get() as { account_id: string; account_ref: string; n: number };
      const count = async (account: string) =>
        (
          await all<{ Id: string }>(
            w.admin,
            `SELECT Id FROM CX_Perception__c WHERE Account__c = '${account}'`
          )
        ).length;
      const before = await count(from.account_id);
      // The account number moves to a new account (an admin's correction); matching
      // everything again moves the responses that carry it.
      await w.admin.sobject('Account').update({ Id: from.account_id, AccountNumber: 'MOVED-1' });
      const created = await w.admin
        .sobject('Account')
        .create({ Name: 'Successor', AccountNumber: from.account_ref });
      const to = (created as { id: string }).id;
      const rematch = await matchStore(w.store, w.target.conn, { all: true });
      expect(rematch.changed).toBe(from.n);
      const r = await runSync(w.store, w.target, { captureLagMs: 1000, bulkThreshold: 120 });
      expect(r.error).toBeNull();
      expect(r.push!.failures).toEqual([]);
      expect(r.push!.perceptions.pushed).toBe(from.n);
      expect(await count(from.account_id)).toBe(before - from.n);
      expect(await count(to)).toBe(from.n);
      // Both accounts' snapshots and CX_ fields follow the move.
      const snapshotTotal = async (account: string) =>
        (
          await all<{ Responses__c: number }>(
            w.admin,
            `SELECT Responses__c FROM CX_Account_Score__c WHERE Account__c = '${account}'`
          )
        ).reduce((n, s) => n + s.Responses__c, 0);
      expect(await snapshotTotal(from.account_id)).toBe(before - from.n);
      expect(await snapshotTotal(to)).toBe(from.n);
      const [left, gained] = await Promise.all(
        [from.account_id, to].map(async (id) => {
          const [a] = await all<{ CX_NPS__c: number | null }>(
            w.admin,
            `SELECT CX_NPS__c FROM Account WHERE Id = '${id}'`
          );
          return a!.CX_NPS__c;
        })
      );
      expect(gained).not.toBeNull();
      if (before === from.n) expect(left).toBeNull();
      expect(storeStatus(w.store)).toMatchObject({ pushPending: 0 });
    } finally {
      await w.close();
    }
  });

  it('survives rate limits, 503s and lock errors injected by the org', async () => {
    const w = await world();
    try {
      w.org.faults.add({ kind: 'REQUEST_LIMIT_EXCEEDED', count: 2 });
      w.org.faults.add({ kind: 'SERVICE_UNAVAILABLE', rate: 0.15, seed: 7 });
      w.org.faults.add({ kind: 'UNABLE_TO_LOCK_ROW', count: 3 });
      const r = await syncOnce(w, {
        onStage: (stage) => {
          if (stage === 'push') w.org.faults.add({ kind: 'UNABLE_TO_LOCK_ROW', count: 40 });
        }
      });
      expect(r.error).toBeNull();
      expect(r.status).toBe('Succeeded');
      expect(w.org.faults.injected.UNABLE_TO_LOCK_ROW).toBeGreaterThan(0);
      expect(w.org.faults.injected.REQUEST_LIMIT_EXCEEDED).toBe(2);
      expect(await orgState(w)).toEqual(baseline);
    } finally {
      await w.close();
    }
  });

  it('reports what finally fails per row, never dropping it', async () => {
    const w = await world();
    try {
      // From the push on, more lock errors than the retries absorb: the rows that still fail are listed.
      const r = await syncOnce(w, {
        onStage: (stage) => {
          if (stage === 'push') w.org.faults.add({ kind: 'UNABLE_TO_LOCK_ROW', count: 100000 });
        }
      });
      w.org.faults.clear();
      expect(r.status).toBe('Partial');
      expect(r.push!.failures.length).toBeGreaterThan(0);
      for (const f of r.push!.failures) expect(f.error).toMatch(/UNABLE_TO_LOCK_ROW/);
      const s = storeStatus(w.store);
      expect(s.failed + s.pushed).toBe(s.matched);
    } finally {
      await w.close();
    }
  });

  it('opens the follow-up Tasks even when the org refuses the perceptions', async () => {
    const w = await world();
    try {
      const r = await syncOnce(w, {
        onStage: (stage) => {
          if (stage === 'push')
            w.org.faults.add({
              kind: 'UNABLE_TO_LOCK_ROW',
              count: 100000,
              object: 'CX_Perception__c'
            });
        }
      });
      w.org.faults.clear();
      expect(r.status).toBe('Partial');
      expect(r.push!.perceptions.pushed).toBe(0);
      expect(r.push!.perceptions.failed).toBe(r.counts.matched);
      // The closed loop follows the response: the same Tasks as an uninterrupted run.
      // (Compared by response and subject: record Ids are numbered in order of appearance.)
      const bySubject = (tasks: unknown[]) =>
        (tasks as { CX_Response_Id__c: string; Subject: string }[]).map(
          (t) => `${t.CX_Response_Id__c} ${t.Subject}`
        );
      const tasks = bySubject((await orgState(w)).tasks);
      expect(tasks.length).toBeGreaterThan(0);
      expect(tasks).toEqual(bySubject(baseline.tasks));
    } finally {
      await w.close();
    }
  });

  it('counts each rep capture exactly once at every step of a sync', async () => {
    const w = await world();
    try {
      // Captured by a user who can see the account (the rep persona owns no sample account).
      const rep = w.admin;
      const [account] = await all<{ Id: string }>(
        w.admin,
        "SELECT Id FROM Account WHERE AccountNumber = 'DE-70001'"
      );
      const [tp] = await all<{ Id: string }>(w.admin, 'SELECT Id FROM CX_Touchpoint__c LIMIT 1');
      let n = 0;
      const capture = async () => {
        n++;
        await rep.sobject('CX_Perception__c').create({
          Account__c: account!.Id,
          Touchpoint__c: tp!.Id,
          Channel__c: 'Phone',
          Occurred_At__c: '2026-10-15T10:00:00.000Z',
          Source__c: 'Rep_Capture',
          NPS__c: n % 11,
          Response_Id__c: `rep-${n}`
        });
      };
      // The scorecard: the snapshot plus every capture created after its cut-off.
      const check = async () => {
        const [snap] = await all<{ Responses__c: number; Includes_Through__c: string }>(
          w.admin,
          `SELECT Responses__c, Includes_Through__c FROM CX_Account_Score__c WHERE Score_Key__c = 'A:${account!.Id}:2026-10'`
        );
        const imported = (
          w.store.db
            .prepare(
              "SELECT COUNT(*) AS n FROM responses WHERE account_id = ? AND period = '2026-10' AND source = 'Import' AND scored_key IS NOT NULL"
            )
            .get(account!.Id) as { n: number }
        ).n;
        const after = await all<{ Id: string }>(
          w.admin,
          `SELECT Id FROM CX_Perception__c WHERE Account__c = '${account!.Id}' AND Source__c = 'Rep_Capture'${snap ? ` AND CreatedDate > ${snap.Includes_Through__c.replace(/\.\d{3}\+0000$/, 'Z')}` : ''}`
        );
        const counted = (snap ? snap.Responses__c - imported : 0) + after.length;
        expect(counted).toBe(n);
      };
      await capture();
      await capture();
      await check();
      // Reps keep capturing while syncs run: check the scorecard between every two steps.
      const between = async () => {
        await check();
        await capture();
        await check();
      };
      await syncOnce(w, { onStage: between });
      await check();
      for (let i = 0; i < 2; i++) {
        await runSync(w.store, w.target, { captureLagMs: 1000, onStage: between });
        await check();
      }
      // Two syncs in a row with captures created in between, without waiting.
      await capture();
      const second = runSync(w.store, w.target, { captureLagMs: 1000 });
      await capture();
      await second;
      await check();
    } finally {
      await w.close();
    }
  });

  it('forget erases a person from the store and the org for good and rescores', async () => {
    const w = await world();
    try {
      await syncOnce(w);
      const {
        email_norm: email,
        account_id: account,
        period
      } = w.store.db
        .prepare(
          "SELECT email_norm, account_id, period FROM responses WHERE match_status = 'matched' AND task_state = 'created' LIMIT 1"
        )
        .get() as { email_norm: string; account_id: string; period: string };
      const before = (
        w.store.db
          .prepare('SELECT COUNT(*) AS n FROM responses WHERE email_norm = ?')
          .get(email) as { n: number }
      ).n;
      const r = await forgetPerson(w.store, w.target.conn, email.toUpperCase(), new ApiCounter());
      expect(r.responses).toBe(before);
      expect(r.hardDeleted).toBe(true);
      expect(r.failures).toEqual([]);
      expect(r.tasksDeleted + r.tasksScrubbed).toBeGreaterThan(0);
      const tasks = await all<{ Description: string | null }>(
        w.admin,
        'SELECT Description FROM Task'
      );
      for (const t of tasks) expect(t.Description ?? '').not.toContain(email);
      const left = await w.admin.query(
        `SELECT Id FROM CX_Perception__c WHERE Contact__r.Email = '${email}'`,
        { scanAll: true }
      );
      expect(left.totalSize).toBe(0);
      await scoreWithOrg(w.store, w.target, { captureLagMs: 1000 });
      await pushStore(w.store, w.target.conn);
      const n = await all<{ Responses__c: number }>(
        w.admin,
        `SELECT Responses__c FROM CX_Account_Score__c WHERE Score_Key__c = 'A:${account}:${period}'`
      );
      const inStore = (
        w.store.db
          .prepare('SELECT COUNT(*) AS n FROM responses WHERE account_id = ? AND period = ?')
          .get(account, period) as { n: number }
      ).n;
      expect(n[0]?.Responses__c).toBe(inStore);
      expect(
        (
          w.store.db
            .prepare('SELECT COUNT(*) AS n FROM responses WHERE email_norm = ?')
            .get(email) as { n: number }
        ).n
      ).toBe(0);
      expect(
        (
          w.store.db
            .prepare('SELECT COUNT(*) AS n FROM rows WHERE lower(raw) LIKE ?')
            .get(`%${email}%`) as { n: number }
        ).n
      ).toBe(0);
    } finally {
      await w.close();
    }
  });
});
