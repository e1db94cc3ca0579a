// `npm start` with a config that sleeps (power.deepSleep): the firmware through its wakes (scripts/sim/sleeper.mjs)
// on a fast clock, against the session's broker. Awake, the board's clock runs in real time (the broker answers as
// it would); asleep, SLEEP_SPEED times faster, so five minutes of sleep pass in five seconds. Each console line
// of the board says the board's time, and the broker's lines show the readings arriving in bursts.
import { FakeClock } from './clock.mjs';
import { sleepingDevice } from './sleeper.mjs';

/** How much faster than real time a sleep passes. */
export const SLEEP_SPEED = 60;
/** The real milliseconds between two moves of the fast clock. */
const TICK_MS = 20;

/** hh:mm:ss of a clock in milliseconds. */
const clockTime = (ms) => new Date(ms).toISOString().slice(11, 19);

/**
 * Runs the session's firmware (startSession's { built, broker }) asleep and awake; `print(line)` gets the board's
 * lines. Returns { sleeper, clock, stop() }.
 */
export function runSleeping({ built, broker }, { print = (line) => console.log(line), speed = SLEEP_SPEED } = {}) {
  const clock = new FakeClock(Date.now());
  const sleeper = sleepingDevice({
    board: built.board,
    broker,
    timers: clock,
    log: (line) => print(`[${clockTime(clock.now())}] ${line}`)
  });
  print(`simulator: deep sleep (power.deepSleep): awake the board runs in real time, asleep ${speed} times faster; [hh:mm:ss] is the board's time`);
  sleeper.firstBoot(built);
  const pump = setInterval(() => clock.advance(TICK_MS * (sleeper.asleep() ? speed : 1)), TICK_MS);
  return {
    sleeper,
    clock,
    stop() {
      clearInterval(pump);
      sleeper.stop();
    }
  };
}
