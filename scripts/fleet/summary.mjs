// A fleet run's numbers, which its table (report.mjs, and sleep-report.mjs for a fleet that sleeps) and its JSON
// share, and the fewest devices at which each of them means something.
import { percentile } from '../bench/stats.mjs';

/**
 * The fewest devices at which a figure means something: below, the herd's peak is one second's jitter (a few
 * attempts against N/5), and memory per device is the process's own noise (a few MB, negative as often as not)
 * shared out; the table says so instead of the figure.
 */
export const MEANINGFUL_FROM = { herd: 50, memory: 100 };

/** The numbers the table and the JSON share. */
export function summarize(r) {
  const d = r.devices, n = d.length;
  const sum = (k) => d.reduce((a, x) => a + x[k], 0);
  const live = d.flatMap((x) => x.latencies), backlog = d.flatMap((x) => x.backlogLatencies);
  // the worst device: one not accounted for first, then the most dropped, then the fewest delivered of those sampled
  const worst = [...d].sort((a, b) => a.accounted - b.accounted || b.dropped - a.dropped || a.delivered / a.sampled - b.delivered / b.sampled)[0];
  const rec = r.recovery;
  return {
    devices: n,
    spreadMs: r.spreadMs,
    sampled: sum('sampled'),
    delivered: sum('delivered'),
    dropped: sum('dropped'),
    queued: sum('queued'),
    repeats: sum('repeats'),
    unknown: sum('unknown'),
    twins: sum('twins'),
    accountedDevices: d.filter((x) => x.accounted).length,
    worst: worst && { id: worst.id, sampled: worst.sampled, delivered: worst.delivered, dropped: worst.dropped, queued: worst.queued },
    latency: {
      connected: { samples: live.length, p50Ms: percentile(live, 50), p99Ms: percentile(live, 99) },
      buffered: { samples: backlog.length, p50Ms: percentile(backlog, 50), p99Ms: percentile(backlog, 99) }
    },
    recovery: rec && {
      within: rec.devices.filter((x) => x.within).length,
      // one that never came back, else the last to come back
      slowest: rec.devices.find((x) => x.seconds === null) || rec.devices.reduce((a, x) => (x.seconds > a.seconds ? x : a)),
      herd: rec.herd,
      countedAt: rec.countedAt
    }
  };
}
