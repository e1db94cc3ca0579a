// Time across deep sleeps. The ESP8266's clock starts again at 0 on every wake, so a wake sets it: the time the last
// wake planned for this one's clock to start, its sleep scaled by what a sleep really lasts. That scale is learned:
// when SNTP sets the clock on a send wake, the jump it makes is the error of the sleeps since the last time it did.
// It holds the sleep timer's error (an RC oscillator, some percent off) and the boot before the clock starts
// (every sleep being about a period long, the boot is a share of it too). The ESP32's clock keeps running through a
// sleep, and is left alone.
import type { LuxGraph } from '../control/state';
import type { PowerCounters } from './counters';
import type { Wakes } from './wake-file';
import { clockRestarts } from './sleep';
import { UNIX_TIME } from '../control/unix-time';

/** A jump of the clock between two looks of the watch larger than this, in seconds, is SNTP setting it. */
const JUMP_SECONDS = 0.5;
/** The most a sleep may last beyond or short of what was asked, as a share: more is a bad sample of SNTP, not learned. */
const MOST_OFF = 0.1;

/**
 * At a wake by the sleep's timer: sets the clock to `next` (milliseconds, as the last wake planned it; 0: unknown)
 * where it started again, and returns when this wake's clock started, in seconds.
 */
export function setWakeClock(next: number): number {
  var sinceStart = getTime();
  if (!(clockRestarts() && next)) return sinceStart;
  setTime(next / 1000 + sinceStart);
  return next / 1000;
}

/**
 * The watch's look at the clock, `seconds` after its last one: a jump is SNTP setting it. The wake's start moves
 * with it (the awake time stays right), and the first jump of a wake from Unix time to Unix time is the error of the
 * sleeps since the last one: `_synced` takes it as a share of the time they were asked to last (0 for a jump from
 * the time since boot). `sleptMs`: the time asked of those sleeps, this wake's included.
 */
export function lookAtClock(L: LuxGraph, seconds: number, sleptMs: () => number) {
  var now = getTime(), jump = now - (L._looked as number) - seconds;
  L._looked = now;
  if (!(jump > JUMP_SECONDS || jump < -JUMP_SECONDS)) return;
  L._wokeAt = (L._wokeAt as number) + jump;
  if (L._synced === undefined) L._synced = now - jump > UNIX_TIME ? (jump * 1000) / sleptMs() : 0;
}

/**
 * The sleep asked since SNTP last set the clock, in milliseconds: the counters' and that of the wake file's wakes,
 * each asked for what was left of its period (`periodMs`) after it, scaled as then.
 */
export function sleptSinceSync(c: PowerCounters, wakes: Wakes, periodMs: number) {
  return c.unsyncedMs + (wakes.count * periodMs - wakes.awakeMs) / c.scale;
}

/**
 * The counters after a wake that ran the writer: the scale of the sleeps as learned (see lookAtClock), or the
 * wake file's sleeps added to those since SNTP last set the clock.
 */
export function learnClock(L: LuxGraph, c: PowerCounters, wakes: Wakes, periodMs: number) {
  if (L._synced === undefined) {
    c.unsyncedMs = sleptSinceSync(c, wakes, periodMs);
    return;
  }
  c.scale = Math.max(1 - MOST_OFF, Math.min(1 + MOST_OFF, c.scale + L._synced));
  c.unsyncedMs = 0;
}
