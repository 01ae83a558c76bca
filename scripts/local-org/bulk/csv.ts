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
  return `"${value.replace(/"/g, '""')}"`;
}

/** One result line: every value quoted. */
export function quotedLine(values: readonly string[], delimiter: string): string {
  return values.map(quote).join(delimiter);
}
