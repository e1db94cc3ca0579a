// A fake clock with the timer API of device.mjs's `timers`: time moves only when advance() is called,
// so hours of firmware time run in milliseconds and timing tests are exact.
export class FakeClock {
  constructor(start = 1_700_000_000_000) {
    this.t = start;
    this.seq = 0;
    this.queue = new Map(); // id → { at, fn, every }
    this.setTimeout = (fn, ms) => this.add(fn, ms, 0);
    this.setInterval = (fn, ms) => this.add(fn, ms, Math.max(1, ms || 0));
    this.clearTimeout = (id) => this.queue.delete(id);
    this.clearInterval = this.clearTimeout;
    this.now = () => this.t;
  }
  add(fn, ms, every) {
    const id = ++this.seq;
    this.queue.set(id, { at: this.t + Math.max(0, ms || 0), fn, every, seq: id });
    // a timer already due, set outside advance() (by a socket's event, say), runs as soon as that event is handled,
    // as in Espruino's idle loop, rather than waiting for the next step of time
    if (!(ms > 0) && !this.advancing && !this.soon) {
      this.soon = true;
      setImmediate(() => {
        this.soon = false;
        this.advance(0);
      });
    }
    return id;
  }
  /** The next timer due no later than `limit`, earliest (then oldest) first. */
  next(limit) {
    let best = null;
    for (const [id, e] of this.queue) if (e.at <= limit && (!best || e.at < best[1].at || (e.at == best[1].at && e.seq < best[1].seq))) best = [id, e];
    return best;
  }
  /** Moves time forward by ms, running every timer that falls due, in order. */
  advance(ms) {
    const end = this.t + ms;
    this.advancing = true;
    try {
      this.run(end);
    } finally {
      this.advancing = false;
    }
    this.t = end;
  }
  run(end) {
    for (let n; (n = this.next(end)); ) {
      const [id, e] = n;
      this.t = Math.max(this.t, e.at);
      if (e.every) {
        e.at += e.every;
        e.seq = ++this.seq;
      } else this.queue.delete(id);
      e.fn();
    }
  }
  pending() {
    return this.queue.size;
  }
}
