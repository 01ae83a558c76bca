import * as fs from 'node:fs';
import * as path from 'node:path';
import { once } from 'node:events';
import type { ImportMapping, QuestionSpec } from './columns';
import { CHANNELS } from './values';

/**
 * A seeded generator of realistic survey responses: several journeys and
 * channels, Dutch and English verbatims, and (on request) a share of bad
 * rows of every kind the importer must quarantine. The same seed gives the
 * same file, byte for byte.
 */

export interface GenTouchpoint {
  key: string;
  journey: string;
  channels: string[];
  /** Item keys with their dimension, scale 1-7. */
  items: { item: string; dimension: string }[];
  /**
   * How far the touchpoint falls short, in scale points: its perception
   * answers land that much lower (below expectation on average), and a
   * fifteenth of it weighs on the respondent's overall satisfaction, so NPS,
   * CSAT, CES and verbatims follow. Absent: it delivers like the rest, a
   * little above expectation.
   */
  shortfall?: number;
}

export interface GenContact {
  email: string;
  accountNumber?: string;
}

export interface GeneratorConfig {
  touchpoints: GenTouchpoint[];
  contacts: GenContact[];
  /** First month of the generated responses (UTC), `YYYY-MM`. */
  startMonth: string;
  months: number;
  /** Item scale. */
  scale: { min: number; max: number };
}

export type GenFormat = 'csv' | 'csv-nl' | 'qualtrics' | 'jsonl';

export interface GenerateOptions {
  count: number;
  seed: number;
  format?: GenFormat;
  /** Share of bad rows (0-1), spread over the kinds in BAD_KINDS. */
  badRate?: number;
  config?: GeneratorConfig;
  /** First response number (to generate a second, disjoint file). */
  offset?: number;
}

export const BAD_KINDS = [
  'nps_out_of_range',
  'bad_date',
  'bad_channel',
  'blank_id',
  'duplicate_id',
  'unknown_touchpoint',
  'unknown_email'
] as const;
export type BadKind = (typeof BAD_KINDS)[number];

const DIMENSIONS = ['Tangibles', 'Reliability', 'Responsiveness', 'Assurance', 'Empathy'];
const DIM_CODE: Record<string, string> = {
  Tangibles: 'TAN',
  Reliability: 'REL',
  Responsiveness: 'RES',
  Assurance: 'ASS',
  Empathy: 'EMP'
};

/** The shortfalls handed out (scale points), weakest touchpoint first. */
const SHORTFALLS = [2, 1.6, 1.2];
/** Fixed, so a world's weak touchpoints do not depend on the responses' seed. */
const SHORTFALL_SEED = 7;

/**
 * Marks a few touchpoints as falling short (a third of them, at most
 * three), drawn with a fixed seed from their sorted keys: the same
 * touchpoints in every file and every run, so the gap views and follow-up
 * Tasks have real shortfalls to show beside the touchpoints that deliver.
 * A shortfall already set (0 included) is kept.
 */
export function withShortfalls(touchpoints: GenTouchpoint[]): GenTouchpoint[] {
  const keys = touchpoints.map((t) => t.key).sort();
  const rand = rng(SHORTFALL_SEED);
  const n = Math.min(SHORTFALLS.length, Math.floor(keys.length / 3));
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rand() * (keys.length - i));
    [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
  }
  const chosen = new Map(keys.slice(0, n).map((k, i) => [k, SHORTFALLS[i] as number]));
  return touchpoints.map((t) => {
    const shortfall = chosen.get(t.key);
    return shortfall === undefined || t.shortfall !== undefined ? t : { ...t, shortfall };
  });
}

/** The built-in world: three journeys, seven touchpoints, 40 contacts at 10 accounts. */
export function defaultConfig(): GeneratorConfig {
  const items = (prefix: string, dims: string[]) =>
    dims.map((d) => ({ item: `${prefix}-${DIM_CODE[d]}-1`, dimension: d }));
  const touchpoints: GenTouchpoint[] = [
    {
      key: 'PUR-QUOTE',
      journey: 'PURCHASE',
      channels: ['Web', 'Email', 'Phone'],
      items: items('PUR', ['Reliability', 'Responsiveness', 'Assurance'])
    },
    {
      key: 'PUR-DELIVERY',
      journey: 'PURCHASE',
      channels: ['Store', 'Field visit'],
      items: items('DEL', ['Tangibles', 'Reliability'])
    },
    {
      key: 'ONB-WELCOME',
      journey: 'ONBOARDING',
      channels: ['Email', 'Phone'],
      items: items('ONB', ['Reliability', 'Empathy', 'Assurance'])
    },
    {
      key: 'ONB-TRAINING',
      journey: 'ONBOARDING',
      channels: ['Field visit', 'Web'],
      items: items('TRN', ['Tangibles', 'Assurance', 'Empathy'])
    },
    {
      key: 'SRV-CASE',
      journey: 'SERVICE',
      channels: ['Phone', 'Chat', 'Email'],
      items: items('SRV', ['Responsiveness', 'Reliability', 'Empathy'])
    },
    {
      key: 'SRV-APP',
      journey: 'SERVICE',
      channels: ['Mobile app', 'Web'],
      items: items('APP', ['Tangibles', 'Responsiveness'])
    },
    {
      key: 'SRV-SOCIAL',
      journey: 'SERVICE',
      channels: ['Social', 'Chat'],
      items: items('SOC', ['Responsiveness', 'Empathy'])
    }
  ];
  const first = ['anna', 'bram', 'chris', 'daan', 'eva', 'fleur', 'gijs', 'hanna', 'ivo', 'julia'];
  const last = ['jansen', 'devries', 'smith', 'bakker'];
  const companies = [
    'acme',
    'globex',
    'initech',
    'umbrella',
    'hooli',
    'stark',
    'wayne',
    'tyrell',
    'cyberdyne',
    'soylent'
  ];
  const contacts: GenContact[] = [];
  for (let i = 0; i < 40; i++) {
    const c = companies[i % companies.length] as string;
    contacts.push({
      email: `${first[i % first.length]}.${last[i % last.length]}@${c}.example`,
      accountNumber: `CX-${String((i % companies.length) + 1).padStart(4, '0')}`
    });
  }
  return {
    touchpoints: withShortfalls(touchpoints),
    contacts,
    startMonth: '2026-05',
    months: 6,
    scale: { min: 1, max: 7 }
  };
}

/** Every item of the config, once, in a stable order. */
export function configItems(config: GeneratorConfig): { item: string; dimension: string }[] {
  const seen = new Map<string, string>();
  for (const t of config.touchpoints)
    for (const i of t.items) if (!seen.has(i.item)) seen.set(i.item, i.dimension);
  return [...seen.entries()].map(([item, dimension]) => ({ item, dimension }));
}

/** The mapping that reads a generated file (question dimensions and scales included). */
export function generatedMapping(config: GeneratorConfig = defaultConfig()): ImportMapping {
  const questions: QuestionSpec[] = [];
  for (const { item, dimension } of configItems(config)) {
    for (const kind of ['Expectation', 'Perception'] as const) {
      questions.push({
        column: `${kind === 'Expectation' ? 'E' : 'P'}:${item}`,
        item,
        kind,
        dimension,
        min: config.scale.min,
        max: config.scale.max
      });
    }
  }
  return {
    fields: {
      responseId: 'ResponseId',
      email: 'Email',
      touchpoint: 'Touchpoint',
      channel: 'Channel',
      occurredAt: 'OccurredAt',
      nps: 'NPS',
      csat: 'CSAT',
      ces: 'CES',
      comment: 'Comment',
      language: 'Language',
      selfRating: 'SelfRating',
      accountNumber: 'AccountNumber'
    },
    questions,
    defaults: {},
    selfRatingScale: { min: 1, max: 7 },
    dateOrder: 'DMY'
  };
}

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBATIMS = {
  en: {
    good: [
      'Quick and friendly help, thank you.',
      'Everything arrived on time and worked straight away.',
      'The advisor really listened to what we needed.',
      'Clear explanation, no surprises on the invoice.'
    ],
    bad: [
      'I had to call three times before anyone helped.',
      'The delivery was late and nobody told us.',
      'The app keeps logging me out, very frustrating.',
      'Promised a call back within a day, still waiting.'
    ],
    mid: ['It was fine, nothing special.', 'OK overall, but it took a while.']
  },
  nl: {
    good: [
      'Snel en vriendelijk geholpen, dank jullie wel!',
      'Alles was op tijd geleverd en werkte meteen.',
      'De adviseur luisterde echt naar wat wij nodig hadden.',
      'Duidelijke uitleg, geen verrassingen op de factuur.'
    ],
    bad: [
      'Ik moest drie keer bellen voordat iemand me hielp.',
      'De levering was te laat en niemand liet iets weten.',
      'De app logt me steeds uit, erg frustrerend.',
      'Er werd beloofd dat ik binnen een dag teruggebeld zou worden; ik wacht nog steeds.'
    ],
    mid: ['Het was prima, niets bijzonders.', 'Redelijk, maar het duurde even.']
  }
};

function csvCell(v: string, delimiter: string): string {
  return /["\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v;
}

interface GenRow {
  values: Record<string, string>;
}

/** Generates rows lazily: a million rows never sit in memory. */
export function* generateRows(options: GenerateOptions): Generator<GenRow> {
  const config = options.config ?? defaultConfig();
  const rand = rng(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const clampScale = (v: number) =>
    Math.max(config.scale.min, Math.min(config.scale.max, Math.round(v)));
  const [sy, sm] = config.startMonth.split('-').map(Number) as [number, number];
  const start = Date.UTC(sy, sm - 1, 1);
  const end = Date.UTC(sy, sm - 1 + config.months, 1) - 1000;
  const offset = options.offset ?? 0;
  const badRate = options.badRate ?? 0;
  let lastId = '';
  for (let i = 0; i < options.count; i++) {
    const tp = pick(config.touchpoints);
    const contact = pick(config.contacts);
    const lang = rand() < 0.6 ? 'nl' : 'en';
    // A latent satisfaction per response drives every answer, so they correlate as in real data.
    // A touchpoint that falls short lowers it a little; the draws stay the same, so the rows of
    // the other touchpoints do not move.
    const shortfall = tp.shortfall ?? 0;
    const mood = Math.max(0, Math.cbrt(rand()) - shortfall / 15);
    const when = new Date(start + Math.floor(rand() * (end - start)));
    const values: Record<string, string> = {
      ResponseId: `R_${options.seed.toString(36)}_${(offset + i).toString(36).padStart(6, '0')}`,
      Email: rand() < 0.1 ? contact.email.toUpperCase() : contact.email,
      Touchpoint: tp.key,
      Channel: pick(tp.channels),
      OccurredAt: when.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      NPS: String(Math.max(0, Math.min(10, Math.round(mood * 10 + (rand() - 0.5) * 3)))),
      CSAT:
        rand() < 0.8
          ? String(Math.max(1, Math.min(5, Math.round(1 + mood * 4 + (rand() - 0.5)))))
          : '',
      CES:
        rand() < 0.6
          ? String(Math.max(1, Math.min(7, Math.round(7 - mood * 6 + (rand() - 0.5) * 2))))
          : '',
      Comment: '',
      Language: lang,
      SelfRating: rand() < 0.3 ? String(Math.min(7, Math.round((4.5 + rand() * 2.5) * 2) / 2)) : '',
      AccountNumber: contact.accountNumber ?? ''
    };
    if (rand() < 0.5) {
      const v = VERBATIMS[lang];
      values.Comment = pick(mood > 0.7 ? v.good : mood < 0.35 ? v.bad : v.mid);
    }
    for (const { item } of tp.items) {
      const e = clampScale(4.5 + rand() * 2.5);
      // Perception moves with the respondent's mood around what they expected; a shortfall takes
      // it down by its size in all (a third through the mood, the rest here).
      const p = clampScale(e + (mood - 0.55) * 5 + (rand() - 0.5) * 1.5 - (shortfall * 2) / 3);
      values[`E:${item}`] = rand() < 0.95 ? String(e) : '';
      values[`P:${item}`] = String(p);
    }
    if (badRate > 0 && rand() < badRate) {
      const kind = pick(BAD_KINDS);
      if (kind === 'nps_out_of_range') values.NPS = '11';
      else if (kind === 'bad_date') values.OccurredAt = '31-02-2026';
      else if (kind === 'bad_channel') values.Channel = 'Carrier pigeon';
      else if (kind === 'blank_id') values.ResponseId = '';
      else if (kind === 'duplicate_id' && lastId) values.ResponseId = lastId;
      else if (kind === 'unknown_touchpoint') values.Touchpoint = 'NO-SUCH-TOUCHPOINT';
      else if (kind === 'unknown_email') values.Email = `nobody.${i}@unknown.example`;
    }
    if (values.ResponseId) lastId = values.ResponseId;
    yield { values };
  }
}

/** The columns of a generated file, in order. */
export function generatedColumns(config: GeneratorConfig = defaultConfig()): string[] {
  const cols = [
    'ResponseId',
    'Email',
    'AccountNumber',
    'Touchpoint',
    'Channel',
    'OccurredAt',
    'NPS',
    'CSAT',
    'CES'
  ];
  for (const { item } of configItems(config)) cols.push(`E:${item}`, `P:${item}`);
  cols.push('SelfRating', 'Language', 'Comment');
  return cols;
}

/** Writes `count` responses to `out` (streamed, honouring back-pressure). Returns the rows written. */
export async function generateFile(out: string, options: GenerateOptions): Promise<number> {
  const config = options.config ?? defaultConfig();
  const format = options.format ?? 'csv';
  const columns = generatedColumns(config);
  const stream = fs.createWriteStream(out);
  const write = async (s: string) => {
    if (!stream.write(s)) await once(stream, 'drain');
  };
  const delimiter = format === 'csv-nl' ? ';' : ',';
  const line = (cells: string[]) =>
    cells.map((c) => csvCell(c, delimiter)).join(delimiter) + '\r\n';
  if (format === 'qualtrics') {
    await write(line(columns));
    await write(line(columns.map((c) => questionText(c))));
    await write(line(columns.map((c) => JSON.stringify({ ImportId: qualtricsId(c, columns) }))));
  } else if (format !== 'jsonl') {
    await write(line(columns));
  }
  let n = 0;
  for (const { values } of generateRows({ ...options, config })) {
    if (format === 'jsonl') {
      const obj: Record<string, string | number> = {};
      for (const c of columns)
        if (values[c] !== undefined && values[c] !== '') obj[c] = values[c] as string;
      await write(JSON.stringify(obj) + '\n');
    } else {
      const cells = columns.map((c) => values[c] ?? '');
      await write(
        line(
          format === 'csv-nl'
            ? cells.map((c) => (/^\d+\.\d+$/.test(c) ? c.replace('.', ',') : c))
            : cells
        )
      );
    }
    n++;
  }
  stream.end();
  await once(stream, 'finish');
  return n;
}

function questionText(column: string): string {
  const m = /^([EP]):(.+)$/.exec(column);
  if (!m) return column;
  return m[1] === 'E'
    ? `How important is ${m[2]} to you? (expectation)`
    : `How did we do on ${m[2]}? (perception)`;
}

function qualtricsId(column: string, columns: string[]): string {
  if (column === 'ResponseId') return '_recordId';
  if (column === 'OccurredAt') return 'recordedDate';
  return `QID${columns.indexOf(column) + 1}`;
}

export { DIMENSIONS, CHANNELS };

interface TreeRecord {
  attributes: { type: string; referenceId: string };
  [field: string]: unknown;
}

function readTree(dir: string, object: string): TreeRecord[] {
  const file = path.join(dir, `${object}.json`);
  if (!fs.existsSync(file)) return [];
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { records: TreeRecord[] }).records;
}

/**
 * The generator's world from the sample data in data/ (touchpoint keys,
 * survey items and dimensions, contact e-mails and account numbers), so
 * generated responses match the records a demo org holds. Falls back to the
 * built-in world when data/ has no touchpoints or contacts.
 */
export function sampleConfig(dataDir = path.join(__dirname, '..', '..', 'data')): GeneratorConfig {
  const touchpoints = readTree(dataDir, 'CX_Touchpoint__c');
  const contacts = readTree(dataDir, 'Contact');
  if (touchpoints.length === 0 || contacts.length === 0) return defaultConfig();
  const ref = (v: unknown) => (typeof v === 'string' && v.startsWith('@') ? v.slice(1) : null);
  const journeys = new Map(
    readTree(dataDir, 'CX_Journey__c').map((j) => [j.attributes.referenceId, String(j.Key__c)])
  );
  const accounts = new Map(
    readTree(dataDir, 'Account').map((a) => [
      a.attributes.referenceId,
      String(a.AccountNumber ?? '')
    ])
  );
  const surveys = readTree(dataDir, 'CX_Survey__c');
  const questions = readTree(dataDir, 'CX_Survey_Question__c').filter(
    (q) => q.Kind__c === 'Expectation' || q.Kind__c === 'Perception'
  );
  const itemsOf = (surveyRef: string) => {
    const seen = new Map<string, string>();
    for (const q of questions)
      if (ref(q.Survey__c) === surveyRef && q.Dimension__c)
        seen.set(String(q.Item_Key__c), String(q.Dimension__c));
    return [...seen.entries()].map(([item, dimension]) => ({ item, dimension }));
  };
  const tpJourney = new Map(touchpoints.map((t) => [t.attributes.referenceId, ref(t.Journey__c)]));
  // A touchpoint asks its own survey's items, else those of a survey in its journey.
  const itemsByJourney = new Map<string, { item: string; dimension: string }[]>();
  const itemsByTp = new Map<string, { item: string; dimension: string }[]>();
  for (const s of surveys) {
    const tp = ref(s.Touchpoint__c);
    if (!tp) continue;
    const items = itemsOf(s.attributes.referenceId);
    if (items.length === 0) continue;
    itemsByTp.set(tp, items);
    const j = tpJourney.get(tp);
    if (j && !itemsByJourney.has(j)) itemsByJourney.set(j, items);
  }
  const fallbackItems = [...itemsByTp.values()][0] ?? [];
  const world: GeneratorConfig = {
    touchpoints: touchpoints.map((t) => {
      const j = ref(t.Journey__c);
      return {
        key: String(t.Key__c),
        journey: (j && journeys.get(j)) ?? '',
        channels: String(t.Channels__c ?? 'Web').split(';'),
        items:
          itemsByTp.get(t.attributes.referenceId) ??
          (j ? itemsByJourney.get(j) : undefined) ??
          fallbackItems
      };
    }),
    contacts: contacts
      .filter((c) => typeof c.Email === 'string')
      .map((c) => {
        const acc = ref(c.AccountId);
        const accountNumber = acc ? accounts.get(acc) : undefined;
        return { email: String(c.Email), ...(accountNumber ? { accountNumber } : {}) };
      }),
    startMonth: '2026-05',
    months: 6,
    scale: { min: 1, max: 7 }
  };
  return { ...world, touchpoints: withShortfalls(world.touchpoints) };
}
