/**
 * Exponential backoff with jitter for reconnects: each wait is half to all of the current step, and the step
 * doubles up to `max` seconds. The jitter keeps a room full of sensors from hammering a router that comes back.
 */
export class Backoff {
  /** Current step, seconds. */
  s = 1;
  constructor(public max: number) {}

  /** Seconds to wait before the next attempt. */
  next() {
    var w = this.s * (0.5 + Math.random() / 2);
    this.s = Math.min(this.s * 2, this.max);
    return w;
  }

  reset() {
    this.s = 1;
  }
}
