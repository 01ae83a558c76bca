import fc from 'fast-check';
import { allocatePrefixes, base62, makeId, normalizeId, to15, to18 } from './ids';

describe('Salesforce Ids', () => {
  it.each([
    ['001B000001LntWl', '001B000001LntWlIAJ'],
    ['0013h00000Ffg19', '0013h00000Ffg19AAB'],
    ['a00B000000FSkcv', 'a00B000000FSkcvIAD'],
    ['0017Q00000EZlby', '0017Q00000EZlbyQAD']
  ])('converts recorded Id %s to %s', (id15, id18) => {
    expect(to18(id15)).toBe(id18);
    expect(to15(id18)).toBe(id15);
  });

  it('normalises 15- and 18-character Ids and rejects a wrong suffix', () => {
    expect(normalizeId('001B000001LntWl')).toBe('001B000001LntWlIAJ');
    expect(normalizeId('001B000001LntWliaj')).toBe('001B000001LntWlIAJ');
    expect(normalizeId('001B000001LntWlAAA')).toBeUndefined();
    expect(normalizeId('not-an-id')).toBeUndefined();
    expect(normalizeId(42)).toBeUndefined();
  });

  it('gives the case-safe suffix that tells apart Ids differing only in case', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 62 ** 6 }), (n) => {
        const id = makeId('a01', n);
        const flipped = id.slice(0, 15).replace(/[a-z]/, (c) => c.toUpperCase());
        if (flipped === id.slice(0, 15)) return;
        expect(to18(flipped).slice(15)).not.toBe(id.slice(15));
      })
    );
  });

  it('makes distinct, well-formed Ids with the key prefix', () => {
    const ids = new Set([1, 2, 61, 62, 63, 1e6].map((n) => makeId('001', n)));
    expect(ids.size).toBe(6);
    for (const id of ids) {
      expect(id).toMatch(/^001[A-Za-z0-9]{15}$/);
      expect(normalizeId(id)).toBe(id);
    }
  });

  it('allocates custom-object prefixes in a stable order and keeps earlier ones', () => {
    expect(allocatePrefixes(['B__c', 'A__c'], 'a')).toEqual({ A__c: 'a00', B__c: 'a01' });
    expect(allocatePrefixes(['A__c', 'B__c', 'C__c'], 'a', { B__c: 'a00' })).toEqual({
      A__c: 'a01',
      B__c: 'a00',
      C__c: 'a02'
    });
    expect(base62(61, 2)).toBe('0z');
  });
});
