// Drives the TSL2591 driver, built like the firmware (test/fixtures/tsl2591-entry.ts), in the simulator on a
// fake clock. Every firmware call (a timer callback, or a call made from the test) is timed in host time and its
// I2C transactions counted, so tests can show that nothing blocks.
import path from 'node:path';
import { ROOT, buildWith } from './helpers.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { createDevice } from '../scripts/sim/device.mjs';

let built;
/** The driver bundle, built once per test file. */
export function driverBundle() {
  built ??= buildWith({}, { entry: path.join(ROOT, 'test/fixtures/tsl2591-entry.ts') });
  return built;
}

/** A fake clock whose timer callbacks are measured as firmware calls. */
class MeasuredClock extends FakeClock {
  constructor(calls) {
    super();
    this.calls = calls;
  }
  add(fn, ms, every) {
    return super.add(() => this.calls.measure(fn), ms, every);
  }
}

/**
 * A rig: light { lux, irRatio, transmission } and driver options. Returns helpers to read, to advance time
 * and to look at what the simulated sensor saw.
 */
export async function rig({ light = {}, opts = {}, id = 'lux-1' } = {}) {
  const { code, board } = await driverBundle();
  const calls = {
    maxTransactions: 0,
    count: 0,
    measure(fn) {
      const before = sim ? sim.transactions : 0;
      try {
        return fn();
      } finally {
        if (sim) this.maxTransactions = Math.max(this.maxTransactions, sim.transactions - before);
        this.count++;
      }
    }
  };
  let sim = null;
  const clock = new MeasuredClock(calls);
  const device = createDevice({ board, light, timers: clock, log: () => {} });
  sim = device.sensor;
  device.load(code);
  const events = [];
  const errors = [];
  let completed = false;
  Object.assign(device.context, {
    hostEvents: events,
    hostErrors: errors,
    hostCompleted: () => (completed = true)
  });
  // the bus name comes from the board profile, as the firmware's config passes it
  device.eval(`var sensor = new Tsl2591(${JSON.stringify(id)}, ${JSON.stringify({ busName: board.i2c, ...opts })}); var pub = new SensorPub(sensor);
    pub.subscribe({ onNext: function (e) { hostEvents.push(e); }, onError: function (e) { hostErrors.push(e); }, onCompleted: hostCompleted });`);
  const call = (js) => calls.measure(() => device.eval(js));
  const r = {
    clock,
    device,
    sim,
    calls,
    events,
    errors,
    get completed() {
      return completed;
    },
    /** The driver instance, as the firmware sees it. */
    get driver() {
      return device.context.sensor;
    },
    call,
    /** Console lines the firmware printed (SensorPub reports transient errors there). */
    get lines() {
      return device.lines;
    },
    /** Advances the fake clock by ms. */
    advance(ms) {
      clock.advance(ms);
    },
    /**
     * One sample as the scheduler takes it, then time runs until it reports (at most `limit` ms of device time).
     * Returns { value } for a published event, { error } for a transient error (printed by SensorPub), or
     * { none: true } when nothing came.
     */
    read({ limit = 10000, step = 10 } = {}) {
      const ev = events.length;
      const lines = device.lines.length;
      const errs = sim.transactions;
      call('pub.sample()');
      for (let t = 0; t <= limit; t += step) {
        if (events.length > ev) return { value: events[events.length - 1][2], event: events[events.length - 1] };
        if (errors.length) return { fatal: errors[errors.length - 1] };
        if (!device.pendingTimers()) {
          // not waiting any more and nothing published: a transient error (printed once per streak)
          return { error: true, lines: device.lines.slice(lines), transactions: sim.transactions - errs };
        }
        clock.advance(step);
      }
      return { none: true };
    },
    /** Reads n times, `every` ms apart, returning the results. */
    readMany(n, every = 1000) {
      const out = [];
      for (let i = 0; i < n; i++) {
        out.push(r.read());
        clock.advance(every);
      }
      return out;
    },
    /** Register writes the sensor saw since index `from`, as [reg, value] pairs. */
    writes(from = 0) {
      return sim.writes.slice(from).map((w) => [w.reg, w.value]);
    }
  };
  return r;
}

/** Tolerance of a lux reading: 1 % plus 0.0005 lux, a little more than one count at max gain and 100 ms (0.00041 lux). */
export function tolerance(lux) {
  return lux * 0.01 + 0.0005;
}
