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
    for (let n; (n = this.next(end)); ) {
      const [id, e] = n;
      this.t = Math.max(this.t, e.at);
      if (e.every) {
        e.at += e.every;
        e.seq = ++this.seq;
      } else this.queue.delete(id);
      e.fn();
    }
    this.t = end;
  }
  pending() {
    return this.queue.size;
  }
}
