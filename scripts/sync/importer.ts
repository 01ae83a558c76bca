import { createHash } from 'node:crypto';
import * as path from 'node:path';
import {
  MappingError,
  resolveMapping,
  type ImportMapping,
  type QuestionCatalogue
} from './columns';
import { crashPoint } from './crash';
import type { Delimiter, Encoding, Format } from './detect';
import { contentHash, normaliseRow, type NormalisedResponse, type RowProblem } from './normalise';
import { openSource, SourceError, type Source, type SourceRecord } from './source';
import type { Store } from './store';
import { formulaAfterApostrophes } from './values';

/**
 * `import`: streams each file into the store. Every row ends up either as a
 * response or in quarantine (read = stored + quarantined); writes are
 * batched in transactions; a file imported before is skipped.
 */

export interface ImportOptions {
  format?: Format;
  encoding?: Encoding;
  delimiter?: Delimiter;
  mapping?: ImportMapping;
  catalogue?: QuestionCatalogue;
  /** Rows per transaction. */
  batchSize?: number;
  onProgress?: (progress: { file: string; rows: number }) => void;
  /**
   * Called (and awaited) after every `every` rows, once they are committed: a sync matches,
   * scores and pushes a round while the rest of the file is still being read.
   */
  onRows?: { every: number; run: () => Promise<void> };
}

export interface FileImportResult {
  file: string;
  status: 'imported' | 'skipped' | 'failed';
  importId: number | null;
  format: Format | null;
  encoding: Encoding | null;
  delimiter: Delimiter | null;
  read: number;
  stored: number;
  quarantined: number;
  created: number;
  edited: number;
  unchanged: number;
  unusedColumns: string[];
  warnings: string[];
  error: string | null;
}

export interface ImportResult {
  files: FileImportResult[];
  read: number;
  stored: number;
  quarantined: number;
  created: number;
  edited: number;
  unchanged: number;
  failedFiles: number;
}

const RESPONSE_COLUMNS = [
  'response_id',
  'source',
  'import_id',
  'source_row',
  'email',
  'email_norm',
  'touchpoint_ref',
  'channel',
  'occurred_at',
  'nps',
  'csat',
  'ces',
  'expectation',
  'perception',
  'self_rating',
  'answers',
  'comment',
  'language',
  'account_ref',
  'case_ref',
  'opportunity_ref',
  'order_ref',
  'record_ref',
  'content_hash',
  'updated_at'
] as const;

function responseValues(
  r: NormalisedResponse,
  answersJson: string,
  importId: number,
  row: number,
  hash: string,
  now: string
): unknown[] {
  return [
    r.responseId,
    'Import',
    importId,
    row,
    r.email,
    r.email ? r.email.trim().toLowerCase() : null,
    r.touchpointRef,
    r.channel,
    r.occurredAt,
    r.nps,
    r.csat,
    r.ces,
    r.expectation,
    r.perception,
    r.selfRating,
    answersJson,
    r.comment,
    r.language,
    r.accountRef,
    r.caseRef,
    r.opportunityRef,
    r.orderRef,
    r.recordRef,
    hash,
    now
  ];
}

export function mappingHash(
  mapping: ImportMapping | undefined,
  catalogue?: QuestionCatalogue
): string {
  const cat = catalogue
    ? { items: [...catalogue.items.entries()], external: [...catalogue.external.entries()] }
    : null;
  return createHash('sha1')
    .update(JSON.stringify({ mapping: mapping ?? null, cat }))
    .digest('hex');
}

function emptyResult(file: string): FileImportResult {
  return {
    file,
    status: 'failed',
    importId: null,
    format: null,
    encoding: null,
    delimiter: null,
    read: 0,
    stored: 0,
    quarantined: 0,
    created: 0,
    edited: 0,
    unchanged: 0,
    unusedColumns: [],
    warnings: [],
    error: null
  };
}

export async function importFiles(
  store: Store,
  files: string[],
  options: ImportOptions = {}
): Promise<ImportResult> {
  const results: FileImportResult[] = [];
  for (const file of files) results.push(await importFile(store, file, options));
  const sum = (k: 'read' | 'stored' | 'quarantined' | 'created' | 'edited' | 'unchanged') =>
    results.reduce((s, r) => s + r[k], 0);
  return {
    files: results,
    read: sum('read'),
    stored: sum('stored'),
    quarantined: sum('quarantined'),
    created: sum('created'),
    edited: sum('edited'),
    unchanged: sum('unchanged'),
    failedFiles: results.filter((r) => r.status === 'failed').length
  };
}

export async function importFile(
  store: Store,
  file: string,
  options: ImportOptions = {}
): Promise<FileImportResult> {
  const result = emptyResult(file);
  let source: Source | undefined;
  try {
    return await readFile(store, file, options, result, (s) => (source = s));
  } finally {
    source?.close();
  }
}

async function readFile(
  store: Store,
  file: string,
  options: ImportOptions,
  result: FileImportResult,
  opened: (source: Source) => void
): Promise<FileImportResult> {
  const db = store.db;
  let source: Source;
  let resolved: ReturnType<typeof resolveMapping>;
  const knownKeys = options.mapping
    ? [...Object.values(options.mapping.fields), ...options.mapping.questions.map((q) => q.column)]
    : [];
  let first: IteratorResult<SourceRecord[], void> | undefined;
  try {
    source = await openSource(file, { ...options, knownKeys });
    opened(source);
    // JSON lines name their columns as they go: resolve after the first lines.
    if (source.info.format === 'jsonl') first = await source.chunks.next();
    resolved = resolveMapping(source.info.columns, options.mapping, options.catalogue, file);
  } catch (e) {
    if (e instanceof SourceError || e instanceof MappingError) {
      result.error = e.message;
      return result;
    }
    throw e;
  }
  const { info } = source;
  Object.assign(result, {
    format: info.format,
    encoding: info.encoding,
    delimiter: info.delimiter,
    unusedColumns: resolved.unused
  });
  const mHash = mappingHash(options.mapping, options.catalogue);
  const prior = db
    .prepare('SELECT * FROM imports WHERE file_hash = ? AND format = ? AND mapping_hash = ?')
    .get(info.hash, info.format, mHash) as
    | { id: number; status: string; rows_read: number; stored: number; quarantined: number }
    | undefined;
  if (prior && prior.status === 'done') {
    return {
      ...result,
      status: 'skipped',
      importId: prior.id,
      read: prior.rows_read,
      stored: prior.stored,
      quarantined: prior.quarantined,
      unchanged: prior.stored,
      warnings: ['already imported: nothing changed']
    };
  }
  const now = () => new Date().toISOString();
  let importId: number;
  if (prior) {
    // A crashed import: its rows are redone; responses are idempotent by id and hash.
    importId = prior.id;
    store.tx(() => {
      db.prepare('DELETE FROM rows WHERE import_id = ?').run(importId);
      db.prepare("DELETE FROM quarantine WHERE import_id = ? AND stage = 'import'").run(importId);
      db.prepare(
        "UPDATE imports SET status = 'running', started_at = ?, path = ? WHERE id = ?"
      ).run(now(), file, importId);
    });
  } else {
    importId = Number(
      db
        .prepare(
          `INSERT INTO imports (path, file_hash, size, encoding, delimiter, format, mapping_hash, columns, status, started_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?)`
        )
        .run(
          file,
          info.hash,
          info.size,
          info.encoding,
          info.delimiter,
          info.format,
          mHash,
          JSON.stringify(info.columns.map((c) => c.key)),
          now()
        ).lastInsertRowid
    );
  }
  result.importId = importId;

  const jsonl = info.format === 'jsonl';
  let resolvedColumns = info.columns.length;
  const columnCount = jsonl ? -1 : info.columns.length;
  const columnName = (i: number) => info.columns[i]?.key ?? `column ${i + 1}`;
  const displayFile = path.relative(process.cwd(), file) || file;
  const findResponse = db.prepare(
    'SELECT import_id, source_row, content_hash FROM responses WHERE response_id = ?'
  );
  const insertResponse = db.prepare(
    `INSERT INTO responses (${RESPONSE_COLUMNS.join(', ')}) VALUES (${RESPONSE_COLUMNS.map(() => '?').join(', ')})`
  );
  const editResponse = db.prepare(
    `UPDATE responses SET ${RESPONSE_COLUMNS.slice(1)
      .map((c) => `${c} = ?`)
      .join(', ')},
       match_status = 'pending', match_hash = NULL, score_pending = 1
     WHERE response_id = ?`
  );
  const touchResponse = db.prepare(
    'UPDATE responses SET import_id = ?, source_row = ? WHERE response_id = ?'
  );
  const insertRow = db.prepare(
    `INSERT OR REPLACE INTO rows (import_id, row_number, line, raw, status, response_id, field, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
  );
  const insertQuarantine = db.prepare(
    `INSERT OR REPLACE INTO quarantine (stage, import_id, file, row_number, line, response_id, field, code, reason, raw, created_at)
     VALUES ('import', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  );

  const quarantine = (rec: SourceRecord, p: RowProblem, responseId: string | null, raw: string) => {
    insertRow.run(
      importId,
      rec.rowNumber,
      rec.line,
      raw,
      'quarantined',
      responseId,
      p.field,
      p.reason
    );
    insertQuarantine.run(
      importId,
      displayFile,
      rec.rowNumber,
      rec.line,
      responseId,
      p.field,
      p.code,
      p.reason,
      raw,
      now()
    );
    result.quarantined++;
  };

  const handle = (rec: SourceRecord, stamp: string) => {
    result.read++;
    if (rec.error) {
      quarantine(
        rec,
        { code: rec.error.code, field: null, reason: rec.error.reason },
        null,
        JSON.stringify(rec.raw)
      );
      return;
    }
    const raw = jsonl ? rec.raw : JSON.stringify(rec.cells);
    for (let i = 0; i < rec.cells.length; i++) {
      const c = rec.cells[i] as string;
      // The quarantine export writes '=... so a spreadsheet shows formulas as text; undo that here.
      if (c.charCodeAt(0) === 39 && formulaAfterApostrophes(c)) rec.cells[i] = c.slice(1);
    }
    if (jsonl && info.columns.length !== resolvedColumns) {
      // A line brought new keys: map them too (indices of known columns never change).
      resolved = resolveMapping(info.columns, options.mapping, options.catalogue, file);
      resolvedColumns = info.columns.length;
    }
    const out = normaliseRow(rec.cells, resolved, columnCount, columnName);
    if (!out.ok) {
      const idIndex = resolved.fields.responseId;
      const rid =
        idIndex === undefined ? null : (rec.cells[idIndex] ?? '').trim().slice(0, 80) || null;
      quarantine(rec, out.problem, rid, raw);
      return;
    }
    const r = out.response;
    const hash = contentHash(r);
    const existing = findResponse.get(r.responseId) as
      { import_id: number | null; source_row: number | null; content_hash: string } | undefined;
    if (existing && existing.import_id === importId && existing.source_row !== rec.rowNumber) {
      quarantine(
        rec,
        {
          code: 'duplicate_id',
          field: columnName(resolved.fields.responseId as number),
          reason: `response id ${r.responseId} appears again (first at row ${existing.source_row})`
        },
        r.responseId,
        raw
      );
      return;
    }
    if (!existing) {
      insertResponse.run(
        ...responseValues(r, out.answersJson, importId, rec.rowNumber, hash, stamp)
      );
      result.created++;
    } else if (existing.content_hash !== hash) {
      const values = responseValues(r, out.answersJson, importId, rec.rowNumber, hash, stamp);
      editResponse.run(...values.slice(1), r.responseId);
      result.edited++;
    } else {
      if (existing.import_id !== importId || existing.source_row !== rec.rowNumber) {
        touchResponse.run(importId, rec.rowNumber, r.responseId);
      }
      result.unchanged++;
    }
    insertRow.run(importId, rec.rowNumber, rec.line, raw, 'stored', r.responseId, null, null);
    result.stored++;
  };

  const batchSize = options.batchSize ?? 2000;
  // Each chunk of records is handled as soon as the parser hands it over, so
  // a record dies young; the transaction stays open across chunks and commits
  // every batchSize rows (IMMEDIATE: the store's write lock is taken up front).
  let pending = 0;
  let batches = 0;
  let stamp = now();
  const commit = () => {
    db.exec('COMMIT');
    pending = 0;
    batches++;
    crashPoint(`import:batch${batches}`);
    options.onProgress?.({ file, rows: result.read });
  };
  const take = (chunk: SourceRecord[]) => {
    for (const rec of chunk) {
      if (pending === 0) {
        db.exec('BEGIN IMMEDIATE');
        stamp = now();
      }
      handle(rec, stamp);
      if (++pending >= batchSize) commit();
    }
  };
  let inRound = false;
  try {
    if (first && !first.done) take(first.value);
    let handed = 0;
    for await (const chunk of source.chunks) {
      take(chunk);
      if (options.onRows && result.read - handed >= options.onRows.every) {
        if (pending > 0) commit();
        handed = result.read;
        inRound = true;
        await options.onRows.run();
        inRound = false;
      }
    }
    if (pending > 0) commit();
  } catch (e) {
    // A round's failure is not the file's: the import stays 'running' and the next run redoes it.
    if (inRound) throw e;
    if (db.inTransaction) db.exec('ROLLBACK');
    const message = e instanceof Error ? e.message : String(e);
    db.prepare("UPDATE imports SET status = 'failed', error = ?, finished_at = ? WHERE id = ?").run(
      message,
      now(),
      importId
    );
    throw e;
  }
  if (result.read === 0) result.warnings.push('the file has a header but no data rows');
  db.prepare(
    `UPDATE imports SET status = 'done', finished_at = ?, rows_read = ?, stored = ?, quarantined = ?,
       created = ?, edited = ?, unchanged = ?, columns = ? WHERE id = ?`
  ).run(
    now(),
    result.read,
    result.stored,
    result.quarantined,
    result.created,
    result.edited,
    result.unchanged,
    JSON.stringify(info.columns.map((c) => c.key)),
    importId
  );
  result.status = 'imported';
  return result;
}
