import {
  captureCutoff,
  estimateText,
  fieldValue,
  formatDate,
  formatLabel,
  formatNumber,
  gapEstimateText,
  gapText,
  gapTone,
  intervalText,
  dimensionLabel,
  perceptionResponse,
  periodWindow,
  randomId,
  statisticsByPeriod,
  touchpointDirectory
} from 'c/cxView';
import { createStatistics, statisticsOf } from 'c/experienceScoring';

const response = (occurredAt, p) => ({
  touchpointKey: 'T',
  channel: 'Web',
  occurredAt,
  answers: [{ k: 'I', d: 'Reliability', e: 4, p, min: 1, max: 7 }]
});

describe('cxView text', () => {
  it('writes numbers with a real minus sign and gaps in words', () => {
    expect(formatNumber(-1.44)).toBe('\u22121.4');
    expect(formatNumber(2, { signed: true })).toBe('+2.0');
    expect(formatNumber(-0.01)).toBe('0.0');
    expect(gapText(-1.44)).toBe('\u22121.4 below expectation');
    expect(gapText(3)).toBe('+3.0 above expectation');
    expect(gapText(0.04)).toBe('meets expectation');
    expect(gapText(null)).toBe('');
    expect(formatLabel('{0} and {1} and {2}', 'a', 'b')).toBe('a and b and {2}');
  });

  it('never shows a bare number below the minimum sample', () => {
    const low = { n: 3, value: null, lower: null, upper: null, se: null, lowSample: true };
    expect(estimateText(low)).toBe('low sample, n = 3');
    expect(gapEstimateText(low)).toBe('low sample, n = 3');
    expect(estimateText({ ...low, n: 0 })).toBe('no responses yet');
    expect(estimateText(undefined)).toBe('no responses yet');
    expect(intervalText(low, 0.95)).toBe('');
    const ok = { n: 9, value: 61.25, lower: 50, upper: 72.5, se: 5, lowSample: false };
    expect(estimateText(ok)).toBe('61.3');
    expect(gapEstimateText({ ...ok, value: -4 })).toBe('\u22124.0 below expectation');
    expect(intervalText(ok, 0.95)).toBe('95% interval 50.0 to 72.5');
  });

  it('bands gaps and names dimensions', () => {
    expect(gapTone(-12)).toContain('cx-tone_bad');
    expect(gapTone(-5)).toContain('cx-tone_warn');
    expect(gapTone(1)).toContain('cx-tone_even');
    expect(gapTone(5)).toContain('cx-tone_good');
    expect(gapTone(null)).toContain('cx-tone_none');
    expect(dimensionLabel('Reliability')).toBe('Reliability');
    expect(dimensionLabel('Digital_Ease')).toBe('Digital Ease');
    expect(dimensionLabel(null)).toBe('');
    expect(formatDate('2026-04-30')).toBe('Apr 30, 2026');
    expect(formatDate('not a date')).toBe('not a date');
    expect(formatDate(null)).toBe('');
  });
});

describe('cxView GraphQL reading', () => {
  it('follows parent relationships and reads perceptions as scoring responses', () => {
    const node = {
      Id: 'a05',
      Channel__c: { value: 'Web' },
      NPS__c: { value: 8 },
      Answers__c: { value: 'not json' },
      Perception__c: { value: 70 },
      Expectation__c: { value: null },
      Touchpoint__r: { Key__c: { value: 'T' } },
      Process_Owner__r: null
    };
    expect(fieldValue(node, 'Touchpoint__r.Key__c')).toBe('T');
    expect(fieldValue(node, 'Process_Owner__r.Name')).toBeNull();
    expect(fieldValue(node, 'Missing__c')).toBeNull();
    const r = perceptionResponse(node);
    expect(r).toMatchObject({ touchpointKey: 'T', channel: 'Web', nps: 8, perception: 70 });
    // Unreadable answers fall back to the headline values.
    expect(r.answers).toEqual([]);
    const dir = touchpointDirectory([
      { Id: 'a01', Key__c: { value: 'T' }, Name: { value: 'Tp' }, Brand_Promise__c: { value: 80 } },
      { Id: 'a02', Key__c: { value: null } }
    ]);
    expect([...dir.keys()]).toEqual(['T']);
    expect(dir.get('T').promise).toBe(80);
  });
});

describe('exact at every moment', () => {
  it('counts a capture created at the cut-off in the snapshot, one created after it on the page', () => {
    const snapshot = statisticsOf('account', [response('2026-03-02T10:00:00Z', 5)]);
    const { byPeriod, merged, skipped } = statisticsByPeriod(
      [{ period: '2026-03', statistics: snapshot, includesThrough: '2026-03-10T00:00:00.000Z' }],
      [
        { createdDate: '2026-03-10T00:00:00.000Z', response: response('2026-03-09T10:00:00Z', 6) },
        { createdDate: '2026-03-10T00:00:00.001Z', response: response('2026-03-09T11:00:00Z', 7) },
        // No snapshot for April: counted.
        { createdDate: '2026-04-02T00:00:00.000Z', response: response('2026-04-01T10:00:00Z', 3) },
        // Off its scale: left out rather than breaking the page.
        { createdDate: '2026-04-02T00:00:00.000Z', response: response('2026-04-01T10:00:00Z', 9) },
        { createdDate: '2026-04-02T00:00:00.000Z', response: { touchpointKey: null } }
      ],
      'Europe/Amsterdam'
    );
    expect(merged).toBe(2);
    expect(skipped).toBe(2);
    expect(byPeriod.get('2026-03').overall.n).toBe(2);
    expect(byPeriod.get('2026-04').overall.n).toBe(1);
    // The stored snapshot itself is untouched.
    expect(snapshot.overall.n).toBe(1);
  });

  it('merges every capture of a month whose snapshot has no cut-off', () => {
    const { byPeriod } = statisticsByPeriod(
      [{ period: '2026-03', statistics: createStatistics('account'), includesThrough: null }],
      [{ createdDate: '2026-03-01T00:00:00.000Z', response: response('2026-03-01T10:00:00Z', 6) }],
      'Europe/Amsterdam'
    );
    expect(byPeriod.get('2026-03').overall.n).toBe(1);
  });

  it('asks for captures after the earliest cut-off, or all when a month lacks one', () => {
    const node = (period, through) => ({
      Period__c: { value: period },
      Includes_Through__c: { value: through }
    });
    const nodes = [
      node('2026-03', '2026-03-10T00:00:00.000Z'),
      node('2026-02', '2026-03-01T00:00:00.000Z')
    ];
    expect(captureCutoff(nodes, ['2026-03', '2026-02'])).toBe('2026-03-01T00:00:00.000Z');
    expect(captureCutoff(nodes, ['2026-03', '2026-02', '2026-01'])).toBe(
      '1970-01-01T00:00:00.000Z'
    );
    expect(captureCutoff([node('2026-03', null)], ['2026-03'])).toBe('1970-01-01T00:00:00.000Z');
  });

  it('windows months in the org time zone', () => {
    const w = periodWindow(Date.parse('2026-01-15T12:00:00Z'), 3, 'Europe/Amsterdam');
    expect(w.current).toEqual(['2026-01', '2025-12', '2025-11']);
    expect(w.previous).toEqual(['2025-10', '2025-09', '2025-08']);
    expect(w.fromInstant).toBe('2025-07-31T22:00:00.000Z');
  });
});

describe('randomId', () => {
  it('makes distinct v4-shaped ids', () => {
    const a = randomId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(randomId()).not.toBe(a);
  });
});
