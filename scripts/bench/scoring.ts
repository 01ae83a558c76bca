/**
 * Scoring benchmark: on 10^6 generated responses on one core, the rate of
 * accumulation into one statistics object, the rate with the full fan-out to
 * every scope a response feeds (account, touchpoint, journey, org), and the
 * time to merge two statistics objects. Run alone with
 * `npx tsx scripts/bench/scoring.ts` (writes bench-results/scoring.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import {
  accumulate,
  accumulatePrepared,
  cloneStatistics,
  createStatistics,
  merge,
  mergeInto,
  prepareResponse,
  serializeStatistics,
  type ScopeStatistics,
  type ScoringResponse
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';

const RESPONSES = 1_000_000;
const POOL = 20_000;
const DIMENSIONS = ['Tangibles', 'Reliability', 'Responsiveness', 'Assurance', 'Empathy'];
const CHANNELS = ['Web', 'Mobile app', 'Email', 'Phone', 'Chat', 'Store', 'Field visit', 'Social'];
const TOUCHPOINTS = Array.from({ length: 50 }, (_, i) => `TP-${String(i).padStart(3, '0')}`);
const JOURNEYS = 5;
const ACCOUNTS = 2000;

interface Generated {
  response: ScoringResponse;
  account: number;
  touchpoint: number;
  journey: number;
}

/** A deterministic pool of responses, cycled to reach 10^6 (a pool keeps memory small). */
function generate(): Generated[] {
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pool: Generated[] = [];
  for (let i = 0; i < POOL; i++) {
    // An account meets a handful of touchpoints through a few channels.
    const account = rnd(ACCOUNTS);
    const touchpoint = (account * 7 + rnd(6)) % TOUCHPOINTS.length;
    const tp = TOUCHPOINTS[touchpoint] as string;
    pool.push({
      account,
      touchpoint,
      journey: touchpoint % JOURNEYS,
      response: {
        touchpointKey: tp,
        channel: CHANNELS[(account + rnd(3)) % CHANNELS.length] as string,
        occurredAt: null,
        nps: rnd(11),
        csat: rnd(4) === 0 ? null : 1 + rnd(5),
        ces: rnd(3) === 0 ? null : 1 + rnd(7),
        selfRating: rnd(5) === 0 ? 1 + rnd(7) : null,
        selfRatingMin: 1,
        selfRatingMax: 7,
        answers: DIMENSIONS.map((d) => ({
          k: `${tp}-${d.slice(0, 3).toUpperCase()}-1`,
          d,
          e: rnd(10) === 0 ? null : 1 + rnd(7),
          p: 1 + rnd(7),
          min: 1,
          max: 7
        }))
      }
    });
  }
  return pool;
}

function rate(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

/** Wall-clock and CPU time (user + system of this process) of a run. */
function timed(run: () => void): { wallMs: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  run();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
}

/** Best rates over runs of RESPONSES responses. */
function rates(runs: { wallMs: number; cpuMs: number }[]): {
  responsesPerCpuSecond: number;
  responsesPerWallSecond: number;
} {
  return {
    responsesPerCpuSecond: Math.max(...runs.map((r) => rate(RESPONSES, r.cpuMs))),
    responsesPerWallSecond: Math.max(...runs.map((r) => rate(RESPONSES, r.wallMs)))
  };
}

export async function runScoringBench(): Promise<Record<string, unknown>> {
  const pool = generate();

  // Warm up the JIT on a throwaway object so the timed runs measure steady state.
  const warm = createStatistics('account');
  for (let i = 0; i < 200_000; i++) accumulate(warm, (pool[i % POOL] as Generated).response);

  const single = (scope: 'account' | 'org') => {
    const stats = createStatistics(scope);
    const time = timed(() => {
      for (let i = 0; i < RESPONSES; i++) accumulate(stats, (pool[i % POOL] as Generated).response);
    });
    return { ...time, stats };
  };
  const accountRuns = [single('account'), single('account'), single('account')];
  const orgRuns = [single('org'), single('org'), single('org')];
  const accountStats = (accountRuns[0] as { stats: ScopeStatistics }).stats;
  const orgStats = (orgRuns[0] as { stats: ScopeStatistics }).stats;

  // Fan-out: each response feeds its account, its touchpoint, its journey and
  // the org. Once in arrival order (accounts interleaved, so every response
  // touches a different account's statistics) and once ordered by account, as
  // the sync reads its store.
  const fanOut = (order: Generated[]) => {
    const accounts: ScopeStatistics[] = Array.from({ length: ACCOUNTS }, () =>
      createStatistics('account')
    );
    const touchpoints: ScopeStatistics[] = TOUCHPOINTS.map(() => createStatistics('touchpoint'));
    const journeys: ScopeStatistics[] = Array.from({ length: JOURNEYS }, () =>
      createStatistics('journey')
    );
    const org = createStatistics('org');
    const time = timed(() => {
      for (let i = 0; i < RESPONSES; i++) {
        const g = order[i % POOL] as Generated;
        const prepared = prepareResponse(g.response);
        accumulatePrepared(accounts[g.account] as ScopeStatistics, prepared);
        accumulatePrepared(touchpoints[g.touchpoint] as ScopeStatistics, prepared);
        accumulatePrepared(journeys[g.journey] as ScopeStatistics, prepared);
        accumulatePrepared(org, prepared);
      }
    });
    return { ...time, account: accounts[0] as ScopeStatistics, org };
  };
  const arrivalRuns = [fanOut(pool), fanOut(pool)];
  const sorted = [...pool].sort((a, b) => a.account - b.account);
  const byAccountRuns = [fanOut(sorted), fanOut(sorted)];
  const arrival = arrivalRuns[0] as ReturnType<typeof fanOut>;

  // Merge: two statistics objects, whatever the number of responses behind them.
  // CPU microseconds per merge, over 100 merges: pure (a new object) and in
  // place (into a copy of a, as the sync adds new statistics to stored ones).
  const timeMerge = (
    a: ScopeStatistics,
    b: ScopeStatistics
  ): { pureUs: number; inPlaceUs: number } => {
    const runs = 100;
    const pure = timed(() => {
      for (let i = 0; i < runs; i++) merge(a, b);
    });
    const targets = Array.from({ length: runs }, () => cloneStatistics(a));
    const inPlace = timed(() => {
      for (const target of targets) mergeInto(target, b);
    });
    return {
      pureUs: Number(((pure.cpuMs * 1000) / runs).toFixed(1)),
      inPlaceUs: Number(((inPlace.cpuMs * 1000) / runs).toFixed(1))
    };
  };
  const accountMerge = timeMerge(accountStats, arrival.account);
  const orgMerge = timeMerge(orgStats, arrival.org);
  // The same breakdown behind 2 * 10^4 responses instead of 10^6: merge time
  // depends on the number of cells and items, not on the responses.
  const small = createStatistics('account');
  for (const g of pool) accumulate(small, g.response);
  const smallMerge = timeMerge(small, small);
  const bigMerge = timeMerge(accountStats, accountStats);

  const serialised = serializeStatistics(accountStats);
  return {
    name: 'scoring',
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    // Other work on the machine slows every rate; the load average says how much there was.
    loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
    responses: RESPONSES,
    answersPerResponse: DIMENSIONS.length,
    method:
      'rates are responses per second of CPU time of this process (best of the runs), so other work on the machine does not count; wall-clock rates beside them',
    accumulate: {
      goalResponsesPerSecond: 1_000_000,
      accountScope: rates(accountRuns),
      orgScope: rates(orgRuns)
    },
    fanOut: {
      scopesPerResponse: 4,
      arrivalOrder: rates(arrivalRuns),
      orderedByAccount: rates(byAccountRuns),
      scopes: { accounts: ACCOUNTS, touchpoints: TOUCHPOINTS.length, journeys: JOURNEYS, org: 1 }
    },
    merge: {
      sameBreakdown: {
        responses20000: smallMerge,
        responses1000000: bigMerge
      },
      account: {
        ...accountMerge,
        cells: [...accountStats.cells.values()].reduce((n, m) => n + m.size, 0),
        items: accountStats.items.size
      },
      org: { ...orgMerge, items: orgStats.items.size }
    },
    statisticsJsonChars: { account: serialised.length, org: serializeStatistics(orgStats).length }
  };
}

if (require.main === module) {
  runScoringBench().then((result) => {
    const dir = join(__dirname, '..', '..', 'bench-results');
    mkdirSync(dir, { recursive: true });
    const text = `${JSON.stringify(result, null, 2)}\n`;
    writeFileSync(join(dir, 'scoring.json'), text);
    process.stdout.write(text);
  });
}
