// The broker over TLS on Espruino's own TLS, the esp32 profile's firmware flashed on the interpreters
// npm run espruino:build makes, against mosquitto's TLS listener with certificates openssl makes for the test:
// - ESPRUINO_TLS_STOCK, TLS as Espruino 2v29 ships it: readings arrive, with the right CA and with a wrong one
//   alike, and the console says at boot that the broker's certificate is not checked;
// - ESPRUINO_TLS, with scripts/espruino/patches/tls-verify.patch: the right CA publishes and the console says the
//   certificate is checked; a wrong CA, or a host name the certificate is not made out to, is refused, said with
//   the reason, and backed off from; a client certificate logs the device in.
// Readings are read by a subscriber on mosquitto's plain listener. Skipped, naming what is missing, elsewhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { subscriber, mosquittoSkip, startMosquitto } from './helpers.mjs';
import { memorySkip, workspace, firmwareUpload, flashed, TOPIC } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';
import { makeCertificates, opensslSkip } from '../scripts/lib/certificates.mjs';

/** Why the tests on the interpreter that `env` names cannot run, or false. */
const skipFor = (env) => mosquittoSkip() || opensslSkip() || (process.env[env] ? memorySkip({ ...process.env, ESPRUINO: process.env[env] }) : `${env} is not set: npm run espruino:build makes the interpreter and prints the line to set it`) || false;
const stock = skipFor('ESPRUINO_TLS_STOCK'), patched = skipFor('ESPRUINO_TLS');
const certs = stock && patched ? null : makeCertificates(fs.mkdtempSync(path.join(os.tmpdir(), 'luxgraph-tls-')));
const ws = stock && patched ? null : workspace();

const CHECKED = /^MQTT: TLS to 127\.0\.0\.1:\d+: the traffic is encrypted, and the broker's certificate is checked: /;
const NOT_CHECKED = /^MQTT: TLS to 127\.0\.0\.1:\d+: the traffic is encrypted, but this Espruino does not check the broker's certificate /;
const HANDSHAKE = /^MQTT: cannot reach [\w.]+:\d+: the TLS handshake failed: /;

/**
 * The esp32 profile's firmware with `mqtt` (over TLS) flashed on the interpreter `env` names, against a mosquitto
 * with a TLS listener (`tls` adds to its options), for `ms`. Returns { readings, lines }.
 */
async function flashedOver(env, mqtt, { tls = {}, ms = 9000 } = {}) {
  const mosq = await startMosquitto({ tls: { cert: certs.server.cert, key: certs.server.key, ...tls } });
  const sub = await subscriber({ port: mosq.port, topic: TOPIC });
  try {
    const upload = await firmwareUpload(ws, mosq.tlsPort, { mqtt: { clientId: 'tls-esp', tls: true, ...mqtt }, more: { board: 'esp32' } });
    const lines = [];
    const esp = startEspruino({ bin: process.env[env], upload: flashed(upload.flash), timeoutMs: ms, onLine: (l) => lines.push(l) });
    await esp.exited;
    return { readings: sub.messages.filter((m) => m.topic == TOPIC), lines };
  } finally {
    await sub.close();
    await mosq.stop();
  }
}

test('stock Espruino: over TLS readings arrive, and the console says at boot that the certificate is not checked', { skip: stock, timeout: 60000 }, async () => {
  const { readings, lines } = await flashedOver('ESPRUINO_TLS_STOCK', { ca: certs.ca });
  assert.ok(readings.length >= 3, lines.join('\n'));
  assert.equal(lines.filter((l) => NOT_CHECKED.test(l)).length, 1, lines.join('\n'));
  assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), []);
});

test('stock Espruino: a CA that did not sign the broker\'s certificate changes nothing, as the boot line says', { skip: stock, timeout: 60000 }, async () => {
  const { readings, lines } = await flashedOver('ESPRUINO_TLS_STOCK', { ca: certs.wrongCa });
  assert.ok(readings.length >= 3, 'stock Espruino publishes to a broker it could not tell from an impostor: ' + lines.join('\n'));
  assert.ok(lines.some((l) => NOT_CHECKED.test(l)));
});

test('patched Espruino: with the right CA readings arrive, and the console says the certificate is checked', { skip: patched, timeout: 60000 }, async () => {
  const { readings, lines } = await flashedOver('ESPRUINO_TLS', { ca: certs.ca });
  assert.ok(readings.length >= 3, lines.join('\n'));
  assert.equal(lines.filter((l) => CHECKED.test(l)).length, 1, lines.join('\n'));
  assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY|cannot reach/.test(l)), []);
});

test('patched Espruino: a CA that did not sign the broker\'s certificate is refused, said with the reason, and backed off from', { skip: patched, timeout: 60000 }, async () => {
  const { readings, lines } = await flashedOver('ESPRUINO_TLS', { ca: certs.wrongCa }, { ms: 7000 });
  assert.deepEqual(readings, [], 'nothing reached the broker');
  assert.ok(lines.some((l) => l.includes("WARNING: TLS: the server's certificate was refused: The certificate is not correctly signed by the trusted CA")), lines.join('\n'));
  assert.ok(lines.filter((l) => HANDSHAKE.test(l)).length >= 2, 'each attempt said');
  assert.ok(lines.some((l) => /^MQTT: retrying in \d/.test(l)));
  assert.ok(!lines.some((l) => l.startsWith('MQTT: connected')));
  assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), [], 'a refusal is no error the firmware leaves uncaught');
});

test('patched Espruino: a host name the broker\'s certificate is not made out to is refused, said with the reason', { skip: patched, timeout: 60000 }, async () => {
  // the broker's certificate is for 127.0.0.1; the firmware names it localhost, which Espruino resolves to it
  const { readings, lines } = await flashedOver('ESPRUINO_TLS', { host: 'localhost', ca: certs.ca }, { ms: 7000 });
  assert.deepEqual(readings, []);
  assert.ok(lines.some((l) => l.includes("WARNING: TLS: the server's certificate was refused: The certificate Common Name (CN) does not match with the expected CN")), lines.join('\n'));
  assert.ok(lines.some((l) => HANDSHAKE.test(l)));
});

test('patched Espruino: a broker that logs clients in by certificate takes the device\'s', { skip: patched, timeout: 60000 }, async () => {
  const { readings, lines } = await flashedOver('ESPRUINO_TLS', { ca: certs.ca, cert: certs.device.cert, key: certs.device.key }, { tls: { ca: certs.ca, requireCertificate: true } });
  assert.ok(readings.length >= 3, lines.join('\n'));
});
