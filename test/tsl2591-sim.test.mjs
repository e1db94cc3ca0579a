// The simulated TSL2591 alone, at register level: what the datasheet says the chip does.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Tsl2591Sim, LUX_FACTOR } from '../scripts/sim/tsl2591.mjs';
import { I2CBus } from '../scripts/sim/i2c.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';

function chip(light = {}) {
  const clock = new FakeClock();
  const sim = new Tsl2591Sim({ ...light, now: clock.now });
  const bus = new I2CBus('I2C1');
  bus.attach(sim);
  bus.setup({ sda: 4, scl: 5 });
  const read = (reg, n) => {
    bus.writeTo(0x29, 0xa0 | reg);
    return [...bus.readFrom(0x29, n)];
  };
  const write = (reg, ...values) => bus.writeTo(0x29, [0xa0 | reg, ...values]);
  return { clock, sim, bus, read, write };
}

test('the ID register reads 0x50 and the command byte needs the CMD bit and a valid transaction type', () => {
  const { read, bus } = chip();
  assert.deepEqual(read(0x12, 1), [0x50]);
  assert.throws(() => bus.writeTo(0x29, 0x12), /lacks the CMD bit/);
  assert.throws(() => bus.writeTo(0x29, 0x80 | 0x12), /reserved TRANSACTION field/);
  assert.throws(() => bus.readFrom(0x28, 1), /NACK/, 'nothing else on the bus');
});

test('data is valid only after a full integration, with the power and the ALS on', () => {
  const { clock, sim, read, write } = chip({ lux: 100, irRatio: 0.25 });
  write(0x01, 0x12); // AGAIN med, ATIME 300 ms
  write(0x00, 0x01); // PON only: the ADC does not integrate
  clock.advance(1000);
  assert.deepEqual(read(0x13, 5), [0, 0, 0, 0, 0], 'no valid data without AEN');
  write(0x00, 0x03);
  clock.advance(299);
  assert.equal(read(0x13, 1)[0] & 1, 0, 'not before the integration time');
  clock.advance(1);
  const d = read(0x13, 5);
  assert.equal(d[0] & 1, 1, 'AVALID after 300 ms');
  const c0 = d[1] | (d[2] << 8), c1 = d[3] | (d[4] << 8);
  const cpl = (300 * 25) / LUX_FACTOR;
  assert.equal(c0, Math.round((100 * cpl) / 0.75 ** 2));
  assert.equal(c1, Math.round(c0 * 0.25));
  write(0x00, 0x00); // powered down
  assert.equal(read(0x13, 1)[0] & 1, 0, 'no valid data once powered down');
  assert.equal(sim.poweredOn, false);
});

test('counts saturate at 36863 at 100 ms and at 65535 for longer integrations', () => {
  const { clock, read, write } = chip({ lux: 1e6, irRatio: 0.2 });
  write(0x00, 0x01, 0x00); // auto-increment: ENABLE then CONTROL (low gain, 100 ms)
  write(0x00, 0x03);
  clock.advance(100);
  let d = read(0x14, 4);
  assert.deepEqual([d[0] | (d[1] << 8), d[2] | (d[3] << 8)], [36863, 36863]);
  write(0x01, 0x05); // 600 ms
  clock.advance(600);
  d = read(0x14, 4);
  assert.deepEqual([d[0] | (d[1] << 8), d[2] | (d[3] << 8)], [65535, 65535]);
});

test('a CONTROL write keeps the last data (at the old gain) until a new cycle completes; clearing AEN clears AVALID', () => {
  const { clock, sim, read, write } = chip({ lux: 10, irRatio: 0.2 });
  write(0x01, 0x00);
  write(0x00, 0x03);
  clock.advance(100);
  const before = read(0x14, 2);
  write(0x01, 0x20); // high gain
  assert.equal(read(0x13, 1)[0] & 1, 1, 'AVALID still set');
  assert.deepEqual(read(0x14, 2), before, 'the data is the old cycle');
  write(0x00, 0x01);
  assert.equal(read(0x13, 1)[0] & 1, 0);
  write(0x00, 0x03);
  clock.advance(100);
  const after = read(0x14, 2);
  assert.equal(after[0] | (after[1] << 8), sim.counts()[0]);
  assert.ok((after[0] | (after[1] << 8)) > 400 * (before[0] | (before[1] << 8)), 'the new cycle is at 428x');
});

test('faults: NACK, stuck bus, wrong ID', () => {
  const { sim, read, write, bus } = chip();
  sim.fault = 'nack';
  assert.throws(() => read(0x12, 1), /I2C got NACK/);
  sim.fault = 'stuck';
  write(0x00, 0x03);
  assert.equal(sim.enable, 0, 'a write is lost on a stuck bus');
  assert.deepEqual([...bus.readFrom(0x29, 2)], [0, 0]);
  sim.fault = null;
  sim.wrongId = 0x44;
  assert.deepEqual(read(0x12, 1), [0x44]);
});
