// Growth judged by a least-squares line (bench/soak.mjs): is a series flat "within noise"?

/** Two-sided 95% quantile of Student's t with `df` degrees of freedom (table, then Cornish-Fisher). */
export function t975(df) {
  const table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086];
  if (df < 1) return NaN;
  if (df <= table.length) return table[df - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df);
}

/**
 * Least-squares line through `points` ([[x, y], ...]): slope (y per x) with its 95% confidence
 * interval, the residuals' standard deviation, and the verdict for growth over `span` (x units):
 * flat "within noise" when the fitted growth slope x span is at most the noise band, twice the
 * residuals' standard deviation (a fall is no growth; `falling` says it fell beyond the band). The interval assumes independent residuals; a garbage
 * collector's sawtooth makes neighbours correlated, so the interval is printed as a second
 * opinion, and the verdict rests on the noise band.
 */
export function trend(points, span) {
  const n = points.length;
  if (n < 3) return { n, slope: NaN, ciLow: NaN, ciHigh: NaN, sigma: NaN, growth: NaN, band: NaN, flat: false, falling: false };
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sxx += (x - mx) ** 2;
    sxy += (x - mx) * (y - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const ssr = points.reduce((a, [x, y]) => a + (y - my - slope * (x - mx)) ** 2, 0);
  const sigma = Math.sqrt(ssr / (n - 2));
  const se = sxx > 0 ? sigma / Math.sqrt(sxx) : 0;
  const half = t975(n - 2) * se;
  const growth = slope * span;
  const band = 2 * sigma;
  return { n, slope, ciLow: slope - half, ciHigh: slope + half, sigma, growth, band, flat: growth <= band, falling: growth < -band };
}
