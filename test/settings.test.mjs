// Commands that last: settings changed on <base>/set are kept in Storage (luxgraph.json) and applied again at boot,
// {"reset":true} goes back to the flashed config, and a damaged file is said once, erased, and never stops a boot.
// A boot is a new firmware instance over the same simulated Storage, on the fake clock against aedes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { StorageSim } from '../scripts/sim/storage.mjs';
import { faultRig } from './fault-rig.mjs';

const CONFIG = { board: 'esp8266-4mb', sensor: { id: 'lux-1', intervalSeconds: 1, gain: 'low', integrationMs: 100 } };

/** Readings the device sampled in `seconds` of its time. */
async function readingsIn(r, seconds) {
  const n = r.sampled.length;
  await r.run(seconds * 1000, { step: 100 });
  return r.sampled.length - n;
}

/** Sends a command on esp8266/set and runs until the device said what became of it. */
async function command(r, text) {
  const n = r.lines.length;
  await r.sub.client.publishAsync('esp8266/set', text);
  await r.run(5000, { step: 50, until: () => r.lines.slice(n).some((l) => l.startsWith('command ')) });
  return r.lines.slice(n).find((l) => l.startsWith('command '));
}

test('settings changed by a command survive a reboot; {"reset":true} goes back to the flashed ones', async () => {
  const broker = await startBroker();
  const r1 = await faultRig(broker, CONFIG);
  let r2, r3;
  try {
    await r1.run(5000, { step: 100, until: () => r1.sub.messages.length >= 1 });
    assert.equal(await command(r1, '{"interval":4,"powerSave":true}'), 'command {"interval":4,"powerSave":true} applied');
    assert.equal(await command(r1, '{"gain":"med"}'), 'command {"gain":"med"} applied');
    assert.deepEqual(r1.device.storage.readJSON('luxgraph.json'), { interval: 4, powerSave: true, gain: 'med' });
    r1.device.stop();

    r2 = await faultRig(broker, CONFIG, {}, { storage: r1.device.storage, sub: r1.sub });
    // the console shows at most 40 characters of it
    assert.ok(r2.lines.includes('settings from Storage {"interval":4,"powerSave":true,"gain":"m… applied'), r2.lines.join('\n'));
    const n = await readingsIn(r2, 40);
    assert.ok(n >= 9 && n <= 11, `every 4 s after the reboot: ${n} readings in 40 s`);
    assert.equal(r2.device.eval('LuxGraph.sensor.gain'), 1, 'gain med');
    // power save: the sensor is off between readings (half-way between two)
    await r2.run(2000, { step: 100 });
    assert.equal(r2.device.sensor.poweredOn, false, 'powered down between readings');

    assert.equal(await command(r2, '{"reset":true}'), 'command {"reset":true} applied');
    assert.equal(r2.device.storage.read('luxgraph.json'), undefined, 'the kept settings erased');
    const m = await readingsIn(r2, 20);
    assert.ok(m >= 19 && m <= 21, `every second again, as flashed: ${m} readings in 20 s`);
    assert.equal(r2.device.eval('LuxGraph.sensor.gain'), 0, 'gain low again');
    assert.equal(r2.device.sensor.poweredOn, true, 'powered between readings, as flashed');
    r2.device.stop();

    r3 = await faultRig(broker, CONFIG, {}, { storage: r2.device.storage, sub: r1.sub });
    assert.ok(!r3.lines.some((l) => l.startsWith('settings from Storage')), 'nothing kept after a reset');
    await r3.run(5000, { step: 100 }); // connected
    assert.match(await command(r3, '{"reset":1}'), /refused: reset goes alone, as \{"reset":true\}/);
  } finally {
    await (r3 || r2 || r1).close();
    await broker.close();
  }
});

test('a damaged settings file (cut off by a power cut, or not settings) is said once, erased, and the flashed config runs', async () => {
  const broker = await startBroker();
  for (const text of ['{"interval":4,"gai', '{"colour":"red"}', '\xff\xff\xff']) {
    const storage = new StorageSim({ bytes: 196608 });
    storage.write('luxgraph.json', text);
    const r = await faultRig(broker, CONFIG, {}, { storage });
    try {
      const said = r.lines.filter((l) => l.startsWith('settings from Storage'));
      assert.equal(said.length, 1, r.lines.join('\n'));
      assert.match(said[0], /^settings from Storage .* ignored \(.+\): erased$/);
      assert.equal(storage.read('luxgraph.json'), undefined);
      const n = await readingsIn(r, 10);
      assert.ok(n >= 9 && n <= 11, `every second, as flashed: ${n}`);
      await waitFor(() => r.sub.messages.length >= 1, { what: 'readings at the broker' });
    } finally {
      await r.close();
    }
  }
  await broker.close();
});
