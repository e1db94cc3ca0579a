// The runtime's semantics (src/runtime), on the real ES5 build in a simulated device with a fake clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runtime, record, plain, scripted, transientError } from './runtime-device.mjs';

test('subscribe takes an object or a plain function and returns a disposer', async () => {
  const { g } = await runtime();
  const p = new g.Publisher();
  const seen = [];
  const offFn = p.subscribe((x) => seen.push(['fn', x]));
  const rec = record(p);
  p.next(1);
  offFn();
  p.next(2);
  rec.off();
  p.next(3);
  assert.deepEqual(seen, [['fn', 1]]);
  assert.deepEqual(rec.events, [1, 2]);
  assert.equal(g.subscribers(p).length, 0);
  offFn(); // disposing twice is harmless
  assert.equal(g.subscribers(p).length, 0);
});

test('disposing during a dispatch: the removed subscriber gets nothing more, the others carry on', async () => {
  const { g } = await runtime();
  const p = new g.Publisher();
  const seen = [];
  let offB, offA;
  offA = p.subscribe((x) => {
    seen.push('a' + x);
    offB(); // removes a later subscriber in the middle of this dispatch
    offA(); // and itself
  });
  offB = p.subscribe((x) => seen.push('b' + x));
  p.subscribe((x) => {
    seen.push('c' + x);
    if (x == 1) p.subscribe((y) => seen.push('late' + y)); // added during dispatch: starts with the next event
  });
  p.next(1);
  p.next(2);
  assert.deepEqual(seen, ['a1', 'c1', 'c2', 'late2']);
});

test('removed during a dispatch after the list changed twice: still nothing more for it', async () => {
  const { g } = await runtime();
  const p = new g.Publisher();
  const seen = [];
  let offC;
  p.subscribe((x) => {
    seen.push('a' + x);
    if (x != 1) return;
    p.subscribe((y) => seen.push('late' + y)); // a new list while this dispatch walks the old one
    offC(); // then a removal from that newer list
  });
  p.subscribe((x) => seen.push('b' + x));
  offC = p.subscribe((x) => seen.push('c' + x));
  p.next(1);
  p.next(2);
  assert.deepEqual(seen, ['a1', 'b1', 'a2', 'b2', 'late2']);
});

test('after complete nothing more is sent, the subscribers are dropped and a late subscriber hears the end', async () => {
  const { g } = await runtime();
  const p = new g.Publisher();
  const r = record(p);
  p.next('x');
  p.complete();
  p.next('y');
  p.error(new Error('too late'));
  p.complete();
  assert.deepEqual(r.events, ['x']);
  assert.equal(r.completed, 1);
  assert.deepEqual(r.errors, []);
  assert.equal(g.subscribers(p), '', 'subscribers dropped');
  const late = record(p);
  assert.equal(late.completed, 1);
  assert.deepEqual(late.events, []);
});

test('after error nothing more is sent; the error reaches every subscriber once', async () => {
  const { g } = await runtime();
  const p = new g.Publisher();
  const a = record(p), b = record(p);
  p.error(new Error('bus fault'));
  p.next(1);
  p.complete();
  for (const r of [a, b]) {
    assert.deepEqual(r.errors, ['bus fault']);
    assert.equal(r.completed, 0);
    assert.deepEqual(r.events, []);
  }
  assert.deepEqual(record(p).errors, ['bus fault'], 'replayed to a late subscriber');
});

test('a throwing subscriber gets its own onError and does not stop the others', async () => {
  const { g } = await runtime();
  const p = new g.Publisher();
  const own = [];
  p.subscribe({
    onNext: (x) => {
      throw new Error('cannot take ' + x);
    },
    onError: (e) => own.push(e.message)
  });
  const r = record(p);
  p.next(1);
  p.next(2);
  assert.deepEqual(own, ['cannot take 1', 'cannot take 2']);
  assert.deepEqual(r.events, [1, 2]);
});

test('a throwing subscriber without onError is reported once on the console, and the graph keeps running', async () => {
  const { g, lines } = await runtime();
  const p = new g.Publisher();
  p.subscribe(() => {
    throw new Error('broken writer');
  });
  const r = record(p);
  p.next(1);
  p.next(2);
  p.complete();
  assert.deepEqual(r.events, [1, 2]);
  assert.equal(r.completed, 1);
  const reports = lines.filter((l) => l.startsWith('subscriber failed:'));
  assert.equal(reports.length, 1, lines.join('\n'));
  assert.match(reports[0], /broken writer/);
});

test('SensorPub publishes [id, timestamp in whole seconds, value]; a null reading completes', async () => {
  const { g, clock } = await runtime();
  const pub = new g.SensorPub(scripted('lux-1', [12.5, 13, null]));
  const r = record(pub);
  pub.sample();
  clock.advance(1600);
  pub.sample();
  pub.sample();
  const t0 = 0; // seconds since boot: no SNTP has set the clock in these tests
  assert.deepEqual(r.events, [
    ['lux-1', t0, 12.5],
    ['lux-1', t0 + 2, 13]
  ]);
  assert.equal(r.completed, 1);
  assert.equal(g.subscribers(pub), '');
});

test('SensorPub: a sensor that answers later through done() publishes then', async () => {
  const { g, clock } = await runtime();
  const sensor = {
    sensorId: 'slow',
    sample(done) {
      g.setTimeout(() => done(0, 7), 150);
    }
  };
  const pub = new g.SensorPub(sensor);
  const r = record(pub);
  pub.sample();
  assert.deepEqual(r.events, []);
  clock.advance(150);
  assert.deepEqual(r.events, [['slow', 0, 7]]);
});

test('SensorPub: a failing sample() becomes onError downstream and ends the stream', async () => {
  const { g } = await runtime();
  const pub = new g.SensorPub(scripted('lux-1', [new Error('TSL2591 not found at 0x29')]));
  const r = record(pub);
  pub.sample();
  assert.deepEqual(r.errors, ['TSL2591 not found at 0x29']);
  assert.equal(g.subscribers(pub), '');
});

test('SensorPub: a transient error skips that sample, is printed once per streak, and sampling goes on', async () => {
  const { g, lines } = await runtime();
  const busy = transientError('bus busy');
  const pub = new g.SensorPub(scripted('lux-1', [1, busy, busy, busy, 2]));
  const r = record(pub);
  for (let i = 0; i < 5; i++) pub.sample();
  assert.deepEqual(r.events.map((e) => e[2]), [1, 2]);
  assert.deepEqual(r.errors, []);
  assert.deepEqual(lines, ['lux-1: bus busy (retrying)', 'lux-1: reading again']);
});

test('Output prints events as the tutorial does, and errors and completion', async () => {
  const { g, vm, lines } = await runtime();
  const out = new g.Output();
  out.onNext(vm(['lux-1', 611, 284.1312]));
  out.onNext(3.5);
  out.onNext(vm({ a: 1 }));
  out.onError(new Error('sensor gone'));
  out.onCompleted();
  assert.deepEqual(lines, ["('lux-1', 611, 284.1312)", '3.5', '{"a":1}', 'error: sensor gone', 'completed']);
});

test('fan-out and fan-in: one sensor to two subscribers, two sensors into one subscriber', async () => {
  const { g, clock } = await runtime();
  const a = new g.SensorPub(scripted('a', [1]));
  const b = new g.SensorPub(scripted('b', [2]));
  const both = [];
  const writer = { onNext: (x) => both.push(plain(x)) };
  a.subscribe(writer);
  b.subscribe(writer);
  const onlyA = record(a);
  const sched = new g.Scheduler();
  sched.schedulePeriodic(a, 1);
  sched.schedulePeriodic(b, 2);
  clock.advance(2000);
  const t = 0; // seconds since boot
  // events at the same instant may come in either order
  assert.deepEqual(both.sort(), [
    ['a', t, 1],
    ['a', t + 1, 1],
    ['a', t + 2, 1],
    ['b', t, 2],
    ['b', t + 2, 2]
  ]);
  assert.deepEqual(onlyA.events, [
    ['a', t, 1],
    ['a', t + 1, 1],
    ['a', t + 2, 1]
  ]);
});

/** A publisher-shaped object that records when it was sampled (fake clock ms). */
function probe(clock, work = 0) {
  return {
    s: [],
    at: [],
    sample() {
      this.at.push(clock.now());
      clock.t += work; // a sample that takes `work` ms of device time
    }
  };
}

test('scheduler: sample k happens exactly at start + k·interval, over a thousand periods', async () => {
  const { g, clock } = await runtime();
  const start = clock.now();
  const p = probe(clock, 37); // each sample takes 37 ms: must not push the later ones back
  new g.Scheduler().schedulePeriodic(p, 0.25);
  clock.advance(250 * 1000);
  assert.equal(p.at.length, 1001);
  p.at.forEach((t, k) => assert.ok(Math.abs(t - (start + k * 250)) < 1e-6, `sample ${k} at ${t - start} ms, planned ${k * 250}`));
});

test('scheduler: a slow sample skips the periods it overran instead of bunching them', async () => {
  const { g, clock } = await runtime();
  const start = clock.now();
  let n = 0;
  const p = {
    s: [],
    at: [],
    sample() {
      this.at.push(clock.now() - start);
      if (n++ == 2) clock.t += 3500; // the third sample blocks for 3.5 periods
    }
  };
  new g.Scheduler().schedulePeriodic(p, 1);
  clock.advance(9000);
  // samples at 0, 1, 2 s; the one at 2 s ends at 5.5 s: 3, 4, 5 s are skipped, the next is at 6 s
  assert.deepEqual(p.at.map((t) => Math.round(t)), [0, 1000, 2000, 6000, 7000, 8000, 9000]);
});

test('scheduler: several publishers at different intervals share one scheduler; cancelling one leaves the others', async () => {
  const { g, clock } = await runtime();
  const start = clock.now();
  const sched = new g.Scheduler();
  const fast = probe(clock), slow = probe(clock), third = probe(clock);
  const cancelFast = sched.schedulePeriodic(fast, 0.5);
  sched.schedulePeriodic(slow, 3);
  sched.schedulePeriodic(third, 1.25);
  clock.advance(2000);
  cancelFast();
  cancelFast(); // twice is harmless
  clock.advance(4000);
  const rel = (p) => p.at.map((t) => Math.round(t - start));
  assert.deepEqual(rel(fast), [0, 500, 1000, 1500, 2000]);
  assert.deepEqual(rel(slow), [0, 3000, 6000]);
  assert.deepEqual(rel(third), [0, 1250, 2500, 3750, 5000]);
  assert.equal(sched.runForever(), undefined, 'runForever returns at once: the event loop already runs');
  clock.advance(1000);
  assert.deepEqual(rel(third), [0, 1250, 2500, 3750, 5000, 6250]);
  assert.equal(fast.at.length, 5);
  assert.equal(clock.pending(), 2, 'one timer per live schedule, none for the cancelled one');
});

test('scheduler: cancelling from inside a sample stops it; a finished publisher is no longer sampled', async () => {
  const { g, clock } = await runtime();
  const sched = new g.Scheduler();
  let cancel;
  const p = probe(clock);
  p.sample = function () {
    this.at.push(clock.now());
    if (this.at.length == 2) cancel();
  };
  cancel = sched.schedulePeriodic(p, 1);
  const sensor = scripted('lux-1', [1, 2, null, 4]);
  const pub = new g.SensorPub(sensor);
  const r = record(pub);
  sched.schedulePeriodic(pub, 1);
  clock.advance(10_000);
  assert.equal(p.at.length, 2);
  assert.equal(sensor.calls, 3, 'sampled until the null reading completed it, then never again');
  assert.equal(r.completed, 1);
  assert.equal(clock.pending(), 0);
});

test('scheduler: keeps its period when SNTP sets the clock forward, and when it sets it back', async () => {
  // booted at a time that is no whole second, as a real clock would be: the jump is no whole number of periods
  const { g, clock, device } = await runtime({ start: 1_700_000_000_370 });
  const start = clock.now();
  const p = probe(clock);
  new g.Scheduler().schedulePeriodic(p, 1);
  clock.advance(2500);
  device.wifi.clockSet = true; // getTime() jumps from seconds since boot to Unix time
  clock.advance(3000);
  device.wifi.clockSet = false; // and back again
  clock.advance(3000);
  const gaps = p.at.slice(1).map((t, i) => t - p.at[i]);
  assert.equal(p.at.length, 9, `samples at ${p.at.map((t) => t - start)}`);
  assert.ok(gaps.every((d) => d > 0 && d <= 1000), `never a pause longer than the period: ${gaps}`);
});
