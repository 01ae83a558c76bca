import fc from 'fast-check';
import {
  normaliseScore,
  parseAnswers,
  readScaleValue,
  serializeAnswers
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';
import { answerArb } from './helpers';

describe('answers JSON', () => {
  it('parses the documented shape', () => {
    expect(
      parseAnswers('{"v":1,"a":[{"k":"ONB-REL-1","d":"Reliability","e":6,"p":5,"min":1,"max":7}]}')
    ).toEqual({
      ok: true,
      answers: [{ k: 'ONB-REL-1', d: 'Reliability', e: 6, p: 5, min: 1, max: 7 }]
    });
  });

  it('leaves out not-applicable answers: null, blank, "n/a" and 0 on a 1-based scale', () => {
    const json = JSON.stringify({
      v: 1,
      a: [
        { k: 'A', d: 'Empathy', e: null, p: 'n/a', min: 1, max: 5 },
        { k: 'B', d: 'Empathy', e: '', p: 0, min: 1, max: 5 },
        { k: 'C', d: 'Empathy', e: 0, p: 3, min: 1, max: 5 },
        { k: 'D', d: null, e: 0, p: 0, min: 0, max: 10 }
      ]
    });
    expect(parseAnswers(json)).toEqual({
      ok: true,
      answers: [
        { k: 'C', d: 'Empathy', e: null, p: 3, min: 1, max: 5 },
        { k: 'D', d: null, e: 0, p: 0, min: 0, max: 10 }
      ]
    });
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[1]', /must be a JSON object/],
    ['{"v":2,"a":[]}', /answers version 2 is not supported/],
    ['{"v":1,"a":[{"d":"X","e":1,"p":1,"min":1,"max":5}]}', /a\[0\]\.k/],
    [
      '{"v":1,"a":[{"k":"Q","e":1,"p":9,"min":1,"max":5}]}',
      /a\[0\] \(Q\)\.p 9 is not a value on its scale 1-5/
    ],
    ['{"v":1,"a":[{"k":"Q","e":1,"p":1,"min":5,"max":5}]}', /max must be a number above min/]
  ])('explains what is wrong with %s', (json, reason) => {
    const result = parseAnswers(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(reason);
  });

  it('reads blank as no answers', () => {
    expect(parseAnswers('  ')).toEqual({ ok: true, answers: [] });
    expect(parseAnswers(null)).toEqual({ ok: true, answers: [] });
  });

  it('round-trips through serializeAnswers', () => {
    fc.assert(
      fc.property(fc.array(answerArb, { maxLength: 8 }), (answers) => {
        const parsed = parseAnswers(serializeAnswers(answers));
        const applicable = answers.filter((a) => a.e !== null || a.p !== null);
        expect(parsed).toEqual({ ok: true, answers: applicable });
      })
    );
  });
});

describe('scales', () => {
  it('normalise to 0-100 from their own minimum and maximum', () => {
    expect(normaliseScore(1, 1, 7)).toBe(0);
    expect(normaliseScore(7, 1, 7)).toBe(100);
    expect(normaliseScore(4, 1, 5)).toBe(75);
    expect(normaliseScore(6, 0, 10)).toBe(60);
  });

  it('read values, not-applicable markers and invalid input apart', () => {
    expect(readScaleValue('4', 1, 5)).toBe(4);
    expect(readScaleValue('4,5', 1, 5, true)).toBe(4.5);
    expect(readScaleValue('4,5', 1, 5)).toBeUndefined();
    expect(readScaleValue('N/A', 1, 5)).toBeNull();
    expect(readScaleValue(0, 1, 5)).toBeNull();
    expect(readScaleValue(0, 0, 10)).toBe(0);
    expect(readScaleValue(6, 1, 5)).toBeUndefined();
    expect(readScaleValue('abc', 1, 5)).toBeUndefined();
  });
});
