/** Anything the scheduler can sample: a SensorPub, or an object with the same shape. */
export interface Sampled {
  sample(): void;
  /** Subscribers; null once the publisher has finished, which stops its sampling. */
  s?: any;
}

/** Samples publishers on Espruino's event loop, with timers only: no busy waiting, no blocking call. */
export class Scheduler {
  /**
   * Samples `pub` now and every `seconds` after. Sample k is planned at start + k·seconds, so timer
   * error never accumulates; a sample that overruns skips the periods it missed instead of bunching them.
   * Returns a function that cancels this schedule only.
   */
  schedulePeriodic(pub: Sampled, seconds: number): () => void {
    var t0 = getTime(), k = 0, timer: any, live = true;
    function tick() {
      if (!live || pub.s === null) return;
      pub.sample();
      var now = getTime();
      k = Math.max(k + 1, Math.ceil((now - t0) / seconds));
      if (live) timer = setTimeout(tick, (t0 + k * seconds - now) * 1000);
    }
    timer = setTimeout(tick, 0);
    return function () {
      live = false;
      clearTimeout(timer);
    };
  }

  /** For parity with the tutorial: Espruino's own event loop already runs forever. */
  runForever() {}
}
