// Fault injection against real brokers on 127.0.0.1: WiFi drops, a broker that stops and comes back, refused
// credentials, a slow broker, and a soak with repeated faults. In each the firmware recovers by itself, and the
// messages received plus the drops it counted equal the readings it sampled, in order.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { buildWith, freePort, mosquittoSkip, startMosquitto, subscriber, waitFor, listenOnLoopback } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { faultRig, runClock } from './fault-rig.mjs';

test('WiFi drops for longer than the buffer lasts: the oldest are dropped and counted, the rest arrive in order', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, { buffer: { size: 5, journal: 0 } }); // the RAM buffer alone: no journal
  try {
    await r.run(2000, { until: () => r.sub.messages.length >= 5 });
    r.device.wifi.drop();
    await r.run(2000); // about 20 readings while offline
    assert.ok(r.writer().queued <= 5, 'the buffer stays within buffer.size');
    r.device.wifi.restore();
    await r.run(10000, { until: () => r.writer().sent > 10 });
    r.stopSampling();
    await r.run(60000, { until: () => r.writer().queued == 0 });
    await waitFor(() => r.received().length + r.writer().dropped >= r.sampled.length, { what: 'the backlog at the subscriber' });
    const a = r.checkAccounts();
    assert.ok(a.dropped >= 10, `readings were dropped while offline: ${JSON.stringify(a)}`);
    assert.ok(r.lines.some((l) => /^MQTT: buffer full while offline, \d+ oldest readings dropped$/.test(l)), r.lines.join('\n'));
    assert.ok(r.lines.some((l) => /^WiFi: lost, retrying in \d+\.\d s$/.test(l)));
    assert.equal(r.device.wifi.listenerCount('connected'), 1, 'no listener added by reconnects');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('mosquitto stops and starts again: the firmware reconnects by itself and loses nothing it did not count', { skip: mosquittoSkip() ?? false }, async () => {
  const persistDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosq-data-'));
  let mosq = await startMosquitto({ persistDir });
  const host = '127.0.0.1', port = mosq.port;
  // a reading every 0.5 s: the buffer of 64 outlasts the outage and the reconnect backoff
  const r = await faultRig({ host, port }, { buffer: { size: 64 }, sensor: { id: 'lux-1', intervalSeconds: 0.5, gain: 'med' } }, { clientId: 'fault-sub', clean: false });
  try {
    await r.run(3000, { until: () => r.sub.messages.length >= 5 });
    await mosq.stop();
    await r.run(3000); // readings into the buffer, reconnect attempts refused
    const client = r.device.mqtt.clients[0];
    mosq = await startMosquitto({ port, persistDir });
    await r.run(20000, { until: () => r.writer().sent > 20 });
    r.stopSampling();
    await r.run(60000, { until: () => r.writer().queued == 0 });
    await waitFor(() => r.received().length + r.writer().dropped >= r.sampled.length, {
      what: 'the backlog at the subscriber',
      then: () => `missing ${r.sampled.filter((v) => !r.received().includes(v))} of ${r.sampled}`
    });
    const a = r.checkAccounts();
    assert.equal(a.dropped, 0, 'the buffer was big enough');
    assert.ok(r.writer().reconnects >= 1);
    assert.deepEqual(r.device.mqtt.clients, [client], 'one MQTT client for life');
    assert.ok(r.device.mqtt.sockets.size <= 1, 'no sockets left behind');
  } finally {
    await r.close();
    await mosq.stop();
  }
});

// A refused CONNECT is the MQTT module's 'error' naming the return code, as the upload sends the module
// (scripts/firmware/mqtt-connack.mjs; test/sim-mqtt.test.mjs against the module itself): the writer says what the
// broker said and which settings to check, never that it connected, and backs off.

test('refused credentials: the firmware says what the broker said, never "connected", backs off, keeps one client, and recovers when the broker accepts it', { skip: mosquittoSkip() ?? false }, async () => {
  let mosq = await startMosquitto({ passwords: { device: 'other-password' } });
  const host = '127.0.0.1', port = mosq.port;
  const r = await faultRig(
    { host, port },
    { buffer: { size: 8, journal: 0 }, mqtt: { username: 'device', password: 'pw-123', maxBackoffSeconds: 8 } },
    { username: 'device', password: 'other-password' }
  );
  try {
    await r.run(40000);
    // the broker the config names (the simulator takes it to mosquitto)
    const refusals = r.lines.filter((l) => l == 'MQTT: 192.168.1.10:1883 refused the connection: not authorized (return code 5): check mqtt.username and mqtt.password');
    assert.ok(refusals.length >= 3, r.lines.join('\n'));
    assert.deepEqual(r.lines.filter((l) => /^MQTT: (connected|lost)/.test(l)), [], 'a refused login is never a connection');
    // each refusal is a failed attempt: the next waits for the backoff
    r.lines.forEach((l, i) => refusals.includes(l) && assert.match(r.lines[i + 1], /^MQTT: retrying in /, r.lines.join('\n')));
    const waits = r.lines.filter((l) => /^MQTT: retrying in/.test(l)).map((l) => +/in ([\d.]+) s/.exec(l)[1]);
    assert.ok(waits.every((w) => w <= 8), `backoff stays within mqtt.maxBackoffSeconds: ${waits}`);
    assert.ok(waits.at(-1) >= 4, `backoff grew: ${waits}`);
    assert.equal(r.device.mqtt.clients.length, 1);
    assert.ok(r.writer().queued <= 8);
    assert.ok(!r.lines.join('\n').includes('pw-123'), 'the password is never printed');
    // the broker's operator fixes the password file
    await mosq.stop();
    await r.sub.close();
    mosq = await startMosquitto({ port, passwords: { device: 'pw-123' } });
    const { subscriber } = await import('./helpers.mjs');
    r.sub = await subscriber({ host, port, topic: 'test-topic', username: 'device', password: 'pw-123' });
    await r.run(60000, { until: () => r.sub.messages.length >= 3 });
    assert.ok(r.sub.messages.length >= 3, 'readings flow after the fix');
    assert.ok(r.writer().dropped > 0, 'readings beyond the buffer were counted as dropped');
  } finally {
    await r.close();
    await mosq.stop();
  }
});

/** A TCP proxy on loopback that holds every chunk for `delayMs` in both directions: a slow broker. */
async function slowProxy(target, delayMs) {
  const sockets = new Set();
  const server = net.createServer((a) => {
    const b = net.connect(target.port, target.host);
    sockets.add(a).add(b);
    const pipe = (from, to) => {
      from.on('data', (d) => setTimeout(() => to.writable && to.write(d), delayMs));
      from.on('close', () => setTimeout(() => to.destroy(), delayMs));
      from.on('error', () => {});
    };
    pipe(a, b);
    pipe(b, a);
  });
  return listenOnLoopback(server, sockets);
}

test('a slow broker (250 ms each way): readings arrive in order, the unacknowledged window stays bounded', async () => {
  const broker = await startBroker();
  const slow = await slowProxy(broker, 250);
  const r = await faultRig(slow, { buffer: { size: 64 } });
  try {
    let window = 0;
    for (let i = 0; i < 60; i++) {
      await r.run(50, { step: 50 });
      await new Promise((res) => setTimeout(res, 20)); // real time for the slow link
      window = Math.max(window, r.writer().inFlight);
    }
    r.stopSampling(); // let the backlog drain
    await waitFor(() => r.writer().queued == 0, { what: 'the backlog through the slow broker', timeout: 15000 });
    await waitFor(() => r.received().length == r.sampled.length, { what: 'every reading at the subscriber', timeout: 5000 });
    r.checkAccounts();
    assert.ok(window <= 8, `at most 8 readings wait for their PUBACK, saw ${window}`);
    assert.equal(r.writer().reconnects, 0, 'slow is not mistaken for dead');
  } finally {
    await r.close();
    await slow.close();
    await broker.close();
  }
});

test('soak: over 1000 readings through repeated WiFi drops and broken connections, memory bounded, nothing lost silently', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, { buffer: { size: 16 }, mqtt: { maxBackoffSeconds: 4 } });
  try {
    const listeners = () => ['connected', 'disconnected', 'error', 'puback', 'publish'].map((e) => r.device.mqtt.clients[0].listenerCount(e));
    await r.run(2000);
    const before = listeners();
    let maxQueue = 0, maxTimers = 0;
    for (let round = 0; round < 12; round++) {
      if (round % 2) r.device.wifi.drop();
      else r.device.mqtt.cutAll(); // the broker side of the link breaks
      await r.run(round % 2 ? 1500 + 300 * round : 500);
      r.device.wifi.restore();
      for (let i = 0; i < 40; i++) {
        await r.run(200);
        maxQueue = Math.max(maxQueue, r.writer().queued);
        maxTimers = Math.max(maxTimers, r.device.pendingTimers());
      }
    }
    r.stopSampling();
    await r.run(30000, { until: () => r.writer().queued == 0 });
    await waitFor(() => r.received().length + r.writer().dropped >= r.sampled.length, { what: 'the last readings at the subscriber' });
    const a = r.checkAccounts();
    assert.ok(a.sampled >= 1000, `sampled ${a.sampled}`);
    assert.ok(maxQueue <= 16, `buffer bounded: ${maxQueue}`);
    assert.ok(maxTimers <= 6, `timers bounded: ${maxTimers}`);
    assert.deepEqual(listeners(), before, 'no listeners added by reconnects');
    assert.equal(r.device.mqtt.clients.length, 1);
    assert.ok(r.lines.filter((l) => /^MQTT: connected/.test(l)).length >= 13, 'connected again after each of the 12 faults');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('a broker port that refuses the connection (ESP8266): said at once, retried on the backoff, readings arrive once it listens', async () => {
  const port = await freePort();
  const { code, board, modules } = await buildWith({ board: 'esp8266-4mb', sensor: { id: 'lux-1', intervalSeconds: 0.5 }, mqtt: { diagnosticsSeconds: 0, maxBackoffSeconds: 2 } });
  const clock = new FakeClock();
  const lines = [];
  const device = createDevice({ board, broker: { host: '127.0.0.1', port }, timers: clock, log: (l) => lines.push(l) });
  let broker, sub;
  try {
    device.load({ code, modules });
    // without a word from the socket, an attempt would wait out the CONNACK watchdog: 7.5 s at least
    await runClock(clock, 4000);
    const refused = lines.filter((l) => /^MQTT: cannot reach 192\.168\.1\.10:1883: connection refused \(no broker on that port\?\)$/.test(l));
    assert.ok(refused.length >= 2, `two or more refusals heard within 4 s:\n${lines.join('\n')}`);
    assert.ok(lines.filter((l) => /^MQTT: retrying in \d\.\d s \(waits double after each failed attempt, up to 2 s\)$/.test(l)).length >= refused.length);
    broker = await startBroker({ port });
    sub = await subscriber({ host: broker.host, port, topic: 'test-topic' });
    await runClock(clock, 10000, { until: () => sub.messages.length > 0 });
    await waitFor(() => sub.messages.length > 0, { what: 'a reading at the broker once it listens' });
    const [id, ts, lux] = JSON.parse(sub.messages[0].text);
    assert.equal(id, 'lux-1');
    assert.equal(typeof ts, 'number');
    assert.equal(typeof lux, 'number');
  } finally {
    device.stop();
    if (sub) await sub.close();
    if (broker) await broker.close();
  }
});
