/**
 * Field values between the wire (JSON, or CSV text from Bulk API) and
 * storage, with the checks an org applies to each type.
 */
import { SfError } from './errors';
import { normalizeId } from './ids';
import type { OrgField } from './schema';
import type { SqlValue } from './storage';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function typeError(f: OrgField, raw: unknown): SfError {
  return new SfError(
    'INVALID_TYPE_ON_FIELD_IN_RECORD',
    `${f.label}: value not of required type: ${String(raw)}`,
    [f.name]
  );
}

/** Parses an ISO date-time (with or without zone; no zone means UTC) to storage form. */
export function parseDateTime(text: string): string | undefined {
  const m = DATETIME.exec(text.trim());
  if (!m) return undefined;
  let iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}`;
  const zone = m[8];
  if (!zone || zone === 'Z') {
    iso += 'Z';
    // A UTC time within range is already in the form Date would give back.
    if (inRange(m)) return iso;
  } else iso += zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString();
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Month, day, hours, minutes and seconds of a DATETIME match all within range (Date rolls 02-30 over). */
function inRange(m: RegExpExecArray): boolean {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return false;
  return Number(m[4] ?? 0) < 24 && Number(m[5] ?? 0) < 60 && Number(m[6] ?? 0) < 60;
}

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/**
 * A wire value as a storage value. `raw` comes from JSON (typed) or from CSV
 * (strings; an empty string there means null).
 */
export function toStorage(f: OrgField, raw: unknown): SqlValue {
  // A checkbox is never null: clearing it unchecks it.
  if (raw === null || raw === undefined) return f.type === 'boolean' ? 0 : null;
  if (typeof raw === 'object') throw typeError(f, JSON.stringify(raw));
  switch (f.type) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw ? 1 : 0;
      const t = String(raw).trim().toLowerCase();
      if (t === 'true' || t === '1') return 1;
      if (t === 'false' || t === '0' || t === '') return 0;
      throw typeError(f, raw);
    }
    case 'double':
    case 'currency':
    case 'percent': {
      if (raw === '') return null;
      const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
      if (typeof raw === 'boolean' || !Number.isFinite(n)) throw typeError(f, raw);
      const scale = f.def.scale ?? 0;
      const precision = f.def.precision ?? 18;
      const rounded = Number(n.toFixed(scale));
      if (Math.abs(rounded) >= 10 ** (precision - scale)) {
        throw new SfError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${f.label}: value outside of valid range on numeric field: ${String(raw)}`,
          [f.name]
        );
      }
      return rounded;
    }
    case 'date': {
      if (raw === '') return null;
      const t = String(raw).trim();
      // Date fields accept a date-time and keep its date part, as the API does.
      const d = validDate(t) ? t : parseDateTime(t)?.slice(0, 10);
      if (!d) throw typeError(f, raw);
      return d;
    }
    case 'datetime': {
      if (raw === '') return null;
      const d = parseDateTime(String(raw));
      if (!d) throw typeError(f, raw);
      return d;
    }
    case 'id':
    case 'reference': {
      if (raw === '') return null;
      const id = normalizeId(String(raw).trim());
      if (!id) {
        throw new SfError(
          'MALFORMED_ID',
          `${f.label}: id value of incorrect type: ${String(raw)}`,
          [f.name]
        );
      }
      return id;
    }
    default: {
      if (typeof raw === 'boolean' || typeof raw === 'number') raw = String(raw);
      const text = String(raw);
      if (text === '') return null;
      return checkText(f, text);
    }
  }
}

function checkText(f: OrgField, text: string): string {
  let value = text;
  if (f.type === 'picklist' || f.type === 'multipicklist') {
    const values = f.def.picklist?.values ?? [];
    const parts = f.type === 'multipicklist' ? value.split(';').map((p) => p.trim()) : [value];
    if (f.def.picklist?.restricted) {
      const canonical = parts.map((p) =>
        values.find((v) => v.value.toLowerCase() === p.toLowerCase())
      );
      const bad = parts.find((_, i) => !canonical[i]);
      if (bad !== undefined) {
        throw new SfError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${f.label}: bad value for restricted picklist field: ${bad}`,
          [f.name]
        );
      }
      value = canonical.map((v) => v!.value).join(';');
    } else {
      value = parts.join(';');
    }
  }
  if (f.type === 'email' && !EMAIL.test(value)) {
    throw new SfError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${value}`, [
      f.name
    ]);
  }
  if (f.length > 0 && value.length > f.length) {
    // The value is cut after 80 characters so a rejected long text does not come back whole.
    throw new SfError(
      'STRING_TOO_LONG',
      `${f.label}: data value too large: ${value.length > 80 ? value.slice(0, 80) + '...' : value} (max length=${f.length})`,
      [f.name]
    );
  }
  return value;
}

/** `2021-11-06T17:38:40.000+0000`, the REST API's date-time form. */
export function apiDateTime(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

/** A stored value as the REST API returns it. */
export function toApi(f: OrgField, stored: SqlValue | undefined): unknown {
  if (stored === null || stored === undefined) return f.type === 'boolean' ? false : null;
  switch (f.type) {
    case 'boolean':
      return stored === 1 || stored === '1';
    case 'double':
    case 'currency':
    case 'percent':
      return typeof stored === 'number' ? stored : Number(stored);
    case 'datetime':
      return apiDateTime(String(stored));
    default:
      return stored;
  }
}

/** A metadata default value (`true`, `1`, `'Web'`) as a storage value. */
const defaults = new WeakMap<OrgField, { value: SqlValue | undefined }>();

export function defaultToStorage(f: OrgField): SqlValue | undefined {
  let known = defaults.get(f);
  if (!known) {
    known = { value: parseDefault(f) };
    defaults.set(f, known);
  }
  return known.value;
}

function parseDefault(f: OrgField): SqlValue | undefined {
  const text = f.def.defaultValue?.trim();
  if (text === undefined || text === '') return undefined;
  if (f.type === 'boolean') return text.toLowerCase() === 'true' ? 1 : 0;
  if (f.storage === 'real') {
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  }
  const quoted = /^(['"])(.*)\1$/.exec(text);
  return quoted ? (quoted[2] ?? null) : undefined;
}
