// The module as components load it: through the LWC compiler, as c/experienceScoring.
import {
  accumulate,
  createStatistics,
  parseAnswers,
  parseStatistics,
  periodOf,
  resolveSettings,
  serializeStatistics,
  snapshotHeadline
} from 'c/experienceScoring';

describe('c/experienceScoring', () => {
  it('scores answers captured on a record page', () => {
    const parsed = parseAnswers(
      '{"v":1,"a":[{"k":"ONB-REL-1","d":"Reliability","e":6,"p":5,"min":1,"max":7}]}'
    );
    expect(parsed.ok).toBe(true);
    const stats = createStatistics('account');
    for (let i = 0; i < 5; i++) {
      accumulate(stats, {
        touchpointKey: 'ONB',
        channel: 'Web',
        nps: 9,
        answers: parsed.answers
      });
    }
    const again = parseStatistics(serializeStatistics(stats));
    const headline = snapshotHeadline(again, resolveSettings());
    // P 5 and E 6 on 1-7: 66.67 and 83.33, gap -16.67; five promoters: NPS 100.
    expect(headline.Experience_Index__c).toBe(66.67);
    expect(headline.Gap__c).toBe(-16.67);
    expect(headline.NPS__c).toBe(100);
    expect(headline.Alert__c).toBe(true);
  });

  it('uses the org time zone for periods', () => {
    expect(periodOf('2026-01-31T23:30:00Z', 'Europe/Amsterdam')).toBe('2026-02');
  });
});
