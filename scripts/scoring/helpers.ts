import fc from 'fast-check';
import type {
  Answer,
  ScopeStatistics,
  ScoringResponse
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';

/** Items of the generated responses, each tied to its dimension. */
export const ITEMS: ReadonlyArray<{ k: string; d: string | null }> = [
  { k: 'ONB-REL-1', d: 'Reliability' },
  { k: 'ONB-REL-2', d: 'Reliability' },
  { k: 'ONB-EMP-1', d: 'Empathy' },
  { k: 'SRV-TAN-1', d: 'Tangibles' },
  { k: 'SRV-XTR-1', d: null }
];

const scaled = (min: number, max: number) =>
  fc.option(fc.integer({ min, max }), { nil: null, freq: 4 });

export const answerArb: fc.Arbitrary<Answer> = fc
  .tuple(fc.constantFrom(...ITEMS), fc.constantFrom<[number, number]>([1, 7], [1, 5], [0, 10]))
  .chain(([item, [min, max]]) =>
    fc.record({
      k: fc.constant(item.k),
      d: fc.constant(item.d),
      e: scaled(min, max),
      p: scaled(min, max),
      min: fc.constant(min),
      max: fc.constant(max)
    })
  );

/** Responses on survey scales, with missing values in every field. */
export const responseArb: fc.Arbitrary<ScoringResponse> = fc.record({
  touchpointKey: fc.constantFrom('ONB', 'SRV', 'BIL', null),
  channel: fc.constantFrom('Web', 'Phone', 'Email', null),
  nps: scaled(0, 10),
  csat: scaled(1, 5),
  ces: scaled(1, 7),
  answers: fc.array(answerArb, { maxLength: 5 }),
  selfRating: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null })
});

type Plain = number | string | boolean | null | Plain[] | { [key: string]: Plain };

/** Maps turned into key-sorted objects, so two statistics compare whatever their insertion order. */
export function toPlain(value: unknown): Plain {
  if (value instanceof Map) {
    const out: { [key: string]: Plain } = {};
    for (const key of [...value.keys()].sort()) out[String(key)] = toPlain(value.get(key));
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Plain } = {};
    // Keys starting with _ are caches (dimension slots), not statistics.
    for (const key of Object.keys(value)
      .filter((k) => !k.startsWith('_'))
      .sort())
      out[key] = toPlain((value as Record<string, unknown>)[key]);
    return out;
  }
  return value as Plain;
}

/** Differences beyond abs + rel * |expected|, as readable paths (empty when close). */
export function differences(actual: unknown, expected: unknown, tol = 1e-9, path = '$'): string[] {
  const a = toPlain(actual);
  const b = toPlain(expected);
  if (typeof a === 'number' && typeof b === 'number') {
    return Math.abs(a - b) <= tol + tol * Math.abs(b) ? [] : [`${path}: ${a} vs ${b}`];
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [`${path}: length ${a.length} vs ${b.length}`];
    return a.flatMap((x, i) => differences(x, b[i], tol, `${path}[${i}]`));
  }
  if (
    a &&
    b &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) =>
      k in a && k in b
        ? differences(a[k], b[k], tol, `${path}.${k}`)
        : [`${path}.${k}: missing on one side`]
    );
  }
  return a === b ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
}

/** Every number anywhere in a value (for the never-NaN/Infinity checks). */
export function allNumbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (value instanceof Map) for (const v of value.values()) allNumbers(v, out);
  else if (Array.isArray(value)) for (const v of value) allNumbers(v, out);
  else if (value && typeof value === 'object')
    for (const v of Object.values(value)) allNumbers(v, out);
  return out;
}

export type { ScopeStatistics };
