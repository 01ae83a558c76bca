// @ts-check
/**
 * The answers JSON of CX_Perception__c.Answers__c and scale handling.
 * Shape: {"v":1,"a":[{"k":"ONB-REL-1","d":"Reliability","e":6,"p":5,"min":1,"max":7}]}
 */

/** @typedef {import('./types').Answer} Answer */

export const ANSWERS_VERSION = 1;

const NOT_APPLICABLE = new Set(['', 'n/a', 'na', 'n.a.', 'not applicable', '-']);

/**
 * Reads one value on a scale. Not applicable (null, blank, "n/a", and 0 on a
 * scale that starts at 1 or higher) gives null, so it is left out rather than
 * counted as a low score; a value that is not a number or lies outside the
 * scale gives undefined (invalid).
 * @param {unknown} raw
 * @param {number} min
 * @param {number} max
 * @param {boolean} [decimalComma] read "4,5" as 4.5
 * @returns {number | null | undefined}
 */
export function readScaleValue(raw, min, max, decimalComma = false) {
  if (raw === null || raw === undefined) return null;
  let value;
  if (typeof raw === 'number') value = raw;
  else if (typeof raw === 'string') {
    const text = raw.trim();
    if (NOT_APPLICABLE.has(text.toLowerCase())) return null;
    const normalised = decimalComma ? text.replace(',', '.') : text;
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(normalised)) return undefined;
    value = Number(normalised);
  } else return undefined;
  if (!Number.isFinite(value)) return undefined;
  if (value === 0 && min >= 1) return null;
  if (value < min || value > max) return undefined;
  return value;
}

/**
 * A value on [min, max] mapped to 0-100, so scales of different lengths compare.
 * @param {number} value
 * @param {number} min
 * @param {number} max
 * @returns {number}
 */
export function normaliseScore(value, min, max) {
  return (100 * (value - min)) / (max - min);
}

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses Answers__c. Blank text is an empty answer list. Answers where
 * neither expectation nor perception applies are left out.
 * @param {string | null | undefined} json
 * @returns {{ok: true, answers: Answer[]} | {ok: false, error: string}}
 */
export function parseAnswers(json) {
  if (json === null || json === undefined || json.trim() === '') return { ok: true, answers: [] };
  /** @type {unknown} */
  let doc;
  try {
    doc = JSON.parse(json);
  } catch (err) {
    return {
      ok: false,
      error: `answers are not valid JSON: ${err instanceof Error ? err.message : String(err)}`
    };
  }
  if (!isRecord(doc))
    return { ok: false, error: 'answers must be a JSON object {"v":1,"a":[...]}' };
  if (doc.v !== ANSWERS_VERSION) {
    return {
      ok: false,
      error: `answers version ${JSON.stringify(doc.v)} is not supported (this module reads version ${ANSWERS_VERSION})`
    };
  }
  if (!Array.isArray(doc.a)) return { ok: false, error: 'answers: "a" must be an array' };
  /** @type {Answer[]} */
  const answers = [];
  for (let i = 0; i < doc.a.length; i++) {
    const raw = doc.a[i];
    const where = `answers: a[${i}]`;
    if (!isRecord(raw)) return { ok: false, error: `${where} must be an object` };
    if (typeof raw.k !== 'string' || raw.k.trim() === '') {
      return { ok: false, error: `${where}.k (item key) must be a non-empty string` };
    }
    const label = `${where} (${raw.k})`;
    if (raw.d !== undefined && raw.d !== null && typeof raw.d !== 'string') {
      return { ok: false, error: `${label}.d (dimension) must be a string or null` };
    }
    const min = raw.min;
    const max = raw.max;
    if (typeof min !== 'number' || !Number.isFinite(min)) {
      return { ok: false, error: `${label}.min must be a number` };
    }
    if (typeof max !== 'number' || !Number.isFinite(max) || max <= min) {
      return { ok: false, error: `${label}.max must be a number above min (${min})` };
    }
    const e = readScaleValue(raw.e, min, max);
    if (e === undefined) {
      return {
        ok: false,
        error: `${label}.e ${JSON.stringify(raw.e)} is not a value on its scale ${min}-${max}`
      };
    }
    const p = readScaleValue(raw.p, min, max);
    if (p === undefined) {
      return {
        ok: false,
        error: `${label}.p ${JSON.stringify(raw.p)} is not a value on its scale ${min}-${max}`
      };
    }
    if (e === null && p === null) continue;
    const d = typeof raw.d === 'string' && raw.d.trim() !== '' ? raw.d : null;
    answers.push({ k: raw.k, d, e, p, min, max });
  }
  return { ok: true, answers };
}

/**
 * Writes Answers__c (keys in a fixed order, nulls kept so a reader sees which
 * half of a pair was not answered).
 * @param {Answer[]} answers
 * @returns {string}
 */
export function serializeAnswers(answers) {
  return JSON.stringify({
    v: ANSWERS_VERSION,
    a: answers.map((a) => ({
      k: a.k,
      d: a.d ?? null,
      e: a.e ?? null,
      p: a.p ?? null,
      min: a.min,
      max: a.max
    }))
  });
}
