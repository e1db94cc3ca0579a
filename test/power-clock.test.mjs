// Time across deep sleeps: an ESP8266's clock starts again at 0 on every wake, so each wake sets it from what the
// wake before planned (its sleep, scaled by how long a sleep really lasts: the sleep timer's error and the boot
// before the clock starts), and every send wake's SNTP corrects it and learns that scale. On the simulator's clock, with a sleep timer 3 %
// fast and a boot of 150 ms, the readings' timestamps are checked against the true time they were taken.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startBroker } from '../scripts/sim/broker.mjs';
import { sleepRig, sleepingConfig } from './sleep-rig.mjs';

/** Seconds between each reading's timestamp and the true time it was taken (the fake clock is Unix time). */
const errors = (r) => r.sampled.map((s) => s.ts - s.at / 1000);

test('ESP8266: after the first send wake, every reading\'s time is within a second of the true time, and how long a sleep lasts is learned', async () => {
  const broker = await startBroker();
  // each sleep lasts 3 % less than asked, and each wake boots 150 ms before its clock starts
  const r = await sleepRig(broker, sleepingConfig(broker), { rtcError: -0.03, bootMs: 150 });
  try {
    await r.runToStart(1 + 48);
    const e = errors(r);
    // the first cycle, before any SNTP on a wake: the error grows wake by wake (about 9 s each, 3 % of 300 s)
    assert.ok(e[11] > 80, `the 11th wake's reading is ${e[11].toFixed(1)} s off before anything is learned`);
    // the first send wake (reading 12) takes its reading at its start, stamped when it was asked, before WiFi joins
    // and SNTP sets the clock: it is as far off as the wake before
    assert.ok(Math.abs(e[12] - e[11]) < 15, `the first send wake's own reading is ${e[12].toFixed(1)} s off, like the wake before`);
    // from the wake after it on, SNTP set the clock and the wakes since learned what each adds
    const after = e.slice(13);
    assert.ok(after.every((x) => Math.abs(x) <= 1), `within 1 s after the first send: ${after.map((x) => x.toFixed(2)).join(' ')}`);
    // how long a sleep lasts, as learned: 3 % short, and 150 ms of boot after it
    const report = await r.report(1 + 4), sleepMs = r.sleeper.starts[20].micros / 1000;
    assert.ok(Math.abs(report.sleepScale - (0.97 + 150 / sleepMs)) < 0.0005, `learned ${report.sleepScale}, for sleeps of ${sleepMs} ms`);
    // and the wakes stay a period apart in true time
    const starts = r.sleeper.starts;
    for (let i = 14; i < starts.length; i++) assert.ok(Math.abs(starts[i].at - starts[i - 1].at - 300e3) < 1000, `wake ${i}: ${starts[i].at - starts[i - 1].at} ms after the one before`);
  } finally {
    await r.close();
    await broker.close();
  }
});

test('ESP32: the clock keeps running through the sleep, and is left alone: every reading\'s time is right from the first wake', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker), { board: 'esp32', bootMs: 150 });
  try {
    await r.runToStart(1 + 14);
    assert.equal(r.sleeper.starts[1].device.eval('ESP32.getWakeupCause()'), 4, 'a timer wake, as the ESP32 says it');
    // the first boot's reading is asked before SNTP sets the clock: seconds since boot (docs/network.md#time)
    assert.ok(errors(r)[0] < -1e9, `the first boot's reading in seconds since boot: ${r.sampled[0].ts}`);
    assert.ok(errors(r).slice(1).every((x) => Math.abs(x) <= 1), errors(r).map((x) => x.toFixed(2)).join(' '));
    assert.deepEqual(r.received().map((m) => m.lux), r.sampled.slice(0, 13).map((s) => s.lux));
  } finally {
    await r.close();
    await broker.close();
  }
});
