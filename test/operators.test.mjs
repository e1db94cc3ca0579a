// Every operator (src/runtime/ops), on the real ES5 build in a simulated device with a fake clock: behaviour,
// error and completion pass-through, timers cleared, and laws against plain-array equivalents (fast-check).
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runtime, record } from './runtime-device.mjs';

const RUNS = { numRuns: 60 };

/** Pushes `xs` through `build(src)` and completes; returns what came out. */
function through(rt, build, xs, { end = 'complete' } = {}) {
  const src = new rt.g.Publisher();
  const r = record(build(src));
  for (const x of xs) src.next(typeof x == 'object' ? rt.vm(x) : x);
  if (end == 'complete') src.complete();
  else if (end == 'error') src.error(new Error('upstream failed'));
  return { ...r, src };
}

test('laws: map, filter, select, take, skip and batch behave like their array equivalents', async () => {
  const rt = await runtime();
  const { ops } = rt;
  const ints = fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 40 });
  fc.assert(
    fc.property(ints, fc.integer({ min: 0, max: 45 }), fc.integer({ min: 1, max: 8 }), (xs, n, size) => {
      const f = (x) => x * 3 - 1;
      const odd = (x) => x % 2 != 0;
      assert.deepEqual(through(rt, (s) => ops.map(s, f), xs).events, xs.map(f));
      assert.deepEqual(through(rt, (s) => ops.filter(s, odd), xs).events, xs.filter(odd));
      assert.deepEqual(through(rt, (s) => ops.skip(s, n), xs).events, xs.slice(n));
      const taken = through(rt, (s) => ops.take(s, n), xs);
      assert.deepEqual(taken.events, xs.slice(0, n));
      assert.equal(taken.completed, 1);
      const groups = [];
      for (let i = 0; i < xs.length; i += size) groups.push(xs.slice(i, i + size));
      assert.deepEqual(through(rt, (s) => ops.batch(s, size), xs).events, groups);
      const events = xs.map((x, i) => ['s', i, x]);
      assert.deepEqual(through(rt, (s) => ops.select(s, 2), events).events, xs);
    }),
    RUNS
  );
});

test('laws: slidingMean is the mean of the last n values, onChange keeps changes of at least minDelta', async () => {
  const rt = await runtime();
  const { ops } = rt;
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 30 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 300 }), (xs, n, d) => {
      const means = xs.map((_, i) => {
        const w = xs.slice(Math.max(0, i - n + 1), i + 1);
        return w.reduce((a, b) => a + b, 0) / w.length;
      });
      const got = through(rt, (s) => ops.slidingMean(s, n), xs).events;
      assert.equal(got.length, xs.length);
      // to 4 decimals, as the driver gives lux
      got.forEach((m, i) => assert.ok(Math.abs(m - means[i]) <= 5e-5 && Math.round(m * 1e4) / 1e4 === m, `mean ${i}: ${m} vs ${means[i]}`));
      const kept = [];
      for (const x of xs) if (!kept.length || (x !== kept[kept.length - 1] && Math.abs(x - kept[kept.length - 1]) >= d)) kept.push(x);
      assert.deepEqual(through(rt, (s) => ops.onChange(s, d), xs).events, kept);
    }),
    RUNS
  );
});

test('slidingMean and onChange work on the value of [id, ts, value] events and keep id and timestamp', async () => {
  const rt = await runtime();
  const { ops } = rt;
  const events = [['lux-1', 10, 100], ['lux-1', 12, 200], ['lux-1', 14, 600], ['lux-1', 16, 605]];
  assert.deepEqual(through(rt, (s) => ops.slidingMean(s, 2), events).events, [['lux-1', 10, 100], ['lux-1', 12, 150], ['lux-1', 14, 400], ['lux-1', 16, 602.5]]);
  assert.deepEqual(through(rt, (s) => ops.onChange(s, 50), events).events, [['lux-1', 10, 100], ['lux-1', 12, 200], ['lux-1', 14, 600]]);
  assert.deepEqual(through(rt, (s) => ops.onChange(s), ['a', 'a', 'b', 'b', 'a']).events, ['a', 'b', 'a'], 'no minDelta: any change');
});

test('chaining: sensor.map(f).filter(g).subscribe(w) on a sampled sensor', async () => {
  const rt = await runtime();
  const { g, clock } = rt;
  let v = 0;
  const pub = new g.SensorPub({ sensorId: 'lux-1', sample: () => (v += 10) });
  const r = record(pub.map((x) => x[2] / 10).filter((x) => x % 2 == 0).take(3));
  new g.Scheduler().schedulePeriodic(pub, 1);
  clock.advance(20_000);
  assert.deepEqual(r.events, [2, 4, 6]);
  assert.equal(r.completed, 1);
  assert.equal(g.subscribers(pub).length, 0, 'take detached from the sensor when it completed');
});

test('every operator passes errors through and drops nothing before them', async () => {
  const rt = await runtime();
  const { ops } = rt;
  const cases = {
    map: (s) => ops.map(s, (x) => x),
    filter: (s) => ops.filter(s, () => true),
    select: (s) => ops.select(s, 0),
    take: (s) => ops.take(s, 10),
    skip: (s) => ops.skip(s, 0),
    slidingMean: (s) => ops.slidingMean(s, 1),
    onChange: (s) => ops.onChange(s),
    throttle: (s) => ops.throttle(s, 0),
    debounce: (s) => ops.debounce(s, 1),
    batch: (s) => ops.batch(s, 1),
    timeout: (s) => ops.timeout(s, 5),
    heartbeat: (s) => ops.heartbeat(s, 5),
    clamp: (s) => ops.clamp(s, 0, 100),
    range: (s) => ops.range(s, 0, 100),
    round: (s) => ops.round(s, 1)
  };
  assert.deepEqual(Object.keys(cases).sort(), Object.keys(ops).sort(), 'every operator is covered');
  for (const [name, build] of Object.entries(cases)) {
    const r = through(rt, build, [[7]], { end: 'error' });
    assert.deepEqual(r.errors, ['upstream failed'], name);
    assert.equal(r.completed, 0, name);
    // debounce holds its event; the event [7] has no value at index 2, which range leaves out
    assert.equal(r.events.length, name == 'debounce' || name == 'range' ? 0 : 1, `${name}: ${JSON.stringify(r.events)}`);
    const c = through(rt, build, [], { end: 'complete' });
    assert.equal(c.completed, 1, name);
    assert.deepEqual(c.errors, [], name);
  }
  assert.equal(rt.clock.pending(), 0, 'no timer left behind');
});

test('take: completes after n and detaches from its source; take(0) completes at the first event', async () => {
  const rt = await runtime();
  const { g, ops } = rt;
  const src = new g.Publisher();
  const r = record(ops.take(src, 2));
  src.next(1);
  assert.equal(g.subscribers(src).length, 1);
  src.next(2);
  src.next(3);
  assert.deepEqual(r.events, [1, 2]);
  assert.equal(r.completed, 1);
  assert.equal(g.subscribers(src).length, 0);
  const zero = through(rt, (s) => ops.take(s, 0), [5], { end: 'none' });
  assert.deepEqual(zero.events, []);
  assert.equal(zero.completed, 1);
});

test('an operator attaches at its first subscriber and detaches when the last one leaves, and again', async () => {
  const { g, ops } = await runtime();
  const src = new g.Publisher();
  const m = ops.map(src, (x) => x + 1);
  assert.equal(g.subscribers(src).length, 0, 'nothing attached before anyone listens');
  const a = record(m), b = record(m);
  assert.equal(g.subscribers(src).length, 1, 'one attachment for two subscribers');
  src.next(1);
  a.off();
  src.next(2);
  b.off();
  assert.equal(g.subscribers(src).length, 0);
  const c = record(m);
  src.next(3);
  assert.deepEqual([a.events, b.events, c.events], [[2], [2, 3], [4]]);
});

test('throttle: an event, then nothing for the given seconds after it', async () => {
  const rt = await runtime();
  const { g, ops, clock } = rt;
  const src = new g.Publisher();
  const r = record(ops.throttle(src, 2));
  for (let i = 0; i < 10; i++) {
    src.next(i);
    clock.advance(500);
  }
  assert.deepEqual(r.events, [0, 4, 8]);
  assert.equal(clock.pending(), 0, 'throttle needs no timer');
});

test('debounce: an event once the source was quiet for the given seconds; completion flushes the waiting one', async () => {
  const rt = await runtime();
  const { g, ops, clock } = rt;
  const src = new g.Publisher();
  const r = record(ops.debounce(src, 1));
  src.next('a');
  clock.advance(500);
  src.next('b');
  clock.advance(999);
  assert.deepEqual(r.events, []);
  clock.advance(1);
  assert.deepEqual(r.events, ['b']);
  src.next('c');
  src.complete();
  assert.deepEqual(r.events, ['b', 'c']);
  assert.equal(r.completed, 1);
  assert.equal(clock.pending(), 0);
});

test('debounce: an error drops the waiting event and an unsubscribe clears the timer', async () => {
  const { g, ops, clock } = await runtime();
  const src = new g.Publisher();
  const r = record(ops.debounce(src, 1));
  src.next('a');
  src.error(new Error('gone'));
  clock.advance(5000);
  assert.deepEqual(r.events, []);
  assert.deepEqual(r.errors, ['gone']);
  const src2 = new g.Publisher();
  const r2 = record(ops.debounce(src2, 1));
  src2.next('x');
  assert.equal(clock.pending(), 1);
  r2.off();
  assert.equal(clock.pending(), 0);
  clock.advance(5000);
  assert.deepEqual(r2.events, []);
});

test('batch: groups of n; completion sends the shorter rest, an error drops it', async () => {
  const rt = await runtime();
  const { ops } = rt;
  const done = through(rt, (s) => ops.batch(s, 3), [1, 2, 3, 4, 5]);
  assert.deepEqual(done.events, [[1, 2, 3], [4, 5]]);
  assert.equal(done.completed, 1);
  const failed = through(rt, (s) => ops.batch(s, 3), [1, 2, 3, 4], { end: 'error' });
  assert.deepEqual(failed.events, [[1, 2, 3]]);
});

test('timeout: an error after the given seconds of silence, counted from the last event', async () => {
  const { g, ops, clock } = await runtime();
  const src = new g.Publisher();
  const r = record(ops.timeout(src, 5));
  clock.advance(4000);
  src.next(1);
  clock.advance(4000);
  src.next(2);
  clock.advance(4999);
  assert.deepEqual(r.errors, []);
  clock.advance(1);
  assert.deepEqual(r.events, [1, 2]);
  assert.deepEqual(r.errors, ['timeout: no event in 5 s']);
  assert.equal(g.subscribers(src).length, 0, 'detached from the source');
  assert.equal(clock.pending(), 0);
});

test('timeout with a heartbeat: sent at each silent period, the stream goes on', async () => {
  const { g, ops, clock } = await runtime();
  const src = new g.Publisher();
  const r = record(ops.timeout(src, 2, 'silent'));
  clock.advance(4500);
  src.next('x');
  clock.advance(2000);
  assert.deepEqual(r.events, ['silent', 'silent', 'x', 'silent']);
  assert.deepEqual(r.errors, []);
  src.complete();
  assert.equal(r.completed, 1);
  assert.equal(clock.pending(), 0, 'completion cleared the timer');
  const src2 = new g.Publisher();
  const r2 = record(ops.timeout(src2, 2, 0));
  r2.off();
  assert.equal(clock.pending(), 0, 'unsubscribing cleared the timer');
});
