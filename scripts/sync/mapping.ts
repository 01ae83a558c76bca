/**
 * The mapping file: which columns of a response export feed which perception
 * fields, and which columns are survey questions (with the item, dimension,
 * kind and scale a file cannot tell when no store or org is there to look
 * them up). Read by the importer and by `outside-in score <file>`.
 *
 * Exports:
 * - `mappingFileSchema`: the zod schema of the file (version 1).
 * - `MappingFile`: the parsed file.
 * - `loadMapping(path)`: reads and validates a file; throws `MappingFileError`
 *   naming the file, the key path and what is wrong.
 * - `parseMapping(text, file)`: the same for text already read.
 * - `toImportMapping(file)`: the `ImportMapping` the importer works with
 *   (NPS, CSAT, CES, self-rating and free-text questions become fields).
 *
 * Example:
 * {
 *   "version": 1,
 *   "format": "csv",
 *   "decimalComma": true,
 *   "columns": { "response_id": "responseId", "email": "email", "touchpoint": "touchpoint",
 *                "channel": "channel", "submitted": "occurredAt", "nps": "nps" },
 *   "questions": {
 *     "Q3_E": { "item": "ONB-REL-1", "dimension": "Reliability", "kind": "Expectation", "min": 1, "max": 7 },
 *     "Q3_P": { "item": "ONB-REL-1", "dimension": "Reliability", "kind": "Perception", "min": 1, "max": 7 }
 *   },
 *   "defaults": { "channel": "Web" }
 * }
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DEFAULT_SCALE, FIELD_ROLES, type ImportMapping, type QuestionSpec } from './columns';

export const MAPPING_VERSION = 1;

/** Question kinds, as CX_Survey_Question__c.Kind__c spells them. */
export const QUESTION_KINDS = [
  'Expectation',
  'Perception',
  'NPS',
  'CSAT',
  'CES',
  'Self_Rating',
  'Free_Text'
] as const;

/** The fixed scales of the headline questions (the scoring module reads them so). */
const FIXED_SCALES: Partial<Record<(typeof QUESTION_KINDS)[number], [number, number]>> = {
  NPS: [0, 10],
  CSAT: [1, 5],
  CES: [1, 7]
};

const FIELD_OF_KIND = {
  NPS: 'nps',
  CSAT: 'csat',
  CES: 'ces',
  Self_Rating: 'selfRating',
  Free_Text: 'comment'
} as const;

const text = z.string().trim().min(1, 'must not be blank');
const scaleNumber = z.number().int('must be a whole number').min(0, 'must be 0 or more').max(100);

const questionSchema = z
  .strictObject({
    item: text.max(80, 'must be at most 80 characters (Item_Key__c)'),
    dimension: text.max(80).nullable().optional(),
    kind: z.enum(QUESTION_KINDS, {
      error: () => `must be one of ${QUESTION_KINDS.join(', ')}`
    }),
    min: scaleNumber.optional(),
    max: scaleNumber.optional()
  })
  .superRefine((q, ctx) => {
    const fixed = FIXED_SCALES[q.kind];
    if (fixed) {
      if (
        (q.min !== undefined && q.min !== fixed[0]) ||
        (q.max !== undefined && q.max !== fixed[1])
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['min'],
          message: `${q.kind} is scored on ${fixed[0]}-${fixed[1]}; leave min and max out or set them so`
        });
      }
      return;
    }
    if (q.kind === 'Free_Text') return;
    if (q.min === undefined || q.max === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [q.min === undefined ? 'min' : 'max'],
        message: `a ${q.kind} question needs its scale (min and max)`
      });
    } else if (q.max <= q.min) {
      ctx.addIssue({
        code: 'custom',
        path: ['max'],
        message: `must be above min (${q.min})`
      });
    }
  });

export const mappingFileSchema = z
  .strictObject({
    version: z.literal(MAPPING_VERSION, {
      error: (issue) =>
        `version ${JSON.stringify(issue.input)} is not supported (this reads version ${MAPPING_VERSION})`
    }),
    format: z.literal('csv', { error: () => 'must be "csv"' }).default('csv'),
    /** Field separator; "auto" picks comma, semicolon or tab from the header line. */
    delimiter: z.enum(['auto', ',', ';', '\t']).default('auto'),
    /** Read 4,5 as 4.5 (default: when the separator is a semicolon). */
    decimalComma: z.boolean().optional(),
    /** How to read 03/04/2026. */
    dateOrder: z.enum(['DMY', 'MDY']).default('DMY'),
    /** CSV column -> perception field. */
    columns: z
      .record(
        text,
        z.enum(FIELD_ROLES, { error: () => `must be one of ${FIELD_ROLES.join(', ')}` })
      )
      .default({}),
    /** CSV column -> question. */
    questions: z.record(text, questionSchema).default({}),
    /** Values for rows that leave these blank (e.g. one touchpoint per export). */
    defaults: z
      .strictObject({
        touchpoint: text.optional(),
        channel: text.optional(),
        language: text.optional()
      })
      .default({}),
    /** Scale of a self-rating column mapped under columns. */
    selfRatingScale: z
      .strictObject({ min: scaleNumber, max: scaleNumber })
      .refine((s) => s.max > s.min, { message: 'max must be above min', path: ['max'] })
      .optional()
  })
  .superRefine((m, ctx) => {
    const byRole = new Map<string, string>();
    for (const [column, role] of Object.entries(m.columns)) {
      const other = byRole.get(role);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['columns', column],
          message: `maps to ${role}, which column "${other}" already feeds`
        });
      }
      byRole.set(role, column);
      if (Object.prototype.hasOwnProperty.call(m.questions, column)) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', column],
          message: 'is already mapped under columns'
        });
      }
    }
    const seen = new Map<string, string>();
    const items = new Map<
      string,
      { column: string; dimension?: string | null; min?: number; max?: number }
    >();
    for (const [column, q] of Object.entries(m.questions)) {
      if (q.kind === 'Expectation' || q.kind === 'Perception') {
        const pair = items.get(q.item);
        if (!pair) items.set(q.item, { column, ...q });
        else {
          // The two halves of a SERVQUAL pair share one answer: same dimension, same scale.
          if (pair.dimension && q.dimension && pair.dimension !== q.dimension) {
            ctx.addIssue({
              code: 'custom',
              path: ['questions', column, 'dimension'],
              message: `is ${q.dimension}, but column "${pair.column}" puts item ${q.item} in ${pair.dimension}`
            });
          }
          if (pair.min !== q.min || pair.max !== q.max) {
            ctx.addIssue({
              code: 'custom',
              path: ['questions', column, 'min'],
              message: `scale ${q.min}-${q.max} differs from ${pair.min}-${pair.max} of column "${pair.column}" (same item ${q.item})`
            });
          }
        }
      }
      const field = (FIELD_OF_KIND as Record<string, string>)[q.kind];
      const key = field ?? `${q.item}|${q.kind}`;
      const other = seen.get(key) ?? (field ? byRole.get(field) : undefined);
      if (other !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['questions', column],
          message: field
            ? `is a second ${q.kind} column (column "${other}" already feeds ${field})`
            : `is a second ${q.kind} question for item ${q.item} (column "${other}")`
        });
      }
      seen.set(key, column);
    }
  });

export type MappingFile = z.output<typeof mappingFileSchema>;

export class MappingFileError extends Error {
  constructor(
    message: string,
    readonly file: string
  ) {
    super(message);
    this.name = 'MappingFileError';
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : /^[A-Za-z_$][\w$]*$/.test(String(p))
          ? `${i === 0 ? '' : '.'}${String(p)}`
          : `[${JSON.stringify(String(p))}]`
    )
    .join('');
}

/**
 * Validates mapping text. Throws a MappingFileError listing every problem as
 * `<file>: <key path>: <what is wrong>`.
 */
export function parseMapping(textContent: string, file: string): MappingFile {
  let doc: unknown;
  try {
    doc = JSON.parse(textContent);
  } catch (err) {
    throw new MappingFileError(
      `${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      file
    );
  }
  const result = mappingFileSchema.safeParse(doc);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
          : issue.message;
      return `${file}: ${formatPath(issue.path)}: ${message}`;
    });
    throw new MappingFileError(lines.join('\n'), file);
  }
  return result.data;
}

/** Reads and validates a mapping file (errors name the file, key path and problem). */
export async function loadMapping(path: string): Promise<MappingFile> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new MappingFileError(
      `${path}: cannot read the mapping file${code === 'ENOENT' ? ' (no such file)' : ` (${code ?? String(err)})`}`,
      path
    );
  }
  return parseMapping(content.replace(/^\uFEFF/, ''), path);
}

/** The importer's mapping: columns become fields, SERVQUAL questions stay questions. */
export function toImportMapping(file: MappingFile): ImportMapping {
  const fields: ImportMapping['fields'] = {};
  for (const [column, role] of Object.entries(file.columns)) fields[role] = column;
  const questions: QuestionSpec[] = [];
  // One half of a pair may name the dimension for both.
  const dimensionOf = new Map<string, string>();
  for (const q of Object.values(file.questions))
    if (q.dimension) dimensionOf.set(q.item, q.dimension);
  let selfRatingScale = file.selfRatingScale ?? { ...DEFAULT_SCALE };
  for (const [column, q] of Object.entries(file.questions)) {
    if (q.kind === 'Expectation' || q.kind === 'Perception') {
      questions.push({
        column,
        item: q.item,
        kind: q.kind,
        dimension: q.dimension ?? dimensionOf.get(q.item) ?? null,
        min: q.min as number,
        max: q.max as number
      });
    } else {
      fields[FIELD_OF_KIND[q.kind]] = column;
      if (q.kind === 'Self_Rating')
        selfRatingScale = { min: q.min as number, max: q.max as number };
    }
  }
  return {
    fields,
    questions,
    defaults: { ...file.defaults },
    selfRatingScale,
    dateOrder: file.dateOrder
  };
}
