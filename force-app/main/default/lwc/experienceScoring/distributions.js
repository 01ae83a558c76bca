// @ts-check
/**
 * Distribution functions the intervals and tests need. The org offers no
 * statistics library, so they are implemented here: Student's t through the
 * regularized incomplete beta function (continued fraction, modified Lentz),
 * the normal distribution through erf/erfc. Accuracy about 1e-12 in the range
 * the module uses (confidence 0.5-0.9999, df >= 1).
 */

const LANCZOS = [
  0.9999999999998099, 676.5203681218851, -1259.1392167224028, 771.3234287776531, -176.6150291621406,
  12.507343278686905, -0.13857109526572012, 9.984369578019572e-6, 1.5056327351493116e-7
];
const LOG_SQRT_2PI = 0.9189385332046728;

/**
 * Natural log of the gamma function (Lanczos, g = 7), x > 0.
 * @param {number} x
 * @returns {number}
 */
export function logGamma(x) {
  if (x < 0.5) {
    // Reflection keeps the approximation in its accurate range.
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let a = LANCZOS[0] ?? 0;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] ?? 0) / (z + i);
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Continued fraction of the incomplete beta function (modified Lentz).
 * @param {number} x
 * @param {number} a
 * @param {number} b
 * @returns {number}
 */
function betaContinuedFraction(x, a, b) {
  const tiny = 1e-300;
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 500; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/**
 * Regularized incomplete beta function I_x(a, b).
 * @param {number} x in [0, 1]
 * @param {number} a > 0
 * @param {number} b > 0
 * @returns {number}
 */
export function incompleteBeta(x, a, b) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  const front = Math.exp(lnFront);
  // The continued fraction converges fast on this side of the mean.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * Cumulative distribution function of Student's t.
 * @param {number} t
 * @param {number} df degrees of freedom > 0 (need not be an integer: Welch)
 * @returns {number}
 */
export function tCdf(t, df) {
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/**
 * Two-sided p-value of a t statistic: P(|T| >= |t|), computed without cancellation.
 * @param {number} t
 * @param {number} df
 * @returns {number}
 */
export function tTwoSidedP(t, df) {
  if (!Number.isFinite(t)) return 0;
  return incompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/**
 * Density of Student's t.
 * @param {number} t
 * @param {number} df
 * @returns {number}
 */
function tPdf(t, df) {
  return Math.exp(
    logGamma((df + 1) / 2) -
      logGamma(df / 2) -
      0.5 * Math.log(df * Math.PI) -
      ((df + 1) / 2) * Math.log(1 + (t * t) / df)
  );
}

/**
 * Quantile of Student's t: the t with tCdf(t, df) = p. Starts from the
 * Cornish-Fisher expansion around the normal quantile and polishes with
 * Newton steps kept inside a bisection bracket.
 * @param {number} p in (0, 1)
 * @param {number} df > 0
 * @returns {number}
 */
export function tQuantile(p, df) {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`tQuantile needs 0 < p < 1 and df > 0`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -tQuantile(1 - p, df);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  if (df > 1e7) return normalQuantile(p);
  const z = normalQuantile(p);
  const z3 = z * z * z;
  const z5 = z3 * z * z;
  let t = z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df);
  let lo = 0;
  let hi = Math.max(2 * t, 1);
  while (tCdf(hi, df) < p) hi *= 2;
  if (!(t > lo && t < hi)) t = (lo + hi) / 2;
  for (let i = 0; i < 100; i++) {
    const f = tCdf(t, df) - p;
    if (f > 0) hi = t;
    else lo = t;
    let next = t - f / tPdf(t, df);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-14 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/**
 * Complementary error function.
 * @param {number} x
 * @returns {number}
 */
export function erfc(x) {
  if (x < 0) return 2 - erfc(-x);
  if (x < 3) {
    // Maclaurin series of erf; at most ~4 digits of cancellation below 3.
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * sum;
  }
  // Continued fraction, evaluated backwards.
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / (Math.sqrt(Math.PI) * f);
}

/**
 * Standard normal cumulative distribution function.
 * @param {number} z
 * @returns {number}
 */
export function normalCdf(z) {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * Two-sided p-value of a z statistic.
 * @param {number} z
 * @returns {number}
 */
export function normalTwoSidedP(z) {
  return erfc(Math.abs(z) / Math.SQRT2);
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
  -3.066479806614716e1, 2.506628277459239
];
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
  -1.328068155288572e1
];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * Standard normal quantile (Acklam's rational approximation refined by one
 * Halley step on erfc, giving full double precision).
 * @param {number} p in (0, 1)
 * @returns {number}
 */
export function normalQuantile(p) {
  if (!(p > 0 && p < 1)) throw new RangeError('normalQuantile needs 0 < p < 1');
  const [a0, a1, a2, a3, a4, a5] = /** @type {[number, number, number, number, number, number]} */ (
    A
  );
  const [b0, b1, b2, b3, b4] = /** @type {[number, number, number, number, number]} */ (B);
  const [c0, c1, c2, c3, c4, c5] = /** @type {[number, number, number, number, number, number]} */ (
    C
  );
  const [d0, d1, d2, d3] = /** @type {[number, number, number, number]} */ (D);
  const low = 0.02425;
  let x;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
      (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x =
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1);
  }
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
