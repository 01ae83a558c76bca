import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';

const fixtures = join(__dirname, '..', '..', 'scoring', 'fixtures');
const csv = join(fixtures, 'responses.csv');
const mapping = join(fixtures, 'mapping.json');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const estimateKeys = ['lowSample', 'lower', 'n', 'se', 'upper', 'value'];
const groupKeys = [
  'ces',
  'csat',
  'deliveryGap',
  'dimensions',
  'expectation',
  'experienceIndex',
  'gap',
  'n',
  'nps',
  'weightedGap'
];

describe('outside-in score <file>', () => {
  it('prints the scores of a file as JSON in a pinned shape', async () => {
    const { code, out } = await run(['score', csv, '--mapping', mapping, '--json']);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(Object.keys(r).sort()).toEqual(
      [
        'byChannel',
        'byDimension',
        'byItem',
        'byTouchpoint',
        'file',
        'itemsPartial',
        'mapping',
        'overall',
        'period',
        'periods',
        'priorities',
        'quadrants',
        'responses',
        'rows',
        'scope',
        'settings'
      ].sort()
    );
    expect(Object.keys(r.overall).sort()).toEqual(
      [...groupKeys, 'knowledgeGap', 'promiseGap'].sort()
    );
    for (const k of [
      'experienceIndex',
      'gap',
      'weightedGap',
      'csat',
      'ces',
      'deliveryGap',
      'expectation'
    ]) {
      expect(Object.keys(r.overall[k]).sort()).toEqual(estimateKeys);
    }
    expect(Object.keys(r.overall.nps).sort()).toEqual(
      [...estimateKeys, 'detractors', 'passives', 'promoters'].sort()
    );
    expect(Object.keys(r.byTouchpoint[0]).sort()).toEqual(
      [...groupKeys, 'consistency', 'derivedImportance', 'key', 'knowledgeGap', 'promiseGap'].sort()
    );
    expect(Object.keys(r.byChannel[0]).sort()).toEqual([...groupKeys, 'key'].sort());
    expect(Object.keys(r.byDimension[0]).sort()).toEqual([
      'dimension',
      'expectation',
      'gap',
      'perception',
      'weight'
    ]);
    expect(Object.keys(r.byItem[0]).sort()).toEqual([
      'dimension',
      'expectation',
      'gap',
      'key',
      'perception'
    ]);
    expect(r.byTouchpoint.map((t: { key: string; n: number }) => [t.key, t.n])).toEqual([
      ['ONB', 5],
      ['SRV', 2]
    ]);
    expect(r.byChannel.map((c: { key: string }) => c.key)).toEqual(['Email', 'Phone', 'Web']);
    expect(Object.keys(r.quadrants).sort()).toEqual(['entries', 'importanceCut', 'performanceCut']);
    expect(Object.keys(r.quadrants.entries[0]).sort()).toEqual([
      'gap',
      'importance',
      'key',
      'n',
      'performance',
      'quadrant'
    ]);
  });

  it('computes the fixture by hand', async () => {
    // Seven responses (fixtures/responses.csv):
    //   NPS 10, 9, 7, 3, 8, 6, 10 -> 3 promoters, 2 detractors -> (3 - 2) / 7 = 14.29
    //   CSAT 5, 4, 4, 2, 3, 2, 5 -> 4 of 7 in the top two boxes = 57.14%
    //   CES 2, 3, 2, 5, 4, 6, 1 -> 23 / 7 = 3.286
    //   Reliability (1-7) P 6,6,4,3,5,2,7 -> (5+5+3+2+4+1+6)/6/7*100 = 64.29
    //   Empathy (1-5) E "n/a" in r4 is left out: 6 expectations, 7 perceptions.
    const { out } = await run(['score', csv, '--mapping', mapping, '--json']);
    const r = JSON.parse(out);
    expect(r.responses).toBe(7);
    expect(r.overall.nps.value).toBeCloseTo(100 / 7, 10);
    expect(r.overall.csat.value).toBeCloseTo(400 / 7, 10);
    expect(r.overall.ces.value).toBeCloseTo(23 / 7, 10);
    const rel = r.byDimension.find((d: { dimension: string }) => d.dimension === 'Reliability');
    expect(rel.perception.value).toBeCloseTo((26 / 6 / 7) * 100, 10);
    const emp = r.byItem.find((i: { key: string }) => i.key === 'EMP-1');
    expect([emp.expectation.n, emp.perception.n]).toEqual([6, 7]);
    // SRV has two responses: below the minimum sample of 5, never a bare number.
    const srv = r.byTouchpoint.find((t: { key: string }) => t.key === 'SRV');
    expect(srv.experienceIndex).toEqual({
      n: 2,
      value: null,
      lower: null,
      upper: null,
      se: null,
      lowSample: true
    });
  });

  it('prints a readable summary without --json and takes the minimum sample', async () => {
    const { code, out } = await run(['score', csv, '--mapping', mapping, '--min-sample', '2']);
    expect(code).toBe(0);
    expect(out).toMatch(/7 responses \(intervals 95%, minimum n 2\)/);
    expect(out).toMatch(/NPS +14\.3 \[/);
    expect(out).toMatch(/SRV +66\.7/);
  });

  it('names file, line and column of a bad value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'response_id,email,touchpoint,channel,submitted,nps,csat,ces,Q3_E,Q3_P,Q4_E,Q4_P\nr1,a@x.nl,ONB,Web,2026-03-02,10,5,2,7,6,5,5\nr2,b@x.nl,ONB,Web,2026-03-02,12,5,2,9,6,5,5\n'
    );
    const { code, err } = await run(['score', bad, '--mapping', mapping, '--json']);
    expect(code).toBe(1);
    expect(err).toContain(`${bad} line 3, column "nps": "12" is not a value on 0-10`);
    expect(err).toContain(`${bad} line 3, column "Q3_E": "9" is not a value on 1-7`);
  });

  it('reads comma-separated files and decimal commas in semicolon files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    const semi = join(dir, 'semi.csv');
    writeFileSync(
      semi,
      'response_id;email;touchpoint;channel;submitted;nps;csat;ces;Q3_E;Q3_P;Q4_E;Q4_P\nr1;a;ONB;Web;2026-03-02;10;5;2;6,5;5,5;5;5\n'
    );
    const { code, out } = await run([
      'score',
      semi,
      '--mapping',
      mapping,
      '--json',
      '--min-sample',
      '1'
    ]);
    expect(code).toBe(0);
    // 6.5 on 1-7 = 91.67, 5.5 -> 75.
    const item = JSON.parse(out).byItem.find((i: { key: string }) => i.key === 'REL-1');
    expect(item.expectation.value).toBeCloseTo(91.6667, 3);
    expect(item.perception.value).toBeCloseTo(75, 10);
  });

  it('takes touchpoint promises for the promise and knowledge gaps', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    const tps = join(dir, 'touchpoints.json');
    writeFileSync(tps, JSON.stringify({ ONB: { promise: 80, believedExpectation: 90 } }));
    const { code, out } = await run([
      'score',
      csv,
      '--mapping',
      mapping,
      '--touchpoints',
      tps,
      '--json'
    ]);
    expect(code).toBe(0);
    const onb = JSON.parse(out).byTouchpoint.find((t: { key: string }) => t.key === 'ONB');
    // Promise gap = mean P - 80; knowledge gap = 90 - mean E, over ONB's five responses.
    expect(onb.promiseGap.value).toBeCloseTo(onb.experienceIndex.value - 80, 10);
    expect(onb.knowledgeGap.value).toBeCloseTo(90 - onb.expectation.value, 10);
    writeFileSync(tps, JSON.stringify({ ONB: { promise: 180 } }));
    expect((await run(['score', csv, '--mapping', mapping, '--touchpoints', tps])).err).toContain(
      `${tps}: ONB.promise: must be 0-100`
    );
  });

  it('scores one period, calendar months in the time zone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    const f = join(dir, 'months.csv');
    // 31 Mar 22:30 UTC is already April in Amsterdam (UTC+2), still March in London (UTC+1).
    writeFileSync(
      f,
      'response_id,email,touchpoint,channel,submitted,nps,csat,ces,Q3_E,Q3_P,Q4_E,Q4_P\n' +
        'r1,a,ONB,Web,2026-03-10T10:00:00Z,10,5,2,7,6,5,5\n' +
        'r2,b,ONB,Web,2026-03-31T22:30:00Z,0,5,2,7,6,5,5\n' +
        'r3,c,ONB,Web,,9,5,2,7,6,5,5\n'
    );
    const ams = JSON.parse(
      (await run(['score', f, '--mapping', mapping, '--json', '--period', '2026-04'])).out
    );
    expect(ams).toMatchObject({
      period: '2026-04',
      responses: 1,
      periods: { '2026-03': 1, '2026-04': 1, none: 1 }
    });
    expect(ams.overall.nps.n).toBe(1);
    const london = JSON.parse(
      (
        await run([
          'score',
          f,
          '--mapping',
          mapping,
          '--json',
          '--period',
          '2026-03',
          '--time-zone',
          'Europe/London'
        ])
      ).out
    );
    expect(london).toMatchObject({ responses: 2, periods: { '2026-03': 2, none: 1 } });
    expect((await run(['score', f, '--mapping', mapping, '--period', '2026-3'])).err).toMatch(
      /not a month/
    );
  });

  it('without a file scores the sync store, and says clearly when there is no org to score for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-noorg-'));
    const saved = process.env.OUTSIDE_IN_LOCAL_ORG_DIR;
    process.env.OUTSIDE_IN_LOCAL_ORG_DIR = dir;
    try {
      const { code, err } = await run(['score']);
      expect(code).toBe(1);
      expect(err).toMatch(/outside-in score: .*local org/i);
    } finally {
      if (saved === undefined) delete process.env.OUTSIDE_IN_LOCAL_ORG_DIR;
      else process.env.OUTSIDE_IN_LOCAL_ORG_DIR = saved;
    }
  });

  it('needs a mapping with a file, and names a missing column', async () => {
    expect((await run(['score', csv])).err).toMatch(/needs --mapping/);
    const dir = mkdtempSync(join(tmpdir(), 'score-'));
    const m = join(dir, 'm.json');
    writeFileSync(m, JSON.stringify({ version: 1, columns: { rating: 'nps' } }));
    expect((await run(['score', csv, '--mapping', m])).err).toMatch(
      /column "rating" \(columns.rating in the mapping\) is not in the file/
    );
  });
});
