/**
 * Scores a response file without any store or org: `outside-in score
 * <responses.csv> --mapping <mapping.json>`. A simple whole-file CSV reader
 * (the sync's streaming importer is separate); every number comes from the
 * scoring module.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import {
  periodOf,
  readScaleValue,
  resolveSettings,
  scopeReport,
  statisticsOf,
  type Answer,
  type ScopeReport,
  type ScoringResponse,
  type ScoringSettings,
  type TouchpointDirectory
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';
import { parseDate } from '../sync/values';
import { loadMapping, type MappingFile } from '../sync/mapping';

export class ScoreFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScoreFileError';
  }
}

export interface CsvTable {
  header: string[];
  /** Data rows with the line each starts on (1-based, the header is line 1). */
  rows: { line: number; cells: string[] }[];
  delimiter: string;
}

/** The separator the header line uses most: comma, semicolon or tab. */
export function detectDelimiter(headerLine: string): ',' | ';' | '\t' {
  const counts = ([',', ';', '\t'] as const).map((d) => ({ d, n: headerLine.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0] && counts[0].n > 0 ? counts[0].d : ',';
}

/** Reads a whole CSV file (UTF-8, optional BOM). */
export async function readCsv(path: string, delimiter: string = 'auto'): Promise<CsvTable> {
  let content: string;
  try {
    content = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScoreFileError(
      `${path}: cannot read the file${code === 'ENOENT' ? ' (no such file)' : ` (${code ?? String(err)})`}`
    );
  }
  const firstLine = content.slice(0, content.search(/\r?\n|$/));
  const sep = delimiter === 'auto' ? detectDelimiter(firstLine) : delimiter;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(content, {
      delimiter: sep,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (err) {
    throw new ScoreFileError(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const [head, ...rest] = records;
  if (!head) throw new ScoreFileError(`${path}: the file is empty (no header line)`);
  return {
    header: head.record.map((h) => h.trim()),
    rows: rest.map((r) => ({ line: r.info.lines, cells: r.record })),
    delimiter: sep
  };
}

/** Column index by mapping name: exact first, then ignoring case and surrounding spaces. */
function columnIndex(header: string[], name: string): number {
  const exact = header.indexOf(name);
  if (exact >= 0) return exact;
  const wanted = name.trim().toLowerCase();
  return header.findIndex((h) => h.toLowerCase() === wanted);
}

interface Plan {
  field: (role: string) => number | undefined;
  pairs: {
    item: string;
    dimension: string | null;
    min: number;
    max: number;
    e?: { index: number; column: string };
    p?: { index: number; column: string };
  }[];
  scalar: {
    role: 'nps' | 'csat' | 'ces' | 'selfRating';
    index: number;
    column: string;
    min: number;
    max: number;
  }[];
}

function plan(table: CsvTable, mapping: MappingFile, file: string): Plan {
  const fieldIndex = new Map<string, { index: number; column: string }>();
  const find = (column: string, where: string) => {
    const index = columnIndex(table.header, column);
    if (index < 0)
      throw new ScoreFileError(
        `${file}: column "${column}" (${where} in the mapping) is not in the file`
      );
    return index;
  };
  for (const [column, role] of Object.entries(mapping.columns)) {
    fieldIndex.set(role, { index: find(column, `columns.${column}`), column });
  }
  const pairs = new Map<string, Plan['pairs'][number]>();
  const selfScale = mapping.selfRatingScale ?? { min: 1, max: 7 };
  const scales: Record<string, [number, number]> = {
    nps: [0, 10],
    csat: [1, 5],
    ces: [1, 7],
    selfRating: [selfScale.min, selfScale.max]
  };
  for (const [column, q] of Object.entries(mapping.questions)) {
    const index = find(column, `questions.${column}`);
    if (q.kind === 'Expectation' || q.kind === 'Perception') {
      let pair = pairs.get(q.item);
      if (!pair) {
        pair = {
          item: q.item,
          dimension: q.dimension ?? null,
          min: q.min as number,
          max: q.max as number
        };
        pairs.set(q.item, pair);
      }
      if (!pair.dimension && q.dimension) pair.dimension = q.dimension;
      pair[q.kind === 'Expectation' ? 'e' : 'p'] = { index, column };
    } else if (q.kind === 'Self_Rating') {
      fieldIndex.set('selfRating', { index, column });
      scales.selfRating = [q.min as number, q.max as number];
    } else if (q.kind !== 'Free_Text') {
      fieldIndex.set(q.kind.toLowerCase(), { index, column });
    }
  }
  const scalar: Plan['scalar'] = [];
  for (const role of ['nps', 'csat', 'ces', 'selfRating'] as const) {
    const f = fieldIndex.get(role);
    const scale = scales[role] as [number, number];
    if (f) scalar.push({ role, index: f.index, column: f.column, min: scale[0], max: scale[1] });
  }
  return { field: (role) => fieldIndex.get(role)?.index, pairs: [...pairs.values()], scalar };
}

export interface FileResponses {
  responses: ScoringResponse[];
  /** Problems as `<file> line <n>, column "<name>": <what>` (the first 20). */
  errors: string[];
  errorCount: number;
}

/** Turns the rows of a table into scoring responses, collecting every bad cell. */
export function responsesFromTable(
  table: CsvTable,
  mapping: MappingFile,
  file: string
): FileResponses {
  const p = plan(table, mapping, file);
  const decimalComma = mapping.decimalComma ?? table.delimiter === ';';
  const responses: ScoringResponse[] = [];
  const errors: string[] = [];
  let errorCount = 0;
  const problem = (line: number, column: string, what: string) => {
    errorCount++;
    if (errors.length < 20) errors.push(`${file} line ${line}, column "${column}": ${what}`);
  };
  const tpIndex = p.field('touchpoint');
  const chIndex = p.field('channel');
  const atIndex = p.field('occurredAt');
  for (const { line, cells } of table.rows) {
    const cell = (index: number | undefined) =>
      index === undefined ? '' : (cells[index] ?? '').trim();
    const before = errorCount;
    const r: ScoringResponse = {
      touchpointKey: cell(tpIndex) || mapping.defaults.touchpoint || null,
      channel: cell(chIndex) || mapping.defaults.channel || null,
      occurredAt: null,
      nps: null,
      csat: null,
      ces: null,
      selfRating: null,
      answers: []
    };
    if (atIndex !== undefined) {
      const at = parseDate(cell(atIndex), mapping.dateOrder);
      if (!at.ok) problem(line, table.header[atIndex] as string, at.error);
      else r.occurredAt = at.value;
    }
    for (const s of p.scalar) {
      const v = readScaleValue(cell(s.index), s.min, s.max, decimalComma);
      if (v === undefined)
        problem(line, s.column, `"${cell(s.index)}" is not a value on ${s.min}-${s.max}`);
      else if (s.role === 'selfRating') {
        r.selfRating = v;
        r.selfRatingMin = s.min;
        r.selfRatingMax = s.max;
      } else r[s.role] = v;
    }
    const answers: Answer[] = [];
    for (const pair of p.pairs) {
      const read = (half: { index: number; column: string } | undefined) => {
        if (!half) return null;
        const v = readScaleValue(cell(half.index), pair.min, pair.max, decimalComma);
        if (v === undefined) {
          problem(
            line,
            half.column,
            `"${cell(half.index)}" is not a value on ${pair.min}-${pair.max}`
          );
          return null;
        }
        return v;
      };
      const e = read(pair.e);
      const pv = read(pair.p);
      if (e !== null || pv !== null) {
        answers.push({ k: pair.item, d: pair.dimension, e, p: pv, min: pair.min, max: pair.max });
      }
    }
    r.answers = answers;
    if (errorCount === before) responses.push(r);
  }
  return { responses, errors, errorCount };
}

const level = z.number().min(0, 'must be 0-100').max(100, 'must be 0-100').nullable().optional();

/** The touchpoints file: what the touchpoint records would say (promise, believed expectation, importance). */
export const touchpointsFileSchema = z.record(
  z.string().min(1),
  z.strictObject({
    name: z.string().optional(),
    promise: level,
    believedExpectation: level,
    importance: z.number().min(0, 'must be 0 or more').nullable().optional()
  })
);

/**
 * Reads a touchpoints file, e.g. {"ONB": {"promise": 80, "believedExpectation": 75}};
 * errors name the file, the key path and what is wrong.
 */
export async function loadTouchpoints(path: string): Promise<TouchpointDirectory> {
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(path, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScoreFileError(
      code
        ? `${path}: cannot read the touchpoints file (${code})`
        : `${path}: not valid JSON (${(err as Error).message})`
    );
  }
  const result = touchpointsFileSchema.safeParse(doc);
  if (!result.success) {
    throw new ScoreFileError(
      result.error.issues
        .map((i) => {
          const what =
            i.code === 'unrecognized_keys' ? `unknown key(s) ${i.keys.join(', ')}` : i.message;
          return `${path}: ${i.path.map(String).join('.') || '(top level)'}: ${what}`;
        })
        .join('\n')
    );
  }
  return result.data;
}

export interface ScoreFileOptions {
  settings?: Partial<ScoringSettings>;
  touchpoints?: TouchpointDirectory;
  /** Score only responses in this period (`YYYY-MM` in the settings' time zone). */
  period?: string;
}

export interface ScoreFileResult extends ScopeReport {
  file: string;
  mapping: string;
  rows: number;
  responses: number;
  /** The period scored, or null for every response in the file. */
  period: string | null;
  /** Responses per period (calendar month in the settings' time zone); undated ones under "none". */
  periods: Record<string, number>;
  settings: ScoringSettings;
}

/**
 * Scores a CSV file with a mapping file. Throws a ScoreFileError naming the
 * file, line and column of bad input (the mapping's errors name its keys).
 */
export async function scoreCsvFile(
  csvPath: string,
  mappingPath: string,
  options: ScoreFileOptions = {}
): Promise<ScoreFileResult> {
  const settings = resolveSettings(options.settings);
  const mapping = await loadMapping(mappingPath);
  const table = await readCsv(csvPath, mapping.delimiter);
  const { responses, errors, errorCount } = responsesFromTable(table, mapping, csvPath);
  if (errorCount > 0) {
    const more = errorCount > errors.length ? `\n... and ${errorCount - errors.length} more` : '';
    throw new ScoreFileError(`${errorCount} bad value(s):\n${errors.join('\n')}${more}`);
  }
  if (options.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(options.period)) {
    throw new ScoreFileError(`period ${JSON.stringify(options.period)} is not a month (YYYY-MM)`);
  }
  const periods: Record<string, number> = {};
  const chosen: ScoringResponse[] = [];
  for (const r of responses) {
    const period = r.occurredAt ? periodOf(r.occurredAt, settings.timeZone) : 'none';
    periods[period] = (periods[period] ?? 0) + 1;
    if (options.period === undefined || period === options.period) chosen.push(r);
  }
  const stats = statisticsOf('org', chosen);
  return {
    file: csvPath,
    mapping: mappingPath,
    rows: table.rows.length,
    responses: chosen.length,
    period: options.period ?? null,
    periods: Object.fromEntries(Object.entries(periods).sort(([a], [b]) => (a < b ? -1 : 1))),
    settings,
    ...scopeReport(stats, settings, options.touchpoints)
  };
}
