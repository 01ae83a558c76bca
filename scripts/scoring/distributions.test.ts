import fc from 'fast-check';
import {
  incompleteBeta,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
  tTwoSidedP
} from '../../force-app/main/default/lwc/experienceScoring/experienceScoring';

describe('Student t quantile', () => {
  // Critical values of Student's t. Source: NIST/SEMATECH e-Handbook of
  // Statistical Methods, section 1.3.6.7.2 "Critical Values of the Student's t
  // Distribution" (3 decimals), and the same quantiles to 9 significant
  // digits as computed by R's qt(p, df).
  const table: Array<[p: number, df: number, t: number]> = [
    [0.975, 1, 12.7062047],
    [0.975, 2, 4.30265273],
    [0.975, 5, 2.57058184],
    [0.975, 10, 2.22813885],
    [0.975, 30, 2.04227246],
    [0.975, 100, 1.98397152],
    [0.95, 20, 1.72471824],
    [0.995, 5, 4.03214298],
    [0.99, 2, 6.96455673],
    [0.9, 3, 1.63774435],
    [0.995, 1, 63.6567412]
  ];
  it.each(table)('t(%p, df=%p) = %p', (p, df, t) => {
    expect(Math.abs(tQuantile(p, df) - t)).toBeLessThan(1e-6 * Math.max(1, t));
    expect(Math.abs(tQuantile(1 - p, df) + t)).toBeLessThan(1e-6 * Math.max(1, t));
  });

  it('takes non-integer degrees of freedom (Welch) between the integer neighbours', () => {
    const t = tQuantile(0.975, 24.5);
    expect(t).toBeLessThan(tQuantile(0.975, 24));
    expect(t).toBeGreaterThan(tQuantile(0.975, 25));
  });

  it('inverts the cdf over the range the module uses', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 1, max: 500, noNaN: true }),
        (p, df) => Math.abs(tCdf(tQuantile(p, df), df) - p) < 1e-10
      )
    );
  });

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => tQuantile(1, 5)).toThrow(RangeError);
    expect(() => tQuantile(0.5, 0)).toThrow(RangeError);
  });
});

describe('t cdf and p-values', () => {
  it('matches closed forms for df 1 and 2', () => {
    // df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/pi.
    // df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)).
    for (const t of [-7, -1.5, 0, 0.3, 2, 40]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
  });

  it('gives two-sided p-values that agree with the cdf', () => {
    expect(tTwoSidedP(2.22813885, 10)).toBeCloseTo(0.05, 8);
    expect(tTwoSidedP(-2.22813885, 10)).toBeCloseTo(0.05, 8);
    expect(tTwoSidedP(0, 7)).toBeCloseTo(1, 12);
  });

  it('incomplete beta matches I_x(1, b) = 1 - (1 - x)^b and I_x(a, 1) = x^a', () => {
    expect(incompleteBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 13);
    expect(incompleteBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 13);
  });
});

describe('normal distribution', () => {
  // z quantiles: Abramowitz & Stegun table 26.5 / any normal table.
  it.each([
    [0.975, 1.959963985],
    [0.95, 1.644853627],
    [0.995, 2.575829304],
    [0.5, 0],
    [0.001, -3.090232306]
  ])('z(%p) = %p', (p, z) => {
    expect(Math.abs(normalQuantile(p) - z)).toBeLessThan(1e-8);
    expect(normalCdf(z)).toBeCloseTo(p, 9);
  });
});
