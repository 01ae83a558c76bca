import {
  defaultConfig,
  generateRows,
  sampleConfig,
  withShortfalls,
  type GeneratorConfig
} from './generate';

/**
 * The generator's touchpoints that fall short: a few of them, the same ones
 * for every responses' seed, with perception below expectation on average,
 * while the others stay above it and their rows do not move.
 */

interface TouchpointMeans {
  n: number;
  /** Mean of P - E over answered item pairs, in scale points. */
  gap: number;
  /** NPS: % promoters - % detractors. */
  nps: number;
}

function means(config: GeneratorConfig, count: number, seed: number): Map<string, TouchpointMeans> {
  const sums = new Map<string, { n: number; gap: number; pairs: number; score: number }>();
  for (const { values } of generateRows({ count, seed, config })) {
    const tp = config.touchpoints.find((t) => t.key === values.Touchpoint)!;
    const s = sums.get(tp.key) ?? { n: 0, gap: 0, pairs: 0, score: 0 };
    s.n++;
    for (const { item } of tp.items) {
      const e = values[`E:${item}`];
      const p = values[`P:${item}`];
      if (e && p) {
        s.gap += Number(p) - Number(e);
        s.pairs++;
      }
    }
    const nps = Number(values.NPS);
    s.score += nps >= 9 ? 1 : nps <= 6 ? -1 : 0;
    sums.set(tp.key, s);
  }
  return new Map(
    [...sums].map(([k, s]) => [k, { n: s.n, gap: s.gap / s.pairs, nps: (s.score / s.n) * 100 }])
  );
}

const shortOnes = (config: GeneratorConfig) =>
  config.touchpoints.filter((t) => (t.shortfall ?? 0) > 0).map((t) => t.key);

describe('touchpoints that fall short', () => {
  it('are a third of the touchpoints, at most three, the same in every world built from the same keys', () => {
    const sample = sampleConfig();
    expect(sample.touchpoints).toHaveLength(10);
    expect(shortOnes(sample)).toHaveLength(3);
    expect(shortOnes(sampleConfig())).toEqual(shortOnes(sample));
    expect(shortOnes(defaultConfig())).toHaveLength(2);
    // Chosen from the keys, not their order.
    const reversed = withShortfalls(
      [...sample.touchpoints].reverse().map(({ shortfall: _s, ...t }) => t)
    );
    expect(shortOnes({ ...sample, touchpoints: reversed }).sort()).toEqual(
      shortOnes(sample).sort()
    );
    // One or two touchpoints: nothing falls short; a shortfall set by hand is kept.
    const [first, second] = defaultConfig().touchpoints.map(({ shortfall: _s, ...t }) => t);
    expect(withShortfalls([first!, second!]).every((t) => t.shortfall === undefined)).toBe(true);
    const kept = withShortfalls(
      defaultConfig().touchpoints.map((t) => ({ ...t, shortfall: t.key === 'SRV-APP' ? 0.5 : 0 }))
    );
    expect(kept.find((t) => t.key === 'SRV-APP')?.shortfall).toBe(0.5);
    expect(shortOnes({ ...defaultConfig(), touchpoints: kept })).toEqual(['SRV-APP']);
  });

  it('have perception below expectation and a lower NPS on average; the others stay above', () => {
    for (const config of [sampleConfig(), defaultConfig()]) {
      for (const seed of [21, 22]) {
        const m = means(config, 6000, seed);
        const short = new Set(shortOnes(config));
        for (const t of config.touchpoints) {
          const tm = m.get(t.key)!;
          expect(tm.n).toBeGreaterThan(300);
          if (short.has(t.key)) {
            expect([t.key, tm.gap < 0]).toEqual([t.key, true]);
          } else expect([t.key, tm.gap > 0]).toEqual([t.key, true]);
        }
        const nps = (keys: string[]) => keys.reduce((s, k) => s + m.get(k)!.nps, 0) / keys.length;
        const others = config.touchpoints.map((t) => t.key).filter((k) => !short.has(k));
        expect(nps([...short])).toBeLessThan(nps(others) - 15);
      }
    }
  });

  it('leave the rows of the other touchpoints as they were', () => {
    const config = sampleConfig();
    const none = {
      ...config,
      touchpoints: config.touchpoints.map(({ shortfall: _s, ...t }) => t)
    };
    const short = new Set(shortOnes(config));
    const a = [...generateRows({ count: 500, seed: 5, config })];
    const b = [...generateRows({ count: 500, seed: 5, config: none })];
    let compared = 0;
    a.forEach((row, i) => {
      expect(row.values.Touchpoint).toBe(b[i]!.values.Touchpoint);
      if (short.has(row.values.Touchpoint!)) return;
      expect(row.values).toEqual(b[i]!.values);
      compared++;
    });
    expect(compared).toBeGreaterThan(300);
    // And the same seed gives the same rows.
    expect([...generateRows({ count: 500, seed: 5, config })]).toEqual(a);
  });
});
