// The reconnect herd: how many connection attempts a broker gets per second while a fleet recovers.

/** The most attempts in any one-second window (times in ms, any order). */
export function peakPerSecond(times) {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; j < t.length; j++) {
    while (t[j] - t[i] >= 1000) i++;
    best = Math.max(best, j - i + 1);
  }
  return best;
}

/**
 * The herd in `times` from `from` to `until` (ms): attempts, their peak per second, how long they lasted (first to
 * last attempt, s), and the count in each second from `from`.
 */
export function herdOf(times, from, until) {
  const inside = times.filter((t) => t >= from && t <= until);
  const bins = new Array(Math.max(1, Math.ceil((until - from) / 1000))).fill(0);
  for (const t of inside) bins[Math.min(bins.length - 1, Math.floor((t - from) / 1000))]++;
  return {
    attempts: inside.length,
    peakPerSecond: peakPerSecond(inside),
    seconds: inside.length ? (Math.max(...inside) - Math.min(...inside)) / 1000 : 0,
    perSecond: bins
  };
}

/**
 * How closely a fleet samples together: the shortest part of one period (ms) that holds every device's sampling
 * moment, from `times` (each device's last sample, wall clock ms). 0: all at once; near the period: spread out.
 */
export function phaseSpread(times, periodMs) {
  if (times.length < 2) return 0;
  const p = times.map((t) => ((t % periodMs) + periodMs) % periodMs).sort((a, b) => a - b);
  let gap = p[0] + periodMs - p[p.length - 1]; // the gap across the period's end
  for (let i = 1; i < p.length; i++) gap = Math.max(gap, p[i] - p[i - 1]);
  return periodMs - gap;
}
