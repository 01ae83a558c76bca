import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage } from './storage';
import { fixtureOrg } from './testing/orgFixture';

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

describe('storage indexes', () => {
  const { core, ids } = fixtureOrg();
  const plan = (sql: string) =>
    (core.storage.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[])
      .map((r) => r.detail)
      .join('; ');

  it('finds records by an optional lookup through an index that leaves out the nulls', () => {
    const sql = core.storage.db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'ix_CX_Perception__c_Contact__c'")
      .pluck()
      .get();
    expect(sql).toMatch(/WHERE "Contact__c" IS NOT NULL$/);
    for (const where of [`"Contact__c" = 'x'`, `"Contact__c" IN ('x', 'y')`]) {
      expect(plan(`SELECT "Id" FROM "CX_Perception__c" WHERE ${where}`)).toContain(
        'ix_CX_Perception__c_Contact__c'
      );
    }
    const admin = core.context('admin');
    const child = core.records.create(admin, 'CX_Perception__c', {
      Account__c: ids.acme,
      Contact__c: ids.contact,
      Occurred_At__c: '2026-11-01T00:00:00Z',
      Source__c: 'Import',
      Response_Id__c: 'with-contact'
    });
    const perception = core.schema.get('CX_Perception__c')!;
    expect(core.storage.childIds(perception, 'Contact__c', ids.contact!)).toEqual([child]);
  });

  it('keeps whole indexes on required lookups and unique fields', () => {
    for (const name of ['ix_CX_Perception__c_Account__c', 'ix_CX_Perception__c_Response_Id__c']) {
      const sql = core.storage.db
        .prepare('SELECT sql FROM sqlite_master WHERE name = ?')
        .pluck()
        .get(name);
      expect(sql).not.toMatch(/WHERE/);
    }
  });
});

describe('storage file', () => {
  it('journals to a WAL that is checkpointed every 10000 pages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'storage-'));
    const storage = new Storage(join(dir, 'org.sqlite'));
    try {
      expect(storage.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(storage.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10000);
    } finally {
      storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
