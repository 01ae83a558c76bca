/**
 * Salesforce record Ids: 15-character case-sensitive Ids and their 18-character
 * case-safe form (a three-letter suffix that encodes which of the 15 characters
 * are upper case, so the Id survives case-insensitive systems).
 */

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** The case-safe suffix of a 15-character Id. */
export function idSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let j = 0; j < 5; j++) {
      const ch = id15.charAt(chunk * 5 + j);
      // The first character of a chunk is the least significant bit.
      if (ch >= 'A' && ch <= 'Z') flags |= 1 << j;
    }
    suffix += SUFFIX_ALPHABET.charAt(flags);
  }
  return suffix;
}

export function to18(id: string): string {
  if (id.length === 18) return id;
  if (!ID15.test(id)) throw new Error(`Not a 15-character Id: ${id}`);
  return id + idSuffix(id);
}

export function to15(id: string): string {
  return id.slice(0, 15);
}

/**
 * Normalises a 15- or 18-character Id to 18 characters, or returns undefined
 * when the text is not an Id (wrong length, characters, or an 18-character Id
 * whose suffix does not match its first 15 characters).
 */
export function normalizeId(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  if (ID15.test(text)) return to18(text);
  if (ID18.test(text)) {
    // The suffix is case-insensitive: a case-mangled 18-char Id is repaired.
    const base = text.slice(0, 15);
    const suffix = text.slice(15).toUpperCase();
    if (idSuffix(base) === suffix) return base + suffix;
    return undefined;
  }
  return undefined;
}

export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/** Base-62 encoding of a non-negative integer, left-padded to `width`. */
export function base62(n: number, width: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`Cannot encode ${n}`);
  let out = '';
  let rest = n;
  do {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  if (out.length > width) throw new Error(`${n} does not fit in ${width} base-62 characters`);
  return out.padStart(width, '0');
}

/**
 * Characters 4-5 of an Id name the pod in a real org; a fixed value keeps the
 * local org's Ids stable across runs.
 */
export const POD = '5L';

/**
 * The record Id for the n-th record (n >= 1) with a key prefix. The counter is
 * spread over the ten remaining characters so Ids mix cases, as real ones do,
 * which keeps the case-safe suffix honest.
 */
export function makeId(prefix: string, n: number): string {
  if (!/^[a-zA-Z0-9]{3}$/.test(prefix)) throw new Error(`Bad key prefix: ${prefix}`);
  return to18(prefix + POD + base62(n, 10));
}

/**
 * Allocates key prefixes for custom objects the way an org hands them out:
 * `a` followed by two base-62 characters (`a00`, `a01`, ...), in a stable
 * order; custom metadata types use `m`. Names already allocated keep theirs.
 */
export function allocatePrefixes(
  names: string[],
  lead: string,
  existing: Record<string, string> = {}
): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set(Object.values(existing));
  let next = 0;
  for (const name of [...names].sort()) {
    const known = existing[name];
    if (known) {
      out[name] = known;
      continue;
    }
    let prefix: string;
    do {
      prefix = lead + base62(next++, 2);
    } while (used.has(prefix));
    used.add(prefix);
    out[name] = prefix;
  }
  return out;
}
