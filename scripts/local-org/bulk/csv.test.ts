import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { DELIMITERS, isPlainCsv, plainRecords } from './csv';

const read = (text: string, delimiter = ',') => [...plainRecords(Buffer.from(text), delimiter)];

describe('plain CSV uploads', () => {
  it('tells plain uploads from those csv-parse must read', () => {
    expect(isPlainCsv(Buffer.from('A,B\n1,2\n'))).toBe(true);
    expect(isPlainCsv(Buffer.from('A,B\r\n1,2\r\n'))).toBe(true);
    expect(isPlainCsv(Buffer.from('A,B\n"1",2\n'))).toBe(false);
    expect(isPlainCsv(Buffer.from('A,B\r\n1,2\n'))).toBe(false);
    expect(isPlainCsv(Buffer.from('A,B\n1\r,2\n'))).toBe(false);
  });

  it('reads lines of values, without a BOM and empty lines', () => {
    expect(read('\uFEFFA,B\n\n1,\n,2\n 3 ,4,5')).toEqual([
      ['A', 'B'],
      ['1', ''],
      ['', '2'],
      [' 3 ', '4', '5']
    ]);
    expect(read('A;B\r\n1;2\r\n', ';')).toEqual([
      ['A', 'B'],
      ['1', '2']
    ]);
  });

  it('reads every plain upload as csv-parse does', () => {
    const value = fc.string({
      unit: fc.constantFrom(
        'a',
        'Z',
        'é',
        '😀',
        ' ',
        '#',
        "'",
        '\\',
        '\r',
        ...Object.values(DELIMITERS)
      ),
      maxLength: 6
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(DELIMITERS)),
        fc.boolean(),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.array(value, { maxLength: 4 }), { maxLength: 6 }),
        (delimiter, bom, eol, trailing, lines) => {
          const text =
            (bom ? '\uFEFF' : '') +
            lines.map((l) => l.join(delimiter)).join(eol) +
            (trailing ? eol : '');
          const buf = Buffer.from(text);
          fc.pre(isPlainCsv(buf));
          const expected: unknown = parse(buf, {
            delimiter,
            bom: true,
            relax_column_count: true,
            skip_empty_lines: true
          });
          expect([...plainRecords(buf, delimiter)]).toEqual(expected);
        }
      ),
      { numRuns: 2000 }
    );
  });
});
