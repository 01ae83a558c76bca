// @ts-check
/**
 * Mergeable sufficient statistics. Values are added one at a time with
 * Welford's update and sets are merged with Chan et al.'s parallel formula,
 * so neither large counts nor large values cancel catastrophically. The hot
 * path (accumulate) allocates nothing once a scope has seen its touchpoints,
 * channels, dimensions and items.
 */

import { normaliseScore } from './answers';

/** @typedef {import('./types').Moments} Moments */
/** @typedef {import('./types').MeanOnly} MeanOnly */
/** @typedef {import('./types').CoMoments} CoMoments */
/** @typedef {import('./types').DimensionStats} DimensionStats */
/** @typedef {import('./types').GroupStats} GroupStats */
/** @typedef {import('./types').CellStats} CellStats */
/** @typedef {import('./types').ItemStats} ItemStats */
/** @typedef {import('./types').ScopeKind} ScopeKind */
/** @typedef {import('./types').ScopeStatistics} ScopeStatistics */
/** @typedef {import('./types').ScoringResponse} ScoringResponse */

export const SCOPE_KINDS = /** @type {const} */ (['account', 'touchpoint', 'journey', 'org']);

// ---------------------------------------------------------------- moments

/** @returns {Moments} */
export function createMoments() {
  return { n: 0, mean: 0, m2: 0 };
}

/**
 * Welford's update.
 * @param {Moments} m
 * @param {number} x
 */
export function addValue(m, x) {
  const n = m.n + 1;
  const d = x - m.mean;
  const mean = m.mean + d / n;
  m.m2 += d * (x - mean);
  m.mean = mean;
  m.n = n;
}

/**
 * Chan et al.'s parallel update: target becomes the statistics of both sets.
 * The mean is the count-weighted average, which is symmetric in its operands.
 * @param {Moments} target
 * @param {Moments} source
 */
export function mergeMomentsInto(target, source) {
  if (source.n === 0) return;
  if (target.n === 0) {
    target.n = source.n;
    target.mean = source.mean;
    target.m2 = source.m2;
    return;
  }
  const n = target.n + source.n;
  const d = source.mean - target.mean;
  target.m2 = target.m2 + source.m2 + (d * d * target.n * source.n) / n;
  target.mean = (target.n * target.mean + source.n * source.mean) / n;
  target.n = n;
}

/**
 * @param {Moments} a
 * @param {Moments} b
 * @returns {Moments}
 */
export function mergeMoments(a, b) {
  const out = { n: a.n, mean: a.mean, m2: a.m2 };
  mergeMomentsInto(out, b);
  return out;
}

/**
 * Moments of a list of values (convenience for tests and small pages).
 * @param {readonly number[]} values
 * @returns {Moments}
 */
export function momentsOf(values) {
  const m = createMoments();
  for (const x of values) addValue(m, x);
  return m;
}

/**
 * Sample variance (n - 1), null below two values.
 * @param {Moments} m
 * @returns {number | null}
 */
export function variance(m) {
  return m.n > 1 ? Math.max(0, m.m2 / (m.n - 1)) : null;
}

/** @returns {MeanOnly} */
function createMeanOnly() {
  return { n: 0, mean: 0 };
}

/**
 * @param {MeanOnly} target
 * @param {MeanOnly} source
 */
function mergeMeanInto(target, source) {
  if (source.n === 0) return;
  const n = target.n + source.n;
  target.mean =
    target.n === 0 ? source.mean : (target.n * target.mean + source.n * source.mean) / n;
  target.n = n;
}

/** @returns {CoMoments} */
export function createCoMoments() {
  return { n: 0, meanX: 0, meanY: 0, m2x: 0, m2y: 0, cxy: 0 };
}

/**
 * @param {CoMoments} c
 * @param {number} x
 * @param {number} y
 */
export function addPair(c, x, y) {
  const n = c.n + 1;
  const dx = x - c.meanX;
  const dy = y - c.meanY;
  const meanX = c.meanX + dx / n;
  const meanY = c.meanY + dy / n;
  c.m2x += dx * (x - meanX);
  c.m2y += dy * (y - meanY);
  c.cxy += dx * (y - meanY);
  c.meanX = meanX;
  c.meanY = meanY;
  c.n = n;
}

/**
 * @param {CoMoments} target
 * @param {CoMoments} source
 */
export function mergeCoMomentsInto(target, source) {
  if (source.n === 0) return;
  if (target.n === 0) {
    Object.assign(target, source);
    return;
  }
  const n = target.n + source.n;
  const dx = source.meanX - target.meanX;
  const dy = source.meanY - target.meanY;
  const w = (target.n * source.n) / n;
  target.m2x += source.m2x + dx * dx * w;
  target.m2y += source.m2y + dy * dy * w;
  target.cxy += source.cxy + dx * dy * w;
  target.meanX = (target.n * target.meanX + source.n * source.meanX) / n;
  target.meanY = (target.n * target.meanY + source.n * source.meanY) / n;
  target.n = n;
}

/**
 * Pearson correlation, null when either variable has no spread.
 * @param {CoMoments} c
 * @returns {number | null}
 */
export function correlation(c) {
  if (c.n < 2 || c.m2x <= 0 || c.m2y <= 0) return null;
  const r = c.cxy / Math.sqrt(c.m2x * c.m2y);
  return Math.max(-1, Math.min(1, r));
}

// ---------------------------------------------------------------- groups

/** @returns {DimensionStats} */
function createDimension() {
  return { e: createMoments(), p: createMoments(), g: createMoments() };
}

/** @returns {GroupStats} */
export function createGroup() {
  return {
    n: 0,
    npsPromoters: 0,
    npsPassives: 0,
    npsDetractors: 0,
    csatN: 0,
    csatTop: 0,
    ces: createMoments(),
    e: createMoments(),
    p: createMoments(),
    g: createMoments(),
    del: createMoments(),
    lr: createCoMoments(),
    dims: new Map(),
    _slots: []
  };
}

/**
 * @param {GroupStats} target
 * @param {GroupStats} source
 */
export function mergeGroupInto(target, source) {
  target.n += source.n;
  target.npsPromoters += source.npsPromoters;
  target.npsPassives += source.npsPassives;
  target.npsDetractors += source.npsDetractors;
  target.csatN += source.csatN;
  target.csatTop += source.csatTop;
  mergeMomentsInto(target.ces, source.ces);
  mergeMomentsInto(target.e, source.e);
  mergeMomentsInto(target.p, source.p);
  mergeMomentsInto(target.g, source.g);
  mergeMomentsInto(target.del, source.del);
  mergeCoMomentsInto(target.lr, source.lr);
  for (const [name, dim] of source.dims) {
    let into = target.dims.get(name);
    if (!into) {
      into = createDimension();
      target.dims.set(name, into);
    }
    mergeMomentsInto(into.e, dim.e);
    mergeMomentsInto(into.p, dim.p);
    mergeMomentsInto(into.g, dim.g);
  }
}

/** @returns {CellStats} */
function createCell() {
  return { p: createMoments(), dims: new Map(), _slots: [] };
}

/** @returns {ItemStats} */
function createItem(/** @type {string | null} */ d) {
  return { d, e: createMoments(), p: createMoments(), g: createMoments() };
}

/**
 * Empty statistics for one scope.
 * @param {ScopeKind} scope account keeps touchpoint x channel x dimension; the others keep marginals
 * @returns {ScopeStatistics}
 */
export function createStatistics(scope) {
  if (!SCOPE_KINDS.includes(scope)) throw new RangeError(`unknown scope ${JSON.stringify(scope)}`);
  return {
    scope,
    overall: createGroup(),
    touchpoints: new Map(),
    channels: new Map(),
    cells: new Map(),
    items: new Map(),
    itemsPartial: false
  };
}

// ---------------------------------------------------------------- responses

/**
 * A response reduced to the numbers every scope needs, computed once so that
 * fanning out to several scopes repeats no work. Absent values are NaN here
 * (internal only; nothing NaN leaves the module). Reused between calls.
 * @typedef {object} PreparedResponse
 * @property {string | null} touchpointKey
 * @property {string | null} channel
 * @property {number} nps
 * @property {number} csat
 * @property {number} ces
 * @property {number} e overall expectation 0-100
 * @property {number} p overall perception 0-100
 * @property {number} self self-rating 0-100
 * @property {number} dimCount
 * @property {string[]} dimNames
 * @property {number[]} dimIds process-wide ids of dimNames
 * @property {number[]} dimE mean expectation of the dimension's items, 0-100 (NaN = none)
 * @property {number[]} dimP
 * @property {number[]} dimSumE
 * @property {number[]} dimNE
 * @property {number[]} dimSumP
 * @property {number[]} dimNP
 * @property {number} itemCount
 * @property {string[]} itemKeys
 * @property {(string | null)[]} itemDims
 * @property {number[]} itemE
 * @property {number[]} itemP
 */

/** @returns {PreparedResponse} */
export function createPreparedResponse() {
  return {
    touchpointKey: null,
    channel: null,
    nps: NaN,
    csat: NaN,
    ces: NaN,
    e: NaN,
    p: NaN,
    self: NaN,
    dimCount: 0,
    dimNames: [],
    dimIds: [],
    dimE: [],
    dimP: [],
    dimSumE: [],
    dimNE: [],
    dimSumP: [],
    dimNP: [],
    itemCount: 0,
    itemKeys: [],
    itemDims: [],
    itemE: [],
    itemP: []
  };
}

const shared = createPreparedResponse();

/**
 * @param {number | null | undefined} value
 * @param {number} min
 * @param {number} max
 * @param {string} field
 * @returns {number}
 */
function optional(value, min, max, field) {
  if (value === null || value === undefined) return NaN;
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new RangeError(`${field} ${String(value)} is outside ${min}-${max}`);
  }
  return value;
}

const UNNAMED_DIMENSION = '';

/**
 * Process-wide small integers for dimension names, so groups can find their
 * dimension entry in an array slot instead of a map. Never serialised.
 * @type {Map<string, number>}
 */
const dimensionIds = new Map();

/**
 * @param {string} name
 * @returns {number}
 */
function dimensionId(name) {
  let id = dimensionIds.get(name);
  if (id === undefined) {
    id = dimensionIds.size;
    dimensionIds.set(name, id);
  }
  return id;
}

/**
 * Reduces a response to its scoring numbers (see ScoringResponse for the shape).
 * @param {ScoringResponse} response
 * @param {PreparedResponse} [into] reused output; defaults to one shared object
 * @returns {PreparedResponse}
 */
export function prepareResponse(response, into = shared) {
  const r = into;
  r.touchpointKey = response.touchpointKey ?? null;
  r.channel = response.channel ?? null;
  r.nps = optional(response.nps, 0, 10, 'nps');
  r.csat = optional(response.csat, 1, 5, 'csat');
  r.ces = optional(response.ces, 1, 7, 'ces');
  const selfMin = response.selfRatingMin;
  const selfMax = response.selfRatingMax;
  if (typeof selfMin === 'number' && typeof selfMax === 'number') {
    const raw = optional(response.selfRating, selfMin, selfMax, 'selfRating');
    r.self = !Number.isNaN(raw) ? normaliseScore(raw, selfMin, selfMax) : NaN;
  } else {
    r.self = optional(response.selfRating, 0, 100, 'selfRating');
  }
  let sumE = 0;
  let nE = 0;
  let sumP = 0;
  let nP = 0;
  let dimCount = 0;
  let itemCount = 0;
  const answers = response.answers;
  if (answers) {
    for (let i = 0; i < answers.length; i++) {
      const a = /** @type {import('./types').Answer} */ (answers[i]);
      const span = a.max - a.min;
      if (!(span > 0)) throw new RangeError(`answer ${a.k}: scale ${a.min}-${a.max} is empty`);
      let e = NaN;
      let p = NaN;
      if (a.e !== null && a.e !== undefined) {
        e = (100 * (a.e - a.min)) / span;
        if (!(e >= 0 && e <= 100))
          throw new RangeError(`answer ${a.k}: e ${a.e} is outside ${a.min}-${a.max}`);
        sumE += e;
        nE++;
      }
      if (a.p !== null && a.p !== undefined) {
        p = (100 * (a.p - a.min)) / span;
        if (!(p >= 0 && p <= 100))
          throw new RangeError(`answer ${a.k}: p ${a.p} is outside ${a.min}-${a.max}`);
        sumP += p;
        nP++;
      }
      if (Number.isNaN(e) && Number.isNaN(p)) continue;
      const name = a.d ?? UNNAMED_DIMENSION;
      let j = 0;
      while (j < dimCount && r.dimNames[j] !== name) j++;
      if (j === dimCount) {
        // Responses of one survey list the same dimensions in the same order:
        // the slot usually holds this name and its id from the previous call.
        if (r.dimNames[j] !== name) {
          r.dimNames[j] = name;
          r.dimIds[j] = dimensionId(name);
        }
        r.dimSumE[j] = 0;
        r.dimNE[j] = 0;
        r.dimSumP[j] = 0;
        r.dimNP[j] = 0;
        dimCount++;
      }
      if (!Number.isNaN(e)) {
        r.dimSumE[j] = /** @type {number} */ (r.dimSumE[j]) + e;
        r.dimNE[j] = /** @type {number} */ (r.dimNE[j]) + 1;
      }
      if (!Number.isNaN(p)) {
        r.dimSumP[j] = /** @type {number} */ (r.dimSumP[j]) + p;
        r.dimNP[j] = /** @type {number} */ (r.dimNP[j]) + 1;
      }
      r.itemKeys[itemCount] = a.k;
      r.itemDims[itemCount] = a.d ?? null;
      r.itemE[itemCount] = e;
      r.itemP[itemCount] = p;
      itemCount++;
    }
  }
  for (let j = 0; j < dimCount; j++) {
    const ne = /** @type {number} */ (r.dimNE[j]);
    const np = /** @type {number} */ (r.dimNP[j]);
    r.dimE[j] = ne > 0 ? /** @type {number} */ (r.dimSumE[j]) / ne : NaN;
    r.dimP[j] = np > 0 ? /** @type {number} */ (r.dimSumP[j]) / np : NaN;
  }
  r.dimCount = dimCount;
  r.itemCount = itemCount;
  r.e = nE > 0 ? sumE / nE : optional(response.expectation, 0, 100, 'expectation');
  r.p = nP > 0 ? sumP / nP : optional(response.perception, 0, 100, 'perception');
  return r;
}

/**
 * @param {number} x
 * @returns {number | null}
 */
function orNull(x) {
  return Number.isNaN(x) ? null : x;
}

/**
 * The overall numbers a perception record carries, 0-100 (null when absent):
 * Expectation__c and Perception__c (means of the answered items), Self_Rating__c,
 * and the record's formulas Gap__c (P - E) and Delivery_Gap__c (self - P).
 * @param {ScoringResponse} response
 * @returns {{expectation: number | null, perception: number | null, selfRating: number | null, gap: number | null, deliveryGap: number | null}}
 */
export function responseSummary(response) {
  const r = prepareResponse(response, createPreparedResponse());
  const gap = r.p - r.e;
  const delivery = r.self - r.p;
  return {
    expectation: orNull(r.e),
    perception: orNull(r.p),
    selfRating: orNull(r.self),
    gap: orNull(gap),
    deliveryGap: orNull(delivery)
  };
}

/** Lowest likelihood-to-recommend (0-10) of a promoter, and of a passive; below that, a detractor. */
export const NPS_PROMOTER_MIN = 9;
export const NPS_PASSIVE_MIN = 7;

/**
 * The NPS category of one 0-10 answer, as the statistics count it.
 * @param {number | null | undefined} score
 * @returns {'promoter' | 'passive' | 'detractor' | null} null when not answered
 */
export function npsCategory(score) {
  if (score === null || score === undefined || Number.isNaN(score)) return null;
  if (score >= NPS_PROMOTER_MIN) return 'promoter';
  return score >= NPS_PASSIVE_MIN ? 'passive' : 'detractor';
}

/**
 * @param {GroupStats} g
 * @param {PreparedResponse} r
 */
function addToGroup(g, r) {
  g.n++;
  const nps = r.nps;
  if (!Number.isNaN(nps)) {
    if (nps >= NPS_PROMOTER_MIN) g.npsPromoters++;
    else if (nps >= NPS_PASSIVE_MIN) g.npsPassives++;
    else g.npsDetractors++;
  }
  if (!Number.isNaN(r.csat)) {
    g.csatN++;
    if (r.csat >= 4) g.csatTop++;
  }
  if (!Number.isNaN(r.ces)) addValue(g.ces, r.ces);
  const e = r.e;
  const p = r.p;
  if (!Number.isNaN(e)) addValue(g.e, e);
  if (!Number.isNaN(p)) {
    addValue(g.p, p);
    if (!Number.isNaN(e)) addValue(g.g, p - e);
    if (!Number.isNaN(r.self)) addValue(g.del, r.self - p);
    if (!Number.isNaN(nps)) addPair(g.lr, p, nps);
  }
  for (let j = 0; j < r.dimCount; j++) {
    const id = /** @type {number} */ (r.dimIds[j]);
    let dim = g._slots[id];
    if (dim === undefined) {
      const name = /** @type {string} */ (r.dimNames[j]);
      dim = g.dims.get(name);
      if (dim === undefined) {
        dim = createDimension();
        g.dims.set(name, dim);
      }
      g._slots[id] = dim;
    }
    const de = /** @type {number} */ (r.dimE[j]);
    const dp = /** @type {number} */ (r.dimP[j]);
    if (!Number.isNaN(de)) addValue(dim.e, de);
    if (!Number.isNaN(dp)) {
      addValue(dim.p, dp);
      if (!Number.isNaN(de)) addValue(dim.g, dp - de);
    }
  }
}

/**
 * @template V
 * @param {Map<string, V>} map
 * @param {string} key
 * @param {() => V} create
 * @returns {V}
 */
function entry(map, key, create) {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/**
 * Adds a prepared response to one scope's statistics (in place).
 * @param {ScopeStatistics} stats
 * @param {PreparedResponse} r
 */
export function accumulatePrepared(stats, r) {
  addToGroup(stats.overall, r);
  const tp = r.touchpointKey;
  const ch = r.channel;
  if (tp !== null) addToGroup(entry(stats.touchpoints, tp, createGroup), r);
  if (ch !== null) addToGroup(entry(stats.channels, ch, createGroup), r);
  if (tp !== null && ch !== null && !Number.isNaN(r.p)) {
    const cell = entry(entry(stats.cells, tp, newCellMap), ch, createCell);
    addValue(cell.p, r.p);
    if (stats.scope === 'account') {
      for (let j = 0; j < r.dimCount; j++) {
        const dp = /** @type {number} */ (r.dimP[j]);
        if (Number.isNaN(dp)) continue;
        const id = /** @type {number} */ (r.dimIds[j]);
        let m = cell._slots[id];
        if (m === undefined) {
          m = entry(cell.dims, /** @type {string} */ (r.dimNames[j]), createMeanOnly);
          cell._slots[id] = m;
        }
        m.n++;
        m.mean += (dp - m.mean) / m.n;
      }
    }
  }
  const items = stats.items;
  for (let i = 0; i < r.itemCount; i++) {
    const key = /** @type {string} */ (r.itemKeys[i]);
    let item = items.get(key);
    if (item === undefined) {
      item = createItem(/** @type {string | null} */ (r.itemDims[i]));
      items.set(key, item);
    }
    const e = /** @type {number} */ (r.itemE[i]);
    const p = /** @type {number} */ (r.itemP[i]);
    if (!Number.isNaN(e)) addValue(item.e, e);
    if (!Number.isNaN(p)) {
      addValue(item.p, p);
      if (!Number.isNaN(e)) addValue(item.g, p - e);
    }
  }
}

/** @returns {Map<string, CellStats>} */
function newCellMap() {
  return new Map();
}

/**
 * Adds one response to a scope's statistics, in place. Throws a RangeError
 * naming the field when a value lies outside its scale.
 * @param {ScopeStatistics} stats
 * @param {ScoringResponse} response
 * @returns {ScopeStatistics} stats
 */
export function accumulate(stats, response) {
  accumulatePrepared(stats, prepareResponse(response));
  return stats;
}

/**
 * Adds one response to every scope it feeds (account, touchpoint, journey,
 * org), reducing it once.
 * @param {readonly ScopeStatistics[]} scopes
 * @param {ScoringResponse} response
 */
export function accumulateAll(scopes, response) {
  const r = prepareResponse(response);
  for (let i = 0; i < scopes.length; i++)
    accumulatePrepared(/** @type {ScopeStatistics} */ (scopes[i]), r);
}

/**
 * Statistics of a list of responses.
 * @param {ScopeKind} scope
 * @param {Iterable<ScoringResponse>} responses
 * @returns {ScopeStatistics}
 */
export function statisticsOf(scope, responses) {
  const stats = createStatistics(scope);
  for (const response of responses) accumulate(stats, response);
  return stats;
}

// ---------------------------------------------------------------- merging

/**
 * Adds source's statistics to target, in place (what the sync does with a
 * stored snapshot and the new responses). Source is not modified and target
 * never shares objects with it.
 * @param {ScopeStatistics} target
 * @param {ScopeStatistics} source
 * @returns {ScopeStatistics} target
 */
export function mergeInto(target, source) {
  if ((target.scope === 'account') !== (source.scope === 'account')) {
    throw new Error(
      `cannot merge ${source.scope} statistics into ${target.scope} statistics: only the account scope keeps the touchpoint x channel x dimension breakdown`
    );
  }
  mergeGroupInto(target.overall, source.overall);
  for (const [key, group] of source.touchpoints)
    mergeGroupInto(entry(target.touchpoints, key, createGroup), group);
  for (const [key, group] of source.channels)
    mergeGroupInto(entry(target.channels, key, createGroup), group);
  for (const [tp, byChannel] of source.cells) {
    const into = entry(target.cells, tp, newCellMap);
    for (const [ch, cell] of byChannel) {
      const c = entry(into, ch, createCell);
      mergeMomentsInto(c.p, cell.p);
      for (const [dim, m] of cell.dims) mergeMeanInto(entry(c.dims, dim, createMeanOnly), m);
    }
  }
  if (source.itemsPartial) target.itemsPartial = true;
  for (const [key, item] of source.items) {
    let into = target.items.get(key);
    if (into === undefined) {
      into = createItem(item.d);
      target.items.set(key, into);
    }
    mergeMomentsInto(into.e, item.e);
    mergeMomentsInto(into.p, item.p);
    mergeMomentsInto(into.g, item.g);
  }
  return target;
}

/**
 * The statistics of both sets together; neither input changes.
 * @param {ScopeStatistics} a
 * @param {ScopeStatistics} b
 * @returns {ScopeStatistics}
 */
export function merge(a, b) {
  return mergeInto(mergeInto(createStatistics(a.scope), a), b);
}

/**
 * A deep copy.
 * @param {ScopeStatistics} stats
 * @returns {ScopeStatistics}
 */
export function cloneStatistics(stats) {
  return mergeInto(createStatistics(stats.scope), stats);
}
