/**
 * Sniffing a file from its first chunk: the text encoding, the delimiter and
 * the export format. Only a bounded prefix is read, never the whole file.
 */

export type Encoding = 'utf-8' | 'utf-8-bom' | 'windows-1252' | 'utf-16le' | 'utf-16be';
export type Delimiter = ',' | ';' | '\t';
export type Format = 'csv' | 'qualtrics' | 'surveymonkey' | 'jsonl';

export const FORMATS: readonly Format[] = ['csv', 'qualtrics', 'surveymonkey', 'jsonl'];

/** The encoding of a file from its first bytes: a BOM, else valid UTF-8, else Windows-1252. */
export function detectEncoding(head: Buffer): Encoding {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return 'utf-8-bom';
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return isValidUtf8(head, true) ? 'utf-8' : 'windows-1252';
}

/** Number of bytes a BOM of this encoding takes at the start of the file. */
export function bomLength(encoding: Encoding): number {
  if (encoding === 'utf-8-bom') return 3;
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return 2;
  return 0;
}

/** The iconv-lite name of an encoding. */
export function iconvName(encoding: Encoding): string {
  return encoding === 'utf-8-bom' ? 'utf-8' : encoding;
}

/**
 * Strict UTF-8 validation. With `truncated`, a multi-byte sequence cut off by
 * the end of the buffer (the end of a first chunk) is not an error.
 */
export function isValidUtf8(buf: Buffer, truncated = false): boolean {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return false;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return truncated;
      const c = buf[i + k] as number;
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/**
 * The delimiter of a header line: the most frequent of comma, semicolon and
 * tab outside quotes. Ties go to comma, then semicolon.
 */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: Delimiter = ',';
  for (const d of [';', '\t'] as Delimiter[]) if (counts[d] > counts[best]) best = d;
  return best;
}

/** The first physical line of a decoded text (up to the first line break outside quotes). */
export function firstLine(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) return text.slice(0, i);
  }
  return text;
}

/**
 * The export format from the file name and the first lines: JSON lines,
 * Qualtrics (third header row of `{"ImportId":...}` cells), SurveyMonkey
 * (`Respondent ID` column and a second header row of `Response` labels), else
 * a plain CSV.
 */
export function detectFormat(fileName: string, headText: string): Format {
  if (/\.(jsonl|ndjson)$/i.test(fileName)) return 'jsonl';
  const trimmed = headText.replace(/^\ufeff/, '').trimStart();
  if (trimmed.startsWith('{')) return 'jsonl';
  if (/\{\s*""ImportId""\s*:/.test(headText)) return 'qualtrics';
  const first = firstLine(trimmed);
  if (/(^|[,;\t])"?Respondent ID"?([,;\t]|$)/i.test(first)) return 'surveymonkey';
  return 'csv';
}
