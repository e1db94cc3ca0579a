// Availability, diagnostics, commands, discovery, topics and payload options: the bundle in the simulator against
// the embedded aedes broker, every outcome read by a separate client on the broker.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildWith, subscriber, waitFor } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

/** A broker, a subscriber on `topics` and a device running the bundle built with `config`. */
async function rig(config, topics = '#') {
  const broker = await startBroker();
  const { code, board, modules } = await buildWith(config);
  const sub = await subscriber({ host: broker.host, port: broker.port, topic: topics });
  const device = createDevice({ board, broker, log: () => {} });
  device.load({ code, modules });
  const on = (topic) => sub.messages.filter((m) => m.topic == topic);
  return {
    broker,
    sub,
    device,
    on,
    async close() {
      device.stop();
      await sub.close();
      await broker.close();
    }
  };
}

const FAST = { sensor: { id: 'lux-1', intervalSeconds: 0.2 } };

test('availability: retained online on connect, the broker publishes the will offline when the link dies', async () => {
  const r = await rig({ ...FAST, mqtt: { clientId: 'hall', diagnosticsSeconds: 0 } }, 'hall/status');
  try {
    await waitFor(() => r.on('hall/status').some((m) => m.text == 'online'), { what: 'online on hall/status' });
    r.device.wifi.drop(); // no DISCONNECT reaches the broker: only the will can say we are gone
    await waitFor(() => r.on('hall/status').some((m) => m.text == 'offline'), { what: 'the will, offline' });
    const late = await subscriber({ host: r.broker.host, port: r.broker.port, topic: 'hall/status' });
    await waitFor(() => late.messages.length, { what: 'the retained status' });
    assert.equal(late.messages[0].text, 'offline');
    assert.equal(late.messages[0].retain, true);
    await late.close();
    r.device.wifi.restore();
    await waitFor(() => r.on('hall/status').filter((m) => m.text == 'online').length == 2, { what: 'online again after WiFi returns', timeout: 15000 });
  } finally {
    await r.close();
  }
});

test('a clean stop (before save()) says offline itself', async () => {
  const r = await rig({ ...FAST, mqtt: { clientId: 'hall', diagnosticsSeconds: 0 } }, 'hall/status');
  try {
    await waitFor(() => r.on('hall/status').some((m) => m.text == 'online'), { what: 'online' });
    r.device.eval('LuxGraph.stop()');
    await waitFor(() => r.on('hall/status').some((m) => m.text == 'offline'), { what: 'offline from the device' });
  } finally {
    await r.close();
  }
});

test('diagnostics: periodic health report with counters, signal and clock state', async () => {
  const r = await rig({ ...FAST, mqtt: { clientId: 'hall', diagnosticsSeconds: 0.5 } }, 'hall/diag');
  try {
    await waitFor(() => r.on('hall/diag').length >= 2, { what: 'two reports' });
    const d = JSON.parse(r.on('hall/diag').at(-1).text);
    for (const k of ['up', 'free', 'sampled', 'sent', 'dropped', 'queued', 'journaled', 'storageFree', 'reconnects', 'rssi', 'clock'])
      assert.ok(k in d, `report has ${k}: ${JSON.stringify(d)}`);
    // nothing in flash; the Storage left after the upload (firmware, journal module, MQTT) on the example's 4 MB board
    assert.equal(d.journaled, 0);
    assert.equal(d.storageFree, r.device.storage.getFree());
    assert.ok(d.storageFree > 150000 && d.storageFree < 196608 - 16000, `storageFree ${d.storageFree}`);
    assert.ok(d.sampled >= 1 && d.sent >= 1, JSON.stringify(d));
    assert.equal(d.dropped, 0);
    assert.equal(d.rssi, -58);
    assert.equal(d.clock, 'unix');
    assert.equal(r.device.wifi.sntp, 'pool.ntp.org');
  } finally {
    await r.close();
  }
});

test('commands on <base>/set: a good one changes the interval, a bad one is refused on <base>/diag and changes nothing', async () => {
  const r = await rig({ sensor: { id: 'lux-1', intervalSeconds: 5 }, mqtt: { clientId: 'hall', diagnosticsSeconds: 0 } }, ['hall/diag', 'test-topic']);
  try {
    await waitFor(() => r.on('test-topic').length >= 1, { what: 'the first reading' });
    for (const [cmd, error] of [
      ['{"interval":', /^not JSON: send e\.g\. \{"interval":5\}$/],
      ['[1]', /^not an object: send e\.g\. \{"interval":5\}$/],
      ['', /^empty: send e\.g\./],
      [`{"interval":\n  5,\n  "gain":\t"high",\n  "pad": "${'x'.repeat(5000)}"}`, /^too long: 5048 bytes, at most 200$/],
      ['{"colour":"red"}', /unknown command key colour: use interval, gain, powerSave or reset/],
      ['{"interval":0}', /interval must be seconds from 0.1 to 86400/],
      ['{"interval":"fast"}', /interval must be seconds from 0.1 to 86400/]
    ]) {
      const before = r.on('hall/diag').length;
      await r.sub.client.publishAsync('hall/set', cmd);
      await waitFor(() => r.on('hall/diag').length > before, { what: `the refusal of ${cmd}` });
      assert.match(JSON.parse(r.on('hall/diag').at(-1).text).error, error);
    }
    // the console echoes a readable excerpt (whitespace as one space, at most 40 characters) and says the refusal once
    const refusals = r.device.lines.filter((l) => /^command /.test(l));
    assert.ok(refusals.includes('command (empty) refused: empty: send e.g. {"interval":5}'), refusals.join('\n'));
    assert.ok(refusals.includes('command {"interval": 5, "gain": "high", "pad": "… refused: too long: 5048 bytes, at most 200'), refusals.join('\n'));
    assert.ok(refusals.every((l) => l.split('refused').length == 2), refusals.join('\n'));
    assert.equal(r.on('test-topic').length, 1, 'still sampling every 5 s');
    await r.sub.client.publishAsync('hall/set', '{"interval":0.2}');
    await waitFor(() => r.on('test-topic').length >= 5, { what: 'readings at the new interval', timeout: 4000 });
    assert.ok(r.device.lines.some((l) => /^command \{"interval":0.2\} applied$/.test(l)), r.device.lines.join('\n'));
  } finally {
    await r.close();
  }
});

test('Home Assistant discovery: a retained config for the lux sensor', async () => {
  const r = await rig({ ...FAST, mqtt: { clientId: 'hall', discovery: true, diagnosticsSeconds: 0 } }, 'homeassistant/#');
  try {
    const topic = 'homeassistant/sensor/hall_lux-1/config';
    await waitFor(() => r.on(topic).length, { what: 'the discovery message' });
    const late = await subscriber({ host: r.broker.host, port: r.broker.port, topic });
    await waitFor(() => late.messages.length, { what: 'the retained discovery config' });
    await late.close();
    const c = JSON.parse(r.on(topic)[0].text);
    assert.equal(c.stat_t, 'test-topic');
    assert.equal(c.dev_cla, 'illuminance');
    assert.equal(c.unit_of_meas, 'lx');
    assert.equal(c.val_tpl, '{{ value_json[2] }}');
    assert.equal(c.avty_t, 'hall/status');
    assert.equal(c.uniq_id, 'hall_lux-1');
  } finally {
    await r.close();
  }
});

test('topic template with the sensor id, and the object payload', async () => {
  const r = await rig({ ...FAST, mqtt: { topic: 'sensors/{id}', format: 'object', diagnosticsSeconds: 0 } }, 'sensors/#');
  try {
    await waitFor(() => r.on('sensors/lux-1').length >= 2, { what: 'readings on sensors/lux-1' });
    const p = JSON.parse(r.on('sensors/lux-1')[0].text);
    assert.deepEqual(Object.keys(p), ['id', 'ts', 'lux']);
    assert.equal(p.id, 'lux-1');
    assert.ok(Math.abs(p.lux - 284) < 3, `lux ${p.lux}`);
  } finally {
    await r.close();
  }
});

test('a payload over mqtt.maxPayload is refused with a clear message and counted as dropped', async () => {
  const r = await rig({ sensor: { id: 'a-rather-long-sensor-name-here', intervalSeconds: 0.2 }, mqtt: { clientId: 'hall', format: 'object', maxPayload: 48, diagnosticsSeconds: 0.3 } }, ['hall/diag', 'test-topic']);
  try {
    await waitFor(() => r.on('hall/diag').some((m) => JSON.parse(m.text).dropped >= 2), { what: 'drops in the report' });
    assert.ok(r.device.lines.some((l) => /^MQTT: payload of \d+ bytes refused, over mqtt.maxPayload$/.test(l)), r.device.lines.join('\n'));
    assert.equal(r.on('test-topic').length, 0);
  } finally {
    await r.close();
  }
});

test('commands reach the sensor: {"gain":"high"} is written to CONTROL, powerSave powers it down, a bad gain changes nothing', async () => {
  const r = await rig({ sensor: { id: 'lux-1', intervalSeconds: 0.2, gain: 'med' }, mqtt: { clientId: 'hall', diagnosticsSeconds: 0 } }, ['hall/diag', 'test-topic']);
  try {
    await waitFor(() => r.on('test-topic').length >= 1, { what: 'the first reading' });
    const control = () => r.device.sensor.writes.filter((w) => w.reg == 0x01).map((w) => (w.value >> 4) & 3);
    assert.deepEqual([...new Set(control())], [1], 'med (AGAIN 1) from the config');
    await r.sub.client.publishAsync('hall/set', '{"gain":"huge","interval":0.3}');
    await waitFor(() => r.on('hall/diag').length, { what: 'the refusal' });
    assert.match(JSON.parse(r.on('hall/diag')[0].text).error, /gain must be auto, low, med, high or max/);
    await r.sub.client.publishAsync('hall/set', '{"gain":"high","powerSave":true}');
    await waitFor(() => control().at(-1) == 2, { what: 'AGAIN 2 (high) written to CONTROL' });
    const before = r.device.sensor.writes.length;
    await waitFor(() => r.device.sensor.writes.slice(before).some((w) => w.reg == 0x00 && w.value == 0), { what: 'ENABLE 0: powered down after a reading' });
    assert.equal(r.device.eval('LuxGraph.sensor.gain'), 2);
  } finally {
    await r.close();
  }
});

test('the runtime classes keep their constructor, as classes do: instance.constructor names the class at the REPL', async () => {
  const r = await rig({ ...FAST, mqtt: { clientId: 'hall', diagnosticsSeconds: 0 } });
  try {
    for (const [name, make] of [
      ['Publisher', 'new Publisher()'],
      ['SensorPub', "new SensorPub({ sensorId: 'x', sample: function () { return 1; } })"],
      ['Scheduler', 'new Scheduler()'],
      ['Output', 'new Output()'],
      ['Tsl2591', "new Tsl2591('lux-2')"],
      ['MQTTWriter', "new MQTTWriter('other', '127.0.0.1', 1, 't', { lazy: true })"]
    ]) {
      assert.equal(r.device.eval(`(${make}).constructor === ${name}`), true, `${make}.constructor is ${name}`);
      assert.equal(r.device.eval(`${name}.prototype.constructor === ${name}`), true);
    }
    assert.equal(r.device.eval('LuxGraph.source instanceof Publisher'), true);
  } finally {
    await r.close();
  }
});
