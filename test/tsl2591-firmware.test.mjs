// The TSL2591 in the whole firmware: the config reaches the sensor's registers, and at a real broker a saturated
// reading is either absent (default) or null, never a number.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildWith, subscriber, waitFor, freePort } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { validateConfig } from '../scripts/config/index.mjs';
import { EXAMPLE } from './helpers.mjs';

/** Lux values of the console's tuples ('lux-1', ts, lux). */
const printed = (lines) => lines.map((l) => /^\('lux-1', \d+, ([\d.]+)\)$/.exec(l)).filter(Boolean).map((m) => +m[1]);

/** The whole bundle on a fake clock, its broker a closed local port (the sensor side is what is looked at). */
async function bootFirmware(sensor, light) {
  const { code, board, modules } = await buildWith({ sensor: { id: 'lux-1', intervalSeconds: 2, ...sensor } });
  const clock = new FakeClock();
  const device = createDevice({ board, light, timers: clock, broker: { host: '127.0.0.1', port: await freePort() }, log: () => {} });
  device.load({ code, modules });
  return { device, clock };
}

test('start-up from the config: ID read, then ENABLE PON, CONTROL with the configured gain and time, ENABLE PON | AEN', async () => {
  const { device, clock } = await bootFirmware({ gain: 'high', integrationMs: 300 }, { lux: 20 });
  try {
    clock.advance(1000);
    assert.deepEqual(device.sensor.reads[0], { reg: 0x12, n: 1, at: device.sensor.reads[0].at });
    assert.deepEqual(
      device.sensor.writes.map((w) => [w.reg, w.value]),
      [
        [0x00, 0x01],
        [0x01, 0x22], // AGAIN high (bits 5:4 = 2), ATIME 300 ms (bits 2:0 = 2)
        [0x00, 0x03]
      ]
    );
    const lux = printed(device.lines);
    assert.ok(lux.length && Math.abs(lux[0] - 20) < 0.2, device.lines.join('\n'));
  } finally {
    device.stop();
  }
});

test('power saving from the config: the sensor is powered down after each reading', async () => {
  const { device, clock } = await bootFirmware({ gain: 'med', powerSave: true }, { lux: 80 });
  try {
    clock.advance(6500); // readings at 0, 2, 4 and 6 s
    const writes = device.sensor.writes.map((w) => [w.reg, w.value]);
    const cycle = [
      [0x00, 0x01],
      [0x01, 0x10],
      [0x00, 0x03],
      [0x00, 0x00]
    ];
    assert.deepEqual(writes, [...cycle, ...cycle, ...cycle, ...cycle]);
    assert.equal(device.sensor.poweredOn, false);
    const lux = printed(device.lines);
    assert.equal(lux.length, 4, device.lines.join('\n'));
    for (const v of lux) assert.ok(Math.abs(v - 80) < 0.8, `${v} near 80 lux`);
  } finally {
    device.stop();
  }
});

/** The firmware with a real broker and real timers; returns the subscriber and the device. */
async function publishing(broker, sensor, light) {
  const { code, board, modules } = await buildWith({ sensor: { id: 'lux-1', intervalSeconds: 0.2, ...sensor } });
  const sub = await subscriber({ host: broker.host, port: broker.port, topic: 'test-topic' });
  const device = createDevice({ board, broker, light, log: () => {} });
  device.load({ code, modules });
  return { sub, device };
}

test('at the broker, a saturated reading is left out by default and the readings after it are right', async () => {
  const broker = await startBroker();
  const { sub, device } = await publishing(broker, { gain: 'med' }, { lux: 50000, irRatio: 0.2 });
  try {
    await waitFor(() => device.lines.includes('lux-1: TSL2591 saturated at gain 1: too bright for this gain, send a lower gain or "auto" (retrying)'), { what: 'the saturation message' });
    await waitFor(() => device.lines.includes('MQTT: connected to 192.168.1.10:1883'), { what: 'the broker connection' });
    device.sensor.lux = 1500;
    await waitFor(() => sub.messages.length >= 3, { what: 'readings once the light is within range' });
    for (const m of sub.messages) {
      const [, , lux] = JSON.parse(m.text);
      assert.ok(Math.abs(lux - 1500) < 15, `only right readings at the broker: ${m.text}`);
    }
    assert.equal(device.lines.filter((l) => l.includes('saturated')).length, 1, 'the message is printed once per streak');
  } finally {
    device.stop();
    await sub.close();
    await broker.close();
  }
});

test('at the broker, onSaturated "null" publishes a saturated reading as null', async () => {
  const broker = await startBroker();
  const { sub, device } = await publishing(broker, { gain: 'low', onSaturated: 'null' }, { lux: 200000, irRatio: 0.2 });
  try {
    await waitFor(() => sub.messages.length >= 2, { what: 'flagged readings' });
    for (const m of sub.messages) assert.match(m.text, /^\["lux-1", \d+(\.\d+)?, null\]$/);
    assert.ok(device.lines.some((l) => /^\('lux-1', \d+(\.\d+)?, null\)$/.test(l)), 'the console shows it too');
  } finally {
    device.stop();
    await sub.close();
    await broker.close();
  }
});

test('the config bakes in only the sensor options that are set, and the board bus name', () => {
  const plain = validateConfig(EXAMPLE).firmware.sensor;
  assert.deepEqual(plain, { id: 'lux-1', intervalSeconds: 2, gain: 'auto', integrationMs: 100, busName: 'I2C1' });
  const all = validateConfig({
    ...EXAMPLE,
    sensor: { gain: 'max', integrationMs: 600, deviceFactor: 60, glassFactor: 10.5, powerSave: true, onSaturated: 'null' }
  }).firmware.sensor;
  assert.deepEqual(all, {
    id: 'lux-1',
    intervalSeconds: 2,
    gain: 3,
    integrationMs: 600,
    busName: 'I2C1',
    deviceFactor: 60,
    glassFactor: 10.5,
    powerSave: true,
    onSaturated: 'null'
  });
});
