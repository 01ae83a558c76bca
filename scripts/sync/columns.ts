import type { Column } from './source';
import type { DateOrder } from './values';

/**
 * Which column feeds which perception field or question. A mapping names
 * columns by header key, question text or import id (Qualtrics QID);
 * without one, well-known header names are recognised.
 */

export const FIELD_ROLES = [
  'responseId',
  'email',
  'touchpoint',
  'channel',
  'occurredAt',
  'nps',
  'csat',
  'ces',
  'comment',
  'language',
  'selfRating',
  'account',
  'accountNumber',
  'caseNumber',
  'opportunityId',
  'orderNumber',
  'recordId'
] as const;
export type FieldRole = (typeof FIELD_ROLES)[number];

export type QuestionKind = 'Expectation' | 'Perception';

/** One question column: the item it answers, its dimension and scale. */
export interface QuestionSpec {
  column: string;
  item: string;
  kind: QuestionKind;
  dimension: string | null;
  min: number;
  max: number;
}

/** The mapping the importer works with (a mapping file is converted to this). */
export interface ImportMapping {
  fields: Partial<Record<FieldRole, string>>;
  questions: QuestionSpec[];
  /** Values for rows that leave a field blank (e.g. one touchpoint per export). */
  defaults: { touchpoint?: string; channel?: string; language?: string };
  /** The scale of the company self-rating column. */
  selfRatingScale: { min: number; max: number };
  /** How to read dates like 03/04/2026. */
  dateOrder: DateOrder;
}

/** Question metadata by item key, e.g. from the survey question records of the org or data/. */
export interface QuestionCatalogue {
  /** Item key -> dimension and scale. */
  items: Map<string, { dimension: string | null; min: number; max: number }>;
  /** External question id (Qualtrics QID) -> item and kind. */
  external: Map<string, { item: string; kind: QuestionKind }>;
}

export const DEFAULT_SCALE = { min: 1, max: 7 } as const;

const ALIASES: Record<FieldRole, string[]> = {
  responseId: ['responseid', 'respondentid', 'response', 'id'],
  email: ['email', 'emailaddress', 'recipientemail', 'contactemail', 'mail'],
  touchpoint: ['touchpoint', 'touchpointkey', 'touchpointname'],
  channel: ['channel', 'kanaal'],
  occurredAt: [
    'occurredat',
    'recordeddate',
    'enddate',
    'submittedat',
    'date',
    'datum',
    'timestamp'
  ],
  nps: ['nps', 'likelihoodtorecommend', 'likelytorecommend', 'ltr'],
  csat: ['csat', 'satisfaction'],
  ces: ['ces', 'effort', 'customereffort'],
  comment: ['comment', 'comments', 'verbatim', 'feedback', 'opmerking', 'toelichting'],
  language: ['language', 'userlanguage', 'lang', 'taal'],
  selfRating: ['selfrating', 'companyselfrating'],
  account: ['accountid', 'account'],
  accountNumber: ['accountnumber'],
  caseNumber: ['casenumber', 'case'],
  opportunityId: ['opportunityid', 'opportunity'],
  orderNumber: ['ordernumber', 'order'],
  recordId: ['recordid', 'relatedrecordid']
};

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A column by key, import id or question text (in that order), case-insensitively. */
export function findColumn(columns: Column[], ref: string): Column | undefined {
  const r = ref.trim().toLowerCase();
  return (
    columns.find((c) => c.key.toLowerCase() === r) ??
    columns.find((c) => c.importId?.toLowerCase() === r) ??
    columns.find((c) => c.label?.toLowerCase() === r)
  );
}

/** Column index per role and question, resolved against a file's header. */
export interface ResolvedMapping {
  fields: Partial<Record<FieldRole, number>>;
  questions: (QuestionSpec & { index: number })[];
  mapping: ImportMapping;
  /** Columns nothing reads (reported, so a typo in a mapping shows). */
  unused: string[];
}

export class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** `E:ONB-REL-1` / `P:ONB-REL-1` (or `ONB-REL-1:E`) name an expectation / perception item. */
function questionFromKey(key: string): { item: string; kind: QuestionKind } | undefined {
  const m = /^([EP])[:_ ](.+)$/i.exec(key) ?? null;
  if (m)
    return {
      item: (m[2] as string).trim(),
      kind: m[1]?.toUpperCase() === 'E' ? 'Expectation' : 'Perception'
    };
  const m2 = /^(.+)[: ]([EP])$/i.exec(key);
  if (m2)
    return {
      item: (m2[1] as string).trim(),
      kind: m2[2]?.toUpperCase() === 'E' ? 'Expectation' : 'Perception'
    };
  return undefined;
}

/**
 * Resolves a mapping (or, with none, the well-known names) against a file's
 * columns. A column a mapping names but the file lacks is an error.
 */
export function resolveMapping(
  columns: Column[],
  mapping: ImportMapping | undefined,
  catalogue: QuestionCatalogue | undefined,
  file: string
): ResolvedMapping {
  const used = new Set<number>();
  const fields: Partial<Record<FieldRole, number>> = {};
  const questions: (QuestionSpec & { index: number })[] = [];
  const base: ImportMapping = mapping ?? {
    fields: {},
    questions: [],
    defaults: {},
    selfRatingScale: { ...DEFAULT_SCALE },
    dateOrder: 'DMY'
  };
  for (const [role, ref] of Object.entries(base.fields) as [FieldRole, string][]) {
    const col = findColumn(columns, ref);
    if (!col)
      throw new MappingError(`${file}: the mapping's ${role} column "${ref}" is not in the file`);
    fields[role] = col.index;
    used.add(col.index);
  }
  for (const q of base.questions) {
    const col = findColumn(columns, q.column);
    if (!col) {
      throw new MappingError(
        `${file}: the mapping's question column "${q.column}" is not in the file`
      );
    }
    questions.push({ ...q, index: col.index });
    used.add(col.index);
  }
  if (!mapping || Object.keys(mapping.fields).length === 0) {
    for (const role of FIELD_ROLES) {
      if (fields[role] !== undefined) continue;
      const col = columns.find((c) => !used.has(c.index) && ALIASES[role].includes(norm(c.key)));
      if (col) {
        fields[role] = col.index;
        used.add(col.index);
      }
    }
  }
  if (!mapping || mapping.questions.length === 0) {
    for (const col of columns) {
      if (used.has(col.index)) continue;
      const ext = col.importId ? catalogue?.external.get(col.importId) : undefined;
      const q = ext ?? questionFromKey(col.key);
      if (!q) continue;
      const meta = catalogue?.items.get(q.item);
      questions.push({
        column: col.key,
        item: q.item,
        kind: q.kind,
        dimension: meta?.dimension ?? null,
        min: meta?.min ?? DEFAULT_SCALE.min,
        max: meta?.max ?? DEFAULT_SCALE.max,
        index: col.index
      });
      used.add(col.index);
    }
  }
  if (fields.responseId === undefined) {
    throw new MappingError(
      `${file}: no response id column (name it ResponseId, or map responseId in a mapping file)`
    );
  }
  const unused = columns.filter((c) => !used.has(c.index)).map((c) => c.key);
  return { fields, questions, mapping: base, unused };
}
