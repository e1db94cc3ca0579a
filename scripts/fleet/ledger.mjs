// One device's readings, from the moment it samples each to its arrival at the broker: what arrived (once each, with
// its latency), what arrived again (a QoS 1 resend), what waits, and what no sample explains. A reading is known by
// its timestamp and lux, as the payload ["<id>", ts, lux] carries them.

/** How many delivered readings are remembered: a resend is one still in the device's buffer (at most 256). */
const RECENT = 512;

export const readingKey = (ts, lux) => ts + ' ' + lux;

export class Ledger {
  constructor() {
    // sampled, not yet arrived: key → [[sample time, sampled while connected], …], more than one for twins
    this.pending = new Map();
    this.recent = new Set(); // keys delivered last, oldest first
    this.sampled = 0;
    this.delivered = 0;
    this.twins = 0; // readings equal to one sampled before (same timestamp and lux: one integration read twice)
    this.repeats = 0; // arrivals of a reading already delivered (QoS 1 resends after a reconnect)
    this.unknown = 0; // arrivals of a reading the device never sampled (or delivered long before): never expected
    this.latencies = []; // ms, of the readings sampled while connected
    this.backlogLatencies = []; // ms, of the readings sampled while disconnected (they waited in the buffer)
  }

  /** The device sampled [id, ts, lux] at `at` (ms), connected or not. */
  sample(ts, lux, at, connected) {
    const key = readingKey(ts, lux), waiting = this.pending.get(key), entry = [at, connected];
    this.sampled++;
    if (waiting || this.recent.has(key)) this.twins++;
    if (waiting) waiting.push(entry);
    else this.pending.set(key, [entry]);
  }

  /** A reading of the device arrived at `at` (ms). */
  arrived(ts, lux, at) {
    const key = readingKey(ts, lux), waiting = this.pending.get(key);
    if (!waiting) {
      if (this.recent.has(key)) this.repeats++;
      else this.unknown++;
      return;
    }
    const [sampledAt, connected] = waiting.shift();
    if (!waiting.length) this.pending.delete(key);
    this.delivered++;
    this.recent.add(key);
    if (this.recent.size > RECENT) this.recent.delete(this.recent.values().next().value);
    (connected ? this.latencies : this.backlogLatencies).push(at - sampledAt);
  }
}
