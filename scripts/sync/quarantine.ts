import * as fs from 'node:fs';
import { once } from 'node:events';
import { csvLine } from './csv';
import type { Store } from './store';

/**
 * `quarantine export`: rejected rows with their reasons as CSV, the original
 * columns after the reason columns, ready to fix and import again.
 */

export interface QuarantineEntry {
  stage: 'import' | 'match';
  file: string | null;
  row: number | null;
  line: number | null;
  responseId: string | null;
  field: string | null;
  code: string;
  reason: string;
}

export const REASON_COLUMNS = [
  'Quarantine Stage',
  'Quarantine File',
  'Quarantine Row',
  'Quarantine Line',
  'Quarantine Field',
  'Quarantine Code',
  'Quarantine Reason',
  'Quarantine Raw'
] as const;

interface QRow {
  stage: 'import' | 'match';
  import_id: number | null;
  file: string | null;
  row_number: number | null;
  line: number | null;
  response_id: string | null;
  field: string | null;
  code: string;
  reason: string;
  raw: string | null;
  columns: string | null;
  format: string | null;
}

const SELECT = `
  SELECT q.stage, q.import_id, q.file, q.row_number, q.line, q.response_id, q.field, q.code, q.reason,
         COALESCE(q.raw, r.raw) AS raw, i.columns, i.format
  FROM quarantine q
  LEFT JOIN responses s ON q.stage = 'match' AND s.response_id = q.response_id
  LEFT JOIN rows r ON r.import_id = COALESCE(q.import_id, s.import_id) AND r.row_number = COALESCE(q.row_number, s.source_row)
  LEFT JOIN imports i ON i.id = COALESCE(q.import_id, s.import_id)`;

/** Quarantined rows, optionally of one stage, in file and row order. */
export function listQuarantine(
  store: Store,
  stage?: 'import' | 'match',
  limit = 1000
): QuarantineEntry[] {
  const rows = store.db
    .prepare(
      `${SELECT} ${stage ? 'WHERE q.stage = ?' : ''} ORDER BY q.import_id, q.row_number, q.id LIMIT ?`
    )
    .all(...(stage ? [stage, limit] : [limit])) as QRow[];
  return rows.map((q) => ({
    stage: q.stage,
    file: q.file,
    row: q.row_number,
    line: q.line,
    responseId: q.response_id,
    field: q.field,
    code: q.code,
    reason: q.reason
  }));
}

/** Writes the quarantine as CSV; returns the number of rows written. Streams from the store. */
export async function exportQuarantine(
  store: Store,
  out: string,
  options: { stage?: 'import' | 'match' } = {}
): Promise<{ file: string; rows: number }> {
  const where = options.stage ? 'WHERE q.stage = ?' : '';
  const params = options.stage ? [options.stage] : [];
  // The union of the source columns, in order of first appearance.
  const columns: string[] = [];
  const seen = new Set<string>();
  const importRows = store.db
    .prepare(
      `SELECT DISTINCT i.columns FROM quarantine q
       LEFT JOIN responses s ON s.response_id = q.response_id
       JOIN imports i ON i.id = COALESCE(q.import_id, s.import_id) ${where}`
    )
    .all(...params) as { columns: string }[];
  for (const { columns: c } of importRows) {
    for (const key of JSON.parse(c) as string[]) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const stream = fs.createWriteStream(out);
  const write = async (s: string) => {
    if (!stream.write(s)) await once(stream, 'drain');
  };
  await write(csvLine([...REASON_COLUMNS, ...columns]));
  let n = 0;
  const it = store.db
    .prepare(`${SELECT} ${where} ORDER BY q.import_id, q.row_number, q.id`)
    .iterate(...params) as IterableIterator<QRow>;
  for (const q of it) {
    const values: string[] = new Array<string>(columns.length).fill('');
    let raw = '';
    const parsed = q.raw ? safeParse(q.raw) : null;
    // rows.raw: a JSON array of cells (CSV), a JSON object (JSON lines), or a JSON string (unsplittable text).
    if (Array.isArray(parsed) && q.columns) {
      const keys = JSON.parse(q.columns) as string[];
      parsed.forEach((v, i) => {
        const k = keys[i];
        if (k !== undefined) values[columns.indexOf(k)] = String(v);
      });
    } else if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
        const at = columns.indexOf(k);
        if (at >= 0) values[at] = typeof v === 'string' ? v : JSON.stringify(v);
      }
    } else if (typeof parsed === 'string') {
      raw = parsed;
    } else if (q.raw) raw = q.raw;
    await write(
      csvLine([
        q.stage,
        q.file,
        q.row_number,
        q.line,
        q.field,
        q.code,
        q.reason,
        raw.slice(0, 32000),
        ...values
      ])
    );
    n++;
  }
  stream.end();
  await once(stream, 'finish');
  return { file: out, rows: n };
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}
