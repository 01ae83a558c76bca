import fc from 'fast-check';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { csvLine } from './csv';
import { detectDelimiter, detectEncoding, isValidUtf8 } from './detect';
import { importFiles } from './importer';
import { Store } from './store';
import { parseDate, parseNumber } from './values';

describe('cell parsers', () => {
  it('reads a number the same with a decimal comma or point', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100000, max: 100000 }),
        fc.integer({ min: 0, max: 9999 }),
        (whole, frac) => {
          const text = `${whole}.${String(frac).padStart(4, '0')}`;
          const a = parseNumber(text);
          const b = parseNumber(text.replace('.', ','));
          expect(a).toEqual(b);
          expect(a.ok && a.value).toBeCloseTo(Number(text), 8);
        }
      )
    );
  });

  it('reads ISO, Dutch and US dates of the same instant alike', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1971-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:59Z'),
          noInvalidDate: true
        }),
        (d) => {
          const t = new Date(Math.floor(d.getTime() / 1000) * 1000);
          const p = (n: number) => String(n).padStart(2, '0');
          const [Y, M, D, h, m, s] = [
            t.getUTCFullYear(),
            t.getUTCMonth() + 1,
            t.getUTCDate(),
            t.getUTCHours(),
            t.getUTCMinutes(),
            t.getUTCSeconds()
          ];
          const iso = t.toISOString();
          const h12 = h % 12 === 0 ? 12 : h % 12;
          expect(parseDate(iso)).toEqual({ ok: true, value: iso });
          expect(parseDate(`${Y}-${p(M)}-${p(D)} ${p(h)}:${p(m)}:${p(s)}`)).toEqual({
            ok: true,
            value: iso
          });
          expect(parseDate(`${p(D)}-${p(M)}-${Y} ${p(h)}:${p(m)}:${p(s)}`)).toEqual({
            ok: true,
            value: iso
          });
          expect(
            parseDate(`${p(M)}/${p(D)}/${Y} ${h12}:${p(m)}:${p(s)} ${h < 12 ? 'AM' : 'PM'}`, 'MDY')
          ).toEqual({ ok: true, value: iso });
        }
      )
    );
  });

  it('rejects impossible dates', () => {
    for (const bad of [
      '31-02-2026',
      '2026-13-01',
      '2026-02-30T10:00:00Z',
      'yesterday',
      '12/31/2026 13:00:00 PM'
    ]) {
      expect(parseDate(bad).ok).toBe(false);
    }
  });

  it('validates UTF-8 strictly, tolerating a sequence cut by the end of a sniffed chunk', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const buf = Buffer.from(s, 'utf8');
        expect(isValidUtf8(buf)).toBe(true);
        for (let cut = Math.max(0, buf.length - 3); cut < buf.length; cut++)
          expect(isValidUtf8(buf.subarray(0, cut), true)).toBe(true);
      })
    );
    expect(isValidUtf8(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20]))).toBe(false);
    expect(detectEncoding(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20]))).toBe('windows-1252');
  });

  it('finds the delimiter outside quotes', () => {
    expect(detectDelimiter('a;b;"c,d,e,f";g')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('a,b;c,d')).toBe(',');
  });
});

describe('CSV round trip', () => {
  it('any comment written by the quarantine export CSV writer imports back as the same text', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oi-roundtrip-'));
    const store = new Store('00D000000000001AAA', { memory: true });
    try {
      // Printable text of every kind (quotes, delimiters, line breaks, formulas, any script).
      const cell = fc
        .string({
          unit: fc.oneof(
            fc.constantFrom(
              '"',
              ',',
              ';',
              '\n',
              '\r\n',
              '=',
              '+',
              '-',
              '@',
              "'",
              ' ',
              'é',
              '€',
              '😀'
            ),
            fc.string({ unit: 'grapheme', maxLength: 3 })
          ),
          maxLength: 40
        })
        .filter(
          (s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffd]/.test(s) && s.trim() !== ''
        );
      const comments = fc.sample(cell, { numRuns: 300, seed: 42 });
      const f = path.join(dir, 'rt.csv');
      fs.writeFileSync(
        f,
        csvLine(['ResponseId', 'OccurredAt', 'NPS', 'Comment']) +
          comments.map((c, i) => csvLine([`RT${i}`, '2026-01-01', 7, c])).join('')
      );
      const r = await importFiles(store, [f]);
      expect(r).toMatchObject({ read: comments.length, stored: comments.length, quarantined: 0 });
      const rows = store.db.prepare('SELECT response_id, comment FROM responses').all() as {
        response_id: string;
        comment: string;
      }[];
      const byId = new Map(rows.map((x) => [x.response_id, x.comment]));
      comments.forEach((c, i) => expect(byId.get(`RT${i}`)).toBe(c.trim()));
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
