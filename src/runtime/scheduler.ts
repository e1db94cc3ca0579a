import { constructorOf } from './constructor';
/** Anything the scheduler can sample: a SensorPub, or an object with the same shape. */
export interface Sampled {
  /** Takes a reading for the time `at` (seconds, getTime()'s clock): the schedule's plan. */
  sample(at?: number): void;
  /** A publisher's subscribers: '' once it has finished, which stops its sampling. */
  _subscribers?: unknown[] | '';
  /** A SensorPub's timestamps per second, which the schedule sets from its period. */
  _perSecond?: number;
}

/** Samples publishers on Espruino's event loop, with timers only: no busy waiting, no blocking call. */
export interface Scheduler {
  /** The constructor, as on an instance of a class. */
  constructor: Function;
  /**
   * Samples `pub` now and every `seconds` after. Sample k is planned at start + k·seconds, so timer error never
   * accumulates; a sample that overruns skips the periods it missed instead of bunching them, and a clock that is
   * set (SNTP) moves the plan with it, so readings stay one period apart. Each sample is given its planned time,
   * which a SensorPub stamps its reading with: milliseconds under a second, whole seconds otherwise. Returns a
   * function that cancels this schedule only.
   */
  schedulePeriodic(pub: Sampled, seconds: number): () => void;
  /** For parity with the tutorial: Espruino's own event loop already runs forever. */
  runForever(): void;
}

export var Scheduler = constructorOf<{ new (): Scheduler; prototype: Scheduler }>(function () {});

Scheduler.prototype = {
  // kept, as a class keeps it (Espruino adds it at the first `new` anyway)
  constructor: Scheduler as Function,
  schedulePeriodic: function (pub: Sampled | 0, seconds) {
    // pub: 0 once cancelled (the parameter itself, rather than a variable more kept for the schedule's life)
    // (tick as a variable: a function declaration used once would become a named function expression in the
    // bundle, whose name costs Espruino a variable more)
    // a SensorPub's timestamps: under a second apart, whole seconds would give readings the same one
    if (pub && pub._perSecond) pub._perSecond = seconds < 1 ? 1000 : 1;
    var start = getTime(), k = 0, timer: TimerId, tick = function () {
      if (!pub || pub._subscribers === '') return;
      var now = getTime(), late = now - start - k * seconds;
      // a timer fires within a hair of its time: a whole period off means the clock was set, so the plan moves
      if (late > seconds || late < -seconds) start += late;
      pub.sample(start + k * seconds);
      now = getTime();
      // the next planned time: one period on, or the first not already past when a slow sample overran
      // (a whole number kept as one: Math's results are fractions to Espruino, a variable more each)
      k = Math.max(k + 1, Math.ceil((now - start) / seconds)) | 0;
      if (pub) timer = setTimeout(tick, (start + k * seconds - now) * 1000);
    };
    timer = setTimeout(tick, 0);
    return function () {
      pub = 0;
      clearTimeout(timer);
    };
  },

  // the constructor, which does nothing either: one function fewer kept in device RAM
  runForever: Scheduler as Function as () => void
} as Scheduler;
