// Scheduler timing on the real event loop: the runtime's Scheduler (from the ES5 bundle, in a simulated device on
// Node's real timers) samples a publisher every `periodMs`; each sample's time is compared with its planned time,
// start + k·period.
import { performance } from 'node:perf_hooks';
import { runtimeDevice } from './runtime-bundle.mjs';
import { percentile } from './stats.mjs';

export async function measureScheduler({ periods = 1000, periodMs = 10 } = {}) {
  const device = await runtimeDevice();
  const times = [];
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const pub = { s: [], sample: () => times.push(performance.now()) < periods || done() };
  const start = performance.now();
  const cancel = new device.context.Scheduler().schedulePeriodic(pub, periodMs / 1000);
  await finished;
  cancel();
  device.stop();

  // sample i belongs to period k: the next period, or, after a sample that ended past the next planned time, the
  // first period not already past, as the Scheduler plans it (so a late sample is jitter, not a skip)
  const jitter = [];
  let k = -1, skipped = 0, prev = start;
  for (const t of times) {
    const next = k < 0 ? 0 : Math.max(k + 1, Math.ceil((prev - start) / periodMs));
    skipped += next - k - 1;
    k = next;
    prev = t;
    jitter.push(t - (start + k * periodMs));
  }
  return {
    periods,
    periodMs,
    skipped,
    driftMs: jitter[jitter.length - 1],
    p50Ms: percentile(jitter.map(Math.abs), 50),
    p99Ms: percentile(jitter.map(Math.abs), 99),
    maxMs: Math.max(...jitter.map(Math.abs))
  };
}
