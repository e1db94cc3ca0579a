/** Anything the scheduler can sample: a SensorPub, or an object with the same shape. */
export interface Sampled {
  sample(): void;
  /** Subscribers; null once the publisher has finished, which stops its sampling. */
  s?: any;
}

/** Samples publishers on Espruino's event loop, with timers only: no busy waiting, no blocking call. */
export interface Scheduler {
  /**
   * Samples `pub` now and every `seconds` after. Sample k is planned at start + k·seconds, so timer
   * error never accumulates; a sample that overruns skips the periods it missed instead of bunching them.
   * Returns a function that cancels this schedule only.
   */
  schedulePeriodic(pub: Sampled, seconds: number): () => void;
  /** For parity with the tutorial: Espruino's own event loop already runs forever. */
  runForever(): void;
}

export var Scheduler = function () {} as any as { new (): Scheduler; prototype: Scheduler };

Scheduler.prototype = {
  schedulePeriodic: function (pub, seconds) {
    var t0 = getTime(), k = 0, timer: any, p: Sampled | 0 = pub; // p: 0 once cancelled
    function tick() {
      if (!p || p.s === null) return;
      p.sample();
      var now = getTime(), d;
      // the next planned time: one period on, or the first not already past when a slow sample overran
      k = Math.max(k + 1, Math.ceil((now - t0) / seconds));
      d = t0 + k * seconds - now;
      // the clock was set back (SNTP): plan afresh from now rather than wait out the difference (a timer that
      // fires a hair early, as the clock reads it, leaves d just over one period: that is no jump)
      if (d > 2 * seconds) {
        t0 = now;
        k = 1;
        d = seconds;
      }
      if (p) timer = setTimeout(tick, d * 1000);
    }
    timer = setTimeout(tick, 0);
    return function () {
      p = 0;
      clearTimeout(timer);
    };
  },

  runForever: function () {}
} as Scheduler;
