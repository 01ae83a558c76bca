import { Storage } from './storage';

function failing(storage: Storage, fn: () => void): void {
  expect(() =>
    storage.transaction(() => {
      fn();
      throw new Error('undo');
    })
  ).toThrow('undo');
}

describe('storage counters', () => {
  it('counts on outside a transaction, one value at a time', () => {
    const storage = new Storage(':memory:');
    expect([storage.next('a'), storage.next('a'), storage.next('b')]).toEqual([1, 2, 1]);
    expect(storage.peek('a')).toBe(3);
  });

  it('keeps the values a transaction took once it commits', () => {
    const storage = new Storage(':memory:');
    storage.transaction(() => {
      expect(storage.peek('a')).toBe(1);
      expect([storage.next('a'), storage.next('a')]).toEqual([1, 2]);
      expect(storage.peek('a')).toBe(3);
    });
    expect(storage.next('a')).toBe(3);
    const row = storage.db.prepare("SELECT value FROM __counters WHERE name = 'a'").get();
    expect(row).toEqual({ value: 3 });
  });

  it('gives back the values of a rolled-back transaction or savepoint', () => {
    const storage = new Storage(':memory:');
    failing(storage, () => storage.next('a'));
    expect(storage.next('a')).toBe(1);
    storage.transaction(() => {
      storage.next('a');
      failing(storage, () => {
        storage.next('a');
        storage.next('b');
      });
      expect(storage.next('a')).toBe(3);
      expect(storage.next('b')).toBe(1);
    });
    expect([storage.next('a'), storage.next('b')]).toEqual([4, 2]);
  });

  it('counts writes, and takes back those of a rolled-back savepoint', () => {
    const storage = new Storage(':memory:');
    const start = storage.writes;
    storage.transaction(() => {
      storage.next('a');
      const inner = storage.writes;
      failing(storage, () => storage.next('a'));
      expect(storage.writes).toBe(inner);
    });
    expect(storage.writes).toBe(start + 1);
  });
});
