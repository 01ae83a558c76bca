import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultConfig, generateFile, generatedMapping } from './generate';
import { importFiles } from './importer';
import { markScopesDirty, recompute, scoreStore, storedStatistics, type RepCapture } from './score';
import { resolveSettings, serializeStatistics, snapshotHeadline } from './scoring';
import { Store } from './store';

const ORG = '00D000000000001AAA';
let dir: string;
let store: Store;
const settings = resolveSettings({ timeZone: 'Europe/Amsterdam' });
const journeyOf = new Map(defaultConfig().touchpoints.map((t) => [t.key, t.journey]));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oi-score-'));
  store = new Store(ORG, { memory: true });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Stands in for `match` (tested against the org elsewhere): account by number, touchpoint by key. */
function fakeMatch(s: Store): void {
  const rows = s.db
    .prepare(
      "SELECT response_id, account_ref, touchpoint_ref FROM responses WHERE match_status = 'pending'"
    )
    .all() as { response_id: string; account_ref: string | null; touchpoint_ref: string | null }[];
  const upd = s.db.prepare(
    `UPDATE responses SET match_status = ?, account_id = ?, touchpoint_key = ?, journey_key = ? WHERE response_id = ?`
  );
  s.tx(() => {
    for (const r of rows) {
      const journey = r.touchpoint_ref ? journeyOf.get(r.touchpoint_ref) : undefined;
      const account = r.account_ref ? `001000000000${r.account_ref.slice(-4)}AAA` : null;
      upd.run(
        journey && account ? 'matched' : 'unmatched',
        account,
        journey ? r.touchpoint_ref : null,
        journey ?? null,
        r.response_id
      );
    }
  });
}

async function load(
  s: Store,
  name: string,
  count: number,
  seed: number,
  offset = 0
): Promise<void> {
  const f = path.join(dir, name);
  await generateFile(f, { count, seed, offset, badRate: 0.02 });
  await importFiles(s, [f], { mapping: generatedMapping() });
  fakeMatch(s);
}

const allStats = (s: Store) =>
  s.db
    .prepare('SELECT scope, scope_key, period, n, stats FROM stats WHERE n > 0 ORDER BY 1, 2, 3')
    .all() as {
    scope: string;
    scope_key: string;
    period: string;
    n: number;
    stats: string;
  }[];

/** Statistics equal up to floating-point rounding: compare the headline numbers. */
function headlines(s: Store) {
  return allStats(s).map((r) => {
    const st = storedStatistics(s, r.scope as 'A', r.scope_key, r.period)!;
    return [r.scope, r.scope_key, r.period, snapshotHeadline(st, settings, new Map())];
  });
}

/** Same scopes and months, every headline number within one unit of its last decimal. */
function expectSameHeadlines(
  actual: ReturnType<typeof headlines>,
  expected: ReturnType<typeof headlines>
): void {
  expect(actual.map((h) => h.slice(0, 3))).toEqual(expected.map((h) => h.slice(0, 3)));
  actual.forEach((h, i) => {
    const want = expected[i]![3] as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(h[3] as unknown as Record<string, unknown>)) {
      const other = want[field];
      if (typeof value === 'number' && typeof other === 'number') {
        expect([h.slice(0, 3), field, Math.abs(value - other) <= 0.010001]).toEqual([
          h.slice(0, 3),
          field,
          true
        ]);
      } else expect([h.slice(0, 3), field, value]).toEqual([h.slice(0, 3), field, other]);
    }
  });
}

describe('scoreStore', () => {
  it('adding responses incrementally gives the statistics of scoring everything at once', async () => {
    await load(store, 'a.csv', 400, 1);
    const first = scoreStore(store, { settings });
    expect(first.added).toBeGreaterThan(350);
    const before = (store.db.prepare('SELECT COUNT(*) AS n FROM responses').get() as { n: number })
      .n;
    await load(store, 'b.csv', 150, 2, 400);
    const created =
      (store.db.prepare('SELECT COUNT(*) AS n FROM responses').get() as { n: number }).n - before;
    const second = scoreStore(store, { settings });
    expect(second.added).toBe(created);
    expect(second.recomputed).toBe(0);

    const once = new Store(ORG, { memory: true });
    await load(once, 'a.csv', 400, 1);
    await load(once, 'b.csv', 150, 2, 400);
    scoreStore(once, { settings });
    // Merge order differs, the numbers do not: up to a rounded -0, and a value on a .xx5
    // boundary that float error rounds to either neighbour.
    expectSameHeadlines(headlines(store), headlines(once));
    // Every scope-month equals a recomputation from the store.
    for (const r of allStats(store)) {
      const fresh = recompute(store, `${r.scope}\u0000${r.scope_key}\u0000${r.period}`);
      expect(fresh.overall.n).toBe(r.n);
    }
    const org = allStats(store)
      .filter((r) => r.scope === 'O')
      .reduce((n, r) => n + r.n, 0);
    const scored = store.db
      .prepare('SELECT COUNT(*) AS n FROM responses WHERE scored_key IS NOT NULL')
      .get() as { n: number };
    expect(org).toBe(scored.n);
    once.close();
  });

  it('unmatched responses count in touchpoint, journey and org scopes, not in an account', async () => {
    await load(store, 'a.csv', 300, 3);
    scoreStore(store, { settings });
    // The generator's unknown e-mails still have account numbers; make one unmatched by account.
    const any = store.db
      .prepare("SELECT response_id FROM responses WHERE match_status = 'matched' LIMIT 1")
      .get() as {
      response_id: string;
    };
    store.db
      .prepare(
        "UPDATE responses SET match_status = 'unmatched', account_id = NULL, score_pending = 1 WHERE response_id = ?"
      )
      .run(any.response_id);
    const r = scoreStore(store, { settings });
    expect(r.changed).toBe(1);
    const scopes = JSON.parse(
      (
        store.db
          .prepare('SELECT scored_scopes FROM responses WHERE response_id = ?')
          .get(any.response_id) as {
          scored_scopes: string;
        }
      ).scored_scopes
    ) as string[];
    expect(scopes.map((s) => s.split('\u0000')[0]).sort()).toEqual(['J', 'O', 'T']);
  });

  it('an edited response recomputes its scope-months; an erased one leaves them', async () => {
    await load(store, 'a.csv', 200, 4);
    scoreStore(store, { settings });
    const victim = store.db
      .prepare(
        "SELECT response_id, period, account_id FROM responses WHERE match_status = 'matched' LIMIT 1"
      )
      .get() as { response_id: string; period: string; account_id: string };
    const before = storedStatistics(store, 'A', victim.account_id, victim.period)!;
    // Edit: a changed NPS arrives with the same response id.
    store.db
      .prepare(
        "UPDATE responses SET nps = 0, content_hash = 'edited', score_pending = 1 WHERE response_id = ?"
      )
      .run(victim.response_id);
    const edited = scoreStore(store, { settings });
    expect(edited).toMatchObject({ added: 0, changed: 1 });
    expect(edited.recomputed).toBeGreaterThanOrEqual(3);
    const after = storedStatistics(store, 'A', victim.account_id, victim.period)!;
    expect(after.overall.n).toBe(before.overall.n);
    expect(after.overall.npsDetractors).toBeGreaterThanOrEqual(before.overall.npsDetractors);
    // Erase: the scope-months lose one response.
    markScopesDirty(store, victim.response_id);
    store.db.prepare('DELETE FROM responses WHERE response_id = ?').run(victim.response_id);
    scoreStore(store, { settings });
    expect(storedStatistics(store, 'A', victim.account_id, victim.period)!.overall.n).toBe(
      before.overall.n - 1
    );
  });

  it('includes rep captures read back from the org and records the cut-off', async () => {
    await load(store, 'a.csv', 50, 5);
    scoreStore(store, { settings });
    const capture = (i: number, created: string): RepCapture => ({
      id: `a03000000000${String(i).padStart(3, '0')}AAA`,
      responseId: `rep-${i}`,
      createdDate: created,
      occurredAt: '2026-06-10T10:00:00.000Z',
      accountId: '001000000000AAAAAA',
      contactId: null,
      touchpointId: null,
      touchpointKey: 'SRV-CASE',
      journeyKey: 'SERVICE',
      channel: 'Phone',
      nps: 2,
      csat: null,
      ces: null,
      expectation: null,
      perception: null,
      selfRating: null,
      answers: '{"v":1,"a":[{"k":"SRV-REL-1","d":"Reliability","e":6,"p":2,"min":1,"max":7}]}',
      comment: 'Rep noted a complaint',
      language: 'en',
      caseId: null,
      opportunityId: null,
      orderId: null,
      relatedRecordId: null
    });
    const cutoff = '2026-06-10T12:00:00.000Z';
    const r = scoreStore(store, {
      settings,
      repCaptures: { records: [capture(1, '2026-06-10T11:00:00.000Z'), capture(2, cutoff)], cutoff }
    });
    expect(r.repCaptures).toEqual({ read: 2, new: 2, changed: 0, invalid: 0 });
    expect(r.includesThrough).toBe(cutoff);
    const acct = storedStatistics(store, 'A', '001000000000AAAAAA', '2026-06')!;
    expect(acct.overall.n).toBe(2);
    expect(acct.overall.npsDetractors).toBe(2);
    const row = store.db
      .prepare(
        "SELECT includes_through FROM stats WHERE scope = 'A' AND scope_key = '001000000000AAAAAA'"
      )
      .get() as { includes_through: string };
    expect(row.includes_through).toBe(cutoff);
    // Reading the same captures again (an overlapping window) changes nothing.
    const again = scoreStore(store, {
      settings,
      repCaptures: { records: [capture(1, '2026-06-10T11:00:00.000Z')], cutoff }
    });
    expect(again.repCaptures.new + again.repCaptures.changed).toBe(0);
    expect(again.added).toBe(0);
    expect(storedStatistics(store, 'A', '001000000000AAAAAA', '2026-06')!.overall.n).toBe(2);
  });

  it('a time-zone change re-periods every response', async () => {
    await load(store, 'a.csv', 100, 6);
    scoreStore(store, { settings });
    const statsBefore = allStats(store).map((r) =>
      serializeStatistics(storedStatistics(store, r.scope as 'A', r.scope_key, r.period)!)
    );
    const r = scoreStore(store, { settings: resolveSettings({ timeZone: 'Pacific/Auckland' }) });
    expect(r.added).toBeGreaterThan(90);
    const back = scoreStore(store, { settings });
    expect(back.added).toBe(r.added);
    expect(
      allStats(store).map((x) =>
        serializeStatistics(storedStatistics(store, x.scope as 'A', x.scope_key, x.period)!)
      )
    ).toEqual(statsBefore);
  });
});
