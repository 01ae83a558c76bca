/**
 * cxView: what the Outside-In components share besides the scoring module:
 * reading GraphQL results, turning perception records into scoring
 * responses, merging account snapshots with rep captures (exact at every
 * moment), and writing numbers as words. Every number it shows comes from
 * c/experienceScoring; this module only formats and assembles.
 */
import LOCALE from '@salesforce/i18n/locale';
import LOW_SAMPLE_N from '@salesforce/label/c.CX_Low_Sample_N';
import NO_RESPONSES from '@salesforce/label/c.CX_No_Responses';
import GAP_BELOW from '@salesforce/label/c.CX_Gap_Below_Expectation';
import GAP_ABOVE from '@salesforce/label/c.CX_Gap_Above_Expectation';
import GAP_MEETS from '@salesforce/label/c.CX_Gap_Meets_Expectation';
import INTERVAL from '@salesforce/label/c.CX_Interval';
import SAMPLE_N from '@salesforce/label/c.CX_Sample_N';
import TANGIBLES from '@salesforce/label/c.CX_Dimension_Tangibles';
import RELIABILITY from '@salesforce/label/c.CX_Dimension_Reliability';
import RESPONSIVENESS from '@salesforce/label/c.CX_Dimension_Responsiveness';
import ASSURANCE from '@salesforce/label/c.CX_Dimension_Assurance';
import EMPATHY from '@salesforce/label/c.CX_Dimension_Empathy';
import {
  createStatistics,
  mergeInto,
  accumulate,
  cloneStatistics,
  mergeGroups,
  parseAnswers,
  parseStatistics,
  periodOf,
  previousPeriod,
  periodBounds
} from 'c/experienceScoring';

const MINUS = '\u2212';

// ------------------------------------------------------------ text

/**
 * Fills {0}, {1}... in a label.
 * @param {string} label
 * @param {...unknown} args
 * @returns {string}
 */
export function formatLabel(label, ...args) {
  return String(label).replace(/\{(\d+)\}/g, (match, i) => {
    const value = args[Number(i)];
    return value === undefined ? match : String(value);
  });
}

function locale() {
  return typeof LOCALE === 'string' && LOCALE.includes('-') ? LOCALE : 'en-US';
}

/**
 * A number in the user's locale with a real minus sign.
 * @param {number} value
 * @param {{digits?: number, signed?: boolean}} [options]
 * @returns {string}
 */
export function formatNumber(value, options = {}) {
  const digits = options.digits ?? 1;
  const text = new Intl.NumberFormat(locale(), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits
  }).format(Math.abs(value));
  const zero = Number(Math.abs(value).toFixed(digits)) === 0;
  if (value < 0 && !zero) return MINUS + text;
  if (options.signed && value > 0 && !zero) return '+' + text;
  return text;
}

const DIMENSION_LABELS = {
  Tangibles: TANGIBLES,
  Reliability: RELIABILITY,
  Responsiveness: RESPONSIVENESS,
  Assurance: ASSURANCE,
  Empathy: EMPATHY
};

/**
 * The translated name of a dimension; dimensions admins added show their
 * DeveloperName with spaces.
 * @param {string} developerName
 * @returns {string}
 */
export function dimensionLabel(developerName) {
  if (!developerName) return '';
  return DIMENSION_LABELS[developerName] || developerName.replace(/_/g, ' ');
}

/**
 * A date or date-time in the user's locale ('' when blank).
 * @param {string | null} value
 * @returns {string}
 */
export function formatDate(value) {
  if (!value) return '';
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return String(value);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  return new Intl.DateTimeFormat(locale(), {
    dateStyle: 'medium',
    ...(dateOnly ? { timeZone: 'UTC' } : {})
  }).format(ms);
}

/** "low sample, n = 3" */
export function lowSampleText(n) {
  return formatLabel(LOW_SAMPLE_N, n);
}

/** "n = 12" */
export function sampleText(n) {
  return formatLabel(SAMPLE_N, n);
}

/**
 * An estimate as words: its value, or "low sample, n = 3", never a bare
 * number below the minimum sample.
 * @param {import('c/experienceScoring').Estimate | null | undefined} est
 * @param {{digits?: number, signed?: boolean}} [options]
 * @returns {string}
 */
export function estimateText(est, options) {
  if (!est || est.n === 0) return NO_RESPONSES;
  if (est.lowSample || est.value === null) return lowSampleText(est.n);
  return formatNumber(est.value, options);
}

/** "95% interval 61.2 to 78.4", or '' when there is none. */
export function intervalText(est, confidence, options) {
  if (!est || est.lowSample || est.lower === null || est.upper === null) return '';
  return formatLabel(
    INTERVAL,
    Math.round(confidence * 100),
    formatNumber(est.lower, options),
    formatNumber(est.upper, options)
  );
}

/**
 * A gap in words: "−1.4 below expectation", "+2.0 above expectation".
 * @param {number | null} value
 * @returns {string}
 */
export function gapText(value) {
  if (value === null || value === undefined) return '';
  const shown = formatNumber(value, { signed: true });
  if (Number(Math.abs(value).toFixed(1)) === 0) return GAP_MEETS;
  return formatLabel(value < 0 ? GAP_BELOW : GAP_ABOVE, shown);
}

/** A gap estimate in words, low sample spelled out. */
export function gapEstimateText(est) {
  if (!est || est.n === 0) return NO_RESPONSES;
  if (est.lowSample || est.value === null) return lowSampleText(est.n);
  return gapText(est.value);
}

/**
 * The colour band of a gap (the text always says the number as well).
 * @param {number | null} value
 * @returns {string} a CSS class
 */
export function gapTone(value) {
  if (value === null || value === undefined) return 'cx-tone cx-tone_none';
  if (value <= -10) return 'cx-tone cx-tone_bad';
  if (value < -2) return 'cx-tone cx-tone_warn';
  if (value <= 2) return 'cx-tone cx-tone_even';
  return 'cx-tone cx-tone_good';
}

// ------------------------------------------------------------ GraphQL results

/**
 * The nodes of one object's connection in a uiapi query result.
 * @param {any} data the wire value's data
 * @param {string} objectApiName
 * @returns {any[]}
 */
export function nodesOf(data, objectApiName) {
  const edges = data?.uiapi?.query?.[objectApiName]?.edges;
  return Array.isArray(edges) ? edges.map((e) => e.node).filter(Boolean) : [];
}

/** Whether a connection has more rows than were asked for. */
export function hasMore(data, objectApiName) {
  return Boolean(data?.uiapi?.query?.[objectApiName]?.pageInfo?.hasNextPage);
}

/** Child relationship nodes of a node. */
export function childNodes(node, relationship) {
  const edges = node?.[relationship]?.edges;
  return Array.isArray(edges) ? edges.map((e) => e.node).filter(Boolean) : [];
}

/**
 * A field value of a node, following parent relationships with dots
 * ("Touchpoint__r.Key__c"); null when absent.
 * @param {any} node
 * @param {string} path
 * @returns {any}
 */
export function fieldValue(node, path) {
  const parts = path.split('.');
  let current = node;
  for (let i = 0; i < parts.length - 1; i++) {
    current = current?.[parts[i]];
    if (current === null || current === undefined) return null;
  }
  const field = current?.[parts[parts.length - 1]];
  if (field === null || field === undefined) return null;
  return typeof field === 'object' && 'value' in field ? (field.value ?? null) : field;
}

/**
 * A CX_Perception__c node as the scoring module reads it. Unreadable
 * answers JSON falls back to the headline expectation and perception.
 * @param {any} node
 * @returns {import('c/experienceScoring').ScoringResponse}
 */
export function perceptionResponse(node) {
  const parsed = parseAnswers(fieldValue(node, 'Answers__c'));
  return {
    touchpointKey: fieldValue(node, 'Touchpoint__r.Key__c'),
    channel: fieldValue(node, 'Channel__c'),
    occurredAt: fieldValue(node, 'Occurred_At__c'),
    nps: fieldValue(node, 'NPS__c'),
    csat: fieldValue(node, 'CSAT__c'),
    ces: fieldValue(node, 'CES__c'),
    answers: parsed.ok ? parsed.answers : [],
    selfRating: fieldValue(node, 'Self_Rating__c'),
    perception: fieldValue(node, 'Perception__c'),
    expectation: fieldValue(node, 'Expectation__c')
  };
}

/**
 * Touchpoint directory (by key) for the scoring module, from touchpoint nodes.
 * @param {any[]} nodes CX_Touchpoint__c nodes
 * @returns {Map<string, import('c/experienceScoring').TouchpointInfo & {id: string, stage: string | null, owner: string | null}>}
 */
export function touchpointDirectory(nodes) {
  const out = new Map();
  for (const node of nodes) {
    const key = fieldValue(node, 'Key__c');
    if (!key) continue;
    out.set(key, {
      id: node.Id,
      name: fieldValue(node, 'Name'),
      stage: fieldValue(node, 'Stage__c'),
      owner: fieldValue(node, 'Process_Owner__r.Name'),
      promise: fieldValue(node, 'Brand_Promise__c'),
      believedExpectation: fieldValue(node, 'Believed_Expectation__c'),
      importance: fieldValue(node, 'Importance_Weight__c')
    });
  }
  return out;
}

// ------------------------------------------------------------ periods

/** Months in the period a page shows, by design attribute value. */
export const PERIOD_MONTHS = Object.freeze({ month: 1, quarter: 3, year: 12 });

/**
 * The months a page shows and the months before them (for the trend).
 * @param {number | Date | string} now
 * @param {number} months
 * @param {string} timeZone
 * @returns {{current: string[], previous: string[], from: string, fromInstant: string}}
 */
export function periodWindow(now, months, timeZone) {
  const current = [periodOf(now, timeZone)];
  while (current.length < months) current.push(previousPeriod(current[current.length - 1]));
  const previous = [previousPeriod(current[current.length - 1])];
  while (previous.length < months) previous.push(previousPeriod(previous[previous.length - 1]));
  const from = previous[previous.length - 1];
  return {
    current,
    previous,
    from,
    fromInstant: new Date(periodBounds(from, timeZone).start).toISOString()
  };
}

// ------------------------------------------------------------ exact at every moment

/**
 * Statistics per period: the stored snapshots, plus every rep capture that
 * its period's snapshot does not include yet (CreatedDate after the
 * snapshot's Includes_Through__c, or no snapshot at all). A capture is
 * counted once: in a snapshot or here, never both.
 * @param {{period: string, statistics: import('c/experienceScoring').ScopeStatistics, includesThrough: string | null}[]} snapshots
 * @param {{createdDate: string, response: import('c/experienceScoring').ScoringResponse}[]} captures
 * @param {string} timeZone
 * @param {import('c/experienceScoring').ScopeKind} [scope]
 * @returns {{byPeriod: Map<string, import('c/experienceScoring').ScopeStatistics>, merged: number, skipped: number}}
 */
export function statisticsByPeriod(snapshots, captures, timeZone, scope = 'account') {
  const byPeriod = new Map();
  const cutoff = new Map();
  for (const s of snapshots) {
    byPeriod.set(s.period, cloneStatistics(s.statistics));
    cutoff.set(s.period, s.includesThrough ? Date.parse(s.includesThrough) : null);
  }
  let merged = 0;
  let skipped = 0;
  for (const c of captures) {
    const occurred = c.response.occurredAt;
    if (!occurred) continue;
    const period = periodOf(occurred, timeZone);
    const through = cutoff.get(period);
    if (through !== undefined && through !== null && Date.parse(c.createdDate) <= through) {
      skipped++;
      continue;
    }
    let stats = byPeriod.get(period);
    if (!stats) {
      stats = createStatistics(scope);
      byPeriod.set(period, stats);
    }
    try {
      accumulate(stats, c.response);
      merged++;
    } catch {
      skipped++;
    }
  }
  return { byPeriod, merged, skipped };
}

/**
 * The statistics of several periods together.
 * @param {Map<string, import('c/experienceScoring').ScopeStatistics>} byPeriod
 * @param {string[]} periods
 * @param {import('c/experienceScoring').ScopeKind} scope
 */
export function mergePeriods(byPeriod, periods, scope) {
  const out = createStatistics(scope);
  for (const p of periods) {
    const s = byPeriod.get(p);
    if (s) mergeInto(out, s);
  }
  return out;
}

const EPOCH = '1970-01-01T00:00:00.000Z';

/**
 * The stored account snapshots of the given months, parsed.
 * @param {any[]} nodes CX_Account_Score__c nodes
 * @param {string[]} periods
 */
export function snapshotEntries(nodes, periods) {
  const wanted = new Set(periods);
  return nodes
    .filter((n) => wanted.has(fieldValue(n, 'Period__c')))
    .map((n) => ({
      period: fieldValue(n, 'Period__c'),
      statistics: parseStatistics(fieldValue(n, 'Statistics__c'), 'account'),
      includesThrough: fieldValue(n, 'Includes_Through__c')
    }));
}

/**
 * The CreatedDate after which rep captures may be missing from the
 * snapshots of the given months: the earliest cut-off among them, or the
 * epoch when a month has no snapshot or no cut-off.
 * @param {any[]} nodes CX_Account_Score__c nodes
 * @param {string[]} periods
 * @returns {string}
 */
export function captureCutoff(nodes, periods) {
  const byPeriod = new Map(
    nodes.map((n) => [fieldValue(n, 'Period__c'), fieldValue(n, 'Includes_Through__c')])
  );
  let earliest = null;
  for (const p of periods) {
    const through = byPeriod.get(p);
    if (!through) return EPOCH;
    if (earliest === null || Date.parse(through) < Date.parse(earliest)) earliest = through;
  }
  return earliest || EPOCH;
}

/**
 * An account's statistics for a window and the window before it: the
 * snapshots plus the rep captures they do not include yet.
 * @param {any[]} snapshotNodes CX_Account_Score__c nodes
 * @param {any[]} captureNodes CX_Perception__c nodes (rep captures)
 * @param {{current: string[], previous: string[]}} window
 * @param {string} timeZone
 */
export function accountStatistics(snapshotNodes, captureNodes, window, timeZone) {
  const { byPeriod } = statisticsByPeriod(
    snapshotEntries(snapshotNodes, [...window.current, ...window.previous]),
    captureNodes.map((n) => ({
      createdDate: fieldValue(n, 'CreatedDate'),
      response: perceptionResponse(n)
    })),
    timeZone
  );
  return {
    current: mergePeriods(byPeriod, window.current, 'account'),
    previous: mergePeriods(byPeriod, window.previous, 'account')
  };
}

/**
 * Touchpoint-scope snapshots (CX_Score__c) of the given months merged per
 * touchpoint Id: the whole statistics and the overall group.
 * @param {any[]} scoreNodes CX_Score__c nodes with Touchpoint__c, Period__c, Statistics__c
 * @param {string[]} periods
 * @returns {Map<string, {statistics: import('c/experienceScoring').ScopeStatistics, group: import('c/experienceScoring').GroupStats}>}
 */
export function touchpointStatistics(scoreNodes, periods) {
  const wanted = new Set(periods);
  const parts = new Map();
  for (const n of scoreNodes) {
    const id = fieldValue(n, 'Touchpoint__c');
    if (!id || !wanted.has(fieldValue(n, 'Period__c'))) continue;
    const stats = parseStatistics(fieldValue(n, 'Statistics__c'), 'touchpoint');
    if (!parts.has(id)) parts.set(id, []);
    parts.get(id).push(stats);
  }
  const out = new Map();
  for (const [id, list] of parts) {
    const statistics = createStatistics(list[0].scope);
    for (const s of list) mergeInto(statistics, s);
    out.set(id, { statistics, group: mergeGroups(list.map((s) => s.overall)) });
  }
  return out;
}

/** A random id for Response_Id__c of a rep capture (UUID v4 layout). */
export function randomId() {
  const bytes = new Uint8Array(16);
  const c = typeof crypto !== 'undefined' ? crypto : undefined;
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
