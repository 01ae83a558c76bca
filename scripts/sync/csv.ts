import { formulaAfterApostrophes } from './values';

/**
 * CSV writing for files people open in spreadsheets: RFC 4180 quoting, and
 * cells that a spreadsheet would run as formulas (`=HYPERLINK(...)`) written
 * with a leading apostrophe so they show as text. The importer removes that
 * apostrophe again.
 */
export function csvCell(value: unknown, delimiter = ','): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : String(value);
  if (formulaAfterApostrophes(s)) s = `'${s}`;
  return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[], delimiter = ','): string {
  return values.map((v) => csvCell(v, delimiter)).join(delimiter) + '\r\n';
}

/**
 * A Bulk API 2.0 cell: RFC 4180 quoting, no formula escaping (Salesforce
 * stores values verbatim). null is `#N/A`, which clears the field (an edit
 * that blanks a value); undefined (a column this row lacks) is empty, which
 * leaves the field alone.
 */
export function bulkCell(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return '#N/A';
  const s =
    typeof value === 'string'
      ? value
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  return /[",\r\n]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}
