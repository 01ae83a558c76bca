import fc from 'fast-check';
import {
  STATISTICS_MAX_LENGTH,
  accumulate,
  createStatistics,
  merge,
  parseSettings,
  parseStatistics,
  resolveSettings,
  scopeReport,
  serializeSettings,
  serializeStatistics,
  statisticsOf
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';
import { allNumbers, differences, responseArb } from './helpers';

const DIMENSIONS = ['Tangibles', 'Reliability', 'Responsiveness', 'Assurance', 'Empathy'];
const CHANNELS = ['Web', 'Mobile app', 'Email', 'Phone', 'Chat', 'Store', 'Field visit', 'Social'];

describe('statistics JSON', () => {
  it('round-trips: parse(serialize(s)) equals s to the digits kept, and re-serialises identically', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          'account' as const,
          'touchpoint' as const,
          'journey' as const,
          'org' as const
        ),
        fc.array(responseArb, { maxLength: 25 }),
        (scope, rs) => {
          const stats = statisticsOf(scope, rs);
          const json = serializeStatistics(stats);
          const back = parseStatistics(json);
          expect(back.scope).toBe(scope);
          // 9 significant digits (relative error <= 5e-9); per-dimension cell means keep 7.
          expect(differences({ ...back, cells: null }, { ...stats, cells: null }, 1e-8)).toEqual(
            []
          );
          expect(differences(back.cells, stats.cells, 1e-6)).toEqual([]);
          expect(serializeStatistics(back)).toBe(json);
        }
      ),
      { numRuns: 150 }
    );
  });

  it('keeps an account month of 50 touchpoints x 5 dimensions x 8 channels well inside the field', () => {
    const stats = createStatistics('account');
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let t = 0; t < 50; t++) {
      for (const channel of CHANNELS) {
        // Three responses a cell, every field answered, irregular values so no number is short.
        for (let r = 0; r < 3; r++) {
          accumulate(stats, {
            touchpointKey: `TOUCHPOINT-${String(t).padStart(3, '0')}`,
            channel,
            nps: rnd(11),
            csat: 1 + rnd(5),
            ces: 1 + rnd(7),
            selfRating: rnd(101),
            answers: DIMENSIONS.map((d) => ({
              k: `TP${t}-${d.slice(0, 3).toUpperCase()}-1`,
              d,
              e: 1 + rnd(7),
              p: 1 + rnd(7),
              min: 1,
              max: 7
            }))
          });
        }
      }
    }
    const json = serializeStatistics(stats);
    expect(stats.cells.size).toBe(50);
    expect(stats.items.size).toBe(250);
    // "Well inside": at most three quarters of the 131,072 characters.
    expect(json.length).toBeLessThan(0.75 * STATISTICS_MAX_LENGTH);
    expect(parseStatistics(json).cells.get('TOUCHPOINT-049')?.get('Social')?.dims.size).toBe(5);
  });

  it('keeps marginals (no per-dimension cells) above the account', () => {
    const r = {
      touchpointKey: 'ONB',
      channel: 'Web',
      answers: [{ k: 'I', d: 'Reliability', e: 3, p: 4, min: 1, max: 5 }]
    };
    const org = JSON.parse(serializeStatistics(statisticsOf('org', [r])));
    const account = JSON.parse(serializeStatistics(statisticsOf('account', [r])));
    expect(org.x).toEqual([[0, 0, 1, 75, 0]]);
    expect(account.x).toEqual([[0, 0, 1, 75, 0, 0, 1, 75]]);
  });

  it('leaves out the least-answered items, marked, when the text would not fit', () => {
    // Item I-k is answered k + 1 times; the small limit forces some out.
    const rs = [];
    for (let k = 0; k < 40; k++) {
      for (let r = 0; r <= k; r++) {
        rs.push({
          touchpointKey: 'T',
          channel: 'Web',
          answers: [{ k: `I-${k}`, d: 'Empathy', e: 1 + (r % 5), p: 2, min: 1, max: 5 }]
        });
      }
    }
    const stats = statisticsOf('org', rs);
    const full = serializeStatistics(stats);
    const limit = full.length - 1000;
    const json = serializeStatistics(stats, limit);
    expect(json.length).toBeLessThanOrEqual(limit);
    const back = parseStatistics(json);
    expect(back.itemsPartial).toBe(true);
    const kept = [...back.items.keys()].map((k) => Number(k.slice(2)));
    expect(kept.length).toBeLessThan(40);
    // The kept items are the most answered ones: every left-out item had fewer answers.
    expect(Math.min(...kept)).toBe(40 - kept.length);
    expect(back.items.get('I-39')?.p.n).toBe(40);
    // The mark survives merging and the next round trip.
    const merged = merge(back, statisticsOf('org', rs.slice(0, 3)));
    expect(merged.itemsPartial).toBe(true);
    expect(parseStatistics(serializeStatistics(merged)).itemsPartial).toBe(true);
    expect(parseStatistics(full).itemsPartial).toBe(false);
    expect(() => serializeStatistics(stats, 200)).toThrow(
      /org statistics need \d+ characters even without item statistics; the field holds 200/
    );
  });

  it('refuses an unknown version, naming it', () => {
    expect(() => parseStatistics('{"v":2,"s":"org"}')).toThrow(
      /statistics version 2 cannot be read .* reads version 1/
    );
    expect(() => parseStatistics('{"s":"org"}')).toThrow(/statistics version undefined/);
  });

  it('names the place that is wrong in damaged JSON', () => {
    const good = JSON.parse(
      serializeStatistics(statisticsOf('org', [{ touchpointKey: 'A', channel: 'Web', nps: 9 }]))
    );
    expect(() => parseStatistics('{')).toThrow(/not valid JSON/);
    expect(() => parseStatistics(JSON.stringify({ ...good, s: 'planet' }))).toThrow(/s \(scope\)/);
    const badGroup = { ...good, o: [...good.o] };
    badGroup.o[1] = -1;
    expect(() => parseStatistics(JSON.stringify(badGroup))).toThrow(
      /o\[1\] \(promoters\) must be a count/
    );
    expect(() => parseStatistics(JSON.stringify({ ...good, x: [[5, 0, 1, 1, 0]] }))).toThrow(
      /x\[0\]\[0\] \(touchpoint\) refers to entry 5 of a list of 1/
    );
    expect(() => parseStatistics(JSON.stringify({ ...good, o: good.o.slice(0, 10) }))).toThrow(
      /o has 10 numbers/
    );
  });

  it('either reads damaged statistics into finite numbers or refuses them with a statistics error', () => {
    const good = serializeStatistics(
      statisticsOf('account', [
        {
          touchpointKey: 'A',
          channel: 'Web',
          nps: 9,
          csat: 4,
          ces: 2,
          answers: [{ k: 'I', d: 'Empathy', e: 3, p: 4, min: 1, max: 5 }]
        },
        {
          touchpointKey: 'A',
          channel: 'Phone',
          nps: 3,
          answers: [{ k: 'I', d: 'Empathy', e: 5, p: 1, min: 1, max: 5 }]
        }
      ])
    );
    // Every number position in the text, replaced by something else.
    const positions = [...good.matchAll(/-?\d+(\.\d+)?(e[-+]?\d+)?/g)].map(
      (m) => [m.index as number, m[0].length] as const
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...positions),
        fc.constantFrom('-1', '1e400', '"x"', 'null', '[]', '{}', '0.5', '99', '-0'),
        ([at, length], replacement) => {
          const damaged = good.slice(0, at) + replacement + good.slice(at + length);
          let stats;
          try {
            stats = parseStatistics(damaged);
          } catch (err) {
            expect(err).toBeInstanceOf(Error);
            expect((err as Error).constructor).toBe(Error);
            expect((err as Error).message).toMatch(/^statistics/);
            return;
          }
          expect(allNumbers(stats).every(Number.isFinite)).toBe(true);
          const report = scopeReport(stats, resolveSettings({ minimumSample: 1 }));
          expect(allNumbers(report).every(Number.isFinite)).toBe(true);
        }
      ),
      { numRuns: 400 }
    );
  });

  it('reads blank text as empty statistics', () => {
    expect(parseStatistics('', 'journey').overall.n).toBe(0);
    expect(parseStatistics(null).scope).toBe('org');
  });
});

describe('settings JSON', () => {
  it('round-trips and fills defaults', () => {
    const s = resolveSettings({
      minimumSample: 10,
      weights: { Reliability: 1 },
      timeZone: 'America/New_York'
    });
    expect(parseSettings(serializeSettings(s))).toEqual(s);
    expect(parseSettings('')).toEqual(resolveSettings());
    expect(JSON.parse(serializeSettings(s))).toMatchObject({
      v: 1,
      minimumSample: 10,
      confidence: 0.95
    });
  });

  it('names the wrong field or version', () => {
    expect(() => resolveSettings({ confidence: 95 })).toThrow(/settings.confidence/);
    expect(() => resolveSettings({ weights: { Reliability: -1 } })).toThrow(
      /settings.weights.Reliability/
    );
    expect(() => resolveSettings({ timeZone: 'Mars/Olympus' })).toThrow(/Mars\/Olympus/);
    expect(() => parseSettings('{"v":3}')).toThrow(/settings version 3/);
  });
});
