// Deep sleep (power.deepSleep) in the simulator, on a fake clock against a real broker (aedes): every wake is a new
// start of the firmware over the same flash. Each wake keeps one reading in flash with the radio off; every
// sendEvery-th joins WiFi and sends them all; nothing is lost, through a power cut between wakes and a send whose
// broker is down.
import test from 'node:test';
import assert from 'node:assert/strict';
import { freePort } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { sleepRig, sleepingConfig } from './sleep-rig.mjs';

/** The timer wakes that sent (joined WiFi), by index into starts. */
const sendWakes = (r) => r.sleeper.starts.map((s, i) => [s, i]).filter(([s]) => s.reason == 'deep sleep' && s.device.wifi.attempts > 0).map(([, i]) => i);

test('100 wakes with a send every 12: each wake one reading in flash, radio off; sends in bursts; delivered + dropped = sampled, none dropped', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker));
  try {
    // the first boot, then 108 wakes: the 108th is the ninth send
    await r.runToStart(1 + 108);
    const starts = r.sleeper.starts;
    assert.equal(starts[0].reason, 'power on');
    assert.ok(starts.slice(1).every((s) => s.reason == 'deep sleep'));
    // the first boot ran as usual (WiFi, the broker), sent its first reading, and slept
    assert.equal(starts[0].device.wifi.attempts, 1);
    assert.ok(r.linesOf(0).includes('power: first boot: running as usual until the first send is done, and 30 s at least (to flash it, or keep it awake with LuxGraph.stop()), then sleeping 300 s between readings'), r.linesOf(0).join('\n'));
    assert.ok(r.sleeper.starts[0].awakeMs >= 30000, 'the first boot stays awake 30 s at least');
    // every 12th wake sends; the others never touch the radio
    assert.deepEqual(sendWakes(r), [12, 24, 36, 48, 60, 72, 84, 96, 108]);
    for (const [i, s] of starts.entries()) {
      if (i == 0 || i % 12 == 0) continue;
      assert.equal(s.device.wifi.attempts, 0, `wake ${i} only samples`);
      assert.ok(!s.device.cachedModules().includes('MQTT') && !s.device.mqtt.clients?.length, `wake ${i} never loads the MQTT module`);
    }
    // the sleep before a send asks for the radio calibrated (1), every other for none (4)
    assert.deepEqual(starts.map((s, i) => [i, s.option]).filter(([, o]) => o == 1).map(([i]) => i), [11, 23, 35, 47, 59, 71, 83, 95, 107]);
    assert.ok(starts.every((s, i) => s.option == (i % 12 == 11 ? 1 : 4)));
    // one reading a wake, each at the broker once, in order
    const got = r.received();
    assert.equal(r.sampled.length, 1 + 108, 'one reading at the first boot, one a wake');
    assert.deepEqual(got.map((m) => m.lux), r.sampled.map((s) => s.lux), 'delivered = sampled, in order: none dropped');
    assert.deepEqual(got.map((m) => m.ts), r.sampled.map((s) => s.ts), 'each with the time it was taken');
    // wakes are a period apart, and so are the readings' times (within the clock's error before SNTP corrects it:
    // the boot each wake adds, 120 ms, until the first send learns it)
    for (let i = 2; i < r.sampled.length; i++) assert.ok(Math.abs(r.sampled[i].ts - r.sampled[i - 1].ts - 300) <= 2, `reading ${i}: ${r.sampled[i].ts - r.sampled[i - 1].ts} s after the one before`);
    for (let i = 2; i < starts.length; i++) assert.ok(Math.abs(starts[i].at - starts[i - 1].at - 300e3) < 1000, `wake ${i} is a period after the one before`);
    // each reading arrived once: no message twice (the bursts of a send cycle are measured by the sleeping fleet,
    // test/fleet-sleep.test.mjs)
    const arrivals = r.sub.messages.filter((m) => m.topic == 'test-topic');
    assert.equal(arrivals.length, 109);
    // flash: nothing waits once the last wake sent; the counters count the wakes and sends
    assert.equal(r.sleeper.storage.read('lgwake'), undefined, 'the wake file goes once its readings are delivered');
    assert.deepEqual(r.sleeper.storage.list(/^lgj\d+$/), [], 'the journal is empty');
    const last = await r.report(9 + 1); // nine sends and the first boot's
    assert.equal(last.wakes, 108);
    assert.equal(last.gaveUp, 0);
    assert.equal(last.dropped, 0);
    assert.ok(last.awakeMs > 0 && last.awakeMs < 108 * 2000, `awake in all: ${last.awakeMs} ms`);
    // the awake time of a wake that only samples (the simulator's clock, the ROM boot apart) and of a send
    const sampleOnly = starts.filter((s, i) => i && i % 12).map((s) => s.awakeMs), sends = sendWakes(r).map((i) => starts[i].awakeMs);
    assert.ok(Math.max(...sampleOnly) <= 300, `a wake that only samples: at most ${Math.max(...sampleOnly)} ms`);
    assert.ok(Math.max(...sends) <= 3000, `a send wake: at most ${Math.max(...sends)} ms`);
  } finally {
    await r.close();
    await broker.close();
  }
});

test('a power cut between two wakes loses nothing already in flash: the next power on sends it first, in order', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker));
  try {
    await r.runToStart(1 + 5);
    const inFlash = r.sleeper.storage.read('lgwake');
    assert.equal(inFlash.split('\n').filter((l) => l && !l.startsWith('\xff')).length, 5, 'five wakes kept in flash');
    r.sleeper.powerCut();
    await r.run(3600e3);
    assert.equal(r.sleeper.starts.length, 6, 'nothing runs without power');
    r.sleeper.powerOn();
    assert.ok(r.linesOf(6).includes('power: 5 wakes since the last send: their readings go first'), r.linesOf(6).join('\n'));
    // the power on sends, then sleeps
    await r.runToStart(1 + 5 + 1);
    assert.deepEqual(r.received().map((m) => m.lux), r.sampled.map((s) => s.lux), 'every reading, in order');
    assert.equal(r.sleeper.storage.read('lgwake'), undefined);
  } finally {
    await r.close();
    await broker.close();
  }
});

test('a send wake whose broker is down gives up after sendTimeoutSeconds, says so, and keeps everything for the next send', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker, { sendEvery: 6 }));
  try {
    await r.runToStart(1 + 5);
    const port = r.target.port;
    r.target.port = await freePort(); // nothing listens there: the broker is down
    await r.runToStart(1 + 6);
    const failed = r.sleeper.starts[6];
    assert.ok(failed.device.wifi.attempts > 0, 'the send wake joined WiFi');
    const said = r.linesOf(6).find((l) => l.startsWith('power: the send gave up'));
    assert.equal(said, 'power: the send gave up after 10 s (the broker not reached): 6 readings kept in flash for the next send', r.linesOf(6).join('\n'));
    assert.ok(failed.awakeMs >= 10000 && failed.awakeMs < 11500, `it slept ${failed.awakeMs} ms after it woke: bounded, not until the battery is gone`);
    assert.equal(r.sleeper.storage.read('lgwake'), undefined, 'the wake file\'s readings went to the journal');
    assert.ok(r.sleeper.storage.list(/^lgj\d+$/).length > 0, 'the journal holds them');
    // the broker is back for the next send: everything arrives, the old first, in order
    r.target.port = port;
    await r.runToStart(1 + 12);
    assert.deepEqual(r.received().map((m) => m.lux), r.sampled.map((s) => s.lux));
    assert.deepEqual(r.sleeper.storage.list(/^lgj\d+$/), []);
    const last = await r.report(2); // the first boot's and this one
    assert.equal(last.gaveUp, 1);
    assert.equal(last.dropped, 0);
  } finally {
    await r.close();
    await broker.close();
  }
});
