/** Formats milliseconds like Go's time.Duration.String(): 100ms, 1.5s, 1m30s, 1h0m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${trim(ms)}ms`;
  let s = ms / 1000;
  if (s < 60) return `${trim(s)}s`;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return h > 0 ? `${h}h${m}m${trim(s)}s` : `${m}m${trim(s)}s`;
}

function trim(n: number): string {
  return String(Number(n.toFixed(3)));
}
