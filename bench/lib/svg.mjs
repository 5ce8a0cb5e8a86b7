// Dependency-free SVG charts for bench/REPORT.md: horizontal bars (median, with a p99 whisker and
// the goal marked) and line charts (a figure over time or over instance count). Plain SVG 1.1 so
// GitHub, browsers and image viewers all render it.

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2'];
const FONT = 'font-family="system-ui, sans-serif" font-size="12"';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Maps [lo, hi] onto [0, width], logarithmically when `log`. */
function scale(lo, hi, width, log) {
  if (log) {
    const a = Math.log10(lo);
    const b = Math.log10(hi);
    return (v) => ((Math.log10(Math.max(v, lo)) - a) / (b - a)) * width;
  }
  return (v) => ((v - lo) / (hi - lo || 1)) * width;
}

/** "Nice" tick values covering [lo, hi]: powers of ten on a log axis, 1-2-5 steps otherwise. */
function ticks(lo, hi, log) {
  if (log) {
    const out = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
    return out.filter((t) => t >= lo * 0.999 && t <= hi * 1.001);
  }
  const raw = (hi - lo) / 5 || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9 && out.length < 12; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

const tickLabel = (t) => (Math.abs(t) >= 1000 ? `${t / 1000}k` : `${Number(t.toPrecision(3))}`);

/**
 * Horizontal bars. `rows`: [{ label, median, p99?, goal? (a number in the same unit) }];
 * `fmt` formats a value for the label at the bar's end.
 */
export function barChart({ title, unit, rows, fmt }) {
  const labelW = Math.min(420, 12 + 6.4 * Math.max(...rows.map((r) => r.label.length)));
  const plotW = 420;
  const valueW = 150;
  const rowH = 26;
  const top = 42;
  const height = top + rows.length * rowH + 40;
  const values = rows.flatMap((r) => [r.median, r.p99, r.goal]).filter((v) => Number.isFinite(v) && v > 0);
  const max = Math.max(...values, 1e-9);
  const min = Math.min(...values, max);
  const log = min > 0 && max / min > 50;
  const lo = log ? 10 ** Math.floor(Math.log10(min)) : 0;
  const hi = log ? 10 ** Math.ceil(Math.log10(max)) : max * 1.08;
  const x = scale(lo, hi, plotW, log);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + plotW + valueW}" height="${height}" viewBox="0 0 ${labelW + plotW + valueW} ${height}" ${FONT}>`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="8" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  out.push(`<text x="8" y="35" fill="#555">bar: median, whisker: p99, red mark: goal; ${esc(unit)}${log ? ', log scale' : ''}</text>`);
  const axisY = top + rows.length * rowH + 4;
  for (const t of ticks(log ? lo : 0, hi, log)) {
    const tx = labelW + x(t);
    out.push(`<line x1="${tx}" y1="${top}" x2="${tx}" y2="${axisY}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${tx}" y="${axisY + 14}" text-anchor="middle" fill="#555">${tickLabel(t)}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const w = Number.isFinite(r.median) ? Math.max(1, x(r.median)) : 0;
    out.push(`<text x="${labelW - 6}" y="${y + 16}" text-anchor="end">${esc(r.label)}</text>`);
    out.push(`<rect x="${labelW}" y="${y + 5}" width="${w.toFixed(1)}" height="14" fill="${COLORS[0]}" opacity="0.85"/>`);
    if (Number.isFinite(r.p99) && r.p99 > 0) {
      const px = labelW + x(r.p99);
      out.push(`<line x1="${labelW + w}" y1="${y + 12}" x2="${px.toFixed(1)}" y2="${y + 12}" stroke="#111"/>`);
      out.push(`<line x1="${px.toFixed(1)}" y1="${y + 7}" x2="${px.toFixed(1)}" y2="${y + 17}" stroke="#111"/>`);
    }
    if (Number.isFinite(r.goal) && r.goal > 0) {
      const gx = labelW + x(r.goal);
      out.push(`<line x1="${gx.toFixed(1)}" y1="${y + 2}" x2="${gx.toFixed(1)}" y2="${y + 22}" stroke="#dc2626" stroke-width="2" stroke-dasharray="3,2"/>`);
    }
    const text = Number.isFinite(r.p99) ? `${fmt(r.median)} / ${fmt(r.p99)}` : fmt(r.median);
    out.push(`<text x="${labelW + plotW + 6}" y="${y + 16}">${esc(text)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/** Line chart. `lines`: [{ label, points: [[x, y], ...] }]; `logX` for instance counts. */
export function lineChart({ title, x: xLabel, unit, lines, logX }) {
  // Wide enough for the title (about 8.5 px per character at 14 px bold).
  const W = Math.max(640, Math.ceil(24 + 8.5 * String(title).length));
  const H = 300;
  const left = 56;
  const right = 150;
  const top = 36;
  const bottom = 44;
  const pw = W - left - right;
  const ph = H - top - bottom;
  const pts = lines.flatMap((l) => l.points);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const xlo = logX ? Math.min(...xs.filter((v) => v > 0)) : Math.min(...xs);
  const xhi = Math.max(...xs);
  const yhi = Math.max(...ys, 1e-9) * 1.1;
  const yTicks = ticks(0, yhi, false);
  const yTop = Math.max(yhi, yTicks[yTicks.length - 1] ?? yhi);
  const sx = scale(logX ? 10 ** Math.floor(Math.log10(xlo)) : xlo, logX ? 10 ** Math.ceil(Math.log10(xhi)) : xhi, pw, Boolean(logX));
  const sy = scale(0, yTop, ph, false);
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" ${FONT}>`);
  out.push(`<rect width="100%" height="100%" fill="#ffffff"/>`);
  out.push(`<text x="8" y="20" font-size="14" font-weight="bold">${esc(title)}</text>`);
  for (const t of yTicks) {
    const ty = top + ph - sy(t);
    out.push(`<line x1="${left}" y1="${ty.toFixed(1)}" x2="${left + pw}" y2="${ty.toFixed(1)}" stroke="#e5e7eb"/>`);
    out.push(`<text x="${left - 4}" y="${(ty + 4).toFixed(1)}" text-anchor="end" fill="#555">${tickLabel(t)}</text>`);
  }
  const xTicks = logX ? ticks(10 ** Math.floor(Math.log10(xlo)), 10 ** Math.ceil(Math.log10(xhi)), true) : ticks(xlo, xhi, false);
  for (const t of xTicks) {
    const tx = left + sx(t);
    out.push(`<text x="${tx.toFixed(1)}" y="${top + ph + 16}" text-anchor="middle" fill="#555">${tickLabel(t)}</text>`);
  }
  out.push(`<line x1="${left}" y1="${top + ph}" x2="${left + pw}" y2="${top + ph}" stroke="#111"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${top + ph}" stroke="#111"/>`);
  out.push(`<text x="${left + pw / 2}" y="${H - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  out.push(`<text x="14" y="${top + ph / 2}" text-anchor="middle" transform="rotate(-90 14 ${top + ph / 2})">${esc(unit)}</text>`);
  lines.forEach((l, i) => {
    const color = COLORS[i % COLORS.length];
    const d = l.points.map(([px, py], j) => `${j ? 'L' : 'M'}${(left + sx(px)).toFixed(1)},${(top + ph - sy(py)).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (l.points.length <= 12) for (const [px, py] of l.points) out.push(`<circle cx="${(left + sx(px)).toFixed(1)}" cy="${(top + ph - sy(py)).toFixed(1)}" r="3" fill="${color}"/>`);
    out.push(`<rect x="${left + pw + 12}" y="${top + i * 18}" width="12" height="3" fill="${color}"/>`);
    out.push(`<text x="${left + pw + 28}" y="${top + i * 18 + 5}">${esc(l.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
