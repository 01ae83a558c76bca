import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import type { ImportMapping } from './columns';
import { generateFile, generatedMapping } from './generate';
import { importFiles } from './importer';
import { exportQuarantine, listQuarantine } from './quarantine';
import { storeStatus } from './status';
import { Store } from './store';

const ORG = '00D000000000001AAA';
let dir: string;
let store: Store;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'oi-import-'));
  store = new Store(ORG, { dir: path.join(dir, 'store') });
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
}

type Row = Record<string, unknown>;
const responses = () =>
  store.db.prepare('SELECT * FROM responses ORDER BY response_id').all() as Row[];
const quarantine = () => listQuarantine(store);

const HEADER =
  'ResponseId,Email,Touchpoint,Channel,OccurredAt,NPS,CSAT,CES,E:ONB-REL-1,P:ONB-REL-1,Comment,Language';

describe('import: formats, encodings, delimiters', () => {
  it('reads a plain CSV with well-known column names and stores normalised responses', async () => {
    const f = write(
      'a.csv',
      `${HEADER}\nR1, Anna@Acme.example ,ONB-WELCOME,telefoon,2026-03-14T09:30:00Z,9,5,2,6,5,Top!,NL\n`
    );
    const r = await importFiles(store, [f]);
    expect(r).toMatchObject({ read: 1, stored: 1, quarantined: 0, created: 1 });
    const [row] = responses();
    expect(row).toMatchObject({
      response_id: 'R1',
      email: 'Anna@Acme.example',
      email_norm: 'anna@acme.example',
      touchpoint_ref: 'ONB-WELCOME',
      channel: 'Phone',
      occurred_at: '2026-03-14T09:30:00.000Z',
      nps: 9,
      csat: 5,
      ces: 2,
      comment: 'Top!',
      language: 'nl',
      match_status: 'pending',
      score_pending: 1
    });
    expect(JSON.parse(row?.answers as string)).toEqual({
      v: 1,
      a: [{ k: 'ONB-REL-1', d: null, e: 6, p: 5, min: 1, max: 7 }]
    });
    // Normalised 0-100: (6-1)/6*100 and (5-1)/6*100.
    expect(row?.expectation).toBeCloseTo(83.33, 2);
    expect(row?.perception).toBeCloseTo(66.67, 2);
  });

  it('reads a Dutch Excel export: UTF-8 BOM, semicolons, decimal commas, DD-MM-YYYY dates', async () => {
    const mapping: ImportMapping = {
      fields: { responseId: 'Id', occurredAt: 'Datum', comment: 'Opmerking', selfRating: 'Zelf' },
      questions: [
        {
          column: 'Beleving',
          item: 'SRV-REL-1',
          kind: 'Perception',
          dimension: 'Reliability',
          min: 1,
          max: 10
        }
      ],
      defaults: { touchpoint: 'SRV-CASE', channel: 'Phone' },
      selfRatingScale: { min: 1, max: 10 },
      dateOrder: 'DMY'
    };
    const f = write(
      'nl.csv',
      '\ufeffId;Datum;Beleving;Zelf;Opmerking\r\nN1;03-04-2026 14:05;7,5;8,5;"Prima; snel geholpen"\r\n'
    );
    const r = await importFiles(store, [f], { mapping });
    expect(r.files[0]).toMatchObject({ encoding: 'utf-8-bom', delimiter: ';', stored: 1 });
    const [row] = responses();
    expect(row).toMatchObject({
      occurred_at: '2026-04-03T14:05:00.000Z',
      touchpoint_ref: 'SRV-CASE',
      channel: 'Phone',
      comment: 'Prima; snel geholpen'
    });
    expect(JSON.parse(row?.answers as string).a[0]).toEqual({
      k: 'SRV-REL-1',
      d: 'Reliability',
      e: null,
      p: 7.5,
      min: 1,
      max: 10
    });
    expect(row?.self_rating).toBeCloseTo(83.33, 2);
  });

  it('detects Windows-1252 and decodes accented text', async () => {
    const text = `ResponseId\tOccurredAt\tNPS\tComment\nW1\t2026-01-05\t8\tÉén keer gebeld, daarna opgelost – prima\n`;
    const f = write('w.tsv', iconv.encode(text, 'windows-1252'));
    const r = await importFiles(store, [f]);
    expect(r.files[0]).toMatchObject({ encoding: 'windows-1252', delimiter: '\t', stored: 1 });
    expect(responses()[0]?.comment).toBe('Één keer gebeld, daarna opgelost – prima');
  });

  it('reads a Qualtrics export: three header rows, questions mapped by ImportId', async () => {
    const lines = [
      'StartDate,EndDate,ResponseId,RecipientEmail,UserLanguage,Q1,Q2_1,Q2_2,Q3',
      'Start Date,End Date,Response ID,Recipient Email,User Language,How likely are you to recommend us?,Expectation - reliability,Experience - reliability,Anything else?',
      '"{""ImportId"":""startDate"",""timeZone"":""UTC""}","{""ImportId"":""endDate"",""timeZone"":""UTC""}","{""ImportId"":""_recordId""}","{""ImportId"":""recipientEmail""}","{""ImportId"":""userLanguage""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2_1""}","{""ImportId"":""QID2_2""}","{""ImportId"":""QID3_TEXT""}"',
      '2026-02-01 10:00:00,2026-02-01 10:04:00,R_abc,eva@globex.example,EN,10,5,6,"Great, ""really"" great"'
    ];
    const f = write('q.csv', lines.join('\n') + '\n');
    const mapping: ImportMapping = {
      fields: {
        responseId: '_recordId',
        email: 'recipientEmail',
        occurredAt: 'endDate',
        nps: 'QID1',
        comment: 'QID3_TEXT',
        language: 'userLanguage'
      },
      questions: [
        {
          column: 'QID2_1',
          item: 'ONB-REL-1',
          kind: 'Expectation',
          dimension: 'Reliability',
          min: 1,
          max: 7
        },
        {
          column: 'QID2_2',
          item: 'ONB-REL-1',
          kind: 'Perception',
          dimension: 'Reliability',
          min: 1,
          max: 7
        }
      ],
      defaults: { touchpoint: 'ONB-WELCOME' },
      selfRatingScale: { min: 1, max: 7 },
      dateOrder: 'DMY'
    };
    const r = await importFiles(store, [f], { mapping });
    expect(r.files[0]?.error).toBeNull();
    expect(r.files[0]).toMatchObject({ format: 'qualtrics', read: 1, stored: 1 });
    expect(responses()[0]).toMatchObject({
      response_id: 'R_abc',
      email_norm: 'eva@globex.example',
      occurred_at: '2026-02-01T10:04:00.000Z',
      nps: 10,
      language: 'en',
      comment: 'Great, "really" great',
      touchpoint_ref: 'ONB-WELCOME'
    });
  });

  it('reads a SurveyMonkey export: two header rows, matrix sub-columns keyed by their row label', async () => {
    const f = write(
      'sm.csv',
      [
        'Respondent ID,Collector ID,Start Date,End Date,Email Address,How likely is it that you would recommend us?,Rate our service,,Comments',
        ',,,,,Response,Reliability (expected),Reliability (experienced),Open-Ended Response',
        '114,999,11/03/2026 10:01:02 AM,11/03/2026 10:05:40 PM,bram@acme.example,6,6,3,Slow'
      ].join('\r\n')
    );
    const mapping: ImportMapping = {
      fields: {
        responseId: 'Respondent ID',
        occurredAt: 'End Date',
        email: 'Email Address',
        nps: 'How likely is it that you would recommend us?',
        comment: 'Comments'
      },
      questions: [
        {
          column: 'Rate our service | Reliability (expected)',
          item: 'SRV-REL-1',
          kind: 'Expectation',
          dimension: 'Reliability',
          min: 1,
          max: 7
        },
        {
          column: 'Rate our service | Reliability (experienced)',
          item: 'SRV-REL-1',
          kind: 'Perception',
          dimension: 'Reliability',
          min: 1,
          max: 7
        }
      ],
      defaults: { touchpoint: 'SRV-CASE' },
      selfRatingScale: { min: 1, max: 7 },
      dateOrder: 'MDY'
    };
    const r = await importFiles(store, [f], { mapping });
    expect(r.files[0]).toMatchObject({ format: 'surveymonkey', stored: 1 });
    const [row] = responses();
    expect(row).toMatchObject({
      response_id: '114',
      occurred_at: '2026-11-03T22:05:40.000Z',
      nps: 6
    });
    expect(JSON.parse(row?.answers as string).a[0]).toMatchObject({ e: 6, p: 3 });
  });

  it('reads JSON lines, quarantining a line that is not JSON', async () => {
    const f = write(
      'r.jsonl',
      [
        '{"ResponseId":"J1","OccurredAt":"2026-05-01T08:00:00Z","NPS":7}',
        '{"ResponseId":"J2","OccurredAt":"2026-05-02T08:00:00Z","NPS":3,"Comment":"te duur","E:PUR-REL-1":5,"P:PUR-REL-1":2}',
        '{"ResponseId":"J3", oops',
        ''
      ].join('\n')
    );
    const r = await importFiles(store, [f]);
    expect(r).toMatchObject({ read: 3, stored: 2, quarantined: 1 });
    expect(quarantine()[0]).toMatchObject({ row: 3, line: 3, code: 'malformed_json' });
    expect(JSON.parse(responses()[1]?.answers as string).a).toEqual([
      { k: 'PUR-REL-1', d: null, e: 5, p: 2, min: 1, max: 7 }
    ]);
  });
});

describe('import: hostile input is quarantined with file, row, field and reason', () => {
  const ok = (id: string, extra = '') =>
    `${id},x@y.example,ONB-WELCOME,Web,2026-03-01,8,4,2,5,5,${extra},en`;

  it('quarantines each kind of bad row and the counts reconcile', async () => {
    const big = 'x'.repeat(1024 * 1024);
    const f = write(
      'bad.csv',
      [
        HEADER,
        ok('G1'),
        ok('H1', '"=HYPERLINK(""http://evil.example"",""click"")"'),
        'R2,x@y.example,ONB-WELCOME,Web,2026-03-01,11,4,2,5,5,,en',
        'R3,x@y.example,ONB-WELCOME,Web,2026-03-01,8,4,2,9,5,,en',
        'R4,x@y.example,ONB-WELCOME',
        `${ok('R5')},surplus`,
        ok('G1'),
        ok('R6', big),
        'R7,not-an-email,ONB-WELCOME,Web,2026-03-01,8,4,2,5,5,,en',
        'R8,x@y.example,ONB-WELCOME,Pigeon,2026-03-01,8,4,2,5,5,,en',
        'R9,x@y.example,ONB-WELCOME,Web,31-02-2026,8,4,2,5,5,,en',
        ',x@y.example,ONB-WELCOME,Web,2026-03-01,8,4,2,5,5,,en',
        'R10,x@y.example,ONB-WELCOME,Web,2026-03-01,,,,,,,en',
        'R11,x@y.example,ONB-WELCOME,Web,2026-03-01,7.5,4,2,5,5,,en',
        ok('G2'),
        'R12,x@y.example,ONB-WELCOME,Web,2026-03-01,8,4,2,5,5,"never closed,en',
        ok('LOST1'),
        ok('LOST2')
      ].join('\n') + '\n'
    );
    const r = await importFiles(store, [f]);
    const file = r.files[0];
    expect(file?.read).toBe(file!.stored + file!.quarantined);
    expect(responses().map((x) => x.response_id)).toEqual(['G1', 'G2', 'H1']);
    const q = Object.fromEntries(quarantine().map((e) => [e.row, e]));
    expect(q[3]).toMatchObject({ field: 'NPS', code: 'invalid_value', responseId: 'R2' });
    expect(q[3]?.reason).toMatch(/11 is outside 0-10/);
    expect(q[4]).toMatchObject({ field: 'E:ONB-REL-1', code: 'out_of_range' });
    expect(q[5]).toMatchObject({ code: 'ragged_row' });
    expect(q[5]?.reason).toMatch(/3 cells, the header has 12/);
    expect(q[6]).toMatchObject({ code: 'ragged_row' });
    expect(q[7]).toMatchObject({ code: 'duplicate_id', field: 'ResponseId' });
    expect(q[7]?.reason).toMatch(/first at row 1/);
    expect(q[8]).toMatchObject({ code: 'too_long', field: 'Comment' });
    expect(q[9]).toMatchObject({ field: 'Email', code: 'invalid_value' });
    expect(q[10]).toMatchObject({ field: 'Channel' });
    expect(q[11]).toMatchObject({ field: 'OccurredAt' });
    expect(q[12]).toMatchObject({ field: 'ResponseId', code: 'missing_value' });
    expect(q[13]).toMatchObject({ code: 'no_answers' });
    expect(q[14]?.reason).toMatch(/not a whole number/);
    expect(q[16]).toMatchObject({ code: 'unbalanced_quote', line: 17 });
    expect(Object.keys(q)).toHaveLength(13);
    for (const e of quarantine()) expect(e.file).toMatch(/bad\.csv$/);
    // A formula stays text, exactly as written.
    const h1 = responses().find((x) => x.response_id === 'H1');
    expect(h1?.comment).toBe('=HYPERLINK("http://evil.example","click")');
    const status = storeStatus(store);
    expect(status).toMatchObject({ read: 16, stored: 3, quarantined: 13, reconciled: true });
  });

  it('rejects an empty file and reads a header-only file as zero rows', async () => {
    const empty = write('empty.csv', '');
    const blank = write('blank.csv', '\n\n  \n');
    const header = write('header.csv', `${HEADER}\n`);
    const r = await importFiles(store, [empty, blank, header]);
    expect(r.files.map((f) => f.status)).toEqual(['failed', 'failed', 'imported']);
    expect(r.files[0]?.error).toMatch(/empty\.csv: the file is empty/);
    expect(r.files[1]?.error).toMatch(/blank lines only/);
    expect(r.files[2]).toMatchObject({ read: 0, stored: 0, quarantined: 0 });
    expect(r.files[2]?.warnings).toContain('the file has a header but no data rows');
    expect(r.failedFiles).toBe(2);
  });

  it('quarantines rows with bytes invalid in the detected encoding (past the sniffed prefix)', async () => {
    const good = Array.from(
      { length: 3000 },
      (_, i) => `U${i},2026-01-01,7,${'ok '.repeat(10)}`
    ).join('\n');
    const bad = Buffer.concat([
      Buffer.from(`ResponseId,OccurredAt,NPS,Comment\n${good}\nBAD1,2026-01-01,7,caf`),
      Buffer.from([0xe9]),
      Buffer.from(' au lait\n')
    ]);
    const f = write('mixed.csv', bad);
    const r = await importFiles(store, [f]);
    expect(r.files[0]).toMatchObject({
      encoding: 'utf-8',
      read: 3001,
      stored: 3000,
      quarantined: 1
    });
    expect(quarantine()[0]).toMatchObject({
      row: 3001,
      field: 'Comment',
      code: 'encoding',
      responseId: 'BAD1'
    });
  });

  it('names a missing response id column as a clear file error', async () => {
    const f = write('noid.csv', 'Email,NPS\nx@y.example,9\n');
    const r = await importFiles(store, [f]);
    expect(r.files[0]).toMatchObject({ status: 'failed' });
    expect(r.files[0]?.error).toMatch(/noid\.csv: no response id column/);
  });
});

describe('import: idempotence and edits', () => {
  it('importing the same file again changes nothing', async () => {
    const f = path.join(dir, 'gen.csv');
    await generateFile(f, { count: 500, seed: 7, badRate: 0.05 });
    const first = await importFiles(store, [f], { mapping: generatedMapping() });
    const snapshot = () =>
      JSON.stringify([
        responses(),
        store.db.prepare('SELECT * FROM rows ORDER BY import_id, row_number').all(),
        store.db.prepare('SELECT stage, row_number, code FROM quarantine ORDER BY id').all()
      ]);
    const before = snapshot();
    const again = await importFiles(store, [f], { mapping: generatedMapping() });
    expect(again.files[0]?.status).toBe('skipped');
    expect(snapshot()).toBe(before);
    // A copy under another name is read, and every row is unchanged.
    const copy = path.join(dir, 'copy.csv');
    fs.copyFileSync(f, copy);
    const third = await importFiles(store, [copy], { mapping: generatedMapping(), batchSize: 37 });
    expect(third.files[0]).toMatchObject({ status: 'skipped' });
    expect(first.read).toBe(500);
    expect(first.stored + first.quarantined).toBe(500);
  });

  it('an edited row with a known response id is an edit that asks for a rescore', async () => {
    const a = write(
      'a.csv',
      `${HEADER}\nE1,x@y.example,ONB-WELCOME,Web,2026-03-01,8,4,2,5,5,,en\nE2,x@y.example,ONB-WELCOME,Web,2026-03-01,8,4,2,5,5,,en\n`
    );
    await importFiles(store, [a]);
    store.db.prepare("UPDATE responses SET score_pending = 0, match_status = 'matched'").run();
    const b = write(
      'b.csv',
      `${HEADER}\nE1,x@y.example,ONB-WELCOME,Web,2026-03-01,3,4,2,5,5,,en\nE2,x@y.example,ONB-WELCOME,Web,2026-03-01,8,4,2,5,5,,en\n`
    );
    const r = await importFiles(store, [b]);
    expect(r).toMatchObject({ edited: 1, unchanged: 1, created: 0 });
    const rows = responses();
    expect(rows[0]).toMatchObject({
      response_id: 'E1',
      nps: 3,
      score_pending: 1,
      match_status: 'pending'
    });
    expect(rows[1]).toMatchObject({ response_id: 'E2', score_pending: 0, match_status: 'matched' });
  });

  it('a crashed import is redone on the next run with the same result', async () => {
    const f = path.join(dir, 'gen.csv');
    await generateFile(f, { count: 300, seed: 11, badRate: 0.1 });
    process.env.OUTSIDE_IN_CRASH_AT = 'import:batch2';
    process.env.OUTSIDE_IN_CRASH_MODE = 'throw';
    try {
      await expect(
        importFiles(store, [f], { mapping: generatedMapping(), batchSize: 100 })
      ).rejects.toThrow(/simulated crash at import:batch2/);
    } finally {
      delete process.env.OUTSIDE_IN_CRASH_AT;
      delete process.env.OUTSIDE_IN_CRASH_MODE;
    }
    const rerun = await importFiles(store, [f], { mapping: generatedMapping(), batchSize: 100 });
    const other = new Store(ORG, { memory: true });
    const clean = await importFiles(other, [f], { mapping: generatedMapping(), batchSize: 100 });
    expect(rerun.files[0]).toMatchObject({
      read: 300,
      stored: clean.stored,
      quarantined: clean.quarantined
    });
    const ids = (s: Store) =>
      s.db.prepare('SELECT response_id, content_hash FROM responses ORDER BY 1').all();
    expect(ids(store)).toEqual(ids(other));
    other.close();
  });
});

describe('quarantine export', () => {
  it('writes the rejected rows with reasons, formulas escaped, ready to import again', async () => {
    const f = write(
      'q.csv',
      [
        HEADER,
        'Q1,x@y.example,ONB-WELCOME,Web,2026-03-01,11,4,2,5,5,"=HYPERLINK(""http://evil.example"")",en',
        'Q2,x@y.example,ONB-WELCOME,Web,2026-03-01,9,4,2,5,5,fine,en'
      ].join('\n')
    );
    await importFiles(store, [f]);
    const out = path.join(dir, 'quarantine.csv');
    const res = await exportQuarantine(store, out);
    expect(res.rows).toBe(1);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records[0]).toMatchObject({
      'Quarantine Row': '1',
      'Quarantine Field': 'NPS',
      'Quarantine Code': 'invalid_value',
      ResponseId: 'Q1',
      NPS: '11'
    });
    // Fix the score and import the export again: the apostrophe goes, the formula stays text.
    fs.writeFileSync(out, text.replace(',11,', ',10,'));
    const again = await importFiles(store, [out]);
    expect(again).toMatchObject({ stored: 1, quarantined: 0 });
    const q1 = responses().find((x) => x.response_id === 'Q1');
    expect(q1).toMatchObject({ nps: 10, comment: '=HYPERLINK("http://evil.example")' });
  });
});
