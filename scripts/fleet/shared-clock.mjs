// The one clock of a sleeping fleet (scripts/sim/clock.mjs's FakeClock, every device's timers on it). While some
// device talks to the broker, the clock follows real time, so the broker's answers take the time they take; while
// every device that is awake waits on its own timers alone (a wake that only samples, a send with everything
// answered), it steps from timer to timer; while every device sleeps, it jumps to the next wake. Between two steps
// the sockets have their turn.
import { performance } from 'node:perf_hooks';

/**
 * The longest real-time step, ms: a host busy booting hundreds of devices at once does not count its own delay as
 * the devices' awake time.
 */
export const REAL_STEP_MS = 50;
/** The longest step while every device awake is quiet, ms: the sockets still get a turn every board second. */
export const QUIET_STEP_MS = 1000;

const breath = () => new Promise((resolve) => setTimeout(resolve, 1));

/**
 * Drives `clock` until `until()` holds. `members` have `awake` and `quiet`; `between()` is called before every step
 * (the fleet settles its devices there). Returns the board milliseconds spent in each kind of step.
 */
export async function driveClock(clock, members, { until, between = () => {} }) {
  const spent = { real: 0, quiet: 0, asleep: 0 };
  let last = performance.now();
  while (!until()) {
    between();
    const awake = members.filter((m) => m.awake);
    const next = clock.next(Infinity);
    const toNext = next ? Math.max(0, next[1].at - clock.now()) : Infinity;
    let step, kind;
    if (!awake.length) {
      if (!next) break; // nothing will ever happen again
      [step, kind] = [toNext, 'asleep'];
    } else if (awake.every((m) => m.quiet)) [step, kind] = [Math.min(toNext, QUIET_STEP_MS), 'quiet'];
    else [step, kind] = [Math.min(REAL_STEP_MS, Math.max(1, performance.now() - last)), 'real'];
    last = performance.now();
    clock.advance(step);
    spent[kind] += step;
    await breath();
  }
  return spent;
}
