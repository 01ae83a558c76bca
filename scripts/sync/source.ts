import { Parser } from 'csv-parse';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import {
  bomLength,
  detectDelimiter,
  detectEncoding,
  detectFormat,
  firstLine,
  iconvName,
  type Delimiter,
  type Encoding,
  type Format
} from './detect';

/**
 * Streaming readers of survey exports. A file is decoded and parsed chunk by
 * chunk: only the records of the current chunk (each bounded by
 * MAX_RECORD_BYTES) are in memory. Records come out in arrays, as many as the
 * parser has ready, so a caller handles them in one synchronous pass: they
 * die young instead of waiting on promises until the garbage collector
 * promotes them (which is what grew a 1 GB import's memory).
 */

/** One column of a file: its key (header cell) and, for tool exports, the question text and import id. */
export interface Column {
  index: number;
  key: string;
  label?: string;
  importId?: string;
}

export interface SourceInfo {
  file: string;
  size: number;
  hash: string;
  encoding: Encoding;
  delimiter: Delimiter | null;
  format: Format;
  columns: Column[];
  /** Header rows consumed before the first data row. */
  headerRows: number;
}

/** A data row, or a record that could not be split into cells (`error`). */
export interface SourceRecord {
  /** 1-based ordinal of the data row (header rows excluded). */
  rowNumber: number;
  /** Physical line of the file where the row starts. */
  line: number;
  cells: string[];
  /** The row as read, for the quarantine export. */
  raw: string;
  error?: { code: string; reason: string };
}

/** Records larger than this are rejected (and not held in memory). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;
/**
 * Bytes read from the file at a time. Small on purpose: the records parsed
 * from one read wait while the previous ones are handled, and whatever is
 * alive when V8 collects the young generation gets promoted (Node 22
 * promotes every survivor). With 16 KB about a hundred rows are in flight;
 * with 64 KB a 100 MB import peaked 80 MB higher on Node 22, at the same speed.
 */
const READ_CHUNK = 16 * 1024;
/** The most records handed out in one array. */
const MAX_CHUNK_RECORDS = 4096;

/** An opened file: its description, its data rows in arrays, and close() to stop reading early. */
export interface Source {
  info: SourceInfo;
  /** The data rows in file order, in arrays of the rows ready at once (never empty). */
  chunks: AsyncGenerator<SourceRecord[], void, undefined>;
  /** Stops reading and releases the file (also safe after the end). */
  close(): void;
}

export class SourceError extends Error {
  constructor(
    readonly file: string,
    message: string
  ) {
    super(`${file}: ${message}`);
    this.name = 'SourceError';
  }
}

/** SHA-256 of a file, read through one reused buffer (no garbage, so memory stays flat on 1 GB). */
export async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  const handle = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

function readHead(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}

export interface OpenSourceOptions {
  format?: Format;
  encoding?: Encoding;
  delimiter?: Delimiter;
  /** JSON lines: keys known up front (a mapping's columns), so they exist before a line uses them. */
  knownKeys?: string[];
}

/**
 * Sniffs a file (encoding, format, delimiter), reads its header rows, and
 * returns its description and an iterator over its data rows.
 */
export async function openSource(file: string, options: OpenSourceOptions = {}): Promise<Source> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new SourceError(file, 'file not found');
  }
  if (!stat.isFile()) throw new SourceError(file, 'not a file');
  if (stat.size === 0) throw new SourceError(file, 'the file is empty');
  const head = readHead(file);
  const encoding = options.encoding ?? detectEncoding(head);
  const headText = iconv.decode(head.subarray(bomLength(encoding)), iconvName(encoding));
  if (headText.trim() === '') throw new SourceError(file, 'the file is empty (blank lines only)');
  const format = options.format ?? detectFormat(path.basename(file), headText);
  const hash = await hashFile(file);
  const bytes = fs.createReadStream(file, {
    start: bomLength(encoding),
    highWaterMark: READ_CHUNK
  });
  const text = bytes.pipe(iconv.decodeStream(iconvName(encoding))) as unknown as Readable;
  // pipe() does not pass on a read error; the parser must see it.
  bytes.on('error', (e) => text.destroy(e));
  const base = { file, size: stat.size, hash, encoding };
  const close = () => {
    bytes.destroy();
    text.destroy();
  };
  try {
    if (format === 'jsonl') return { ...openJsonl(base, text, options.knownKeys ?? []), close };
    const delimiter = options.delimiter ?? detectDelimiter(firstLine(headText));
    const csv = await openCsv({ ...base, delimiter, format }, text);
    return {
      ...csv,
      close: () => {
        close();
        csv.close();
      }
    };
  } catch (e) {
    close();
    throw e;
  }
}

/**
 * Reads an object-mode stream in arrays: everything buffered at once (up to
 * `max`), waiting only when the buffer is empty. null at the end.
 */
function objectReader<T>(stream: Readable) {
  let ended = false;
  let failed: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream.on('readable', signal);
  const finish = () => {
    ended = true;
    signal();
  };
  stream.on('end', finish);
  // Destroyed (close()) ends without 'end'.
  stream.on('close', finish);
  stream.on('error', (e: Error) => {
    failed = e;
    signal();
  });
  return async (max: number): Promise<T[] | null> => {
    for (;;) {
      if (failed) throw failed;
      const out: T[] = [];
      while (out.length < max) {
        const v = stream.read() as T | null;
        if (v === null) break;
        out.push(v);
      }
      if (out.length > 0) return out;
      if (ended) return null;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  };
}

/**
 * csv-parse's stream parser, with each record's last line read from the
 * parser's running count as the record comes out. (Its `info` option builds a
 * snapshot object per record that V8 tenures: tens of MB of old-generation
 * garbage on a large file.)
 */
class LineParser extends Parser {
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null && typeof chunk === 'object' && 'record' in chunk) {
      (chunk as { lines?: number }).lines = this.info.lines;
    }
    return super.push(chunk, encoding);
  }
}

async function openCsv(
  base: Omit<SourceInfo, 'columns' | 'headerRows'> & { delimiter: Delimiter },
  input: NodeJS.ReadableStream
): Promise<Source> {
  // A rejected record goes into the parser's own output, so it keeps its place among the rows.
  const parser = new LineParser({
    delimiter: base.delimiter,
    relax_column_count: true,
    // A stray quote inside a cell (x"y, "x"y) is kept as text, as spreadsheets do.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    raw: true,
    on_skip: (err, raw) => {
      parser.push({
        skipped: csvError(
          err?.code,
          err?.message ?? 'unreadable record',
          err?.lines as number | undefined
        ),
        lines: err?.lines as number | undefined,
        raw: (raw ?? '').slice(0, 64 * 1024)
      });
    }
  });
  input.on('error', (e) => parser.destroy(e as Error));
  input.pipe(parser);
  type Item =
    | { record: string[]; lines: number; raw: string; skipped?: undefined }
    | { skipped: { code: string; reason: string }; lines?: number; raw: string };
  const read = objectReader<Item>(parser);
  const headerRows = base.format === 'qualtrics' ? 3 : base.format === 'surveymonkey' ? 2 : 1;
  const headers: string[][] = [];
  let lastLine = 0;
  while (headers.length < headerRows) {
    const next = (await read(1))?.[0];
    if (!next) break;
    if (next.skipped) {
      throw new SourceError(base.file, `header row ${headers.length + 1}: ${next.skipped.reason}`);
    }
    lastLine = next.lines;
    headers.push(next.record);
  }
  if (headers.length === 0) {
    throw new SourceError(base.file, 'no header row could be read');
  }
  if (headers.length < headerRows) {
    throw new SourceError(
      base.file,
      `a ${base.format} export has ${headerRows} header rows; the file has ${headers.length}`
    );
  }
  const columns = buildColumns(base.format, headers, base.file);
  async function* chunks(): AsyncGenerator<SourceRecord[], void, undefined> {
    let rowNumber = 0;
    for (;;) {
      const items = await read(MAX_CHUNK_RECORDS);
      if (!items) break;
      const out: SourceRecord[] = new Array<SourceRecord>(items.length);
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as Item;
        const line = lastLine + 1;
        if (item.skipped) {
          if (item.lines !== undefined) lastLine = item.lines;
          out[i] = { rowNumber: ++rowNumber, line, cells: [], raw: item.raw, error: item.skipped };
        } else {
          lastLine = item.lines;
          out[i] = { rowNumber: ++rowNumber, line, cells: item.record, raw: item.raw };
        }
      }
      yield out;
    }
  }
  return {
    info: { ...base, columns, headerRows },
    chunks: chunks(),
    close: () => parser.destroy()
  };
}

function csvError(
  code: string | undefined,
  message: string,
  lines: number | undefined
): { code: string; reason: string } {
  const at = lines !== undefined ? ` (through line ${lines})` : '';
  switch (code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return {
        code: 'unbalanced_quote',
        reason: `unbalanced quote: a quoted cell opens and never closes, so the rest of the file${at} cannot be split into rows`
      };
    case 'CSV_MAX_RECORD_SIZE':
      return {
        code: 'record_too_large',
        reason: `row larger than ${MAX_RECORD_BYTES / 1024 / 1024} MB${at} (often an unbalanced quote)`
      };
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return { code: 'malformed_quote', reason: `malformed quoting${at}: ${message}` };
    default:
      return { code: 'malformed_csv', reason: `unreadable row${at}: ${message}` };
  }
}

/** Column keys from the header rows of each format. */
export function buildColumns(format: Format, headers: string[][], file = ''): Column[] {
  const first = (headers[0] ?? []).map((h, i) => (i === 0 ? h.replace(/^\ufeff/, '') : h).trim());
  if (format === 'qualtrics') {
    const text = headers[1] ?? [];
    const ids = headers[2] ?? [];
    return first.map((key, index) => {
      let importId: string | undefined;
      const cell = ids[index] ?? '';
      try {
        const parsed = JSON.parse(cell) as { ImportId?: unknown };
        if (typeof parsed.ImportId === 'string') importId = parsed.ImportId;
      } catch {
        // Older exports put the plain id in the third row.
        if (cell.trim()) importId = cell.trim();
      }
      const label = text[index]?.trim();
      return { index, key, ...(label ? { label } : {}), ...(importId ? { importId } : {}) };
    });
  }
  if (format === 'surveymonkey') {
    const sub = headers[1] ?? [];
    let carried = '';
    return first.map((cell, index) => {
      if (cell) carried = cell;
      const s = (sub[index] ?? '').trim();
      const plain = s === '' || /^(Response|Open-Ended Response)$/i.test(s);
      const key = plain ? carried : `${carried} | ${s}`;
      return { index, key, label: carried };
    });
  }
  const seen = new Set<string>();
  return first.map((key, index) => {
    if (key === '') throw new SourceError(file, `header column ${index + 1} is blank`);
    if (seen.has(key.toLowerCase())) {
      throw new SourceError(file, `header column "${key}" appears twice`);
    }
    seen.add(key.toLowerCase());
    return { index, key };
  });
}

/**
 * JSON lines: one object per line; keys of the first object and any later
 * ones become columns. Lines end at \n, \r\n or \r (as readline splits them);
 * a line longer than MAX_RECORD_BYTES is rejected without being held.
 */
function openJsonl(
  base: Omit<SourceInfo, 'columns' | 'headerRows' | 'delimiter' | 'format'>,
  input: NodeJS.ReadableStream,
  knownKeys: string[]
): Omit<Source, 'close'> {
  const columns: Column[] = [];
  const index = new Map<string, number>();
  for (const key of knownKeys) {
    if (index.has(key)) continue;
    index.set(key, columns.length);
    columns.push({ index: columns.length, key });
  }
  const info: SourceInfo = {
    ...base,
    delimiter: null,
    format: 'jsonl',
    columns,
    headerRows: 0
  };
  const RAW_LIMIT = 64 * 1024;
  let line = 0;
  let rowNumber = 0;
  const toRecord = (text: string): SourceRecord | null => {
    line++;
    if (text.trim() === '') return null;
    rowNumber++;
    const raw = text.length > RAW_LIMIT ? text.slice(0, RAW_LIMIT) : text;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      return {
        rowNumber,
        line,
        cells: [],
        raw,
        error: { code: 'malformed_json', reason: `not valid JSON: ${(e as Error).message}` }
      };
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      return {
        rowNumber,
        line,
        cells: [],
        raw,
        error: { code: 'malformed_json', reason: 'each line must be one JSON object' }
      };
    }
    const cells: string[] = [];
    for (const [k, v] of Object.entries(flatten(obj as Record<string, unknown>))) {
      let i = index.get(k);
      if (i === undefined) {
        i = columns.length;
        index.set(k, i);
        columns.push({ index: i, key: k });
      }
      cells[i] = v;
    }
    for (let i = 0; i < columns.length; i++) if (cells[i] === undefined) cells[i] = '';
    return { rowNumber, line, cells, raw };
  };
  /** One \n-terminated piece of text: a line, or several when it holds lone \r. */
  const addLines = (text: string, out: SourceRecord[]) => {
    const body = text.endsWith('\r') ? text.slice(0, -1) : text;
    const parts = body.includes('\r') ? body.split('\r') : [body];
    for (const part of parts) {
      const rec = toRecord(part);
      if (rec) out.push(rec);
    }
  };
  async function* chunks(): AsyncGenerator<SourceRecord[], void, undefined> {
    let rest = '';
    // After an oversized line: drop text up to its end.
    let skipping = false;
    const tooLarge = (head: string, out: SourceRecord[]) => {
      line++;
      rowNumber++;
      out.push({
        rowNumber,
        line,
        cells: [],
        raw: head.slice(0, RAW_LIMIT),
        error: {
          code: 'record_too_large',
          reason: `line longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB`
        }
      });
    };
    for await (const piece of input as AsyncIterable<string>) {
      const out: SourceRecord[] = [];
      let start = 0;
      for (;;) {
        const nl = piece.indexOf('\n', start);
        if (nl < 0) break;
        if (skipping) skipping = false;
        else if (rest.length + nl - start > MAX_RECORD_BYTES) {
          tooLarge(
            rest.length >= RAW_LIMIT ? rest : rest + piece.slice(start, start + RAW_LIMIT),
            out
          );
        } else addLines(rest + piece.slice(start, nl), out);
        rest = '';
        start = nl + 1;
      }
      if (!skipping) {
        rest += piece.slice(start);
        if (rest.length > MAX_RECORD_BYTES) {
          tooLarge(rest, out);
          rest = '';
          skipping = true;
        }
      }
      if (out.length > 0) yield out;
    }
    if (!skipping && rest !== '') {
      const out: SourceRecord[] = [];
      addLines(rest, out);
      if (out.length > 0) yield out;
    }
  }
  return { info, chunks: chunks() };
}

/** Nested objects flatten to dotted keys (`answers.ONB-REL-1`); scalars become text. */
function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, string> = {}) {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      flatten(v as Record<string, unknown>, key, out);
    } else if (v === null || v === undefined) out[key] = '';
    else if (typeof v === 'string') out[key] = v;
    else out[key] = typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
  }
  return out;
}
