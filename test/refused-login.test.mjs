// A broker that refuses the login: the firmware says what the broker said (the CONNACK's return code, read where
// the packet has it: scripts/firmware/mqtt-connack.mjs) and the setting to check, never that it connected, and backs
// off as after any failed attempt. In the simulator against aedes, which refuses with each code a broker gives for a
// login, and, with ESPRUINO set, the flashed firmware on the interpreter against mosquitto with a password file and
// aedes.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { buildWith, mosquittoSkip, startMosquitto, waitFor, listenOnLoopback } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { faultRig } from './fault-rig.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { memorySkip, workspace, firmwareUpload, flashed } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';

/** The line the firmware prints for each return code a broker refuses a login with, after `MQTT: <host:port> `. */
const SAID = {
  1: 'refused the connection: unacceptable protocol version (return code 1): check mqtt.host and mqtt.port',
  2: 'refused the connection: identifier rejected (return code 2): check mqtt.clientId',
  3: 'refused the connection: server unavailable (return code 3): check the broker at mqtt.host',
  4: 'refused the connection: bad user name or password (return code 4): check mqtt.username and mqtt.password',
  5: 'refused the connection: not authorized (return code 5): check mqtt.username and mqtt.password',
  // a code MQTT 3.1.1 does not have: the MQTT module's own words
  7: 'refused the connection: unknown return code: 7.'
};

/**
 * A server that answers the n-th CONNECT on it with a CONNACK of return code codes[n] (the last for the rest), as
 * MQTT 3.1.1 lays it out (0x20, remaining length 2, session-present flags 0, the code), and then hangs up, as a
 * broker that refuses does. Return code 1, for a protocol level it does not take, and codes past 5 are ones no
 * broker at hand gives for a client that speaks MQTT 3.1.1.
 */
async function connackServer(codes) {
  let n = 0;
  const sockets = new Set();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.once('data', () => s.end(Buffer.from([0x20, 2, 0, codes[Math.min(n++, codes.length - 1)]])));
  });
  return listenOnLoopback(server, sockets);
}

/** The seconds of each `MQTT: retrying in N s` line. */
const waits = (lines) => lines.filter((l) => l.startsWith('MQTT: retrying in ')).map((l) => +/in ([\d.]+) s/.exec(l)[1]);

/** Checks that each refusal line is followed by the retry it makes: a failed attempt, and the next after the backoff. */
function assertRetried(lines, refusals) {
  lines.forEach((l, i) => refusals.includes(l) && assert.match(lines[i + 1] || '', /^MQTT: retrying in /, lines.join('\n')));
}

test('in the simulator: each refusal aedes gives is said with its return code and the setting to check, never "connected"; the waits double; then a login it accepts connects', async () => {
  // the device's attempts are refused with 2, 3, 4 and 5 in turn, then accepted; the test's subscriber always is
  const codes = [2, 3, 4, 5];
  let refused = 0;
  const broker = await startBroker({
    authenticate: (client, username, password, callback) => {
      if (client.id != 'esp8266' || refused == codes.length) return callback(null, true);
      const e = new Error('refused by the test');
      e.returnCode = codes[refused++];
      callback(e, false);
    }
  });
  const r = await faultRig(broker, { buffer: { size: 8, journal: 0 }, mqtt: { maxBackoffSeconds: 8 } });
  try {
    await r.run(60000, { until: () => r.sub.messages.length >= 3 });
    const at = 'MQTT: 192.168.1.10:1883 '; // the config's broker, which the simulator takes to aedes
    const said = r.lines.filter((l) => l.startsWith('MQTT: ') && !l.startsWith('MQTT: retrying in ') && !l.startsWith('MQTT: buffer full'));
    assert.deepEqual(said, [...codes.map((c) => at + SAID[c]), 'MQTT: connected to 192.168.1.10:1883'], r.lines.join('\n'));
    assertRetried(r.lines, said.slice(0, codes.length));
    const w = waits(r.lines);
    assert.equal(w.length, codes.length);
    // half to all of 1, 2, 4, 8 s: each wait's step doubles
    w.forEach((s, i) => assert.ok(s >= 2 ** i / 2 && s <= 2 ** i, `wait ${i + 1} of ${w}: ${s} s`));
    assert.ok(r.sub.messages.length >= 3, 'readings flow once the broker accepts the login');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('in the simulator: return code 1 and a code MQTT 3.1.1 does not have are said too, and retried', async () => {
  const server = await connackServer([1, 7]);
  const { code, board, modules } = await buildWith({ mqtt: { maxBackoffSeconds: 2, diagnosticsSeconds: 0 } });
  const lines = [];
  const device = createDevice({ board, broker: server, log: (l) => lines.push(l) });
  try {
    device.load({ code, modules });
    await waitFor(() => lines.filter((l) => l.endsWith(SAID[7])).length >= 2, { what: `two refusals with code 7: ${lines.join('\n')}`, timeout: 15000 });
    const said = lines.filter((l) => / refused the connection: /.test(l));
    assert.deepEqual(said.slice(0, 3), [1, 7, 7].map((c) => 'MQTT: 192.168.1.10:1883 ' + SAID[c]));
    assertRetried(lines, said);
    assert.deepEqual(lines.filter((l) => /^MQTT: (connected|lost)/.test(l)), []);
  } finally {
    device.stop();
    await server.close();
  }
});

/**
 * The flashed firmware on the interpreter against the broker on 127.0.0.1:port, until it has planned its fourth
 * attempt (three retry lines), or for 40 s: its console lines.
 */
async function flashedAgainst(port, mqtt) {
  const upload = await firmwareUpload(workspace(), port, { mqtt: { diagnosticsSeconds: 0, maxBackoffSeconds: 4, ...mqtt } });
  const lines = [];
  const esp = startEspruino({
    bin: process.env.ESPRUINO,
    upload: flashed(upload.flash),
    timeoutMs: 40000,
    onLine: (l) => {
      lines.push(l);
      if (waits(lines).length == 3) esp.stop();
    }
  });
  await esp.exited;
  return lines;
}

test('on Espruino: a refused login is said with the return code the broker sent, mosquitto and aedes, never "connected", and retried on the backoff', { skip: memorySkip() ?? false, timeout: 120000 }, async () => {
  const brokers = [['aedes', 4, async () => startBroker({ authenticate: (client, u, p, callback) => callback(Object.assign(new Error('no'), { returnCode: 4 }), false) })]];
  if (!mosquittoSkip()) brokers.unshift(['mosquitto', 5, async () => ((m) => ({ port: m.port, close: m.stop }))(await startMosquitto({ passwords: { device: 'right' } }))]);
  brokers.push(['a server answering CONNACK with return code 1, then 7', 1, async () => connackServer([1, 7])]);
  for (const [name, code, start] of brokers) {
    const broker = await start();
    let lines;
    try {
      lines = await flashedAgainst(broker.port, { username: 'device', password: 'pw-wrong-123' });
    } finally {
      await broker.close();
    }
    const all = `${name}:\n${lines.join('\n')}`;
    assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), [], all);
    const at = `MQTT: 127.0.0.1:${broker.port} `;
    const refusals = lines.filter((l) => l.startsWith(at + 'refused the connection: '));
    // the first with `code`; after it, the code of the server's later answers, 7, where it has others
    assert.deepEqual(refusals.map((l) => l.slice(at.length)), refusals.map((l, i) => SAID[i && code == 1 ? 7 : code]), all);
    assert.ok(refusals.length >= 3, all);
    assert.deepEqual(lines.filter((l) => /^MQTT: (connected|lost)/.test(l)), [], `a refused login is never a connection: ${all}`);
    assertRetried(lines, refusals);
    const w = waits(lines);
    // half to all of 1, 2 and then 4 s (mqtt.maxBackoffSeconds)
    assert.ok(w[0] <= 1 && w[2] >= 2, `the waits grow: ${w}`);
    assert.ok(w.every((s) => s <= 4), `and stay within mqtt.maxBackoffSeconds: ${w}`);
    assert.ok(!all.includes('pw-wrong-123'), 'the password is never printed');
  }
});
