import * as crypto from 'node:crypto';
import type { FieldRole, ResolvedMapping } from './columns';
import { normaliseScore, prepareResponse, readScaleValue } from './scoring';
import {
  clip,
  parseChannel,
  parseDate,
  parseEmail,
  parseLanguage,
  parseScore,
  type Parsed
} from './values';

/**
 * One input row -> one normalised response, or the reason it is rejected
 * (the first problem found, naming the field).
 */

/** One answered item, the Answers__c shape: k item, d dimension, e/p on the question's scale. */
export interface Answer {
  k: string;
  d: string | null;
  e: number | null;
  p: number | null;
  min: number;
  max: number;
}

export interface AnswersJson {
  v: 1;
  a: Answer[];
}

export interface NormalisedResponse {
  responseId: string;
  email: string | null;
  touchpointRef: string | null;
  channel: string | null;
  occurredAt: string;
  nps: number | null;
  csat: number | null;
  ces: number | null;
  /** Overall expectation and perception, 0-100 (mean of the answered items). */
  expectation: number | null;
  perception: number | null;
  /** The company's own rating of the interaction, 0-100. */
  selfRating: number | null;
  answers: Answer[];
  comment: string | null;
  language: string | null;
  accountRef: string | null;
  caseRef: string | null;
  opportunityRef: string | null;
  orderRef: string | null;
  recordRef: string | null;
}

export interface RowProblem {
  code: string;
  field: string | null;
  reason: string;
}

export const LIMITS = {
  responseId: 80,
  comment: 32768,
  answersJson: 32768,
  ref: 80
} as const;

const round2 = (x: number) => Math.round(x * 100) / 100;

/** Overall expectation and perception, 0-100, as the scoring module computes them (null when none answered). */
export function overall(answers: Answer[]): { e: number | null; p: number | null } {
  const r = prepareResponse({ touchpointKey: null, channel: null, answers });
  return { e: Number.isNaN(r.e) ? null : round2(r.e), p: Number.isNaN(r.p) ? null : round2(r.p) };
}

/** A cell on a question's scale, read by the scoring module (decimal commas allowed). */
function scaleValue(cell: string, min: number, max: number): Parsed<number | null> {
  const v = readScaleValue(cell, min, max, true);
  if (v === undefined)
    return { ok: false, error: `"${clip(cell.trim())}" is not a value on the scale ${min}-${max}` };
  return { ok: true, value: v };
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Validates and normalises one row. `columnName` gives each field's column
 * key for error messages.
 */
export function normaliseRow(
  cells: string[],
  mapping: ResolvedMapping,
  columnCount: number,
  columnName: (index: number) => string
):
  | { ok: true; response: NormalisedResponse; answersJson: string }
  | { ok: false; problem: RowProblem } {
  const problem = (code: string, field: string | null, reason: string) =>
    ({ ok: false, problem: { code, field, reason } }) as const;

  if (columnCount >= 0 && cells.length !== columnCount) {
    const extra = cells.slice(columnCount).some((c) => c.trim() !== '');
    if (cells.length < columnCount || extra) {
      return problem(
        'ragged_row',
        null,
        `the row has ${cells.length} cells, the header has ${columnCount}`
      );
    }
  }
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i] as string;
    if (c.includes('\ufffd')) {
      return problem(
        'encoding',
        columnName(i),
        "bytes that are not valid in the file's encoding (save it as UTF-8, or pass --encoding windows-1252)"
      );
    }
    if (CONTROL.test(c))
      return problem('binary', columnName(i), 'control characters (binary data?)');
  }

  const get = (role: FieldRole): string => {
    const i = mapping.fields[role];
    return i === undefined ? '' : (cells[i] ?? '');
  };
  const field = (role: FieldRole) => {
    const i = mapping.fields[role];
    return i === undefined ? role : columnName(i);
  };
  const take = <T>(role: FieldRole, parsed: Parsed<T>): T | RowProblem => {
    if (parsed.ok) return parsed.value;
    return { code: 'invalid_value', field: field(role), reason: parsed.error };
  };
  const isProblem = (v: unknown): v is RowProblem =>
    typeof v === 'object' && v !== null && 'reason' in v && 'code' in v;

  const responseId = get('responseId').trim();
  if (responseId === '')
    return problem('missing_value', field('responseId'), 'the response id is blank');
  if (responseId.length > LIMITS.responseId) {
    return problem(
      'too_long',
      field('responseId'),
      `the response id is longer than ${LIMITS.responseId} characters`
    );
  }

  const email = take('email', parseEmail(get('email')));
  if (isProblem(email)) return { ok: false, problem: email };
  const occurredAt = take('occurredAt', parseDate(get('occurredAt'), mapping.mapping.dateOrder));
  if (isProblem(occurredAt)) return { ok: false, problem: occurredAt };
  if (occurredAt === null)
    return problem('missing_value', field('occurredAt'), 'the response date is blank');
  if (Date.parse(occurredAt) > Date.now() + 24 * 3600 * 1000) {
    return problem('invalid_value', field('occurredAt'), `${occurredAt} is in the future`);
  }
  const channelCell = get('channel').trim() || mapping.mapping.defaults.channel || '';
  const channel = take('channel', parseChannel(channelCell));
  if (isProblem(channel)) return { ok: false, problem: channel };
  const language = take(
    'language',
    parseLanguage(get('language').trim() || mapping.mapping.defaults.language || '')
  );
  if (isProblem(language)) return { ok: false, problem: language };
  const nps = take('nps', parseScore(get('nps'), 0, 10, true));
  if (isProblem(nps)) return { ok: false, problem: nps };
  const csat = take('csat', parseScore(get('csat'), 1, 5, true));
  if (isProblem(csat)) return { ok: false, problem: csat };
  const ces = take('ces', parseScore(get('ces'), 1, 7, true));
  if (isProblem(ces)) return { ok: false, problem: ces };
  const sr = mapping.mapping.selfRatingScale;
  const selfRaw = take('selfRating', scaleValue(get('selfRating'), sr.min, sr.max));
  if (isProblem(selfRaw)) return { ok: false, problem: selfRaw };

  const byItem = new Map<string, Answer>();
  for (const q of mapping.questions) {
    const parsed = scaleValue(cells[q.index] ?? '', q.min, q.max);
    if (!parsed.ok) return problem('out_of_range', q.column, parsed.error);
    let a = byItem.get(q.item);
    if (!a) {
      a = { k: q.item, d: q.dimension, e: null, p: null, min: q.min, max: q.max };
      byItem.set(q.item, a);
    }
    if (q.kind === 'Expectation') a.e = parsed.value;
    else a.p = parsed.value;
  }
  const answers = [...byItem.values()].filter((a) => a.e !== null || a.p !== null);

  let comment: string | null = get('comment').trim();
  if (comment === '') comment = null;
  else if (comment.length > LIMITS.comment) {
    return problem(
      'too_long',
      field('comment'),
      `the comment has ${comment.length} characters; at most ${LIMITS.comment} fit`
    );
  }
  if (
    nps === null &&
    csat === null &&
    ces === null &&
    answers.length === 0 &&
    selfRaw === null &&
    comment === null
  ) {
    return problem('no_answers', null, 'the row answers no question');
  }
  const answersJson = JSON.stringify({ v: 1, a: answers });
  if (answersJson.length > LIMITS.answersJson) {
    return problem(
      'too_long',
      null,
      `the answers take ${answersJson.length} characters as JSON; at most ${LIMITS.answersJson} fit`
    );
  }

  const totals = overall(answers);
  const refs: Partial<Record<FieldRole, string | null>> = {};
  for (const role of [
    'account',
    'accountNumber',
    'caseNumber',
    'opportunityId',
    'orderNumber',
    'recordId',
    'touchpoint'
  ] as const) {
    const v = get(role).trim();
    if (v.length > LIMITS.ref) {
      return problem(
        'too_long',
        field(role),
        `"${clip(v)}" is longer than ${LIMITS.ref} characters`
      );
    }
    refs[role] = v === '' ? null : v;
  }
  const touchpointRef = refs.touchpoint ?? mapping.mapping.defaults.touchpoint ?? null;

  // An Account Id or AccountNumber; match tells them apart by the Id shape.
  const accountRef = refs.account ?? refs.accountNumber ?? null;
  return {
    ok: true,
    // Answers__c as stored, serialised once here for the length check.
    answersJson,
    response: {
      responseId,
      email,
      touchpointRef,
      channel,
      occurredAt,
      nps,
      csat,
      ces,
      expectation: totals.e,
      perception: totals.p,
      selfRating: selfRaw === null ? null : round2(normaliseScore(selfRaw, sr.min, sr.max)),
      answers,
      comment,
      language,
      accountRef,
      caseRef: refs.caseNumber ?? null,
      opportunityRef: refs.opportunityId ?? null,
      orderRef: refs.orderNumber ?? null,
      recordRef: refs.recordId ?? null
    }
  };
}

/** Content hash of a normalised response: equal hashes = the same answers (a re-import changes nothing). */
export function contentHash(r: NormalisedResponse): string {
  const json = JSON.stringify(r);
  // The one-shot hash (Node 20.12+) allocates no Hash object per row; same digest.
  return typeof crypto.hash === 'function'
    ? crypto.hash('sha1', json, 'hex')
    : crypto.createHash('sha1').update(json).digest('hex');
}
