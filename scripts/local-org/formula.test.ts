import type { FormulonLiteral } from 'formulon';
import { compileFormula, type FormulaEnv } from './formula';

const num = (value: number | null): FormulonLiteral =>
  value === null
    ? { type: 'literal', value: null, dataType: 'null', options: {} }
    : { type: 'literal', value, dataType: 'number', options: { length: 16, scale: 2 } };

const record: Record<string, FormulonLiteral> = { A: num(4), B: num(0), E: num(null) };
const values = (name: string) => record[name];
const prior: FormulaEnv = { isNew: false, prior: (name) => (name === 'A' ? num(3) : record[name]) };

const run = (text: string, env?: FormulaEnv) => compileFormula(text).evaluate(values, env).value;

describe('formulas', () => {
  it.each([
    ['A - B * 2', 4],
    ['A / 8', 0.5],
    ['IF(B = 0, -1, A / B)', -1],
    ['IF(A > B, A, B)', 4],
    ['AND(A > 0, B = 0)', true],
    ['OR(A < 0, NOT(B = 0))', false],
    ['CASE(A, 1, 10, 4, 40, 0)', 40],
    ['CASE(A, 1, 10, 0)', 0],
    ['E + 1', null],
    ['BLANKVALUE(E, A * 2)', 8],
    ['ISBLANK(E)', true],
    ['ISNEW()', true],
    ['ISCHANGED(A)', false],
    ['PRIORVALUE(A)', 4]
  ])('evaluates %s on insert as %j', (text, expected) => {
    expect(run(text)).toBe(expected);
  });

  it('compares with the values before an update', () => {
    expect(run('ISCHANGED(A)', prior)).toBe(true);
    expect(run('ISCHANGED(B)', prior)).toBe(false);
    expect(run('PRIORVALUE(A) + 1', prior)).toBe(4);
    expect(run('ISNEW()', prior)).toBe(false);
  });

  it('fails only on the branch taken', () => {
    expect(run('IF(ISNEW(), 1, ISCHANGED(1))')).toBe(1);
    expect(() => run('IF(ISNEW(), 1, ISCHANGED(1))', prior)).toThrow('ISCHANGED needs a field');
    expect(run('IF(A > 0, A, Nope__c)')).toBe(4);
    expect(() => run('IF(A < 0, A, Nope__c)')).toThrow('Field Nope__c does not exist');
  });

  it('evaluates each row with its own values', () => {
    const gap = compileFormula('Perception__c - Expectation__c');
    const rows = [
      { Perception__c: num(70), Expectation__c: num(80) },
      { Perception__c: num(90), Expectation__c: num(null) }
    ] as Record<string, FormulonLiteral>[];
    expect(rows.map((row) => gap.evaluate((name) => row[name]).value)).toEqual([-10, null]);
  });
});
