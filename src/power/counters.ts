// What deep sleep keeps across wakes besides the readings: the Storage file `lgpower.json`, written once per send
// (never by a wake that only samples: flash wear), read at each wake.

/** The Storage file of the counters. */
const COUNTERS_FILE = 'lgpower.json';

export interface PowerCounters {
  /** Wakes by the sleep's timer, sends that delivered everything, sends that gave up. */
  wakes: number;
  sends: number;
  gaveUp: number;
  /** The wakes' awake time, milliseconds in all. */
  awakeMs: number;
  /**
   * How long a sleep really lasts, its wake's boot before the clock starts included, per millisecond asked: the
   * sleep timer's error and the boot, learned from SNTP on send wakes (src/power/clock.ts); 1 until then.
   */
  scale: number;
  /** The sleep asked, in milliseconds, since the clock was last set by SNTP (the wake file's wakes apart). */
  unsyncedMs: number;
  /** When the next wake's clock starts, milliseconds on the clock (0: not known): for a wake with no record before it. */
  next: number;
}

/** The counters, or zeros before the first send. */
export function readCounters(): PowerCounters {
  var c = require('Storage').readJSON(COUNTERS_FILE, true);
  return c && typeof c == 'object' ? (c as PowerCounters) : { wakes: 0, sends: 0, gaveUp: 0, awakeMs: 0, scale: 1, unsyncedMs: 0, next: 0 };
}

/** Writes the counters; a full Storage costs only their keeping. */
export function writeCounters(c: PowerCounters) {
  try {
    require('Storage').writeJSON(COUNTERS_FILE, c);
  } catch (e) {
    console.log('power: counters not kept: ' + ((e as Error).message || e));
  }
}
