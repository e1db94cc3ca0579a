// The journal (src/journal/journal.ts): readings beyond the RAM buffer wait in the simulator's Storage model, with
// its page size, free space and write-once bytes, and reach a real broker in order when it is back, across resets
// and power cuts; corrupt and full Storage; delivered + dropped = sampled throughout. All on the fake clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { StorageSim } from '../scripts/sim/storage.mjs';
import { faultRig } from './fault-rig.mjs';

const BOARD = 'esp8266-4mb'; // 192 KB of Storage: the journal is on by default
const everyTwoSeconds = { board: BOARD, sensor: { id: 'lux-1', intervalSeconds: 2, gain: 'low', integrationMs: 100 } };
const segments = (storage) => storage.list(/^lgj\d+$/);

test('a one-hour outage at 2 s: 1800 readings wait in flash and all arrive in order, the module loaded only meanwhile', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, everyTwoSeconds);
  try {
    assert.ok(r.lines.some((l) => /^journal: room for 2000 readings in flash \(\d+ bytes of Storage free\)$/.test(l)), r.lines.join('\n'));
    assert.ok(!r.device.cachedModules().includes('lgjournal'), 'nothing in flash at boot: the module is let go');
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    r.device.wifi.drop();
    const before = r.device.storage.bytesWritten;
    await r.run(3600 * 1000, { step: 2000 });
    const w = r.writer();
    assert.ok(w.journaled >= 1790, `readings in flash: ${w.journaled}`);
    assert.equal(w.queued, 0, 'the buffer went to flash too');
    assert.ok(r.device.cachedModules().includes('lgjournal'), 'the module is loaded during the outage');
    const written = r.device.storage.bytesWritten - before;
    assert.ok(written < 1800 * 60, `bytes written for 1800 readings: ${written}`);
    assert.ok(segments(r.device.storage).length > 5, 'several segments');
    r.device.wifi.restore();
    await r.run(60000, { step: 100, until: () => r.writer().sent >= r.sampled.length - 2 });
    r.stopSampling();
    await r.run(60000, { step: 100, until: () => r.writer().queued == 0 && r.writer().journaled == 0 });
    await waitFor(() => r.received().length >= r.sampled.length, { what: 'the backlog at the subscriber' });
    const a = r.checkAccounts();
    assert.equal(a.dropped, 0);
    assert.equal(r.writer().journaled, 0);
    assert.deepEqual(segments(r.device.storage), [], 'every segment erased once sent');
    assert.ok(!r.device.cachedModules().includes('lgjournal'), 'the module let go once flash is empty');
  } finally {
    await r.close();
    await broker.close();
  }
});
