/**
 * CSV details of Bulk API 2.0: the six column delimiters, LF or CRLF line
 * endings, and the quoting of result files (every value quoted, quotes
 * doubled), as in the files an org serves.
 */
import { SfError } from '../errors';

export const DELIMITERS = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`'
} as const;
export type ColumnDelimiter = keyof typeof DELIMITERS;
export type LineEnding = 'LF' | 'CRLF';

export function columnDelimiter(value: unknown): ColumnDelimiter {
  if (value === undefined || value === null) return 'COMMA';
  if (typeof value === 'string' && value in DELIMITERS) return value as ColumnDelimiter;
  throw new SfError(
    'INVALIDJOB',
    `InvalidJob : Invalid columnDelimiter: ${String(value)}. Use one of ${Object.keys(DELIMITERS).join(', ')}`,
    undefined,
    400
  );
}

export function lineEnding(value: unknown): LineEnding {
  if (value === undefined || value === null) return 'LF';
  if (value === 'LF' || value === 'CRLF') return value;
  throw new SfError(
    'INVALIDJOB',
    `InvalidJob : Invalid lineEnding: ${String(value)}. Use LF or CRLF`,
    undefined,
    400
  );
}

export function eol(ending: LineEnding): string {
  return ending === 'CRLF' ? '\r\n' : '\n';
}

export function quote(value: string): string {
  return `"${value.indexOf('"') < 0 ? value : value.replace(/"/g, '""')}"`;
}

/** One result line: every value quoted. */
export function quotedLine(values: readonly string[], delimiter: string): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i > 0 ? delimiter : '') + quote(values[i]!);
  return line;
}

/**
 * Whether csv-parse would read the upload as plain lines of values: no
 * quotes, and line endings all LF or all CRLF. Most uploads are, and
 * plainRecords reads those several times faster.
 */
export function isPlainCsv(buf: Buffer): boolean {
  if (buf.indexOf(0x22) >= 0) return false;
  let cr = buf.indexOf(0x0d);
  if (cr < 0) return true;
  // Every CR starts a CRLF, and every LF ends one.
  let lines = 0;
  for (let lf = buf.indexOf(0x0a); lf >= 0; lf = buf.indexOf(0x0a, lf + 1)) {
    if (buf[lf - 1] !== 0x0d) return false;
    lines++;
  }
  let crs = 0;
  for (; cr >= 0; cr = buf.indexOf(0x0d, cr + 1)) crs++;
  return crs === lines;
}

/**
 * The records of an upload isPlainCsv accepts, as csv-parse reads them
 * with a leading BOM dropped, empty lines skipped and any number of values a line.
 */
export function* plainRecords(buf: Buffer, delimiter: string): Generator<string[]> {
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const crlf = text.indexOf('\r') >= 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, crlf && end < text.length ? end - 1 : end);
    start = end + 1;
    if (line !== '') yield line.split(delimiter);
  }
}
