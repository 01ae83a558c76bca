// @ts-check
/**
 * Compact, versioned JSON of scope statistics (Statistics__c, a long text of
 * 131,072 characters). Names are listed once and referred to by index; each
 * group is a flat number array in a fixed order:
 *
 *   {"v":1,"s":"account","d":[dimensions],"t":[touchpoint keys],"c":[channels],
 *    "o":G, "tg":[G | null per touchpoint], "cg":[G | null per channel],
 *    "x":[[t, c, n, mean, m2, (d, n, mean)...] per touchpoint x channel cell],
 *    "i":[[item key, d or -1, eN, eMean, eM2, pN, pMean, pM2, gN, gMean, gM2] per item],
 *    "ip":1 only when the least-answered items were left out to fit}
 *
 *   G = [n, promoters, passives, detractors, csatN, csatTop,
 *        ces n, mean, m2, e n, mean, m2, p n, mean, m2, g n, mean, m2, del n, mean, m2,
 *        lr n, meanX, meanY, m2x, m2y, cxy,
 *        then per dimension: d, e n, mean, m2, p n, mean, m2, g n, mean, m2]
 *
 * Counts are exact. Means and sums of squares keep 9 significant digits and
 * the per-dimension cell means (a drill-down, never merged into a headline)
 * keep 7: far below anything shown, and it keeps an account month with 50
 * touchpoints x 5 dimensions x 8 channels well inside the field.
 */

import {
  SCOPE_KINDS,
  createCoMoments,
  createGroup,
  createMoments,
  createStatistics
} from './statistics';

/** @typedef {import('./types').Moments} Moments */
/** @typedef {import('./types').CoMoments} CoMoments */
/** @typedef {import('./types').GroupStats} GroupStats */
/** @typedef {import('./types').ScopeStatistics} ScopeStatistics */

export const STATISTICS_VERSION = 1;
/** The long text limit of Statistics__c. */
export const STATISTICS_MAX_LENGTH = 131072;
const DIGITS = 9;
const CELL_MEAN_DIGITS = 7;
const GROUP_FIXED = 27;
const DIM_WIDTH = 10;

/**
 * @param {number} x
 * @param {number} [digits]
 * @returns {number}
 */
function num(x, digits = DIGITS) {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return x === 0 ? 0 : x;
  const rounded = Number(x.toPrecision(digits));
  return rounded === 0 ? 0 : rounded;
}

/**
 * @param {number[]} out
 * @param {Moments} m
 */
function pushMoments(out, m) {
  if (m.n === 0) out.push(0, 0, 0);
  else out.push(m.n, num(m.mean), num(m.m2));
}

/**
 * @param {GroupStats} g
 * @param {Map<string, number>} dimIndex
 * @returns {number[]}
 */
function encodeGroup(g, dimIndex) {
  /** @type {number[]} */
  const out = [g.n, g.npsPromoters, g.npsPassives, g.npsDetractors, g.csatN, g.csatTop];
  pushMoments(out, g.ces);
  pushMoments(out, g.e);
  pushMoments(out, g.p);
  pushMoments(out, g.g);
  pushMoments(out, g.del);
  const lr = g.lr;
  if (lr.n === 0) out.push(0, 0, 0, 0, 0, 0);
  else out.push(lr.n, num(lr.meanX), num(lr.meanY), num(lr.m2x), num(lr.m2y), num(lr.cxy));
  for (const [name, d] of g.dims) {
    out.push(/** @type {number} */ (dimIndex.get(name)));
    pushMoments(out, d.e);
    pushMoments(out, d.p);
    pushMoments(out, d.g);
  }
  return out;
}

/**
 * @param {Map<string, number>} index
 * @param {string[]} list
 * @param {string} name
 * @returns {number}
 */
function intern(index, list, name) {
  let i = index.get(name);
  if (i === undefined) {
    i = list.length;
    list.push(name);
    index.set(name, i);
  }
  return i;
}

/**
 * Statistics__c text. When the whole breakdown would not fit in maxLength
 * characters, the least-answered items are left out (marked "ip":1, read back
 * as itemsPartial) rather than losing the snapshot; if even that is not
 * enough it throws a RangeError saying how long the text is.
 * @param {ScopeStatistics} stats
 * @param {number} [maxLength] defaults to the field's 131,072 characters
 * @returns {string}
 */
export function serializeStatistics(stats, maxLength = STATISTICS_MAX_LENGTH) {
  /** @type {string[]} */
  const d = [];
  /** @type {Map<string, number>} */
  const dIndex = new Map();
  const collect = (/** @type {GroupStats} */ g) => {
    for (const name of g.dims.keys()) intern(dIndex, d, name);
  };
  collect(stats.overall);
  stats.touchpoints.forEach(collect);
  stats.channels.forEach(collect);
  for (const byChannel of stats.cells.values()) {
    for (const cell of byChannel.values())
      for (const name of cell.dims.keys()) intern(dIndex, d, name);
  }
  for (const item of stats.items.values()) if (item.d !== null) intern(dIndex, d, item.d);

  /** @type {string[]} */
  const t = [];
  /** @type {Map<string, number>} */
  const tIndex = new Map();
  for (const key of stats.touchpoints.keys()) intern(tIndex, t, key);
  for (const key of stats.cells.keys()) intern(tIndex, t, key);
  /** @type {string[]} */
  const c = [];
  /** @type {Map<string, number>} */
  const cIndex = new Map();
  for (const key of stats.channels.keys()) intern(cIndex, c, key);
  for (const byChannel of stats.cells.values())
    for (const key of byChannel.keys()) intern(cIndex, c, key);

  const tg = t.map((key) => {
    const g = stats.touchpoints.get(key);
    return g ? encodeGroup(g, dIndex) : null;
  });
  const cg = c.map((key) => {
    const g = stats.channels.get(key);
    return g ? encodeGroup(g, dIndex) : null;
  });
  /** @type {number[][]} */
  const x = [];
  for (const [tp, byChannel] of stats.cells) {
    for (const [ch, cell] of byChannel) {
      /** @type {number[]} */
      const row = [/** @type {number} */ (tIndex.get(tp)), /** @type {number} */ (cIndex.get(ch))];
      pushMoments(row, cell.p);
      for (const [name, m] of cell.dims)
        row.push(/** @type {number} */ (dIndex.get(name)), m.n, num(m.mean, CELL_MEAN_DIGITS));
      x.push(row);
    }
  }
  /** @type {(string | number)[][]} */
  const i = [];
  /** @type {number[]} */
  const answered = [];
  for (const [key, item] of stats.items) {
    /** @type {number[]} */
    const nums = [item.d === null ? -1 : /** @type {number} */ (dIndex.get(item.d))];
    pushMoments(nums, item.e);
    pushMoments(nums, item.p);
    pushMoments(nums, item.g);
    i.push([key, ...nums]);
    answered.push(Math.max(item.e.n, item.p.n));
  }
  /** @type {Record<string, unknown>} */
  const doc = {
    v: STATISTICS_VERSION,
    s: stats.scope,
    d,
    t,
    c,
    o: encodeGroup(stats.overall, dIndex),
    tg,
    cg,
    x,
    i
  };
  if (stats.itemsPartial) doc.ip = 1;
  let json = JSON.stringify(doc);
  if (json.length <= maxLength) return json;
  // Leave out the least-answered items until the text fits.
  const order = i
    .map((_, k) => k)
    .sort(
      (a, b) => /** @type {number} */ (answered[b]) - /** @type {number} */ (answered[a]) || a - b
    );
  let excess = json.length - maxLength + (stats.itemsPartial ? 0 : ',"ip":1'.length);
  let keep = order.length;
  while (excess > 0 && keep > 0) {
    keep--;
    excess -= JSON.stringify(i[/** @type {number} */ (order[keep])]).length + 1;
  }
  const kept = new Set(order.slice(0, keep));
  doc.i = i.filter((_, k) => kept.has(k));
  doc.ip = 1;
  json = JSON.stringify(doc);
  if (json.length > maxLength) {
    throw new RangeError(
      `the ${stats.scope} statistics need ${json.length} characters even without item statistics; the field holds ${maxLength}`
    );
  }
  return json;
}

/**
 * Upgrades from older versions, keyed by the version they read. None exist yet;
 * a version without an entry is refused with a message naming it.
 * @type {Record<number, (doc: Record<string, unknown>) => Record<string, unknown>>}
 */
const UPGRADES = {};

class Reader {
  /**
   * @param {unknown[]} values
   * @param {string} where
   */
  constructor(values, where) {
    this.values = values;
    this.where = where;
    this.pos = 0;
  }

  /** @returns {boolean} */
  done() {
    return this.pos >= this.values.length;
  }

  /**
   * @param {string} what
   * @returns {number}
   */
  number(what) {
    const v = this.values[this.pos];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(
        `statistics: ${this.where}[${this.pos}] (${what}) must be a finite number, found ${JSON.stringify(v) ?? 'nothing'}`
      );
    }
    this.pos++;
    return v;
  }

  /**
   * @param {string} what
   * @returns {number}
   */
  count(what) {
    const v = this.number(what);
    if (!Number.isInteger(v) || v < 0)
      throw new Error(
        `statistics: ${this.where}[${this.pos - 1}] (${what}) must be a count, found ${v}`
      );
    return v;
  }

  /**
   * @param {number} size
   * @param {string} what
   * @returns {number}
   */
  index(size, what) {
    const v = this.count(what);
    if (v >= size)
      throw new Error(
        `statistics: ${this.where}[${this.pos - 1}] (${what}) refers to entry ${v} of a list of ${size}`
      );
    return v;
  }

  /**
   * @param {string} what
   * @returns {Moments}
   */
  moments(what) {
    const m = createMoments();
    m.n = this.count(`${what} n`);
    m.mean = this.number(`${what} mean`);
    m.m2 = this.number(`${what} m2`);
    if (m.m2 < 0) throw new Error(`statistics: ${this.where} (${what} m2) must not be negative`);
    return m;
  }

  /** @returns {CoMoments} */
  coMoments() {
    const c = createCoMoments();
    c.n = this.count('lr n');
    c.meanX = this.number('lr meanX');
    c.meanY = this.number('lr meanY');
    c.m2x = this.number('lr m2x');
    c.m2y = this.number('lr m2y');
    c.cxy = this.number('lr cxy');
    return c;
  }
}

/**
 * @param {unknown} value
 * @param {string} where
 * @returns {unknown[]}
 */
function array(value, where) {
  if (!Array.isArray(value)) throw new Error(`statistics: ${where} must be an array`);
  return value;
}

/**
 * @param {unknown} value
 * @param {string} where
 * @returns {string[]}
 */
function names(value, where) {
  const list = array(value, where);
  list.forEach((v, i) => {
    if (typeof v !== 'string') throw new Error(`statistics: ${where}[${i}] must be a string`);
  });
  return /** @type {string[]} */ (list);
}

/**
 * @param {unknown} value
 * @param {string} where
 * @param {string[]} dims
 * @returns {GroupStats}
 */
function decodeGroup(value, where, dims) {
  const list = array(value, where);
  if (list.length < GROUP_FIXED || (list.length - GROUP_FIXED) % DIM_WIDTH !== 0) {
    throw new Error(
      `statistics: ${where} has ${list.length} numbers; a group has ${GROUP_FIXED} plus ${DIM_WIDTH} per dimension`
    );
  }
  const r = new Reader(list, where);
  const g = createGroup();
  g.n = r.count('responses');
  g.npsPromoters = r.count('promoters');
  g.npsPassives = r.count('passives');
  g.npsDetractors = r.count('detractors');
  g.csatN = r.count('csat n');
  g.csatTop = r.count('csat top two');
  g.ces = r.moments('ces');
  g.e = r.moments('e');
  g.p = r.moments('p');
  g.g = r.moments('g');
  g.del = r.moments('del');
  g.lr = r.coMoments();
  while (!r.done()) {
    const name = /** @type {string} */ (dims[r.index(dims.length, 'dimension')]);
    const d = { e: r.moments(`${name} e`), p: r.moments(`${name} p`), g: r.moments(`${name} g`) };
    atMost(d.e.n, g.n, `${name} expectations`, 'responses', where);
    atMost(d.p.n, g.n, `${name} perceptions`, 'responses', where);
    atMost(d.g.n, Math.min(d.e.n, d.p.n), `${name} gaps`, 'expectations or perceptions', where);
    g.dims.set(name, d);
  }
  atMost(g.npsPromoters + g.npsPassives + g.npsDetractors, g.n, 'NPS answers', 'responses', where);
  atMost(g.csatTop, g.csatN, 'CSAT top two', 'CSAT answers', where);
  atMost(g.csatN, g.n, 'CSAT answers', 'responses', where);
  atMost(g.ces.n, g.n, 'CES answers', 'responses', where);
  atMost(g.e.n, g.n, 'expectations', 'responses', where);
  atMost(g.p.n, g.n, 'perceptions', 'responses', where);
  atMost(g.g.n, Math.min(g.e.n, g.p.n), 'gaps', 'expectations or perceptions', where);
  atMost(g.del.n, g.p.n, 'delivery gaps', 'perceptions', where);
  atMost(g.lr.n, g.p.n, 'perception-recommendation pairs', 'perceptions', where);
  return g;
}

/**
 * Counts that contradict each other would give impossible scores (a CSAT
 * above 100%), so such text is refused.
 * @param {number} count
 * @param {number} limit
 * @param {string} what
 * @param {string} of
 * @param {string} where
 */
function atMost(count, limit, what, of, where) {
  if (count > limit) {
    throw new Error(`statistics: ${where}: ${what} (${count}) exceed the ${of} (${limit})`);
  }
}

/**
 * Reads Statistics__c. Throws an Error naming the version or the place that
 * is wrong; blank text gives empty statistics of the given scope.
 * @param {string | null | undefined} json
 * @param {import('./types').ScopeKind} [scopeIfBlank]
 * @returns {ScopeStatistics}
 */
export function parseStatistics(json, scopeIfBlank = 'org') {
  if (json === null || json === undefined || json.trim() === '')
    return createStatistics(scopeIfBlank);
  /** @type {unknown} */
  let parsed;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new Error(
      `statistics are not valid JSON: ${err instanceof Error ? err.message : String(err)}`
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('statistics must be a JSON object');
  }
  let doc = /** @type {Record<string, unknown>} */ (parsed);
  while (doc.v !== STATISTICS_VERSION) {
    const upgrade = typeof doc.v === 'number' ? UPGRADES[doc.v] : undefined;
    if (!upgrade) {
      throw new Error(
        `statistics version ${JSON.stringify(doc.v)} cannot be read by this scoring module (it reads version ${STATISTICS_VERSION}); recompute the scope from the store`
      );
    }
    doc = upgrade(doc);
  }
  const scope = doc.s;
  if (typeof scope !== 'string' || !SCOPE_KINDS.includes(/** @type {any} */ (scope))) {
    throw new Error(`statistics: s (scope) must be one of ${SCOPE_KINDS.join(', ')}`);
  }
  const stats = createStatistics(/** @type {import('./types').ScopeKind} */ (scope));
  const d = names(doc.d, 'd');
  const t = names(doc.t, 't');
  const c = names(doc.c, 'c');
  stats.overall = decodeGroup(doc.o, 'o', d);
  const tg = array(doc.tg, 'tg');
  if (tg.length !== t.length)
    throw new Error('statistics: tg must have one entry per touchpoint in t');
  tg.forEach((g, i) => {
    if (g !== null)
      stats.touchpoints.set(/** @type {string} */ (t[i]), decodeGroup(g, `tg[${i}]`, d));
  });
  const cg = array(doc.cg, 'cg');
  if (cg.length !== c.length)
    throw new Error('statistics: cg must have one entry per channel in c');
  cg.forEach((g, i) => {
    if (g !== null) stats.channels.set(/** @type {string} */ (c[i]), decodeGroup(g, `cg[${i}]`, d));
  });
  array(doc.x, 'x').forEach((row, i) => {
    const where = `x[${i}]`;
    const list = array(row, where);
    if (list.length < 5 || (list.length - 5) % 3 !== 0) {
      throw new Error(
        `statistics: ${where} must hold touchpoint, channel, n, mean, m2 and then dimension, n, mean triples`
      );
    }
    const r = new Reader(list, where);
    const tp = /** @type {string} */ (t[r.index(t.length, 'touchpoint')]);
    const ch = /** @type {string} */ (c[r.index(c.length, 'channel')]);
    let byChannel = stats.cells.get(tp);
    if (!byChannel) {
      byChannel = new Map();
      stats.cells.set(tp, byChannel);
    }
    const cell = { p: r.moments('p'), dims: new Map(), _slots: [] };
    while (!r.done()) {
      const name = /** @type {string} */ (d[r.index(d.length, 'dimension')]);
      const m = { n: r.count(`${name} n`), mean: r.number(`${name} mean`) };
      atMost(m.n, cell.p.n, `${name} perceptions`, 'perceptions', where);
      cell.dims.set(name, m);
    }
    byChannel.set(ch, cell);
  });
  if (doc.ip !== undefined && doc.ip !== 1)
    throw new Error('statistics: ip (items partial) must be 1 when present');
  stats.itemsPartial = doc.ip === 1;
  array(doc.i, 'i').forEach((row, i) => {
    const where = `i[${i}]`;
    const list = array(row, where);
    if (list.length !== 11 || typeof list[0] !== 'string') {
      throw new Error(`statistics: ${where} must be [item key, dimension, 9 numbers]`);
    }
    const r = new Reader(list.slice(1), where);
    const di = r.number('dimension');
    if (di !== -1 && !(Number.isInteger(di) && di >= 0 && di < d.length)) {
      throw new Error(`statistics: ${where} refers to dimension ${di} of a list of ${d.length}`);
    }
    const item = {
      d: di === -1 ? null : /** @type {string} */ (d[di]),
      e: r.moments('e'),
      p: r.moments('p'),
      g: r.moments('g')
    };
    atMost(item.g.n, Math.min(item.e.n, item.p.n), 'gaps', 'expectations or perceptions', where);
    stats.items.set(list[0], item);
  });
  return stats;
}
