// The tutorial end to end: the built bundle, in the simulator, publishes [id, ts, lux] that a separate
// client receives from a real broker (aedes in-process; mosquitto where installed, always in CI).
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildWith, subscriber, waitFor, mosquittoSkip, startMosquitto } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

// the timestamp in whole seconds, or with milliseconds when sampling faster than once a second (here, every 0.2 s)
const TUTORIAL_PAYLOAD = /^\["lux-1", (\d+(?:\.\d{1,3})?), (\d+(\.\d+)?)\]$/;

/** Runs the firmware against a broker until `count` messages arrived; returns them and the device. */
async function runTutorial({ host, port }, { lux = 284, irRatio = 0.3, count = 3 } = {}) {
  const { code, board, modules } = await buildWith({ mqtt: { host: 'broker.example', port: 1883, topic: 'test-topic' }, sensor: { id: 'lux-1', intervalSeconds: 0.2 } });
  const sub = await subscriber({ host, port, topic: 'test-topic' });
  const device = createDevice({ board, broker: { host, port }, light: { lux, irRatio }, log: () => {} });
  try {
    device.load({ code, modules });
    await waitFor(() => sub.messages.length >= count, { what: `${count} messages on test-topic`, timeout: 15000 });
    return { messages: sub.messages.slice(), lines: device.lines.slice(), device };
  } finally {
    device.stop();
    await sub.close();
  }
}

function checkReadings(messages, lines, lux) {
  let clockSet = false;
  for (const m of messages) {
    const match = TUTORIAL_PAYLOAD.exec(m.text);
    assert.ok(match, `payload ${m.text} has the tutorial's form ["lux-1", ts, lux]`);
    const ts = +match[1];
    // Unix time once SNTP set the clock; before, seconds since boot (a reading asked for then keeps that stamp)
    if (!clockSet) clockSet = ts > 1e9;
    assert.ok(clockSet ? Math.abs(ts - Date.now() / 1000) < 60 : ts < 60, `timestamp ${ts} is the device clock in seconds`);
    const got = +match[2];
    assert.ok(Math.abs(got - lux) <= lux * 0.01 + 0.01, `lux ${got} within 1% of the simulated ${lux}`);
  }
  // 0.2 s apart: each reading has a timestamp of its own
  const stamps = messages.map((m) => JSON.parse(m.text)[1]);
  assert.equal(new Set(stamps).size, stamps.length, `distinct timestamps: ${stamps}`);
  // the console shows the same readings as tuples, as in the tutorial
  const tuples = lines.filter((l) => /^\('lux-1', [\d.]+, [\d.]+\)$/.test(l));
  assert.ok(tuples.length >= messages.length, `console shows tuples: ${lines.join(' | ')}`);
  assert.ok(lines.includes(`('lux-1', ${messages[0].text.slice(10, -1)})`), 'console and broker agree on the first reading');
}

test('tutorial end to end through the embedded aedes broker', async () => {
  const broker = await startBroker();
  try {
    const { messages, lines } = await runTutorial(broker, { lux: 1234.5 });
    checkReadings(messages, lines, 1234.5);
    assert.ok(lines.includes('MQTT: connected to broker.example:1883'));
  } finally {
    await broker.close();
  }
});

test('tutorial end to end through mosquitto', { skip: mosquittoSkip() ?? false }, async () => {
  const mosq = await startMosquitto();
  try {
    const { messages, lines } = await runTutorial({ host: '127.0.0.1', port: mosq.port }, { lux: 42.25, irRatio: 0.2 });
    checkReadings(messages, lines, 42.25);
  } finally {
    await mosq.stop();
  }
});

test('the sensor was configured at register level: ID read, powered on, gain and integration time written, then the ALS enabled', async () => {
  const broker = await startBroker();
  try {
    const { device } = await runTutorial(broker, { count: 1 });
    const writes = device.sensor.writes.map((w) => [w.reg, w.value]);
    assert.deepEqual(writes.slice(0, 3), [
      [0x00, 0x01], // ENABLE: PON (ALS off: no stale data counts as valid)
      [0x01, 0x10], // CONTROL: AGAIN med (25x, where auto gain starts), ATIME 100 ms
      [0x00, 0x03] // ENABLE: PON | AEN
    ]);
    assert.deepEqual(device.sensor.reads[0], { reg: 0x12, n: 1, at: device.sensor.reads[0].at }, 'the ID register is read first');
    assert.equal(device.bus.options.sda.toString(), 'D4');
    assert.equal(device.bus.options.scl.toString(), 'D5');
  } finally {
    await broker.close();
  }
});

test("the tutorial's REPL session, typed by hand, works on the running firmware", async () => {
  const broker = await startBroker();
  const { code, board, modules } = await buildWith({ sensor: { id: 'lux-1', intervalSeconds: 60 } });
  const sub = await subscriber({ host: broker.host, port: broker.port, topic: 'test-topic' });
  const device = createDevice({ board, broker, light: { lux: 600 }, log: () => {} });
  // what the broker heard in each CONNECT: the firmware's packet builder serves the hand-made writer too
  const connects = {};
  broker.aedes.on('client', (c) => (connects[c.id] = { clean: c.clean, will: c.will || null }));
  try {
    device.load({ code, modules });
    await waitFor(() => device.lines.includes('WiFi: connected, IP 192.168.1.42'), { what: 'WiFi up, as the user sees before typing' });
    // and the firmware's own writer at the broker (its CONNECT is checked below): on a loaded machine it can come
    // after WiFi by more than the test's own steps take
    await waitFor(() => connects.esp8266, { what: "the firmware's own CONNECT at the broker" });
    device.eval('LuxGraph.stop()');
    device.lines.length = 0;
    sub.messages.length = 0;
    for (const line of [
      "var sensor = new SensorPub(new Tsl2591('lux-1'));",
      'sensor.subscribe(new Output());',
      `var m = new MQTTWriter('repl-1', '${broker.host}', ${broker.port}, 'test-topic');`,
      'sensor.subscribe(m);',
      'var sched = new Scheduler();',
      'sched.schedulePeriodic(sensor, 0.2);'
    ])
      device.eval(line);
    await waitFor(() => sub.messages.length >= 2, { what: 'readings from the hand-built graph' });
    const [id, ts, lux] = JSON.parse(sub.messages[0].text);
    assert.equal(id, 'lux-1');
    // 0.2 s apart: milliseconds, each reading its own timestamp
    const stamps = sub.messages.map((m) => Math.round(JSON.parse(m.text)[1] * 1000));
    assert.equal(new Set(stamps).size, stamps.length, `distinct timestamps: ${stamps}`);
    assert.ok(stamps.some((t) => t % 1000), `milliseconds: ${stamps}`);
    assert.ok(Math.abs(lux - 600) < 6, `lux ${lux} near the simulated 600`);
    assert.ok(device.lines.includes(`('lux-1', ${ts}, ${lux})`), device.lines.join('\n'));
    // no status topic given, so no last will; a clean session, as the module's own packet would have
    assert.deepEqual(connects['repl-1'], { clean: true, will: null });
    assert.equal(connects.esp8266.will.topic, 'esp8266/status');
  } finally {
    device.stop();
    await sub.close();
    await broker.close();
  }
});

test('save() and a power cycle: the firmware stops cleanly, then starts again at boot with one client', async () => {
  const broker = await startBroker();
  const { code, board, modules } = await buildWith({ sensor: { id: 'lux-1', intervalSeconds: 0.2 } });
  const sub = await subscriber({ host: broker.host, port: broker.port, topic: 'test-topic' });
  const status = await subscriber({ host: broker.host, port: broker.port, topic: 'esp8266/status' });
  const device = createDevice({ board, broker, log: () => {} });
  try {
    device.load({ code, modules });
    await waitFor(() => sub.messages.length >= 1, { what: 'a reading before save()' });
    device.save();
    // a clean stop: the device says offline itself, leaves the broker, and keeps no timer that could sample again
    await waitFor(() => status.messages.some((m) => m.text == 'offline'), { what: 'offline on esp8266/status' });
    await waitFor(() => broker.aedes.connectedClients == 2, { what: 'the device client to leave the broker (only the test subscribers stay)' });
    assert.equal(device.pendingTimers(), 0, 'no timer left after kill');
    const before = sub.messages.length;
    device.boot();
    await waitFor(() => sub.messages.length >= before + 2, { what: 'readings after boot' });
    assert.equal(broker.aedes.connectedClients, 3, 'one device client and the two test subscribers');
    assert.equal(device.mqtt.clients.filter((c) => c.connected).length, 1);
    assert.equal(status.messages.at(-1).text, 'online', 'online again after boot');
  } finally {
    device.stop();
    await sub.close();
    await status.close();
    await broker.close();
  }
});
