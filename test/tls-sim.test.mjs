// The broker over TLS in the simulator: the firmware built with mqtt.tls runs on the simulator's require("tls")
// (Node's tls, checking certificates as a patched Espruino does) against mosquitto's TLS listener, with certificates
// openssl makes for the test. With the right CA readings arrive; with a wrong CA, or a host name the broker's
// certificate is not made out to, none do and the console says why; a broker that wants a client certificate takes
// the device's. Readings are read by a subscriber on mosquitto's plain listener.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, EXAMPLE, buildWith, subscriber, waitFor, mosquittoSkip, startMosquitto, runNode } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { makeCertificates, opensslSkip } from '../scripts/lib/certificates.mjs';

const skip = mosquittoSkip() || opensslSkip() || false;
const certs = skip ? null : makeCertificates(fs.mkdtempSync(path.join(os.tmpdir(), 'luxgraph-tls-')));
const HANDSHAKE = /^MQTT: cannot reach 127\.0\.0\.1:\d+: the TLS handshake failed: /;

/**
 * A mosquitto with a TLS listener (`tls` adds to its options), a subscriber on its plain one, and the firmware built
 * with `mqtt` (over TLS, to that listener) running in the simulator; `run(until)` waits for `until(readings, lines)`
 * or for `ms`, and returns { readings, lines }.
 */
async function rig(mqtt, tls = {}) {
  const mosq = await startMosquitto({ tls: { cert: certs.server.cert, key: certs.server.key, ...tls } });
  const sub = await subscriber({ port: mosq.port, topic: 'test-topic' });
  const built = await buildWith({ board: 'esp32', mqtt: { host: '127.0.0.1', port: mosq.tlsPort, clientId: 'tls-sim', tls: true, ...mqtt }, sensor: { intervalSeconds: 0.2 } });
  const lines = [];
  // every connection goes to the TLS listener, whatever host the firmware names: the name it checks is its own
  const device = createDevice({ board: built.board, broker: { host: '127.0.0.1', port: mosq.tlsPort }, log: (l) => lines.push(l) });
  device.load(built);
  return {
    lines,
    async run(until, ms = 8000) {
      try {
        await waitFor(() => until(sub.messages, lines), { timeout: ms, what: 'the outcome' }).catch(() => {});
        return { readings: sub.messages.filter((m) => m.topic == 'test-topic'), lines };
      } finally {
        device.stop();
        await sub.close();
        await mosq.stop();
      }
    }
  };
}

test('over TLS with the right CA, readings arrive, and the console says the certificate is checked', { skip }, async () => {
  const r = await rig({ ca: certs.ca });
  const { readings, lines } = await r.run((m) => m.length >= 3);
  assert.ok(readings.length >= 3, lines.join('\n'));
  assert.match(lines[0], /^MQTT: TLS to 127\.0\.0\.1:\d+: the traffic is encrypted, and the broker's certificate is checked: signed by mqtt\.ca's CA and made out to 127\.0\.0\.1, or the connection is refused$/);
  assert.ok(lines.some((l) => /^MQTT: connected to 127\.0\.0\.1:\d+$/.test(l)), lines.join('\n'));
  assert.deepEqual(lines.filter((l) => /Uncaught|cannot reach/.test(l)), []);
});

test('over TLS with a CA that did not sign the broker\'s certificate, nothing arrives, and the console says why and backs off', { skip }, async () => {
  const r = await rig({ ca: certs.wrongCa });
  const { readings, lines } = await r.run((m, l) => l.filter((x) => HANDSHAKE.test(x)).length >= 2, 6000);
  assert.deepEqual(readings, [], 'no reading reached the broker');
  assert.ok(lines.includes("WARNING: TLS: the server's certificate was refused: The certificate is not correctly signed by the trusted CA"), lines.join('\n'));
  assert.ok(lines.some((l) => HANDSHAKE.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^MQTT: retrying in \d/.test(l)), 'the backoff as for any refusal');
  assert.ok(!lines.some((l) => l.startsWith('MQTT: connected')));
});

test('over TLS to a host name the broker\'s certificate is not made out to, nothing arrives, and the console says why', { skip }, async () => {
  // the broker's certificate is for 127.0.0.1; the firmware names it localhost
  const r = await rig({ host: 'localhost', ca: certs.ca });
  const { readings, lines } = await r.run((m, l) => l.some((x) => /^MQTT: retrying in/.test(x)), 6000);
  assert.deepEqual(readings, []);
  assert.match(lines[0], /made out to localhost, or the connection is refused$/);
  assert.ok(lines.includes("WARNING: TLS: the server's certificate was refused: The certificate Common Name (CN) does not match with the expected CN"), lines.join('\n'));
});

test('a broker that logs clients in by certificate takes the device\'s (mqtt.cert, mqtt.key) and refuses a device without one', { skip }, async () => {
  const want = { ca: certs.ca, requireCertificate: true };
  const withCert = await rig({ ca: certs.ca, cert: certs.device.cert, key: certs.device.key }, want);
  const ok = await withCert.run((m) => m.length >= 2);
  assert.ok(ok.readings.length >= 2, ok.lines.join('\n'));
  const without = await rig({ ca: certs.ca }, want);
  const refused = await without.run((m, l) => l.some((x) => /^MQTT: retrying in/.test(x)), 6000);
  assert.deepEqual(refused.readings, [], refused.lines.join('\n'));
  assert.ok(refused.lines.some((l) => HANDSHAKE.test(l)), refused.lines.join('\n'));
  assert.ok(refused.lines.some((l) => /^WARNING: TLS: mbedtls_ssl_handshake returned /.test(l)));
});

test('npm start with mqtt.tls runs against a broker over TLS (--broker mqtts://), and refuses the embedded broker, which has none', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-start-'));
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ ...EXAMPLE, board: 'esp32', mqtt: { ...EXAMPLE.mqtt, host: '127.0.0.1', port: undefined, tls: true, ca: certs.ca }, sensor: { id: 'lux-1', intervalSeconds: 0.3 } }));
  const refused = runNode(['scripts/start.mjs', '--config', config]);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /^simulator: the config has mqtt\.tls, and the embedded broker speaks no TLS: give your broker's TLS listener, --broker mqtts:\/\/host:8883$/m);
  const mosq = await startMosquitto({ tls: { cert: certs.server.cert, key: certs.server.key } });
  const child = spawn(process.execPath, ['scripts/start.mjs', '--config', config, '--broker', `mqtts://127.0.0.1:${mosq.tlsPort}`], { cwd: ROOT });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    // the subscriber npm start makes, over TLS too, prints what reaches the topic
    await waitFor(() => (out.match(/^\[broker\] test-topic \["lux-1"/gm) || []).length >= 2, { timeout: 30000, what: 'readings through the TLS broker', then: () => out });
    assert.match(out, /MQTT: TLS to 127\.0\.0\.1:8883: the traffic is encrypted, and the broker's certificate is checked/);
  } finally {
    child.kill('SIGTERM');
    await mosq.stop();
  }
});
