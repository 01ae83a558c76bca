import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMapping, MappingFileError, parseMapping, toImportMapping } from './mapping';

const dir = mkdtempSync(join(tmpdir(), 'mapping-'));

function write(name: string, doc: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const valid = {
  version: 1,
  format: 'csv',
  decimalComma: true,
  columns: {
    response_id: 'responseId',
    email: 'email',
    touchpoint: 'touchpoint',
    submitted: 'occurredAt'
  },
  questions: {
    Q3_E: { item: 'ONB-REL-1', dimension: 'Reliability', kind: 'Expectation', min: 1, max: 7 },
    Q3_P: { item: 'ONB-REL-1', kind: 'Perception', min: 1, max: 7 },
    Q9: { item: 'ONB-NPS', kind: 'NPS' },
    Q10: { item: 'ONB-SELF', kind: 'Self_Rating', min: 1, max: 10 },
    Q11: { item: 'ONB-TXT', kind: 'Free_Text' }
  },
  defaults: { channel: 'Web' }
};

async function errorOf(doc: unknown): Promise<string> {
  const path = write('m.json', doc);
  try {
    await loadMapping(path);
  } catch (err) {
    expect(err).toBeInstanceOf(MappingFileError);
    return (err as Error).message;
  }
  throw new Error('expected the mapping to be refused');
}

describe('mapping file', () => {
  it('loads a valid file, filling defaults', async () => {
    const m = await loadMapping(write('ok.json', valid));
    expect(m).toMatchObject({
      version: 1,
      delimiter: 'auto',
      dateOrder: 'DMY',
      decimalComma: true
    });
  });

  it('converts to the importer mapping: pairs share the dimension, headline kinds become fields', async () => {
    const im = toImportMapping(await loadMapping(write('ok.json', valid)));
    expect(im.fields).toEqual({
      responseId: 'response_id',
      email: 'email',
      touchpoint: 'touchpoint',
      occurredAt: 'submitted',
      nps: 'Q9',
      selfRating: 'Q10',
      comment: 'Q11'
    });
    expect(im.questions).toEqual([
      {
        column: 'Q3_E',
        item: 'ONB-REL-1',
        kind: 'Expectation',
        dimension: 'Reliability',
        min: 1,
        max: 7
      },
      {
        column: 'Q3_P',
        item: 'ONB-REL-1',
        kind: 'Perception',
        dimension: 'Reliability',
        min: 1,
        max: 7
      }
    ]);
    expect(im.selfRatingScale).toEqual({ min: 1, max: 10 });
    expect(im.defaults).toEqual({ channel: 'Web' });
  });

  it('names the file, the key path and what is wrong', async () => {
    const message = await errorOf({
      ...valid,
      columns: { ...valid.columns, email: 'mail' },
      questions: { ...valid.questions, Q3_P: { item: 'ONB-REL-1', kind: 'Perception', min: 1 } }
    });
    const file = join(dir, 'm.json');
    expect(message).toContain(`${file}: columns.email: must be one of responseId, email`);
    expect(message).toContain(`${file}: questions.Q3_P.max: a Perception question needs its scale`);
  });

  it.each([
    [{ ...valid, version: 2 }, /version: version 2 is not supported/],
    [{ ...valid, colums: {} }, /\(top level\): unknown key "colums"/],
    [
      { ...valid, questions: { Q1: { item: 'X', kind: 'Opinion', min: 1, max: 5 } } },
      /questions.Q1.kind: must be one of Expectation/
    ],
    [
      { ...valid, questions: { Q1: { item: 'X', kind: 'Expectation', min: 5, max: 5 } } },
      /questions.Q1.max: must be above min \(5\)/
    ],
    [
      { ...valid, questions: { Q1: { item: 'X', kind: 'NPS', min: 1, max: 10 } } },
      /questions.Q1.min: NPS is scored on 0-10/
    ],
    [
      { ...valid, columns: { a: 'responseId', b: 'responseId' } },
      /columns.b: maps to responseId, which column "a" already feeds/
    ],
    [
      {
        ...valid,
        questions: {
          ...valid.questions,
          Q3_P: { item: 'ONB-REL-1', kind: 'Perception', min: 1, max: 5 }
        }
      },
      /questions.Q3_P.min: scale 1-5 differs from 1-7 of column "Q3_E"/
    ],
    [
      {
        ...valid,
        questions: {
          ...valid.questions,
          Q12: { item: 'ONB-REL-1', kind: 'Expectation', min: 1, max: 7 }
        }
      },
      /questions.Q12: is a second Expectation question for item ONB-REL-1 \(column "Q3_E"\)/
    ],
    [
      {
        ...valid,
        columns: { 'my col': 'responseId' },
        questions: { 'my col': { item: 'A', kind: 'Free_Text' } }
      },
      /questions\["my col"\]: is already mapped under columns/
    ]
  ])('refuses %j', async (doc, reason) => {
    expect(await errorOf(doc)).toMatch(reason);
  });

  it('explains unreadable files and bad JSON', async () => {
    await expect(loadMapping(join(dir, 'missing.json'))).rejects.toThrow(
      /missing.json: cannot read the mapping file \(no such file\)/
    );
    expect(() => parseMapping('{', 'x.json')).toThrow(/^x.json: not valid JSON/);
  });
});
