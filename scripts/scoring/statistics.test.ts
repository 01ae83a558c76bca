import fc from 'fast-check';
import {
  accumulate,
  accumulateAll,
  addValue,
  cloneStatistics,
  createMoments,
  createStatistics,
  merge,
  mergeInto,
  mergeMoments,
  momentsOf,
  npsCategory,
  responseSummary,
  statisticsOf,
  variance
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';
import { allNumbers, differences, responseArb } from './helpers';

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol + tol * Math.abs(b);

describe('moments', () => {
  it('match a two-pass computation on a small data set', () => {
    // Hand computation: values 2, 4, 4, 4, 5, 5, 7, 9: mean 40/8 = 5, squared
    // deviations 9+1+1+1+0+0+4+16 = 32, sample variance 32/7.
    const m = momentsOf([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(m.n).toBe(8);
    expect(m.mean).toBeCloseTo(5, 14);
    expect(m.m2).toBeCloseTo(32, 12);
    expect(variance(m)).toBeCloseTo(32 / 7, 12);
  });

  it('merge by Chan et al. equals the moments of the union', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 })),
        fc.array(fc.integer({ min: 0, max: 10 })),
        (a, b) => {
          const merged = mergeMoments(momentsOf(a), momentsOf(b));
          const direct = momentsOf([...a, ...b]);
          return (
            merged.n === direct.n && close(merged.mean, direct.mean) && close(merged.m2, direct.m2)
          );
        }
      )
    );
  });

  it('keep the variance of 10^7 values around 10^6 (no catastrophic cancellation)', () => {
    // Values 10^6 + k/10 for k = 0..9 repeated: population variance of
    // {0, 0.1, ..., 0.9} is 0.01 * (10^2 - 1) / 12 = 0.0825, so the sample
    // variance of N values is 0.0825 * N / (N - 1). Naive sums of squares
    // (about 10^19 here) would lose every digit of it.
    const N = 10_000_000;
    const left = createMoments();
    const right = createMoments();
    for (let i = 0; i < N; i++) addValue(i < N / 2 ? left : right, 1e6 + (i % 10) / 10);
    const all = mergeMoments(left, right);
    const expected = (0.0825 * N) / (N - 1);
    expect(all.n).toBe(N);
    expect(Math.abs(all.mean - (1e6 + 0.45))).toBeLessThan(1e-6);
    expect(Math.abs((variance(all) as number) - expected) / expected).toBeLessThan(1e-6);
    expect(Math.abs((variance(left) as number) - expected) / expected).toBeLessThan(1e-6);
  });
});

describe('scope statistics', () => {
  it('hold a hand-computed small data set', () => {
    // Three responses to one 1-7 item (Reliability) at touchpoint ONB:
    //   e 7, p 5 -> normalised 100, 66.667, gap -33.333
    //   e 6, p 6 -> 83.333, 83.333, gap 0
    //   e 7, p 4 -> 100, 50, gap -50
    // mean P = 200/3 = 66.667; squared deviations 0 + 277.78 + 277.78 = 555.56
    // mean E = 283.333/3 = 94.444; mean gap = -83.333/3 = -27.778
    // NPS 10, 8, 3 -> one promoter, one passive, one detractor.
    const stats = statisticsOf('account', [
      {
        touchpointKey: 'ONB',
        channel: 'Web',
        nps: 10,
        answers: [{ k: 'ONB-REL-1', d: 'Reliability', e: 7, p: 5, min: 1, max: 7 }]
      },
      {
        touchpointKey: 'ONB',
        channel: 'Phone',
        nps: 8,
        answers: [{ k: 'ONB-REL-1', d: 'Reliability', e: 6, p: 6, min: 1, max: 7 }]
      },
      {
        touchpointKey: 'ONB',
        channel: 'Web',
        nps: 3,
        answers: [{ k: 'ONB-REL-1', d: 'Reliability', e: 7, p: 4, min: 1, max: 7 }]
      }
    ]);
    const o = stats.overall;
    expect(o.n).toBe(3);
    expect([o.npsPromoters, o.npsPassives, o.npsDetractors]).toEqual([1, 1, 1]);
    expect(o.p.mean).toBeCloseTo(200 / 3, 10);
    expect(o.p.m2).toBeCloseTo(2 * (50 / 3) ** 2, 9);
    expect(o.e.mean).toBeCloseTo(850 / 9, 10);
    expect(o.g.mean).toBeCloseTo(-250 / 9, 10);
    expect(o.dims.get('Reliability')?.g.mean).toBeCloseTo(-250 / 9, 10);
    expect(stats.items.get('ONB-REL-1')?.p.n).toBe(3);
    // Cells: Web holds responses 1 and 3 (66.667 and 50), Phone response 2.
    expect(stats.cells.get('ONB')?.get('Web')?.p.mean).toBeCloseTo(175 / 3, 10);
    expect(stats.cells.get('ONB')?.get('Web')?.dims.get('Reliability')).toEqual({
      n: 2,
      mean: expect.closeTo(175 / 3, 10)
    });
    expect(stats.channels.get('Phone')?.n).toBe(1);
  });

  it('average the items of a dimension within a response and leave out not-applicable answers', () => {
    // Items on different scales normalise first: 4 on 1-5 = 75, 5 on 1-7 = 66.667;
    // the response's Reliability perception is their mean 70.833. The null
    // expectation is left out, not counted as zero.
    const stats = statisticsOf('org', [
      {
        touchpointKey: 'T',
        channel: null,
        answers: [
          { k: 'R1', d: 'Reliability', e: null, p: 4, min: 1, max: 5 },
          { k: 'R2', d: 'Reliability', e: 6, p: 5, min: 1, max: 7 }
        ]
      }
    ]);
    const rel = stats.overall.dims.get('Reliability');
    expect(rel?.p.mean).toBeCloseTo((75 + 200 / 3) / 2, 10);
    expect(rel?.e.mean).toBeCloseTo(250 / 3, 10);
    expect(rel?.e.n).toBe(1);
    expect(stats.channels.size).toBe(0);
    expect(stats.cells.size).toBe(0);
  });

  it('summarise one response as its perception record stores it', () => {
    // E 6 and 4 on 1-7 -> 83.33 and 50, mean 66.67; P 5 -> 66.67 (the other P not
    // answered); self-rating 8 on 1-10 -> 77.78: gap 0, delivery gap 11.11.
    const s = responseSummary({
      touchpointKey: null,
      channel: null,
      selfRating: 8,
      selfRatingMin: 1,
      selfRatingMax: 10,
      answers: [
        { k: 'A', d: 'Reliability', e: 6, p: 5, min: 1, max: 7 },
        { k: 'B', d: 'Empathy', e: 4, p: null, min: 1, max: 7 }
      ]
    });
    expect(s.expectation).toBeCloseTo(200 / 3, 10);
    expect(s.perception).toBeCloseTo(200 / 3, 10);
    expect(s.selfRating).toBeCloseTo(700 / 9, 10);
    expect(s.gap).toBeCloseTo(0, 10);
    expect(s.deliveryGap).toBeCloseTo(700 / 9 - 200 / 3, 10);
    expect(responseSummary({ touchpointKey: null, channel: null })).toEqual({
      expectation: null,
      perception: null,
      selfRating: null,
      gap: null,
      deliveryGap: null
    });
  });

  it('refuse values outside their scale, naming the field', () => {
    const stats = createStatistics('org');
    expect(() => accumulate(stats, { touchpointKey: null, channel: null, nps: 11 })).toThrow(
      /nps 11/
    );
    expect(() =>
      accumulate(stats, {
        touchpointKey: null,
        channel: null,
        answers: [{ k: 'X', d: null, e: 9, p: 1, min: 1, max: 7 }]
      })
    ).toThrow(/answer X: e 9/);
  });

  it('merge(stats(A), stats(B)) equals stats(A and B) within 1e-9', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('account' as const, 'org' as const),
        fc.array(responseArb, { maxLength: 30 }),
        fc.array(responseArb, { maxLength: 30 }),
        (scope, a, b) => {
          const merged = merge(statisticsOf(scope, a), statisticsOf(scope, b));
          expect(differences(merged, statisticsOf(scope, [...a, ...b]))).toEqual([]);
        }
      ),
      { numRuns: 150 }
    );
  });

  it('merge is commutative and associative', () => {
    fc.assert(
      fc.property(
        fc.array(responseArb, { maxLength: 15 }),
        fc.array(responseArb, { maxLength: 15 }),
        fc.array(responseArb, { maxLength: 15 }),
        (a, b, c) => {
          const [sa, sb, sc] = [a, b, c].map((r) => statisticsOf('account', r)) as [
            ReturnType<typeof statisticsOf>,
            ReturnType<typeof statisticsOf>,
            ReturnType<typeof statisticsOf>
          ];
          expect(differences(merge(sa, sb), merge(sb, sa))).toEqual([]);
          expect(differences(merge(merge(sa, sb), sc), merge(sa, merge(sb, sc)))).toEqual([]);
        }
      ),
      { numRuns: 100 }
    );
  });

  it('merge leaves its inputs unchanged and shares nothing with them', () => {
    fc.assert(
      fc.property(
        fc.array(responseArb, { maxLength: 10 }),
        fc.array(responseArb, { maxLength: 10 }),
        (a, b) => {
          const sa = statisticsOf('account', a);
          const copy = cloneStatistics(sa);
          const merged = merge(sa, statisticsOf('account', b));
          accumulate(merged, {
            touchpointKey: 'ONB',
            channel: 'Web',
            nps: 10,
            answers: [{ k: 'ONB-REL-1', d: 'Reliability', e: 1, p: 7, min: 1, max: 7 }]
          });
          expect(differences(sa, copy)).toEqual([]);
        }
      ),
      { numRuns: 50 }
    );
  });

  it('mergeInto refuses to mix the account breakdown with marginal scopes', () => {
    expect(() => mergeInto(createStatistics('org'), createStatistics('account'))).toThrow(
      /cannot merge account/
    );
  });

  it('fan out one response to every scope it feeds', () => {
    const scopes = [
      createStatistics('account'),
      createStatistics('touchpoint'),
      createStatistics('journey'),
      createStatistics('org')
    ];
    accumulateAll(scopes, {
      touchpointKey: 'ONB',
      channel: 'Web',
      nps: 9,
      answers: [{ k: 'ONB-REL-1', d: 'Reliability', e: 5, p: 6, min: 1, max: 7 }]
    });
    for (const s of scopes) expect(s.overall.npsPromoters).toBe(1);
    // Only the account keeps per-dimension means in its touchpoint x channel cells.
    expect(scopes[0]?.cells.get('ONB')?.get('Web')?.dims.size).toBe(1);
    expect(scopes[3]?.cells.get('ONB')?.get('Web')?.dims.size).toBe(0);
  });

  it('empty and single-response statistics hold only finite numbers', () => {
    expect(allNumbers(createStatistics('org')).every(Number.isFinite)).toBe(true);
    fc.assert(
      fc.property(responseArb, (r) => {
        const s = statisticsOf('account', [r]);
        expect(allNumbers(s).every(Number.isFinite)).toBe(true);
      })
    );
  });
});

describe('npsCategory', () => {
  it('puts 9-10 in promoters, 7-8 in passives, 0-6 in detractors, as the statistics count them', () => {
    // The NPS definition (Reichheld 2003): promoters 9-10, passives 7-8, detractors 0-6.
    expect([0, 6, 7, 8, 9, 10].map(npsCategory)).toEqual([
      'detractor',
      'detractor',
      'passive',
      'passive',
      'promoter',
      'promoter'
    ]);
    expect(npsCategory(null)).toBeNull();
    const s = statisticsOf(
      'org',
      [6, 7, 9].map((nps) => ({ touchpointKey: 'T', channel: 'Web', nps }))
    );
    expect([s.overall.npsDetractors, s.overall.npsPassives, s.overall.npsPromoters]).toEqual([
      1, 1, 1
    ]);
  });
});
