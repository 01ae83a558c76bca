import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateFile, generatedMapping } from './generate';
import { importFiles } from './importer';
import { MAX_RECORD_BYTES, openSource, type SourceRecord } from './source';
import { Store } from './store';

/**
 * The streaming readers hand records out in arrays; what a caller sees must
 * not depend on where the file's read chunks happen to end.
 */

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oi-source-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
}

async function readAll(file: string) {
  const source = await openSource(file);
  const chunks: SourceRecord[][] = [];
  try {
    for await (const chunk of source.chunks) chunks.push(chunk);
  } finally {
    source.close();
  }
  return { info: source.info, chunks, records: chunks.flat() };
}

describe('CSV records in arrays', () => {
  it('numbers rows and lines across many chunks, quoted line breaks included', async () => {
    // About 1 MB: many read chunks, with multi-line cells cut at arbitrary places.
    const lines = ['Id,Comment'];
    for (let i = 1; i <= 6000; i++) {
      lines.push(i % 7 === 0 ? `R${i},"two\nlines ${'y'.repeat(i % 300)}"` : `R${i},c${i}`);
    }
    const { chunks, records } = await readAll(write('many.csv', lines.join('\n') + '\n'));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length > 0)).toBe(true);
    expect(records).toHaveLength(6000);
    let line = 2;
    records.forEach((r, i) => {
      const n = i + 1;
      expect(r.rowNumber).toBe(n);
      expect(r.line).toBe(line);
      expect(r.cells[0]).toBe(`R${n}`);
      line += n % 7 === 0 ? 2 : 1;
    });
  });

  it('stops reading on close() before the end', async () => {
    const f = path.join(dir, 'g.csv');
    await generateFile(f, { count: 20000, seed: 3 });
    const source = await openSource(f);
    const first = await source.chunks.next();
    expect(first.done).toBe(false);
    source.close();
    // A reader still waiting sees the end instead of hanging.
    let more = 0;
    for await (const chunk of source.chunks) more += chunk.length;
    expect(first.value!.length + more).toBeLessThan(20000);
  });
});

describe('JSON lines in arrays', () => {
  it('splits lines at \\n, \\r\\n and a lone \\r, skips blank lines and counts every line', async () => {
    const f = write(
      'r.jsonl',
      '{"ResponseId":"J1"}\r\n\r\n{"ResponseId":"J2"}\r{"ResponseId":"J3"}\n  \n{"ResponseId":"J4"}'
    );
    const { records, info } = await readAll(f);
    expect(records.map((r) => [r.rowNumber, r.line, r.cells[0]])).toEqual([
      [1, 1, 'J1'],
      [2, 3, 'J2'],
      [3, 4, 'J3'],
      [4, 6, 'J4']
    ]);
    expect(info.columns.map((c) => c.key)).toEqual(['ResponseId']);
  });

  it('reads lines cut by read chunks and keeps the line numbers', async () => {
    const lines: string[] = [];
    for (let i = 1; i <= 3000; i++) {
      lines.push(JSON.stringify({ ResponseId: `J${i}`, Comment: 'z'.repeat(i % 500) }));
    }
    const { records, chunks } = await readAll(write('big.jsonl', lines.join('\n') + '\n'));
    expect(chunks.length).toBeGreaterThan(1);
    expect(records).toHaveLength(3000);
    expect(records.every((r, i) => r.line === i + 1 && r.cells[0] === `J${i + 1}`)).toBe(true);
    expect(records.every((r) => !r.error)).toBe(true);
  });

  it('rejects a line longer than the record limit without holding it, and reads on', async () => {
    const huge = `{"ResponseId":"BIG","Comment":"${'x'.repeat(MAX_RECORD_BYTES + 10)}"}`;
    const f = write('huge.jsonl', `{"ResponseId":"J1"}\n${huge}\n{"ResponseId":"J3"}\n`);
    const { records } = await readAll(f);
    expect(records).toHaveLength(3);
    expect(records[1]).toMatchObject({
      rowNumber: 2,
      line: 2,
      error: { code: 'record_too_large' }
    });
    expect(records[1]!.raw.length).toBeLessThanOrEqual(64 * 1024);
    expect(records[2]).toMatchObject({ rowNumber: 3, line: 3, cells: ['J3'] });
  });
});

describe('import transactions', () => {
  it('a failure inside a batch rolls it back, marks the import failed, and the rerun completes', async () => {
    const ORG = '00D000000000001AAA';
    const store = new Store(ORG, { dir: path.join(dir, 'store') });
    const f = path.join(dir, 'gen.csv');
    await generateFile(f, { count: 500, seed: 5 });
    // The 250th insert fails: in the middle of the third batch of 100.
    const prepare = store.db.prepare.bind(store.db);
    let inserts = 0;
    const spy = jest.spyOn(store.db, 'prepare').mockImplementation((sql: string) => {
      const stmt = prepare(sql);
      if (!sql.startsWith('INSERT INTO responses')) return stmt;
      const run = stmt.run.bind(stmt);
      return Object.assign(stmt, {
        run: (...params: unknown[]) => {
          if (++inserts === 250) throw new Error('disk full');
          return run(...params);
        }
      });
    });
    try {
      await expect(
        importFiles(store, [f], { mapping: generatedMapping(), batchSize: 100 })
      ).rejects.toThrow('disk full');
    } finally {
      spy.mockRestore();
    }
    expect(store.db.inTransaction).toBe(false);
    const count = () =>
      (store.db.prepare('SELECT COUNT(*) AS n FROM responses').get() as { n: number }).n;
    // Two committed batches stay; the third is gone as a whole.
    expect(count()).toBe(200);
    expect(store.db.prepare('SELECT status, error FROM imports').get()).toEqual({
      status: 'failed',
      error: 'disk full'
    });
    const rerun = await importFiles(store, [f], { mapping: generatedMapping(), batchSize: 100 });
    expect(rerun).toMatchObject({ read: 500, stored: 500, created: 300, unchanged: 200 });
    expect(count()).toBe(500);
    store.close();
  });
});
