// Staying reachable with deep sleep: a sleeping board cannot be flashed or reached at the REPL. The stay-awake pin
// held low at a wake, a retained {"sleep":false} on <base>/set (from the next send on), and LuxGraph.stop() within
// a first boot's first 30 s each keep it awake; {"sleep":true} lets it sleep again. On the simulator's fake clock
// against a real broker.
import test from 'node:test';
import assert from 'node:assert/strict';
import { startBroker } from '../scripts/sim/broker.mjs';
import { sleepRig, sleepingConfig } from './sleep-rig.mjs';

/** Publishes `command` retained on the device's command topic, as a user would. */
const command = (r, text) => r.sub.client.publishAsync('garden/set', text, { qos: 1, retain: true });

test('the stay-awake pin held low at a wake keeps the board awake: it samples and sends as usual, the wake file delivered', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker, { power: { deepSleep: true, stayAwakePin: 'D14' } }));
  try {
    await r.runToStart(1 + 3);
    r.pins.D14 = 0; // held to GND
    await r.run(300e3 * 4);
    // the fourth wake had no radio (a wake that only samples): it woke again at once, with it
    assert.ok(r.linesOf(4).includes('power: D14 held low: waking again with the radio on, to stay awake'), r.linesOf(4).join('\n'));
    assert.equal(r.sleeper.starts[4].option, 1);
    assert.ok(r.sleeper.starts[5].at - r.sleeper.starts[4].at < 1000);
    assert.equal(r.sleeper.starts.length, 6, 'then it never slept');
    assert.ok(!r.sleeper.asleep());
    assert.ok(r.linesOf(5).includes('power: D14 held low: staying awake, reachable; a reset with it released sleeps again'), r.linesOf(5).join('\n'));
    // it samples every period and sends each reading as it comes; the three wakes kept in flash went first
    assert.ok(r.sampled.length >= 1 + 3 + 3, `readings: ${r.sampled.length}`);
    assert.deepEqual(r.received().map((m) => m.lux), r.sampled.map((s) => s.lux));
    assert.equal(r.sleeper.storage.read('lgwake'), undefined, 'the wake file goes once its readings are delivered');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('a retained {"sleep":false} keeps the board awake from its next send on, and {"sleep":true} lets it sleep again after the send that hears it', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker, { sendEvery: 4 }));
  try {
    await r.runToStart(1 + 2);
    await command(r, '{"sleep":false}');
    // the wake after this one only samples: it does not hear the command; the send wake (the fourth) does
    await r.runToStart(1 + 4);
    await r.run(300e3 * 3);
    assert.equal(r.sleeper.starts.length, 5, 'awake since the send wake');
    assert.ok(r.linesOf(4).includes('power: staying awake ({"sleep":false}), reachable; {"sleep":true} lets it sleep again'), r.linesOf(4).join('\n'));
    const awakeReadings = r.sampled.filter((s) => s.at > r.sleeper.starts[4].at).length;
    assert.ok(awakeReadings >= 3, `it samples as usual: ${awakeReadings} readings in three periods`);
    assert.deepEqual(r.received().map((m) => m.lux), r.sampled.map((s) => s.lux), 'each sent as it comes');
    // {"sleep":false} without a boolean, and an interval the sleep cannot take, are refused with the reason
    await r.sub.client.publishAsync('garden/set', '{"sleep":"no"}', { qos: 1 });
    await r.sub.client.publishAsync('garden/set', '{"interval":5}', { qos: 1 });
    await r.run(2000);
    assert.ok(r.linesOf(4).includes('command {"sleep":"no"} refused: sleep must be true or false'), r.linesOf(4).join('\n'));
    assert.ok(r.linesOf(4).includes('command {"interval":5} refused: interval must be seconds from 10 to 2147 while the board sleeps between readings'));
    await command(r, '{"sleep":true}');
    await r.runToStart(5, 60e3);
    assert.ok(r.sleeper.asleep(), 'asleep again once what waited was sent');
    assert.ok(r.linesOf(4).includes('power: sleeping again after the next send ({"sleep":true})'), r.linesOf(4).join('\n'));
    await r.runToStart(1 + 4 + 1);
    assert.equal(r.sleeper.starts[5].device.wifi.attempts, 0, 'the next wake only samples again');
    await command(r, '');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('LuxGraph.stop() within a first boot\'s first 30 s keeps the board awake, reachable at the REPL', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker));
  try {
    await r.run(5000);
    r.sleeper.device.eval('LuxGraph.stop()');
    await r.run(600e3);
    assert.equal(r.sleeper.starts.length, 1);
    assert.ok(!r.sleeper.asleep() && !r.sleeper.device.isOff(), 'still awake after ten minutes');
    assert.ok(r.linesOf(0).includes('power: stopped at the REPL (LuxGraph.stop()): staying awake; LuxGraph.start() runs again and sleeps after its first send'), r.linesOf(0).join('\n'));
    // and LuxGraph.start() sleeps again after its first send
    r.sleeper.device.eval('LuxGraph.start()');
    await r.runToStart(1, 120e3);
    assert.ok(r.sleeper.asleep());
  } finally {
    await r.close();
    await broker.close();
  }
});

test('npm run flash says what to do when the board does not answer: a sleeping board answers only while awake', async () => {
  const { uploadOutcome } = await import('../scripts/device/upload.mjs');
  assert.throws(
    () => uploadOutcome('Upload failed', 0, { port: '/dev/ttyUSB0' }),
    /the board did not answer after the upload: .* A board that sleeps between readings \(power\.deepSleep\) answers only while awake: press its reset button, then flash within 30 s, or hold its stay-awake pin \(power\.stayAwakePin\) low while it wakes/
  );
});

test('a command {"interval":600} heard at a send wake sets the period of the wakes after it, those that only sample too', async () => {
  const broker = await startBroker();
  const r = await sleepRig(broker, sleepingConfig(broker, { sendEvery: 3 }));
  try {
    await command(r, '{"interval":600}');
    await r.runToStart(1 + 6);
    const starts = r.sleeper.starts;
    // the first boot heard it: every wake after it is 600 s after the one before
    for (let i = 2; i < starts.length; i++) assert.ok(Math.abs(starts[i].at - starts[i - 1].at - 600e3) < 1000, `wake ${i}: ${starts[i].at - starts[i - 1].at} ms after the one before`);
    await command(r, '');
  } finally {
    await r.close();
    await broker.close();
  }
});
