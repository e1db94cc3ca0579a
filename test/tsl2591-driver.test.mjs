// The TSL2591 driver, built like the firmware, against the register-level simulator on a fake clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { rig, tolerance } from './tsl2591-rig.mjs';

// IR ratios (C1/C0) of real light: daylight about 0.2, incandescent and halogen lamps about 0.5. At 80 000 lux
// only daylight is physical (no lamp makes it), and at 100 ms and the lowest gain the sensor stays below its
// maximum count there only while C1/C0 ≤ 0.27, which daylight is.
const DAYLIGHT = 0.2;
const LAMP = 0.5;
const LEVELS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 80000];

function assertLux(got, lux, what) {
  assert.equal(typeof got.value, 'number', `${what}: a reading, got ${JSON.stringify(got)}`);
  assert.ok(Math.abs(got.value - lux) <= tolerance(lux), `${what}: ${got.value} lux within ${tolerance(lux)} of ${lux}`);
}

test('auto gain: lux within 1 % + 0.0005 lux of the light from 0.01 to 80 000 lux, sweeping up and down', async () => {
  for (const [irRatio, top] of [
    [DAYLIGHT, 80000],
    [LAMP, 10000]
  ]) {
    const r = await rig({ light: { lux: 1, irRatio } });
    const levels = LEVELS.filter((l) => l <= top);
    for (const lux of [...levels, ...levels.slice().reverse()]) {
      r.sim.lux = lux;
      r.advance(2000);
      assertLux(r.read(), lux, `${lux} lux, IR ratio ${irRatio}`);
      assert.equal(r.driver.gain, r.sim.gainIndex, 'the gain the driver reports is the one the sensor uses');
    }
    assert.equal(r.errors.length, 0);
    assert.deepEqual(r.lines, [], 'no errors on the way');
  }
});

test('auto gain from a fresh start at each level, at every integration time', async () => {
  // the top is what the lowest gain holds in daylight: 80 000 lux up to 200 ms, 28 000 at 600 ms
  for (const [integrationMs, top] of [
    [100, 80000],
    [200, 80000],
    [600, 27000]
  ])
    for (const lux of [0.01, 1, 500, 20000, top]) {
      const r = await rig({ light: { lux, irRatio: DAYLIGHT }, opts: { integrationMs } });
      assertLux(r.read(), lux, `${lux} lux at ${integrationMs} ms`);
      assert.equal(r.sim.integrationMs, integrationMs);
    }
});

test('the gain in use is the best one: lowest light on the highest gain, sunlight on the lowest', async () => {
  const expect = [
    [0.01, 3],
    [10, 2],
    [1000, 1],
    [80000, 0]
  ];
  for (const [lux, gain] of expect) {
    const r = await rig({ light: { lux, irRatio: DAYLIGHT } });
    r.read();
    assert.equal(r.driver.gain, gain, `${lux} lux reads at gain ${gain}`);
  }
});

test('auto gain has hysteresis: light wandering around a step changes the gain once, never back and forth', async () => {
  // med → high happens below ~112 lux (half scale at high gain), high → med only at saturation (~224 lux here)
  const r = await rig({ light: { lux: 150, irRatio: DAYLIGHT } });
  const gains = [];
  const track = () => {
    const got = r.read();
    assertLux(got, r.sim.lux, `${r.sim.lux} lux`);
    if (gains[gains.length - 1] !== r.driver.gain) gains.push(r.driver.gain);
  };
  // light jittering ±20 % inside the band: the gain stays
  for (let i = 0; i < 60; i++) {
    r.sim.lux = 150 * (1 + 0.2 * Math.sin(i * 1.7));
    track();
    r.advance(500);
  }
  assert.deepEqual(gains, [1], 'med throughout');
  const controlWrites = r.sim.writes.filter((w) => w.reg == 1).length;
  // light jittering around the saturation point of high gain: one step down, and it stays down
  gains.length = 0;
  for (let i = 0; i < 60; i++) {
    r.sim.lux = 224 * (1 + 0.05 * Math.sin(i * 1.3));
    track();
    r.advance(500);
  }
  assert.ok(gains.length <= 2, `at most one change near the step, got the sequence ${gains}`);
  // a slow ramp up through every step and back: each step is taken once each way
  gains.length = 0;
  for (let e = -2; e <= 4.9; e += 0.05) {
    r.sim.lux = Math.pow(10, e);
    track();
    r.advance(500);
  }
  for (let e = 4.9; e >= -2; e -= 0.05) {
    r.sim.lux = Math.pow(10, e);
    track();
    r.advance(500);
  }
  assert.deepEqual(gains, [3, 2, 1, 0, 1, 2, 3]);
  assert.ok(r.sim.writes.filter((w) => w.reg == 1).length > controlWrites);
});

test('fixed gain: a saturated reading is never published as a number; by default it is skipped with a clear message', async () => {
  const r = await rig({ light: { lux: 10, irRatio: DAYLIGHT }, opts: { gain: 1 } });
  assertLux(r.read(), 10, 'before saturation');
  r.sim.lux = 50000;
  r.advance(1000);
  for (let i = 0; i < 5; i++) {
    const got = r.read();
    assert.ok(got.error, `nothing published while saturated: ${JSON.stringify(got)}`);
    r.advance(1000);
  }
  assert.deepEqual(r.lines, ['lux-1: TSL2591 saturated at gain 1: too bright for this gain, send a lower gain or "auto" (retrying)'], 'said once per streak');
  assert.equal(r.driver.full, 36863, 'the raw channel shows the maximum count');
  assert.equal(r.driver.gain, 1, 'a fixed gain stays');
  r.sim.lux = 2000;
  r.advance(1000);
  assertLux(r.read(), 2000, 'after saturation');
  assert.equal(r.lines[1], 'lux-1: reading again');
  assert.equal(r.events.length, 2);
  assert.equal(r.completed, false);
  assert.equal(r.errors.length, 0, 'the stream never ends');
});

test('fixed gain with onSaturated "null": the saturated reading is published flagged (NaN: null in JSON)', async () => {
  const r = await rig({ light: { lux: 50000, irRatio: DAYLIGHT }, opts: { gain: 2, onSaturated: 'null' } });
  const got = r.read();
  assert.ok(Number.isNaN(got.value), `flagged, got ${got.value}`);
  assert.equal(JSON.stringify(got.event), '["lux-1",' + got.event[1] + ',null]');
  r.sim.lux = 20;
  r.advance(1000);
  assertLux(r.read(), 20, 'after saturation');
});

test('auto gain beyond the lowest gain (direct sun on a bare sensor) skips the reading too, and 600 ms saturates at 65535', async () => {
  const r = await rig({ light: { lux: 200000, irRatio: DAYLIGHT } });
  assert.ok(r.read().error);
  assert.equal(r.driver.gain, 0);
  assert.equal(r.events.length, 0);
  const long = await rig({ light: { lux: 30000, irRatio: DAYLIGHT }, opts: { integrationMs: 600 } });
  assert.ok(long.read().error);
  assert.equal(long.driver.full, 65535);
});

test('saturation is never a plain number: a fixed-gain sweep publishes only right readings', async () => {
  for (const gain of [0, 1, 2, 3]) {
    const r = await rig({ light: { lux: 0.01, irRatio: LAMP }, opts: { gain } });
    for (const lux of [...LEVELS, 200000]) {
      r.sim.lux = lux;
      r.advance(1000);
      const got = r.read();
      const [c0, c1] = r.sim.data;
      if (got.error) assert.ok(c0 >= 36863 || c1 >= 36863, `skipped only when saturated (${lux} lux, gain ${gain})`);
      else {
        assert.ok(c0 < 36863 && c1 < 36863, `published only when not saturated (${lux} lux, gain ${gain})`);
        // with enough counts the reading is the light; with a few, it is what those counts mean (resolution)
        if (c0 >= 1000) assertLux(got, lux, `gain ${gain}`);
        else assert.ok(Math.abs(got.value - r.sim.luxFrom(r.sim.data)) <= 0.001 * got.value, `${got.value} from ${c0}, ${c1}`);
      }
    }
  }
});

test('raw channels and the gain stay readable on the instance after each reading', async () => {
  const r = await rig({ light: { lux: 500, irRatio: 0.25 } });
  r.read();
  const [c0, c1] = r.sim.data;
  assert.equal(r.driver.full, c0);
  assert.equal(r.driver.ir, c1);
  assert.equal(r.driver.visible, c0 - c1);
  assert.equal(r.driver.gain, 1);
  assert.equal(r.call('[1, 25, 428, 9876][sensor.gain]'), 25);
});

test('device and glass factors scale lux: behind glass passing 40 %, a glass factor 2.5 × 7.7 reads the outside light', async () => {
  const bare = await rig({ light: { lux: 1000, irRatio: DAYLIGHT, transmission: 0.4 } });
  assertLux(bare.read(), 400, 'without correction, the light behind the glass');
  const corrected = await rig({ light: { lux: 1000, irRatio: DAYLIGHT, transmission: 0.4 }, opts: { glassFactor: 7.7 * 2.5 } });
  assertLux(corrected.read(), 1000, 'corrected');
  const device = await rig({ light: { lux: 1000, irRatio: DAYLIGHT }, opts: { deviceFactor: 53 * 1.1 } });
  assertLux(device.read(), 1100, 'device factor');
});

test('data is used only after the integration time: the reading waits with a timer, and the sensor saw the wait', async () => {
  const r = await rig({ light: { lux: 300, irRatio: DAYLIGHT }, opts: { gain: 1, integrationMs: 400 } });
  r.call('pub.sample()');
  assert.equal(r.events.length, 0, 'nothing yet: the integration has just started');
  assert.equal(r.clock.pending(), 1, 'one timer waits for it');
  r.advance(399);
  assert.equal(r.events.length, 0);
  r.advance(100);
  assert.equal(r.events.length, 1);
  const enabled = r.sim.writes.findLast((w) => w.reg == 0 && w.value == 3).at;
  const status = r.sim.reads.findLast((x) => x.reg == 0x13);
  assert.ok(status.at - enabled >= 400, `data read ${status.at - enabled} ms after the ALS started`);
  // once running, the next readings come from the running ADC at once
  r.advance(1000);
  const n = r.events.length;
  r.call('pub.sample()');
  r.advance(0); // the reading is handed on once the driver's step has returned, with no time passing
  assert.equal(r.events.length, n + 1, 'at once when a complete integration is waiting');
});

test('a sample while a reading is still waiting does not start a second one', async () => {
  const r = await rig({ light: { lux: 300 }, opts: { integrationMs: 600 } });
  r.call('pub.sample()');
  const writes = r.sim.writes.length;
  r.advance(200);
  r.call('pub.sample()');
  assert.equal(r.sim.writes.length, writes, 'no new configuration');
  r.advance(1000);
  assert.equal(r.events.length, 1, 'one reading');
});

test('close() while a reading waits to be handed on: it never arrives, and the next sample() starts afresh', async () => {
  const r = await rig({ light: { lux: 300, irRatio: DAYLIGHT }, opts: { gain: 1 } });
  r.call('pub.sample()');
  r.advance(1000);
  assert.equal(r.events.length, 1);
  // a complete integration waits in the ADC: this sample reads it at once and hands it on from a 0 ms timer
  r.call('pub.sample()');
  assert.equal(r.events.length, 1, 'handed on only once the step has returned');
  r.call('sensor.close()');
  r.advance(1000);
  assert.equal(r.events.length, 1, 'nothing arrives from a closed sensor');
  assert.equal(r.sim.writes.at(-1).reg, 0, 'powered down (ENABLE)');
  assert.equal(r.sim.writes.at(-1).value, 0);
  r.call('pub.sample()');
  r.advance(1000);
  assert.equal(r.events.length, 2, 'sampling again after close() takes a new reading');
  assert.equal(r.errors.length, 0);
});

test('the exact register writes: start-up, an auto-gain step, power saving', async () => {
  const r = await rig({ light: { lux: 0.5, irRatio: DAYLIGHT }, opts: { gain: 'auto', integrationMs: 200 } });
  r.read();
  assert.deepEqual(r.sim.reads[0], { reg: 0x12, n: 1, at: r.sim.reads[0].at }, 'the ID first');
  assert.deepEqual(r.writes(), [
    [0x00, 0x01], // ENABLE: PON
    [0x01, 0x11], // CONTROL: AGAIN med, ATIME 200 ms
    [0x00, 0x03], // ENABLE: PON | AEN
    [0x00, 0x01], // too dark for med: ALS off (clears AVALID) ...
    [0x01, 0x31], // ... max gain ...
    [0x00, 0x03] // ... and a fresh integration
  ]);
  assert.equal(r.driver.gain, 3);

  const p = await rig({ light: { lux: 100, irRatio: DAYLIGHT }, opts: { gain: 2, powerSave: true } });
  for (let i = 0; i < 3; i++) {
    const from = p.sim.writes.length;
    assertLux(p.read(), 100, 'power saving');
    assert.deepEqual(p.writes(from), [
      [0x00, 0x01],
      [0x01, 0x20], // CONTROL: AGAIN high, ATIME 100 ms
      [0x00, 0x03],
      [0x00, 0x00] // ENABLE: powered down after the reading
    ]);
    assert.equal(p.sim.poweredOn, false, 'the sensor sleeps between readings');
    p.advance(5000);
  }
});

test('set() changes gain, integration time and power saving before the next reading, and names a bad value', async () => {
  const r = await rig({ light: { lux: 100, irRatio: DAYLIGHT } });
  assertLux(r.read(), 100, 'auto');
  r.call("sensor.set({ gain: 0, integrationMs: 300, powerSave: true })");
  r.advance(1000);
  const from = r.sim.writes.length;
  assertLux(r.read(), 100, 'after set');
  assert.deepEqual(r.writes(from), [
    [0x00, 0x01],
    [0x01, 0x02], // AGAIN low, ATIME 300 ms
    [0x00, 0x03],
    [0x00, 0x00]
  ]);
  assert.equal(r.driver.gain, 0);
  r.call("sensor.set({ gain: 'auto', powerSave: false })");
  r.advance(1000);
  assertLux(r.read(), 100, 'auto again');
  assert.equal(r.driver.gain, 1, 'from low, auto takes med: at 300 ms high would be above half scale');
  assert.equal(r.sim.poweredOn, true);

  for (const [js, message] of [
    ['sensor.set({ gain: 7 })', /^TSL2591 gain cannot be 7$/],
    ["sensor.set({ gain: 'high' })", /^TSL2591 gain cannot be high$/],
    ['sensor.set({ integrationMs: 150 })', /^TSL2591 integrationMs cannot be 150$/],
    ['sensor.set({ integrationMs: 700 })', /^TSL2591 integrationMs cannot be 700$/],
    ["sensor.set({ powerSave: 'yes' })", /^TSL2591 powerSave cannot be yes$/]
  ])
    assert.throws(() => r.call(js), (e) => message.test(e.message), js);
  assert.equal(r.sim.integrationMs, 300 , 'a refused set() changes nothing');
  // a change while a reading waits is applied to that reading
  r.call('pub.sample()');
  r.call('sensor.set({ gain: 1 })');
  r.advance(2000);
  assert.equal(r.sim.gainIndex, 1);
});

test('a NACK burst (sensor unplugged and plugged back in): transient errors, then readings resume by themselves', async () => {
  const r = await rig({ light: { lux: 700, irRatio: DAYLIGHT } });
  assertLux(r.read(), 700, 'before');
  r.sim.fault = 'nack';
  for (let i = 0; i < 4; i++) {
    assert.ok(r.read().error);
    r.advance(1000);
  }
  assert.deepEqual(r.lines, ['lux-1: TSL2591 at 0x29 on I2C1: I2C got NACK (retrying)']);
  // plugged back in: the chip starts from its power-on state
  r.sim.fault = null;
  r.sim.regs.fill(0, 0, 2);
  r.sim.adcChanged(false);
  r.sim.lux = 900;
  assertLux(r.read(), 900, 'after');
  assert.equal(r.lines[1], 'lux-1: reading again');
  assert.equal(r.sim.running, true, 'configured again');
  assert.equal(r.completed, false);
  assert.equal(r.errors.length, 0);
});

test('a wrong ID and a stuck bus are reported with the address and the bus, and readings resume when they clear', async () => {
  const r = await rig({ light: { lux: 50, irRatio: DAYLIGHT } });
  r.sim.wrongId = 0x44;
  assert.ok(r.read().error);
  assert.deepEqual(r.lines, ['lux-1: TSL2591 at 0x29 on I2C1: wrong ID 68 (retrying)']);
  assert.equal(r.sim.writes.length, 0, 'nothing written to a chip that is not a TSL2591');
  r.sim.wrongId = null;
  assertLux(r.read(), 50, 'right chip');

  r.lines.length = 0;
  r.sim.fault = 'stuck'; // SDA held low: writes vanish, reads are 0x00, so AVALID never comes
  assert.ok(r.read().error);
  assert.ok(r.read().error);
  assert.deepEqual(r.lines, ['lux-1: TSL2591 at 0x29 on I2C1: no data (retrying)']);
  assert.ok(r.calls.count > 0);
  r.sim.fault = null;
  assertLux(r.read(), 50, 'bus free again');
  assert.equal(r.errors.length, 0);
});

test('no firmware call blocks: each does a few I2C transactions and returns', async () => {
  // on the fake clock, time stands still during a call: a driver that busy-waited for an integration would
  // never see it complete and this test would hang instead of passing (host time is not asserted: it measures the
  // machine's load, not the driver)
  const r = await rig({ light: { lux: 1, irRatio: DAYLIGHT }, opts: { powerSave: true } });
  for (const lux of [0.01, 100, 80000, 200000, 3]) {
    r.sim.lux = lux;
    r.read();
    r.advance(1000);
  }
  r.sim.fault = 'stuck';
  r.read();
  r.sim.fault = null;
  r.read();
  assert.ok(r.calls.count > 10, `${r.calls.count} calls measured`);
  assert.ok(r.calls.maxTransactions <= 6, `at most 6 I2C transactions in one call, saw ${r.calls.maxTransactions}`);
});
