// Shared by the runtime and operator tests: the runtime and every operator (test/fixtures/runtime-all.ts), built
// like the firmware to ES5, loaded into a simulated device on a fake clock.
import path from 'node:path';
import { buildWith, ROOT } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';

let built;

/** The bundle, built once per test file. */
export function runtimeBundle() {
  built ??= buildWith({}, { entry: path.join(ROOT, 'test/fixtures/runtime-all.ts') });
  return built;
}

/** JSON round trip: a value from the device's realm as a plain Node value, for deepEqual. */
export const plain = (x) => (x === undefined ? x : JSON.parse(JSON.stringify(x)));

/**
 * A fresh device with the runtime loaded, booted at fake-clock time `start` (ms). Returns { g (its globals), ops, device, clock, lines,
 * vm(x) (a Node value recreated inside the device, so `instanceof Array` holds there), record(pub) }.
 */
export async function runtime({ start } = {}) {
  const { code, board } = await runtimeBundle();
  const clock = new FakeClock(start);
  const device = createDevice({ board, timers: clock, log: () => {} });
  device.load(code);
  const g = device.context;
  const parse = device.eval('(function (s) { return JSON.parse(s); })');
  return {
    g,
    ops: g.ops,
    device,
    clock,
    lines: device.lines,
    vm: (x) => parse(JSON.stringify(x)),
    record: (pub) => record(pub)
  };
}

/** Subscribes a recorder: { events, errors (messages), completed (count), off (the disposer) }. */
export function record(pub) {
  const r = { events: [], errors: [], completed: 0 };
  r.off = pub.subscribe({
    onNext: (x) => r.events.push(plain(x)),
    onError: (e) => r.errors.push(e && e.message ? e.message : String(e)),
    onCompleted: () => r.completed++
  });
  return r;
}

/** A sensor for SensorPub: returns each of `values` in turn (a function is called; an Error is thrown). */
export function scripted(id, values) {
  let i = 0;
  return {
    sensorId: id,
    calls: 0,
    sample() {
      this.calls++;
      const v = values[Math.min(i++, values.length - 1)];
      if (v instanceof Error) throw v;
      return typeof v == 'function' ? v.apply(this, arguments) : v;
    }
  };
}

export function transientError(message) {
  const e = new Error(message);
  e.transient = true;
  return e;
}
