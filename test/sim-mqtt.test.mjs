// The simulator's require("MQTT") alone, against real brokers: it must emit what Espruino's MQTT module, as the
// upload sends it, emits, in the same order, odd as that is. A refused CONNECT (wrong password) is an error naming
// the return code, and nothing more; a TCP connection that is refused says nothing on an ESP8266 and errors at once
// on an ESP32. With ESPRUINO set, the same program runs on the module in the interpreter (whose connect blocks, as
// the ESP32's) and the two event sequences are compared; the module as published, which the upload corrects, takes
// the refusal for a connection.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { waitFor, freePort, mosquittoSkip, startMosquitto } from './helpers.mjs';
import { createMQTTModule } from '../scripts/sim/mqtt.mjs';
import { realTimers } from '../scripts/sim/device.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { memorySkip, workspace } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';
import { findEspruinoCli, uploadOptions, writeBoardJson } from '../scripts/device/espruino-cli.mjs';
import { loadBoard } from '../scripts/config/index.mjs';
import { minifyModule } from '../scripts/firmware/modules.mjs';

const EVENTS = ['connected', 'connect', 'disconnected', 'close', 'error', 'puback'];

/**
 * One ES5 program for both sides: a client per entry of CLIENTS ([name, password, port if not PORT]), each started
 * when the one before it is over (closed, refused, or given up without ever connecting); once connected it
 * publishes at QoS 1, and disconnects when that is acknowledged. Every event is reported.
 */
const PROGRAM = `
var EVENTS = ${JSON.stringify(EVENTS)};
function run(k) {
  if (k >= CLIENTS.length) return report('all', 'done');
  var name = CLIENTS[k][0], up = false, over = false;
  var m = require('MQTT').create(HOST, { port: CLIENTS[k][2] || PORT, client_id: 'adapter-' + name, username: 'dev', password: CLIENTS[k][1] });
  EVENTS.forEach(function (ev) {
    m.on(ev, function (a) {
      report(name, ev + (ev == 'error' ? ' ' + a : ''));
      if (ev == 'connected') {
        up = true;
        m.publish('adapter/t', 'x', { qos: 1 });
      }
      if (ev == 'puback') m.disconnect();
      var refused = ev == 'error' && a.indexOf('Connection refused') == 0;
      if ((ev == 'close' || refused || (ev == 'disconnected' && !up)) && !over) {
        over = true;
        run(k + 1);
      }
    });
  });
  m.connect();
}
run(0);
`;

/** The program in Node on the simulator's module; resolves with the events, by client, once all are done. */
async function onSimulator(host, port, clients, { connectBlocks = false } = {}) {
  const mod = createMQTTModule({ timers: realTimers, connectBlocks });
  const got = {};
  let done = false;
  const report = (name, ev) => (name == 'all' ? (done = true) : (got[name] = got[name] || []).push(ev));
  new Function('require', 'report', 'HOST', 'PORT', 'CLIENTS', PROGRAM)(() => mod, report, host, port, clients);
  await waitFor(() => done, { what: `every client done (${JSON.stringify(got)})` });
  mod.closeAll();
  return got;
}

/** A broker that takes user dev with password 'right' only, with CONNACK return code 4 (bad user name or password) otherwise. */
async function strictAedes() {
  return startBroker({
    authenticate: (client, username, password, callback) => {
      if (String(password) == 'right') return callback(null, true);
      const e = new Error('bad user name or password');
      e.returnCode = 4;
      callback(e, false);
    }
  });
}

test('a refused CONNECT is an error naming the return code, and nothing more: never connected', async () => {
  const broker = await strictAedes();
  try {
    const got = await onSimulator(broker.host, broker.port, [['wrong', 'wrong-password'], ['right', 'right']]);
    assert.deepEqual(got.wrong, ['error Connection refused, BAD_USER_NAME_OR_PASSWORD']);
    assert.deepEqual(got.right, ['connected', 'connect', 'puback', 'disconnected', 'close'], 'the same program with the right password is acknowledged');
  } finally {
    await broker.close();
  }
});

test('mosquitto with a password file: a wrong password is refused as not authorized (return code 5)', { skip: mosquittoSkip() ?? false }, async () => {
  const mosq = await startMosquitto({ passwords: { dev: 'right' } });
  try {
    const got = await onSimulator('127.0.0.1', mosq.port, [['wrong', 'nope'], ['right', 'right']]);
    assert.deepEqual(got.wrong, ['error Connection refused, NOT_AUTHORIZED']);
    assert.deepEqual(got.right, ['connected', 'connect', 'puback', 'disconnected', 'close']);
    assert.match(mosq.log(), /not authori[sz]ed/, 'mosquitto did refuse it');
  } finally {
    await mosq.stop();
  }
});

test('a refused TCP connection on an ESP8266 is silent: no event once the socket is gone', async () => {
  const port = await freePort(); // nothing listens there
  const mod = createMQTTModule({ timers: realTimers });
  const got = [];
  const m = mod.create('127.0.0.1', { port, client_id: 'adapter-tcp' });
  for (const ev of EVENTS) m.on(ev, () => got.push(ev));
  m.connect();
  assert.equal(mod.sockets.size, 1, 'a connection was attempted');
  await waitFor(() => mod.sockets.size == 0, { what: 'the refused socket to close' });
  mod.closeAll();
  assert.deepEqual(got, []);
  assert.equal(m.connected, false);
});

test('a refused TCP connection on an ESP32, whose connect blocks: error "Unable to create socket", then disconnected', async () => {
  const got = await onSimulator('127.0.0.1', await freePort(), [['closed', 'x']], { connectBlocks: true });
  assert.deepEqual(got.closed, ['error Unable to create socket', 'disconnected']);
});

/**
 * The program on Espruino's Linux port with Espruino's own MQTT module, uploaded as npm run flash would: as the
 * upload sends it, or with `published`, as EspruinoDocs publishes it.
 */
async function onEspruino(port, clients, { published = false } = {}) {
  const ws = workspace();
  const source = path.join(ws.modules, 'MQTT.js');
  if (!published) fs.writeFileSync(source, await minifyModule(fs.readFileSync(source, 'utf8'), 'MQTT'));
  const file = path.join(ws.dir, 'program.js');
  const header = `var HOST = "127.0.0.1", PORT = ${port}, CLIENTS = ${JSON.stringify(clients)};\nfunction report(name, ev) { print("@@EV " + name + " " + ev); }\n`;
  fs.writeFileSync(file, header + PROGRAM);
  const out = path.join(ws.dir, 'upload.js');
  const boardJson = writeBoardJson(loadBoard('esp8266'), ws.dir);
  const r = spawnSync(process.execPath, [findEspruinoCli(), '-n', ...uploadOptions({ boardJson, modulesDir: ws.modules, out }), file], { encoding: 'utf8' });
  assert.ok(fs.existsSync(out), `espruino-cli prepared the upload: ${r.stdout}${r.stderr}`);
  const got = {};
  const esp = startEspruino({
    bin: process.env.ESPRUINO,
    upload: ['echo(0);', fs.readFileSync(out, 'latin1').trim(), ''].join('\n'),
    timeoutMs: 20000,
    onLine: (line) => {
      const m = /^@@EV (\S+) (.*)$/.exec(line);
      if (!m) return;
      if (m[1] == 'all') esp.stop();
      else (got[m[1]] = got[m[1]] || []).push(m[2]);
    }
  });
  const { timedOut } = await esp.exited;
  assert.ok(!timedOut, `the program finished on Espruino: ${esp.lines.join('\n')}`);
  return got;
}

test("Espruino's own MQTT module, as the upload sends it, emits the same events as the simulator's: refused, accepted, and nothing listening; on aedes and mosquitto", { skip: memorySkip() ?? false, timeout: 90000 }, async () => {
  // the Linux port's connect blocks, as the ESP32's does
  const clients = [['wrong', 'wrong-password'], ['right', 'right'], ['closed', 'x', await freePort()]];
  const brokers = [['aedes', async () => strictAedes(), 'BAD_USER_NAME_OR_PASSWORD']];
  if (!mosquittoSkip()) brokers.push(['mosquitto', async () => ((m) => ({ host: '127.0.0.1', port: m.port, close: m.stop }))(await startMosquitto({ passwords: { dev: 'right' } })), 'NOT_AUTHORIZED']);
  for (const [name, start, code] of brokers) {
    const broker = await start();
    try {
      const espruino = await onEspruino(broker.port, clients);
      assert.deepEqual(espruino.wrong, ['error Connection refused, ' + code], `what Espruino itself does with ${name}`);
      assert.deepEqual(espruino.right, ['connected', 'connect', 'puback', 'disconnected', 'close']);
      assert.deepEqual(espruino.closed, ['error Unable to create socket', 'disconnected'], 'and with nothing listening');
      assert.deepEqual(await onSimulator(broker.host, broker.port, clients, { connectBlocks: true }), espruino, name);
      // the module as published reads the return code past the packet's end: the refusal looks like a connection
      // the broker drops at once, which is why the upload corrects it
      const published = await onEspruino(broker.port, clients.slice(0, 1), { published: true });
      assert.deepEqual(published.wrong, ['connected', 'connect', 'disconnected', 'close'], `the module as published, with ${name}`);
    } finally {
      await broker.close();
    }
  }
});
