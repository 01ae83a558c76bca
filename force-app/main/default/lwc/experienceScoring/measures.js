// @ts-check
/**
 * Scores from statistics: every number Outside-In shows. Each result carries
 * n and an interval, is low-sample (value null) below the minimum n, and is
 * never NaN or Infinity.
 */

import { correlation, createGroup, mergeGroupInto, variance } from './statistics';
import { normalQuantile, normalTwoSidedP, tQuantile, tTwoSidedP } from './distributions';

/** @typedef {import('./types').Moments} Moments */
/** @typedef {import('./types').GroupStats} GroupStats */
/** @typedef {import('./types').ScopeStatistics} ScopeStatistics */
/** @typedef {import('./types').ScoringSettings} ScoringSettings */
/** @typedef {import('./types').Estimate} Estimate */
/** @typedef {import('./types').Trend} Trend */
/** @typedef {import('./types').TouchpointInfo} TouchpointInfo */

/**
 * Touchpoint records by key, as a plain object or a Map.
 * @typedef {Record<string, TouchpointInfo> | Map<string, TouchpointInfo>} TouchpointDirectory
 */

/**
 * @param {TouchpointDirectory | undefined} directory
 * @param {string} key
 * @returns {TouchpointInfo | undefined}
 */
function touchpointInfo(directory, key) {
  if (!directory) return undefined;
  if (directory instanceof Map) return directory.get(key);
  return Object.prototype.hasOwnProperty.call(directory, key) ? directory[key] : undefined;
}

/**
 * @param {number} n
 * @returns {Estimate}
 */
function lowSample(n) {
  return { n, value: null, lower: null, upper: null, se: null, lowSample: true };
}

/**
 * @param {number} x
 * @param {[number, number] | undefined} bounds
 * @returns {number}
 */
function clamp(x, bounds) {
  return bounds ? Math.min(bounds[1], Math.max(bounds[0], x)) : x;
}

/**
 * Two-sided critical value of Student's t for the confidence level.
 * @param {number} confidence
 * @param {number} df
 * @returns {number}
 */
export function tCritical(confidence, df) {
  return tQuantile(1 - (1 - confidence) / 2, df);
}

/**
 * Two-sided critical value of the normal distribution.
 * @param {number} confidence
 * @returns {number}
 */
export function zCritical(confidence) {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * A mean with its Student-t interval.
 * @param {Moments} m
 * @param {ScoringSettings} settings
 * @param {[number, number]} [bounds] clamp the interval to the scale
 * @returns {Estimate}
 */
export function meanEstimate(m, settings, bounds) {
  if (m.n < settings.minimumSample || m.n === 0) return lowSample(m.n);
  const v = variance(m);
  if (v === null)
    return { n: m.n, value: m.mean, lower: null, upper: null, se: null, lowSample: false };
  const se = Math.sqrt(v / m.n);
  const half = tCritical(settings.confidence, m.n - 1) * se;
  return {
    n: m.n,
    value: m.mean,
    lower: clamp(m.mean - half, bounds),
    upper: clamp(m.mean + half, bounds),
    se,
    lowSample: false
  };
}

/**
 * NPS with promoter, passive and detractor shares (percent).
 * @typedef {Estimate & {promoters: number, passives: number, detractors: number}} NpsEstimate
 */

/**
 * Net Promoter Score in points (-100..100) with SE = sqrt((p + d - (p - d)^2) / n)
 * (p, d the promoter and detractor proportions) and a normal interval.
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {NpsEstimate}
 */
export function npsEstimate(g, settings) {
  const n = g.npsPromoters + g.npsPassives + g.npsDetractors;
  const shares = {
    promoters: n > 0 ? (100 * g.npsPromoters) / n : 0,
    passives: n > 0 ? (100 * g.npsPassives) / n : 0,
    detractors: n > 0 ? (100 * g.npsDetractors) / n : 0
  };
  if (n < settings.minimumSample || n === 0) return { ...lowSample(n), ...shares };
  const p = g.npsPromoters / n;
  const d = g.npsDetractors / n;
  const value = 100 * (p - d);
  const se = 100 * Math.sqrt(Math.max(0, p + d - (p - d) * (p - d)) / n);
  const half = zCritical(settings.confidence) * se;
  return {
    n,
    value,
    lower: Math.max(-100, value - half),
    upper: Math.min(100, value + half),
    se,
    lowSample: false,
    ...shares
  };
}

/**
 * CSAT: percent of answers in the top two boxes (4-5 of 1-5), with a Wilson
 * score interval (it stays inside 0-100 and behaves at 0% and 100%).
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
export function csatEstimate(g, settings) {
  const n = g.csatN;
  if (n < settings.minimumSample || n === 0) return lowSample(n);
  const phat = Math.min(1, g.csatTop / n);
  const z = zCritical(settings.confidence);
  const z2n = (z * z) / n;
  const centre = (phat + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((phat * (1 - phat)) / n + z2n / (4 * n));
  return {
    n,
    value: 100 * phat,
    lower: Math.max(0, 100 * (centre - half)),
    upper: Math.min(100, 100 * (centre + half)),
    se: 100 * Math.sqrt((phat * (1 - phat)) / n),
    lowSample: false
  };
}

/**
 * CES: mean on its 1-7 scale.
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
export function cesEstimate(g, settings) {
  return meanEstimate(g.ces, settings, [1, 7]);
}

/**
 * Experience index: mean normalised perception, 0-100.
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
export function experienceIndex(g, settings) {
  return meanEstimate(g.p, settings, [0, 100]);
}

/**
 * Delivery gap: the company's self-rating minus the customer's perception of
 * the same interaction (positive = we think we did better than the customer does).
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
export function deliveryGap(g, settings) {
  return meanEstimate(g.del, settings, [-100, 100]);
}

/**
 * @typedef {object} DimensionScore
 * @property {string} dimension
 * @property {number} weight stated weight from the settings (0 when the dimension has none)
 * @property {Estimate} expectation 0-100
 * @property {Estimate} perception 0-100
 * @property {Estimate} gap P - E, -100..100
 */

/**
 * Scores per dimension, heaviest weight first.
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {DimensionScore[]}
 */
export function dimensionScores(g, settings) {
  /** @type {DimensionScore[]} */
  const out = [];
  for (const [dimension, d] of g.dims) {
    out.push({
      dimension,
      weight: settings.weights[dimension] ?? 0,
      expectation: meanEstimate(d.e, settings, [0, 100]),
      perception: meanEstimate(d.p, settings, [0, 100]),
      gap: meanEstimate(d.g, settings, [-100, 100])
    });
  }
  out.sort(
    (a, b) =>
      b.weight - a.weight || (a.dimension < b.dimension ? -1 : a.dimension > b.dimension ? 1 : 0)
  );
  return out;
}

/**
 * Customer gap (P - E) weighted by dimension importance, the weights
 * renormalised over the dimensions present with at least the minimum n. Its
 * standard error combines the dimensions' as if independent. When no weighted
 * dimension is present the response-level gap stands in (files without
 * dimensions still get a gap).
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
export function weightedGap(g, settings) {
  let total = 0;
  let sum = 0;
  let n = 0;
  let minN = Infinity;
  for (const [name, d] of g.dims) {
    const w = settings.weights[name] ?? 0;
    if (w <= 0 || d.g.n < settings.minimumSample) continue;
    total += w;
    sum += w * d.g.mean;
    n = Math.max(n, d.g.n);
    minN = Math.min(minN, d.g.n);
  }
  if (total <= 0) return meanEstimate(g.g, settings, [-100, 100]);
  const value = sum / total;
  let varSum = 0;
  let spread = true;
  for (const [name, d] of g.dims) {
    const w = settings.weights[name] ?? 0;
    if (w <= 0 || d.g.n < settings.minimumSample) continue;
    const v = variance(d.g);
    if (v === null) spread = false;
    else varSum += ((w / total) * (w / total) * v) / d.g.n;
  }
  if (!spread || minN < 2)
    return { n, value, lower: null, upper: null, se: null, lowSample: false };
  const se = Math.sqrt(varSum);
  const half = tCritical(settings.confidence, minN - 1) * se;
  return {
    n,
    value,
    lower: Math.max(-100, value - half),
    upper: Math.min(100, value + half),
    se,
    lowSample: false
  };
}

/**
 * Combines per-touchpoint differences (mean - reference) into one estimate,
 * weighting each touchpoint by its n.
 * @param {{m: Moments, reference: number}[]} parts
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
function pooledDifference(parts, settings) {
  let n = 0;
  let sum = 0;
  for (const { m, reference } of parts) {
    n += m.n;
    sum += m.n * (m.mean - reference);
  }
  if (n < settings.minimumSample || n === 0) return lowSample(n);
  const value = sum / n;
  let varSum = 0;
  for (const { m } of parts) {
    const v = variance(m);
    if (v === null) return { n, value, lower: null, upper: null, se: null, lowSample: false };
    varSum += ((m.n / n) * (m.n / n) * v) / m.n;
  }
  const se = Math.sqrt(varSum);
  const half = tCritical(settings.confidence, n - 1) * se;
  return {
    n,
    value,
    lower: Math.max(-100, value - half),
    upper: Math.min(100, value + half),
    se,
    lowSample: false
  };
}

/**
 * Promise gap: mean perception minus the touchpoint's brand promise (0-100),
 * pooled over the scope's touchpoints that have a promise.
 * @param {ScopeStatistics} stats
 * @param {TouchpointDirectory | undefined} touchpoints
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
export function promiseGap(stats, touchpoints, settings) {
  /** @type {{m: Moments, reference: number}[]} */
  const parts = [];
  for (const [key, g] of stats.touchpoints) {
    const promise = touchpointInfo(touchpoints, key)?.promise;
    if (typeof promise === 'number' && Number.isFinite(promise) && g.p.n > 0)
      parts.push({ m: g.p, reference: promise });
  }
  return pooledDifference(parts, settings);
}

/**
 * Knowledge gap: what the company believes customers expect at a touchpoint
 * minus what they say they expect (mean E), pooled over touchpoints.
 * @param {ScopeStatistics} stats
 * @param {TouchpointDirectory | undefined} touchpoints
 * @param {ScoringSettings} settings
 * @returns {Estimate}
 */
export function knowledgeGap(stats, touchpoints, settings) {
  /** @type {{m: Moments, reference: number}[]} */
  const parts = [];
  for (const [key, g] of stats.touchpoints) {
    const believed = touchpointInfo(touchpoints, key)?.believedExpectation;
    if (typeof believed === 'number' && Number.isFinite(believed) && g.e.n > 0)
      parts.push({ m: g.e, reference: believed });
  }
  const est = pooledDifference(parts, settings);
  // pooledDifference gives mean E - believed; the knowledge gap is believed - mean E.
  if (est.value === null) return est;
  return {
    ...est,
    value: -est.value,
    lower: est.upper === null ? null : -est.upper,
    upper: est.lower === null ? null : -est.lower
  };
}

/**
 * @typedef {object} ChannelConsistency
 * @property {{channel: string, n: number, mean: number | null, lowSample: boolean}[]} channels mean perception per channel, 0-100
 * @property {number | null} range max - min of the channel means (channels with at least the minimum n)
 * @property {number | null} sd standard deviation of those channel means (population form: the channels are all there are)
 * @property {boolean} lowSample fewer than two channels reach the minimum n
 */

/**
 * Channel consistency of one touchpoint: the spread of its mean perception
 * over the channels it is delivered in.
 * @param {ScopeStatistics} stats
 * @param {string} touchpointKey
 * @param {ScoringSettings} settings
 * @returns {ChannelConsistency}
 */
export function channelConsistency(stats, touchpointKey, settings) {
  const byChannel = stats.cells.get(touchpointKey);
  /** @type {ChannelConsistency['channels']} */
  const channels = [];
  /** @type {number[]} */
  const means = [];
  if (byChannel) {
    for (const [channel, cell] of byChannel) {
      const ok = cell.p.n >= settings.minimumSample && cell.p.n > 0;
      channels.push({ channel, n: cell.p.n, mean: ok ? cell.p.mean : null, lowSample: !ok });
      if (ok) means.push(cell.p.mean);
    }
  }
  channels.sort((a, b) => (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0));
  if (means.length < 2) return { channels, range: null, sd: null, lowSample: true };
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  for (const m of means) {
    min = Math.min(min, m);
    max = Math.max(max, m);
    mean += m / means.length;
  }
  let ss = 0;
  for (const m of means) ss += (m - mean) * (m - mean);
  return { channels, range: max - min, sd: Math.sqrt(ss / means.length), lowSample: false };
}

/**
 * @typedef {object} WelchResult
 * @property {number | null} t null when both samples have no spread
 * @property {number | null} df
 * @property {number} pValue two-sided
 * @property {number} difference mean(a) - mean(b)
 */

/**
 * Welch's unequal-variances t test of mean(a) - mean(b). Null when either
 * side has fewer than two values.
 * @param {Moments} a
 * @param {Moments} b
 * @returns {WelchResult | null}
 */
export function welchTest(a, b) {
  const va = variance(a);
  const vb = variance(b);
  if (va === null || vb === null) return null;
  const difference = a.mean - b.mean;
  const qa = va / a.n;
  const qb = vb / b.n;
  const se2 = qa + qb;
  if (!(se2 > 0)) return { t: null, df: null, pValue: difference === 0 ? 1 : 0, difference };
  const t = difference / Math.sqrt(se2);
  const df = (se2 * se2) / ((qa * qa) / (a.n - 1) + (qb * qb) / (b.n - 1));
  return { t, df, pValue: tTwoSidedP(t, df), difference };
}

/**
 * @param {number | null} change
 * @param {number | null} statistic
 * @param {number | null} df
 * @param {number | null} pValue
 * @param {ScoringSettings} settings
 * @returns {Trend}
 */
function trendResult(change, statistic, df, pValue, settings) {
  const significant = pValue !== null && change !== null && pValue < 1 - settings.confidence;
  return {
    change,
    statistic,
    df,
    pValue,
    significant,
    direction: significant && change !== null && change !== 0 ? (change > 0 ? 'up' : 'down') : null
  };
}

/** @type {Trend} */
const NO_TREND = Object.freeze({
  change: null,
  statistic: null,
  df: null,
  pValue: null,
  significant: false,
  direction: null
});

/**
 * Trend of a mean against the previous period (Welch's t); flagged only when
 * significant at the settings' confidence. Both periods need the minimum n.
 * @param {Moments} current
 * @param {Moments} previous
 * @param {ScoringSettings} settings
 * @returns {Trend}
 */
export function meanTrend(current, previous, settings) {
  if (current.n < settings.minimumSample || previous.n < settings.minimumSample)
    return { ...NO_TREND };
  const w = welchTest(current, previous);
  if (!w) return { ...NO_TREND };
  return trendResult(w.difference, w.t, w.df, w.pValue, settings);
}

/**
 * Trend of NPS against the previous period: the difference of two
 * independent NPS values over the root of the sum of their squared SEs (z).
 * @param {GroupStats} current
 * @param {GroupStats} previous
 * @param {ScoringSettings} settings
 * @returns {Trend}
 */
export function npsTrend(current, previous, settings) {
  const a = npsEstimate(current, settings);
  const b = npsEstimate(previous, settings);
  if (a.value === null || b.value === null || a.se === null || b.se === null)
    return { ...NO_TREND };
  const change = a.value - b.value;
  const se = Math.sqrt(a.se * a.se + b.se * b.se);
  if (!(se > 0)) return trendResult(change, null, null, change === 0 ? 1 : 0, settings);
  const z = change / se;
  return trendResult(change, z, null, normalTwoSidedP(z), settings);
}

/**
 * Trend of the weighted customer gap against the previous period: the
 * difference of the two weighted gaps over the root of the sum of their
 * squared standard errors, against the normal distribution (the weighted gap
 * is a combination of dimension means, so no single t applies).
 * @param {GroupStats} current
 * @param {GroupStats} previous
 * @param {ScoringSettings} settings
 * @returns {Trend}
 */
export function weightedGapTrend(current, previous, settings) {
  const a = weightedGap(current, settings);
  const b = weightedGap(previous, settings);
  if (a.value === null || b.value === null || a.se === null || b.se === null)
    return { ...NO_TREND };
  const change = a.value - b.value;
  const se = Math.sqrt(a.se * a.se + b.se * b.se);
  if (!(se > 0)) return trendResult(change, null, null, change === 0 ? 1 : 0, settings);
  const z = change / se;
  return trendResult(change, z, null, normalTwoSidedP(z), settings);
}

/**
 * Trend of CSAT against the previous period: the two-proportion z test
 * (pooled proportion), change in percentage points.
 * @param {GroupStats} current
 * @param {GroupStats} previous
 * @param {ScoringSettings} settings
 * @returns {Trend}
 */
export function csatTrend(current, previous, settings) {
  const n1 = current.csatN;
  const n2 = previous.csatN;
  if (n1 < settings.minimumSample || n2 < settings.minimumSample || n1 === 0 || n2 === 0) {
    return { ...NO_TREND };
  }
  const p1 = current.csatTop / n1;
  const p2 = previous.csatTop / n2;
  const pooled = (current.csatTop + previous.csatTop) / (n1 + n2);
  const change = 100 * (p1 - p2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  if (!(se > 0)) return trendResult(change, null, null, change === 0 ? 1 : 0, settings);
  const z = (p1 - p2) / se;
  return trendResult(change, z, null, normalTwoSidedP(z), settings);
}

/**
 * Derived importance of a touchpoint: the correlation of its perception with
 * likelihood to recommend, null below the minimum n or without spread.
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {number | null}
 */
export function derivedImportance(g, settings) {
  if (g.lr.n < Math.max(3, settings.minimumSample)) return null;
  return correlation(g.lr);
}

/**
 * @typedef {'concentrate_here' | 'keep_up_the_good_work' | 'low_priority' | 'possible_overkill'} Quadrant
 */

/**
 * @typedef {object} PriorityEntry
 * @property {string} key touchpoint key, dimension or item key
 * @property {number} n
 * @property {number | null} importance stated weight or derived correlation
 * @property {number | null} performance mean perception 0-100
 * @property {number | null} gap P - E
 */

/**
 * @typedef {PriorityEntry & {quadrant: Quadrant | null}} QuadrantEntry
 */

/**
 * Importance-performance analysis (Martilla & James 1977): entries split at
 * the mean importance and mean performance of the entries that have both.
 * High importance with low performance is "concentrate here", high with high
 * "keep up the good work", low with low "low priority", low with high
 * "possible overkill".
 * @param {PriorityEntry[]} entries
 * @returns {{importanceCut: number | null, performanceCut: number | null, entries: QuadrantEntry[]}}
 */
export function importancePerformance(entries) {
  const rated = entries.filter((e) => e.importance !== null && e.performance !== null);
  if (rated.length === 0) {
    return {
      importanceCut: null,
      performanceCut: null,
      entries: entries.map((e) => ({ ...e, quadrant: null }))
    };
  }
  let importanceCut = 0;
  let performanceCut = 0;
  for (const e of rated) {
    importanceCut += /** @type {number} */ (e.importance) / rated.length;
    performanceCut += /** @type {number} */ (e.performance) / rated.length;
  }
  return {
    importanceCut,
    performanceCut,
    entries: entries.map((e) => {
      if (e.importance === null || e.performance === null) return { ...e, quadrant: null };
      const important = e.importance >= importanceCut;
      const performing = e.performance >= performanceCut;
      /** @type {Quadrant} */
      const quadrant = important
        ? performing
          ? 'keep_up_the_good_work'
          : 'concentrate_here'
        : performing
          ? 'possible_overkill'
          : 'low_priority';
      return { ...e, quadrant };
    })
  };
}

/**
 * @typedef {PriorityEntry & {score: number, rank: number}} RankedGap
 */

/**
 * Negative gaps ranked by importance x size of the gap (largest first);
 * entries without importance or gap, or with a gap >= 0, are left out.
 * Negative derived importance counts as none.
 * @param {PriorityEntry[]} entries
 * @returns {RankedGap[]}
 */
export function rankGaps(entries) {
  /** @type {RankedGap[]} */
  const out = [];
  for (const e of entries) {
    if (e.gap === null || e.importance === null || !(e.gap < 0)) continue;
    out.push({ ...e, score: Math.max(0, e.importance) * -e.gap, rank: 0 });
  }
  out.sort(
    (a, b) =>
      b.score - a.score ||
      /** @type {number} */ (a.gap) - /** @type {number} */ (b.gap) ||
      (a.key < b.key ? -1 : 1)
  );
  out.forEach((e, i) => {
    e.rank = i + 1;
  });
  return out;
}

/**
 * Priority entries from statistics: per touchpoint (stated importance from
 * the touchpoint record or derived from the correlation with likelihood to
 * recommend), per dimension (stated weights), or per item (its dimension's
 * weight). Entries below the minimum n have null performance and gap.
 * @param {ScopeStatistics} stats
 * @param {ScoringSettings} settings
 * @param {{by: 'touchpoint' | 'dimension' | 'item', importance?: 'stated' | 'derived', touchpoints?: TouchpointDirectory}} options
 * @returns {PriorityEntry[]}
 */
export function priorityEntries(stats, settings, options) {
  const min = settings.minimumSample;
  /**
   * @param {Moments} m
   * @returns {number | null}
   */
  const meanOf = (m) => (m.n >= min && m.n > 0 ? m.mean : null);
  /** @type {PriorityEntry[]} */
  const out = [];
  if (options.by === 'touchpoint') {
    for (const [key, g] of stats.touchpoints) {
      let importance = null;
      if (options.importance === 'derived') importance = derivedImportance(g, settings);
      else {
        const stated = touchpointInfo(options.touchpoints, key)?.importance;
        importance = typeof stated === 'number' && Number.isFinite(stated) ? stated : 1;
      }
      const gap = weightedGap(g, settings);
      out.push({ key, n: g.n, importance, performance: meanOf(g.p), gap: gap.value });
    }
  } else if (options.by === 'dimension') {
    for (const [key, d] of stats.overall.dims) {
      out.push({
        key,
        n: d.p.n,
        importance: settings.weights[key] ?? null,
        performance: meanOf(d.p),
        gap: meanOf(d.g)
      });
    }
  } else {
    for (const [key, item] of stats.items) {
      const importance = item.d === null ? null : (settings.weights[item.d] ?? null);
      out.push({ key, n: item.p.n, importance, performance: meanOf(item.p), gap: meanOf(item.g) });
    }
  }
  out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return out;
}

/**
 * @typedef {object} GroupScores
 * @property {number} n responses
 * @property {Estimate} experienceIndex mean perception 0-100
 * @property {Estimate} expectation mean expectation 0-100
 * @property {Estimate} gap response-level P - E
 * @property {Estimate} weightedGap dimension-weighted P - E
 * @property {NpsEstimate} nps
 * @property {Estimate} csat percent
 * @property {Estimate} ces 1-7
 * @property {Estimate} deliveryGap self-rating - perception
 * @property {DimensionScore[]} dimensions
 */

/**
 * Every measure of one group.
 * @param {GroupStats} g
 * @param {ScoringSettings} settings
 * @returns {GroupScores}
 */
export function groupScores(g, settings) {
  return {
    n: g.n,
    experienceIndex: experienceIndex(g, settings),
    expectation: meanEstimate(g.e, settings, [0, 100]),
    gap: meanEstimate(g.g, settings, [-100, 100]),
    weightedGap: weightedGap(g, settings),
    nps: npsEstimate(g, settings),
    csat: csatEstimate(g, settings),
    ces: cesEstimate(g, settings),
    deliveryGap: deliveryGap(g, settings),
    dimensions: dimensionScores(g, settings)
  };
}

/**
 * @typedef {GroupScores & {key: string, promiseGap: Estimate, knowledgeGap: Estimate, derivedImportance: number | null, consistency: ChannelConsistency}} TouchpointScores
 */

/**
 * @typedef {object} ScopeReport
 * @property {string} scope
 * @property {GroupScores & {promiseGap: Estimate, knowledgeGap: Estimate}} overall
 * @property {TouchpointScores[]} byTouchpoint
 * @property {(DimensionScore & {weight: number})[]} byDimension
 * @property {(GroupScores & {key: string})[]} byChannel
 * @property {{key: string, dimension: string | null, expectation: Estimate, perception: Estimate, gap: Estimate}[]} byItem
 * @property {RankedGap[]} priorities negative dimension gaps ranked by stated weight x gap
 * @property {ReturnType<typeof importancePerformance>} quadrants touchpoints by importance (stated, or derived
 *   when the touchpoint records give none) and performance (mean perception)
 * @property {boolean} itemsPartial byItem lacks the least-answered items (left out to fit the snapshot field)
 */

/**
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
function byKey(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Whether any touchpoint of the scope has a stated importance.
 * @param {ScopeStatistics} stats
 * @param {TouchpointDirectory | undefined} touchpoints
 * @returns {boolean}
 */
function hasStatedImportance(stats, touchpoints) {
  for (const key of stats.touchpoints.keys()) {
    const stated = touchpointInfo(touchpoints, key)?.importance;
    if (typeof stated === 'number' && Number.isFinite(stated)) return true;
  }
  return false;
}

/**
 * All scores of a scope: overall, by touchpoint, dimension, channel and item.
 * @param {ScopeStatistics} stats
 * @param {ScoringSettings} settings
 * @param {TouchpointDirectory} [touchpoints]
 * @returns {ScopeReport}
 */
export function scopeReport(stats, settings, touchpoints) {
  const byTouchpoint = [...stats.touchpoints.keys()].sort(byKey).map((key) => {
    const g = /** @type {GroupStats} */ (stats.touchpoints.get(key));
    const single = { ...stats, touchpoints: new Map([[key, g]]) };
    return {
      key,
      ...groupScores(g, settings),
      promiseGap: promiseGap(single, touchpoints, settings),
      knowledgeGap: knowledgeGap(single, touchpoints, settings),
      derivedImportance: derivedImportance(g, settings),
      consistency: channelConsistency(stats, key, settings)
    };
  });
  const byChannel = [...stats.channels.keys()].sort(byKey).map((key) => ({
    key,
    ...groupScores(/** @type {GroupStats} */ (stats.channels.get(key)), settings)
  }));
  const byItem = [...stats.items.keys()].sort(byKey).map((key) => {
    const item = /** @type {import('./types').ItemStats} */ (stats.items.get(key));
    return {
      key,
      dimension: item.d,
      expectation: meanEstimate(item.e, settings, [0, 100]),
      perception: meanEstimate(item.p, settings, [0, 100]),
      gap: meanEstimate(item.g, settings, [-100, 100])
    };
  });
  const overall = groupScores(stats.overall, settings);
  return {
    scope: stats.scope,
    overall: {
      ...overall,
      promiseGap: promiseGap(stats, touchpoints, settings),
      knowledgeGap: knowledgeGap(stats, touchpoints, settings)
    },
    byTouchpoint,
    byDimension: overall.dimensions,
    byChannel,
    byItem,
    priorities: rankGaps(priorityEntries(stats, settings, { by: 'dimension' })),
    quadrants: importancePerformance(
      priorityEntries(stats, settings, {
        by: 'touchpoint',
        importance: hasStatedImportance(stats, touchpoints) ? 'stated' : 'derived',
        touchpoints
      })
    ),
    itemsPartial: stats.itemsPartial === true
  };
}

/**
 * The headline fields of a score snapshot (CX_Account_Score__c, CX_Score__c).
 * @typedef {object} SnapshotHeadline
 * @property {number} Responses__c
 * @property {number | null} Experience_Index__c
 * @property {number | null} NPS__c
 * @property {number | null} CSAT__c
 * @property {number | null} CES__c
 * @property {number | null} Gap__c weighted customer gap
 * @property {number | null} Promise_Gap__c
 * @property {boolean} Low_Sample__c fewer responses than the minimum sample
 * @property {boolean} Alert__c weighted gap below the gap threshold or NPS below the NPS threshold (low-sample values never alert)
 */

/**
 * @param {number | null} x
 * @returns {number | null}
 */
function round2(x) {
  return x === null ? null : Math.round(x * 100) / 100;
}

/**
 * The headline fields from statistics and settings, rounded to the fields'
 * two decimals, so the sync and the components show the same numbers.
 * @param {ScopeStatistics} stats
 * @param {ScoringSettings} settings
 * @param {TouchpointDirectory} [touchpoints] promises for the promise gap
 * @returns {SnapshotHeadline}
 */
export function snapshotHeadline(stats, settings, touchpoints) {
  const g = stats.overall;
  const nps = npsEstimate(g, settings);
  const gap = weightedGap(g, settings);
  const alert =
    (gap.value !== null && gap.value < settings.alertGapThreshold) ||
    (nps.value !== null && nps.value < settings.alertNpsThreshold);
  return {
    Responses__c: g.n,
    Experience_Index__c: round2(experienceIndex(g, settings).value),
    NPS__c: round2(nps.value),
    CSAT__c: round2(csatEstimate(g, settings).value),
    CES__c: round2(cesEstimate(g, settings).value),
    Gap__c: round2(gap.value),
    Promise_Gap__c: round2(promiseGap(stats, touchpoints, settings).value),
    Low_Sample__c: g.n < settings.minimumSample,
    Alert__c: alert
  };
}

/**
 * Statistics of one group merged from several (e.g. a touchpoint over channels).
 * @param {Iterable<GroupStats>} groups
 * @returns {GroupStats}
 */
export function mergeGroups(groups) {
  const out = createGroup();
  for (const g of groups) mergeGroupInto(out, g);
  return out;
}
