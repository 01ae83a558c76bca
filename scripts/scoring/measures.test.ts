import fc from 'fast-check';
import {
  DEFAULT_SETTINGS,
  channelConsistency,
  createGroup,
  createStatistics,
  csatEstimate,
  csatTrend,
  derivedImportance,
  experienceIndex,
  importancePerformance,
  knowledgeGap,
  meanEstimate,
  meanTrend,
  mergeGroups,
  momentsOf,
  npsEstimate,
  npsTrend,
  priorityEntries,
  promiseGap,
  rankGaps,
  resolveSettings,
  scopeReport,
  settingsFromMetadata,
  snapshotHeadline,
  statisticsOf,
  weightedGap,
  weightedGapTrend,
  welchTest,
  type GroupStats,
  type ScoringResponse
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';
import { allNumbers, responseArb } from './helpers';

const settings = resolveSettings();

function npsGroup(promoters: number, passives: number, detractors: number): GroupStats {
  const g = createGroup();
  g.npsPromoters = promoters;
  g.npsPassives = passives;
  g.npsDetractors = detractors;
  g.n = promoters + passives + detractors;
  return g;
}

describe('settings', () => {
  it('default to the custom metadata records', () => {
    expect(DEFAULT_SETTINGS.weights).toEqual({
      Tangibles: 0.11,
      Reliability: 0.32,
      Responsiveness: 0.22,
      Assurance: 0.19,
      Empathy: 0.16
    });
    expect(DEFAULT_SETTINGS.minimumSample).toBe(5);
    expect(DEFAULT_SETTINGS.confidence).toBe(0.95);
  });
});

describe('settings from custom metadata', () => {
  it('reads CX_Dimension__mdt weights and CX_Setting__mdt (confidence in percent)', () => {
    const s = settingsFromMetadata({
      dimensions: [
        { DeveloperName: 'Reliability', Weight__c: 0.6 },
        { DeveloperName: 'Sustainability', Weight__c: 0.4 },
        { DeveloperName: 'Unweighted', Weight__c: null }
      ],
      setting: {
        Minimum_Sample__c: 10,
        Confidence_Level__c: 90,
        Alert_Gap_Threshold__c: -5,
        Alert_NPS_Threshold__c: 10
      },
      timeZone: 'America/New_York'
    });
    expect(s).toEqual({
      weights: { Reliability: 0.6, Sustainability: 0.4, Unweighted: 0 },
      minimumSample: 10,
      confidence: 0.9,
      timeZone: 'America/New_York',
      alertGapThreshold: -5,
      alertNpsThreshold: 10
    });
    expect(settingsFromMetadata({})).toEqual(resolveSettings());
  });
});

describe('means with Student t intervals', () => {
  it('match a hand computation', () => {
    // Values 66.667, 83.333, 50 (n = 3): mean 66.667, s = 16.667, SE = s/sqrt(3)
    // = 9.6225; t(0.975, 2) = 4.302653 -> half-width 41.402.
    const est = meanEstimate(
      momentsOf([200 / 3, 250 / 3, 50]),
      resolveSettings({ minimumSample: 3 })
    );
    expect(est.value).toBeCloseTo(66.6667, 4);
    expect(est.se).toBeCloseTo(9.6225, 4);
    expect((est.upper as number) - (est.value as number)).toBeCloseTo(41.402, 3);
  });

  it('are low-sample below the minimum n and never a bare number', () => {
    const est = meanEstimate(momentsOf([70, 80, 90, 100]), settings);
    expect(est).toEqual({ n: 4, value: null, lower: null, upper: null, se: null, lowSample: true });
  });

  it('give a value without an interval for one value when the minimum allows it', () => {
    const est = meanEstimate(momentsOf([70]), resolveSettings({ minimumSample: 1 }));
    expect(est).toEqual({ n: 1, value: 70, lower: null, upper: null, se: null, lowSample: false });
  });
});

describe('NPS', () => {
  it('follows SE = sqrt((p + d - (p - d)^2) / n) (worked example)', () => {
    // 50 promoters, 30 passives, 20 detractors: NPS = 50 - 20 = 30.
    // Variance of the promoter(+1)/passive(0)/detractor(-1) score:
    // p + d - (p - d)^2 = 0.5 + 0.2 - 0.09 = 0.61; SE = sqrt(0.61/100) = 0.0781
    // = 7.81 points; 95% interval 30 +/- 1.96 * 7.81 = [14.69, 45.31].
    const est = npsEstimate(npsGroup(50, 30, 20), settings);
    expect(est.value).toBeCloseTo(30, 10);
    expect(est.se).toBeCloseTo(7.8102, 4);
    expect(est.lower).toBeCloseTo(14.692, 3);
    expect(est.upper).toBeCloseTo(45.308, 3);
    expect([est.promoters, est.passives, est.detractors]).toEqual([50, 30, 20]);
  });

  it('keeps its interval inside -100..100', () => {
    const est = npsEstimate(npsGroup(6, 0, 0), settings);
    expect(est.value).toBe(100);
    expect(est.upper).toBe(100);
  });

  it('gives no trend when either period is low-sample', () => {
    expect(npsTrend(npsGroup(60, 20, 20), npsGroup(1, 1, 1), settings)).toEqual({
      change: null,
      statistic: null,
      df: null,
      pValue: null,
      significant: false,
      direction: null
    });
  });

  it('flags a trend only when the difference test is significant', () => {
    // 60/20/20 (NPS 40) vs 30/30/40 (NPS -10), n = 100 each:
    // SE1 = sqrt((0.8 - 0.16)/100) = 0.08, SE2 = sqrt((0.7 - 0.01)/100) = 0.0831;
    // z = 50 / (100 * sqrt(0.0064 + 0.0069)) = 4.34 -> significant, up.
    const up = npsTrend(npsGroup(60, 20, 20), npsGroup(30, 30, 40), settings);
    expect(up.change).toBeCloseTo(50, 10);
    expect(up.statistic).toBeCloseTo(50 / (100 * Math.sqrt(0.0064 + 0.0069)), 6);
    expect(up.significant).toBe(true);
    expect(up.direction).toBe('up');
    const flat = npsTrend(npsGroup(6, 2, 2), npsGroup(5, 3, 2), settings);
    expect(flat.significant).toBe(false);
    expect(flat.direction).toBeNull();
  });
});

describe('CSAT', () => {
  it('is the top-two-box percent with a Wilson interval', () => {
    // 0 of 10 satisfied: Wilson 95% upper bound z^2 / (n + z^2) = 3.8415 / 13.8415 = 27.75%.
    const g = createGroup();
    g.csatN = 10;
    const est = csatEstimate(g, settings);
    expect(est.value).toBe(0);
    expect(est.lower).toBe(0);
    expect(est.upper).toBeCloseTo(27.753, 2);
  });
});

describe('CSAT trend', () => {
  it('uses the two-proportion z test (hand computation)', () => {
    // 80 of 100 vs 60 of 100 satisfied: pooled p = 0.7,
    // SE = sqrt(0.7 * 0.3 * (1/100 + 1/100)) = 0.064807, z = 0.2 / 0.064807 = 3.086.
    const a = createGroup();
    a.csatN = 100;
    a.csatTop = 80;
    const b = createGroup();
    b.csatN = 100;
    b.csatTop = 60;
    const t = csatTrend(a, b, settings);
    expect(t.change).toBeCloseTo(20, 10);
    expect(t.statistic).toBeCloseTo(3.0861, 4);
    expect(t).toMatchObject({ significant: true, direction: 'up' });
    expect(t.pValue).toBeCloseTo(0.00203, 4);
    expect(csatTrend(b, b, settings)).toMatchObject({
      change: 0,
      significant: false,
      direction: null
    });
  });
});

describe("Welch's t test", () => {
  it('reproduces the worked example', () => {
    // Source: Wikipedia, "Welch's t-test", Examples, example 1 (unequal
    // variances, equal sizes): t = -2.46, df = 25.0, p = 0.021.
    const a = [
      27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4
    ];
    const b = [
      27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4
    ];
    const w = welchTest(momentsOf(a), momentsOf(b));
    expect(w?.t).toBeCloseTo(-2.46, 2);
    expect(w?.df).toBeCloseTo(25.0, 1);
    expect(w?.pValue).toBeCloseTo(0.021, 3);
    // Independent two-pass computation of the same statistic.
    const mean = (x: number[]) => x.reduce((s, v) => s + v, 0) / x.length;
    const s2 = (x: number[]) => x.reduce((s, v) => s + (v - mean(x)) ** 2, 0) / (x.length - 1);
    expect(w?.t).toBeCloseTo((mean(a) - mean(b)) / Math.sqrt(s2(a) / 15 + s2(b) / 15), 10);
  });

  it('drives the mean trend, flagged only when significant', () => {
    const high = momentsOf([80, 82, 85, 79, 81, 84, 83]);
    const low = momentsOf([60, 62, 58, 61, 63, 59, 60]);
    expect(meanTrend(high, low, settings)).toMatchObject({ significant: true, direction: 'up' });
    const noisy = momentsOf([80, 20, 85, 30, 81, 40, 83]);
    expect(meanTrend(noisy, low, settings)).toMatchObject({ significant: false, direction: null });
    expect(meanTrend(momentsOf([1, 2]), low, settings).change).toBeNull();
  });
});

function response(
  touchpointKey: string,
  channel: string,
  dims: Record<string, [number, number]>,
  extra: Partial<ScoringResponse> = {}
): ScoringResponse {
  return {
    touchpointKey,
    channel,
    answers: Object.entries(dims).map(([d, [e, p]]) => ({
      k: `${touchpointKey}-${d}`,
      d,
      e,
      p,
      min: 0,
      max: 100
    })),
    ...extra
  };
}

describe('gaps', () => {
  // Five responses at ONB on a 0-100 scale:
  //   Reliability e 80, p 60 (gap -20) in all five; Empathy e 50, p 70 (gap +20).
  // Weights Reliability .32, Empathy .16 renormalised to 2/3 and 1/3:
  //   weighted gap = 2/3 * -20 + 1/3 * 20 = -6.667.
  const five = Array.from({ length: 5 }, (_, i) =>
    response(
      'ONB',
      i < 3 ? 'Web' : 'Phone',
      { Reliability: [80, 60], Empathy: [50, 70] },
      { selfRating: 90, nps: 6 + i }
    )
  );
  const stats = statisticsOf('touchpoint', five);

  it('weights dimension gaps, renormalised over the dimensions present', () => {
    expect(weightedGap(stats.overall, settings).value).toBeCloseTo(-20 / 3, 10);
  });

  it('trend of the weighted gap: z of the difference (hand computation)', () => {
    // Previous: Reliability gaps -20 +/- spread in five responses, Empathy +20.
    // Current: Reliability -40, Empathy +20 (same spread): weighted gap
    // 2/3 * -40 + 1/3 * 20 = -20 vs -6.667 -> change -13.33.
    const spread = (base: number) => [base - 2, base - 1, base, base + 1, base + 2];
    const build = (rel: number) =>
      statisticsOf(
        'org',
        spread(rel).map((g, i) =>
          response('ONB', 'Web', { Reliability: [80, 80 + g], Empathy: [50, 70 + spread(0)[i]!] })
        )
      ).overall;
    const previous = build(-20);
    const current = build(-40);
    const t = weightedGapTrend(current, previous, settings);
    expect(t.change).toBeCloseTo(-40 / 3, 10);
    // Each dimension: s^2 = 2.5, SE^2 = 0.5; weighted SE^2 = (4/9 + 1/9) * 0.5 = 0.2778;
    // difference SE = sqrt(2 * 0.2778) = 0.7454 -> z = -13.33 / 0.7454 = -17.89.
    expect(t.statistic).toBeCloseTo(-40 / 3 / Math.sqrt((2 * 5) / 18), 6);
    expect(t).toMatchObject({ significant: true, direction: 'down' });
    expect(weightedGapTrend(current, statisticsOf('org', []).overall, settings).change).toBeNull();
  });

  it('promise gap: P - the touchpoint promise; knowledge gap: believed - mean E', () => {
    // Mean P = 65, promise 75 -> -10. Mean E = 65, believed 70 -> +5.
    const directory = { ONB: { promise: 75, believedExpectation: 70 } };
    expect(promiseGap(stats, directory, settings).value).toBeCloseTo(-10, 10);
    expect(knowledgeGap(stats, directory, settings).value).toBeCloseTo(5, 10);
    expect(promiseGap(stats, {}, settings)).toMatchObject({ n: 0, value: null, lowSample: true });
  });

  it('delivery gap: self-rating - perception', () => {
    expect(scopeReport(stats, settings).overall.deliveryGap.value).toBeCloseTo(25, 10);
  });

  it('channel consistency: range and SD of the channel means', () => {
    const s = statisticsOf('org', [
      ...Array.from({ length: 5 }, () => response('ONB', 'Web', { Reliability: [50, 80] })),
      ...Array.from({ length: 5 }, () => response('ONB', 'Phone', { Reliability: [50, 60] })),
      ...Array.from({ length: 2 }, () => response('ONB', 'Email', { Reliability: [50, 0] }))
    ]);
    const c = channelConsistency(s, 'ONB', settings);
    // Email has n = 2 < 5 and stays out: means 80 and 60 -> range 20, SD 10.
    expect(c.range).toBeCloseTo(20, 10);
    expect(c.sd).toBeCloseTo(10, 10);
    expect(c.channels.find((ch) => ch.channel === 'Email')).toEqual({
      channel: 'Email',
      n: 2,
      mean: null,
      lowSample: true
    });
    expect(channelConsistency(s, 'NONE', settings)).toMatchObject({ range: null, lowSample: true });
  });

  it('derived importance is the correlation of perception with likelihood to recommend', () => {
    const s = statisticsOf('org', [
      response('A', 'Web', { Reliability: [50, 10] }, { nps: 2 }),
      response('A', 'Web', { Reliability: [50, 30] }, { nps: 4 }),
      response('A', 'Web', { Reliability: [50, 50] }, { nps: 6 }),
      response('A', 'Web', { Reliability: [50, 70] }, { nps: 8 }),
      response('A', 'Web', { Reliability: [50, 90] }, { nps: 9 })
    ]);
    // Pearson r of x = (10,30,50,70,90) with y = (2,4,6,8,9): means 50 and 5.8;
    // sxy = 152 + 36 + 0 + 44 + 128 = 360, sxx = 4000,
    // syy = 14.44 + 3.24 + 0.04 + 4.84 + 10.24 = 32.8 -> r = 360 / sqrt(4000 * 32.8) = 0.9939.
    expect(derivedImportance(s.touchpoints.get('A') as GroupStats, settings)).toBeCloseTo(
      360 / Math.sqrt(4000 * 32.8),
      10
    );
  });
});

describe('importance-performance and priorities', () => {
  const entries = [
    { key: 'Reliability', n: 9, importance: 0.32, performance: 40, gap: -20 },
    { key: 'Responsiveness', n: 9, importance: 0.22, performance: 80, gap: 5 },
    { key: 'Tangibles', n: 9, importance: 0.11, performance: 50, gap: -30 },
    { key: 'Empathy', n: 9, importance: 0.16, performance: 90, gap: -1 },
    { key: 'Assurance', n: 2, importance: 0.19, performance: null, gap: null }
  ];

  it('places entries in the Martilla & James quadrants around the means', () => {
    // Cuts: mean importance (0.32+0.22+0.11+0.16)/4 = 0.2025, mean performance 65.
    const ipa = importancePerformance(entries);
    expect(ipa.importanceCut).toBeCloseTo(0.2025, 10);
    expect(ipa.performanceCut).toBeCloseTo(65, 10);
    expect(Object.fromEntries(ipa.entries.map((e) => [e.key, e.quadrant]))).toEqual({
      Reliability: 'concentrate_here',
      Responsiveness: 'keep_up_the_good_work',
      Tangibles: 'low_priority',
      Empathy: 'possible_overkill',
      Assurance: null
    });
  });

  it('leave entries without importance or performance out of the quadrants', () => {
    expect(
      importancePerformance([{ key: 'A', n: 1, importance: null, performance: 50, gap: -3 }])
    ).toEqual({
      importanceCut: null,
      performanceCut: null,
      entries: [{ key: 'A', n: 1, importance: null, performance: 50, gap: -3, quadrant: null }]
    });
  });

  it('ranks negative gaps by importance x size', () => {
    // Reliability 0.32 * 20 = 6.4; Tangibles 0.11 * 30 = 3.3; Empathy 0.16 * 1 = 0.16.
    expect(rankGaps(entries).map((e) => [e.key, e.rank, Number(e.score.toFixed(4))])).toEqual([
      ['Reliability', 1, 6.4],
      ['Tangibles', 2, 3.3],
      ['Empathy', 3, 0.16]
    ]);
  });

  it('report touchpoint quadrants with stated importance, or derived when no record states one', () => {
    const rs = [
      ...Array.from({ length: 6 }, (_, i) =>
        response('A', 'Web', { Reliability: [80, 40 + 10 * i] }, { nps: 2 * i })
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        response('B', 'Web', { Reliability: [80, 90 - i] }, { nps: i % 2 ? 9 : 3 })
      )
    ];
    const s = statisticsOf('org', rs);
    const derived = scopeReport(s, settings).quadrants;
    // A: perception rises with likelihood to recommend (r = 1), B barely (r near 0);
    // A performs worse (mean 65 vs 87.5): concentrate here.
    expect(derived.entries.find((e) => e.key === 'A')).toMatchObject({
      quadrant: 'concentrate_here'
    });
    expect(derived.entries.find((e) => e.key === 'A')?.importance).toBeCloseTo(1, 10);
    const stated = scopeReport(s, settings, {
      A: { importance: 0.2 },
      B: { importance: 0.8 }
    }).quadrants;
    expect(stated.entries.map((e) => [e.key, e.importance, e.quadrant])).toEqual([
      ['A', 0.2, 'low_priority'],
      ['B', 0.8, 'keep_up_the_good_work']
    ]);
  });

  it('builds entries from statistics with stated or derived importance', () => {
    const s = statisticsOf(
      'org',
      Array.from({ length: 6 }, (_, i) =>
        response('A', 'Web', { Reliability: [80, 50 + i] }, { nps: i })
      )
    );
    const stated = priorityEntries(s, settings, {
      by: 'touchpoint',
      touchpoints: { A: { importance: 0.7 } }
    });
    expect(stated[0]).toMatchObject({ key: 'A', importance: 0.7 });
    const derived = priorityEntries(s, settings, { by: 'touchpoint', importance: 'derived' });
    expect(derived[0]?.importance).toBeCloseTo(1, 10);
    expect(priorityEntries(s, settings, { by: 'item' })[0]).toMatchObject({
      key: 'A-Reliability',
      importance: 0.32
    });
  });
});

describe('mergeGroups', () => {
  it('adds groups up (a touchpoint over several accounts)', () => {
    const merged = mergeGroups([npsGroup(1, 2, 3), npsGroup(4, 0, 1)]);
    expect([merged.n, merged.npsPromoters, merged.npsPassives, merged.npsDetractors]).toEqual([
      11, 5, 2, 4
    ]);
  });
});

describe('snapshot headline', () => {
  it('computes the snapshot fields, rounded to two decimals', () => {
    const rs = Array.from({ length: 5 }, (_, i) =>
      response(
        'ONB',
        'Web',
        { Reliability: [80, 60] },
        { nps: [10, 9, 8, 3, 0][i] as number, csat: [5, 4, 2, 1, 4][i] as number, ces: 2 }
      )
    );
    const h = snapshotHeadline(statisticsOf('account', rs), settings, { ONB: { promise: 70 } });
    // NPS: 2 promoters, 2 detractors of 5 -> 0; CSAT 3 of 5 -> 60; gap -20 < -10 -> alert.
    expect(h).toEqual({
      Responses__c: 5,
      Experience_Index__c: 60,
      NPS__c: 0,
      CSAT__c: 60,
      CES__c: 2,
      Gap__c: -20,
      Promise_Gap__c: -10,
      Low_Sample__c: false,
      Alert__c: true
    });
  });

  it('is low-sample with null values below the minimum n, and never alerts on them', () => {
    const h = snapshotHeadline(
      statisticsOf('org', [response('ONB', 'Web', { Reliability: [100, 0] }, { nps: 0 })]),
      settings
    );
    expect(h).toMatchObject({
      Responses__c: 1,
      NPS__c: null,
      Gap__c: null,
      Low_Sample__c: true,
      Alert__c: false
    });
  });
});

describe('results never carry NaN or Infinity', () => {
  it('for empty, single and random inputs', () => {
    expect(allNumbers(scopeReport(createStatistics('org'), settings)).every(Number.isFinite)).toBe(
      true
    );
    fc.assert(
      fc.property(
        fc.array(responseArb, { maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (rs, min) => {
          const s = resolveSettings({ minimumSample: min });
          const stats = statisticsOf('account', rs);
          const report = scopeReport(stats, s, { ONB: { promise: 50, believedExpectation: 60 } });
          expect(allNumbers(report).every(Number.isFinite)).toBe(true);
          expect(allNumbers(snapshotHeadline(stats, s)).every(Number.isFinite)).toBe(true);
          expect(allNumbers(experienceIndex(stats.overall, s)).every(Number.isFinite)).toBe(true);
        }
      ),
      { numRuns: 200 }
    );
  });
});
