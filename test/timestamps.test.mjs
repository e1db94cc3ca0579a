// Readings are stamped with the time the schedule asked for them, so consecutive timestamps are exactly one period
// apart from the first reading after SNTP on, whatever the fraction of a second the device booted at and however
// long the sensor took for one reading (the TSL2591's first integration, a gain change). Stamped when the sensor
// answered, a first reading that took longer than the others landed on the other side of a rounding edge: …600,
// …601, …603 at a 2 s period.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildWith, freePort } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { runClock } from './fault-rig.mjs';

/** The timestamps the console printed, booting at `bootMs` on the fake clock, for `seconds` of firmware time. */
async function stamps({ port, built, bootMs, seconds }) {
  const { code, board, modules } = built;
  const clock = new FakeClock(bootMs);
  const lines = [];
  const device = createDevice({ board, broker: { host: '127.0.0.1', port }, modules, timers: clock, log: (l) => lines.push(l) });
  try {
    device.load({ code, modules });
    await runClock(clock, seconds * 1000, { step: 100 });
  } finally {
    device.stop();
  }
  return lines.filter((l) => l.startsWith("('lux-1'")).map((l) => Number(l.split(', ')[1]));
}

for (const period of [2, 0.5])
  test(`timestamps after SNTP are ${period} s apart from the first on, whatever fraction of a second the device booted at`, async () => {
    const port = await freePort();
    const broker = await startBroker({ port });
    const built = await buildWith({ sensor: { id: 'lux-1', intervalSeconds: period }, mqtt: { clientId: 'hall' } });
    try {
      // fractions of a second on both sides of the rounding edge of whole-second timestamps
      for (const fraction of [0, 250, 499, 500, 501, 750, 999]) {
        const ts = await stamps({ port, built, bootMs: 1_700_000_000_000 + fraction, seconds: 12 });
        const unix = ts.filter((t) => t > 1e9);
        assert.ok(unix.length >= 4, `readings after SNTP, booted at …${fraction} ms: ${ts}`);
        const gaps = unix.slice(1).map((t, i) => Math.round((t - unix[i]) * 1000) / 1000);
        assert.deepEqual(gaps, gaps.map(() => period), `booted at …${fraction} ms: timestamps ${unix.join(', ')}`);
      }
    } finally {
      await broker.close();
    }
  });
