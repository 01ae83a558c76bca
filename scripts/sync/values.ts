/**
 * Cell-level parsing shared by the importer: numbers with decimal commas,
 * dates in the formats survey tools export, channels and languages.
 * Every parser returns a value or an error text; none throws.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(error: string): Parsed<T> => ({ ok: false, error });

/** `7,5` and `7.5` are both 7.5 (Dutch Excel writes decimal commas). Blank is null. */
export function parseNumber(cell: string): Parsed<number | null> {
  const s = cell.trim();
  if (s === '') return ok(null);
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(s)) return fail(`"${clip(s)}" is not a number`);
  return ok(Number(s.replace(',', '.')));
}

/** A number on a scale; with `integer`, whole numbers only (NPS 0-10, CSAT 1-5, CES 1-7). */
export function parseScore(
  cell: string,
  min: number,
  max: number,
  integer: boolean
): Parsed<number | null> {
  const n = parseNumber(cell);
  if (!n.ok || n.value === null) return n;
  if (integer && !Number.isInteger(n.value)) {
    return fail(`${n.value} is not a whole number from ${min} to ${max}`);
  }
  if (n.value < min || n.value > max) return fail(`${n.value} is outside ${min}-${max}`);
  return n;
}

export type DateOrder = 'DMY' | 'MDY';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const NUMERIC =
  /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;

/**
 * A timestamp as an ISO string in UTC. Accepts ISO 8601 (no zone = UTC),
 * `YYYY-MM-DD HH:MM:SS` (Qualtrics), `MM/DD/YYYY hh:mm:ss AM` (SurveyMonkey)
 * and `DD-MM-YYYY HH:MM` (Dutch spreadsheets). Slashed dates with both parts
 * up to 12 follow `order`.
 */
export function parseDate(cell: string, order: DateOrder = 'DMY'): Parsed<string | null> {
  const s = cell.trim();
  if (s === '') return ok(null);
  let y: number,
    mo: number,
    d: number,
    h = 0,
    mi = 0,
    se = 0,
    ms = 0;
  let offsetMin = 0;
  const iso = ISO.exec(s);
  const num = iso ? null : NUMERIC.exec(s);
  if (iso) {
    y = Number(iso[1]);
    mo = Number(iso[2]);
    d = Number(iso[3]);
    h = Number(iso[4] ?? 0);
    mi = Number(iso[5] ?? 0);
    se = Number(iso[6] ?? 0);
    ms = Number(((iso[7] ?? '') + '000').slice(0, 3));
    const z = iso[8];
    if (z && z.toUpperCase() !== 'Z') {
      const sign = z.startsWith('-') ? -1 : 1;
      const digits = z.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
    }
  } else if (num) {
    const a = Number(num[1]);
    const b = Number(num[3]);
    const ampm = num[8]?.toUpperCase();
    let dmy: boolean;
    if (a > 12) dmy = true;
    else if (b > 12) dmy = false;
    else if (ampm) dmy = false;
    else if (num[2] !== '/') dmy = true;
    else dmy = order === 'DMY';
    d = dmy ? a : b;
    mo = dmy ? b : a;
    y = Number(num[4]);
    h = Number(num[5] ?? 0);
    mi = Number(num[6] ?? 0);
    se = Number(num[7] ?? 0);
    if (ampm) {
      if (h < 1 || h > 12) return fail(`"${clip(s)}" has an hour outside 1-12 with ${ampm}`);
      if (ampm === 'AM' && h === 12) h = 0;
      if (ampm === 'PM' && h !== 12) h += 12;
    }
  } else {
    return fail(`"${clip(s)}" is not a date (use ISO 8601, e.g. 2026-03-14T09:30:00Z)`);
  }
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) {
    return fail(`"${clip(s)}" is not a valid date`);
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, se, ms);
  const check = new Date(t);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) {
    return fail(`"${clip(s)}" is not a valid date`);
  }
  if (y < 1970 || y > 9999) return fail(`"${clip(s)}" is out of range`);
  return ok(new Date(t - offsetMin * 60000).toISOString());
}

/** The eight channel values of the model (picklist value == label). */
export const CHANNELS = [
  'Web',
  'Mobile app',
  'Email',
  'Phone',
  'Chat',
  'Store',
  'Field visit',
  'Social'
] as const;
export type Channel = (typeof CHANNELS)[number];

const CHANNEL_ALIASES: Record<string, Channel> = {
  web: 'Web',
  website: 'Web',
  online: 'Web',
  mobileapp: 'Mobile app',
  mobile: 'Mobile app',
  app: 'Mobile app',
  email: 'Email',
  mail: 'Email',
  phone: 'Phone',
  telephone: 'Phone',
  telefoon: 'Phone',
  call: 'Phone',
  chat: 'Chat',
  store: 'Store',
  shop: 'Store',
  winkel: 'Store',
  fieldvisit: 'Field visit',
  visit: 'Field visit',
  bezoek: 'Field visit',
  veldbezoek: 'Field visit',
  social: 'Social',
  socialmedia: 'Social'
};

/** A channel value, case-insensitively, with common English and Dutch aliases. */
export function parseChannel(cell: string): Parsed<Channel | null> {
  const s = cell.trim();
  if (s === '') return ok(null);
  const hit = CHANNEL_ALIASES[s.toLowerCase().replace(/[^a-z]/g, '')];
  if (hit) return ok(hit);
  return fail(`"${clip(s)}" is not a channel (one of ${CHANNELS.join(', ')})`);
}

/** A language tag, lower case (`nl`, `en`, `nl-be`); at most 10 characters. */
export function parseLanguage(cell: string): Parsed<string | null> {
  const s = cell.trim().replace(/_/g, '-').toLowerCase();
  if (s === '') return ok(null);
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,4})?$/.test(s)) return fail(`"${clip(s)}" is not a language code`);
  return ok(s);
}

const EMAIL = /^[^\s@",;<>()]+@[^\s@",;<>()]+\.[^\s@",;<>()]+$/;

/** An e-mail address, trimmed; matching later compares case-insensitively. */
export function parseEmail(cell: string): Parsed<string | null> {
  const s = cell.trim();
  if (s === '') return ok(null);
  if (s.length > 80 || !EMAIL.test(s)) return fail(`"${clip(s)}" is not an e-mail address`);
  return ok(s);
}

/** Shortens a cell for an error message. */
export function clip(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Cells that a spreadsheet would run as a formula when opened. */
export function looksLikeFormula(s: string): boolean {
  return /^[=+\-@\t\r]/.test(s) && !/^[+-]?\d/.test(s);
}

/**
 * Whether a cell needs (when writing) or carries (when reading) the apostrophe
 * that keeps a formula as text: a formula after any leading apostrophes. Writing
 * adds one, reading removes one, so `=X`, `'=X` and `''=X` all survive a round trip.
 */
export function formulaAfterApostrophes(s: string): boolean {
  return looksLikeFormula(s.replace(/^'+/, ''));
}
