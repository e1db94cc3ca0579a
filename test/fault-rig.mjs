// A device on a fake clock against a real broker, with everything a fault test needs to check that nothing was
// lost silently: every reading sampled (from the firmware's own graph), every message received at the broker, and
// the writer's counters.
import assert from 'node:assert/strict';
import { buildWith, subscriber } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';

/** The journal's segments in a device's Storage (lgj1, lgj2 …): what waits in flash. */
export const journalSegments = (storage) => storage.list(/^lgj\d+$/);

/**
 * Runs fake-clock time forward by ms in steps, each followed by a breath in which real sockets work; stops early
 * once `until()` holds.
 */
export async function runClock(clock, ms, { step = 50, until } = {}) {
  for (let t = 0; t < ms; t += step) {
    if (until && until()) return;
    clock.advance(step);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/**
 * Builds the firmware with `config` (sampling every 0.1 s at a fixed gain), starts it against broker {host, port},
 * and subscribes to its topic. `storage`: the flash (a StorageSim) the device starts with, say another device's after
 * a power cut; `sub`: a subscriber already there (kept across such a restart); `firstLux`: the light of the first
 * reading (each next one is 2 lux more), to tell two devices' readings apart; `beforeLoad(device)`: what to do to the
 * simulated board before the firmware starts (its access point gone, say).
 */
export async function faultRig({ host, port }, config = {}, subOptions = {}, { storage, sub: given, firstLux = 100, beforeLoad } = {}) {
  const { code, board, modules } = await buildWith({
    sensor: { id: 'lux-1', intervalSeconds: 0.1, gain: 'med', integrationMs: 100 },
    ...config,
    mqtt: { diagnosticsSeconds: 0, ...(config.mqtt || {}) }
  });
  const sub = given || (await subscriber({ host, port, topic: 'test-topic', ...subOptions }));
  const clock = new FakeClock();
  const lines = [];
  const device = createDevice({
    board,
    broker: { host, port },
    timers: clock,
    log: (l) => lines.push(l),
    storage,
    modules: Object.fromEntries(modules.map((m) => [m.name, m.code]))
  });
  // every read of the data registers sees a new light level, so every reading is distinct and can be traced
  let reads = 0;
  Object.defineProperty(device.sensor, 'data', {
    get() {
      this.lux = firstLux + 2 * reads++;
      return this.counts();
    },
    set() {}
  });
  if (beforeLoad) beforeLoad(device);
  device.load(code);
  const sampled = [];
  device.eval('LuxGraph.source').subscribe({ onNext: (x) => sampled.push(x[2]) });
  const writer = () => device.eval('LuxGraph.writer');
  return {
    clock,
    device,
    sub,
    lines,
    sampled,
    writer,
    /** Runs firmware time forward by ms in steps, each followed by a breath for the real sockets. */
    run(ms, opts) {
      return runClock(clock, ms, opts);
    },
    /** Ends the sensor's stream (onCompleted): sampling stops, what waits still goes out. */
    stopSampling() {
      device.eval('LuxGraph.source.complete()');
    },
    /** Lux values received at the broker, duplicates (QoS 1 resends) removed, in arrival order. */
    received() {
      const seen = new Set();
      const out = [];
      for (const m of this.sub.messages) {
        const lux = JSON.parse(m.text)[2];
        if (!seen.has(lux)) out.push(lux);
        seen.add(lux);
      }
      return out;
    },
    /** Nothing lost silently, order kept: received + dropped = sampled, received in sampling order. */
    checkAccounts() {
      const w = writer();
      assert.equal(new Set(sampled).size, sampled.length, 'each reading is distinct (test precondition)');
      assert.equal(w.sampled, sampled.length, 'the writer saw every reading sampled');
      assert.equal(w.queued, 0, 'nothing left waiting');
      const got = this.received();
      const order = got.map((v) => sampled.indexOf(v));
      assert.ok(!order.includes(-1), 'only sampled readings arrive');
      for (let i = 1; i < order.length; i++) assert.ok(order[i] > order[i - 1], `order kept at message ${i}: ${got.slice(i - 1, i + 1)}`);
      assert.equal(got.length + w.dropped, sampled.length, `received ${got.length} + dropped ${w.dropped} = sampled ${sampled.length}`);
      return { received: got.length, dropped: w.dropped, sampled: sampled.length };
    },
    async close() {
      device.stop();
      await this.sub.close();
    }
  };
}
