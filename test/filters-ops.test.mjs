// The operators sensor.filters adds (heartbeat, clamp, range, round, onChange by a percentage, slidingMean's
// window), on the real ES5 build in a simulated device with a fake clock: what passes, when, and that errors and
// completion pass through and timers are cleared.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runtime, record, scripted } from './runtime-device.mjs';

/** A source, a recorder on `build(src)`, and `send(...events)` that recreates each event inside the device. */
async function rig(build, opts) {
  const rt = await runtime(opts);
  const src = new rt.g.Publisher();
  const r = record(build(rt.ops, src));
  const send = (...xs) => xs.forEach((x) => src.next(typeof x == 'object' ? rt.vm(x) : x));
  return { ...rt, src, r, send };
}

test('heartbeat: nothing before the first event; after each silence of the given seconds the last event again, as of now', async () => {
  // the device's clock starts at the fake clock's start; getTime() counts seconds from boot until SNTP sets it
  const { clock, r, send, src } = await rig((ops, s) => ops.heartbeat(s, 5));
  clock.advance(20_000);
  assert.deepEqual(r.events, [], 'no event yet, nothing to repeat');
  send(['lux-1', 20, 300]);
  clock.advance(4_999);
  assert.deepEqual(r.events, [['lux-1', 20, 300]]);
  clock.advance(1);
  assert.deepEqual(r.events, [['lux-1', 20, 300], ['lux-1', 25, 300]], 'repeated at 25 s with the time of the repeat');
  clock.advance(10_000);
  assert.deepEqual(r.events.map((e) => e[1]), [20, 25, 30, 35], 'again every 5 s while the silence lasts');
  clock.advance(2_000);
  send(['lux-1', 37, 410]);
  clock.advance(4_000);
  assert.equal(r.events.length, 5, 'a new event restarts the wait');
  clock.advance(1_000);
  assert.deepEqual(r.events.slice(4), [['lux-1', 37, 410], ['lux-1', 42, 410]]);
  src.complete();
  assert.equal(r.completed, 1);
  assert.equal(clock.pending(), 0, 'completion stopped its timer');
  clock.advance(20_000);
  assert.equal(r.events.length, 6, 'nothing after completion');
});

test('heartbeat: plain values are repeated as they are; an error passes and stops the timer, as does the last subscriber leaving', async () => {
  const { clock, r, send, src } = await rig((ops, s) => ops.heartbeat(s, 1));
  send(7);
  clock.advance(2_000);
  assert.deepEqual(r.events, [7, 7, 7]);
  src.error(new Error('sensor gone'));
  assert.deepEqual(r.errors, ['sensor gone']);
  assert.equal(clock.pending(), 0);
  const other = await rig((ops, s) => ops.heartbeat(s, 1));
  other.send(1);
  assert.equal(other.clock.pending(), 1);
  other.r.off();
  assert.equal(other.clock.pending(), 0, 'unsubscribing stopped the timer');
  other.clock.advance(5_000);
  assert.deepEqual(other.r.events, [1]);
});

test('clamp: values outside [min, max] become the nearest bound, in a new event; the source event is left as it was', async () => {
  const { r, send, g, vm } = await rig((ops, s) => ops.clamp(s, 10, 1000));
  send(['lux-1', 1, 5], ['lux-1', 2, 10], ['lux-1', 3, 284.5], ['lux-1', 4, 1000], ['lux-1', 5, 80000], 3, 3000);
  assert.deepEqual(r.events, [['lux-1', 1, 10], ['lux-1', 2, 10], ['lux-1', 3, 284.5], ['lux-1', 4, 1000], ['lux-1', 5, 1000], 10, 1000]);
  // another subscriber of the same source still sees the raw reading
  const src = new g.Publisher(), raw = record(src), clamped = record(g.ops.clamp(src, 0, 100));
  src.next(vm(['lux-1', 1, 500]));
  assert.deepEqual([raw.events, clamped.events], [[['lux-1', 1, 500]], [['lux-1', 1, 100]]]);
});

test('range: only values within [min, max], bounds included; a null reading (NaN on the device) is left out', async () => {
  const { r, send } = await rig((ops, s) => ops.range(s, 1, 100));
  send(0.5, 1, 50, 100, 100.01, NaN);
  assert.deepEqual(r.events, [1, 50, 100]);
});

test('round: to the given decimals; clamp and round leave a null reading (NaN) as it is', async () => {
  const { r, send } = await rig((ops, s) => ops.round(s, 1));
  send(['lux-1', 1, 284.1312], ['lux-1', 2, 0.04], 2.25);
  assert.deepEqual(r.events, [['lux-1', 1, 284.1], ['lux-1', 2, 0], 2.3]);
  const whole = await rig((ops, s) => ops.round(s, 0));
  whole.send(1499.5);
  assert.deepEqual(whole.r.events, [1500]);
  const nan = await rig((ops, s) => ops.clamp(ops.round(s, 2), 0, 10));
  nan.src.next(nan.device.eval("['lux-1', 1, NaN]"));
  // recorded as JSON, as it is published: NaN shows as null (a clamp to 0 would show 0)
  assert.deepEqual(nan.r.events, [['lux-1', 1, null]]);
});

test('onChange by a fraction: each value that moved at least that share of the last value passed; from 0, any change', async () => {
  const rt = await runtime();
  const pass = (xs, f) => {
    const src = new rt.g.Publisher(), r = record(rt.ops.onChange(src, f, 1));
    xs.forEach((x) => src.next(x));
    return r.events;
  };
  assert.deepEqual(pass([100, 105, 109.9, 110, 99.5, 98, 0, 0, 0.01], 0.1), [100, 110, 98, 0, 0.01]);
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 30 }), fc.integer({ min: 0, max: 50 }), (xs, pct) => {
      const kept = [];
      for (const x of xs) {
        const l = kept[kept.length - 1];
        if (!kept.length || (x !== l && Math.abs(x - l) >= (pct / 100) * Math.abs(l))) kept.push(x);
      }
      assert.deepEqual(pass(xs, pct / 100), kept);
    }),
    { numRuns: 60 }
  );
});

test('slidingMean: a window of n kept as numbers, fewer at the start, the mean to 4 decimals', async () => {
  const { r, send } = await rig((ops, s) => ops.slidingMean(s, 3));
  send(['lux-1', 1, 1], ['lux-1', 2, 2], ['lux-1', 3, 2], ['lux-1', 4, 10], ['lux-1', 5, 10], ['lux-1', 6, 10]);
  assert.deepEqual(r.events.map((e) => e[2]), [1, 1.5, 1.6667, 4.6667, 7.3333, 10]);
});

test('a pipeline as sensor.filters makes it: slidingMean → onChange 10% → heartbeat on a sampled sensor, by the fake clock', async () => {
  const rt = await runtime();
  const { g, ops, clock } = rt;
  // readings every second: steady at 100, a step to 200 at the 10th, steady again
  const values = Array.from({ length: 40 }, (_, i) => (i < 10 ? 100 : 200));
  const pub = new g.SensorPub(scripted('lux-1', values));
  const r = record(ops.heartbeat(ops.onChange(ops.slidingMean(pub, 4), 0.1, 1), 6));
  new g.Scheduler().schedulePeriodic(pub, 1);
  clock.advance(25_500);
  const t0 = r.events[0][1];
  assert.deepEqual(
    r.events.map((e) => [e[1] - t0, e[2]]),
    [
      [0, 100], // the first reading
      [6, 100], // 6 s without a change: repeated
      [10, 125], // the step enters the mean: 25 % up
      [11, 150], // each change over 10 % of the last passed, at once
      [12, 175],
      [13, 200],
      [19, 200], // steady again: repeated every 6 s
      [25, 200]
    ],
    JSON.stringify(r.events)
  );
});
