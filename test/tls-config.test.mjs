// mqtt.tls and its certificates as npm run build reads them: PEM files baked in as DER bytes; each mistake refused
// with the field and the fix (the ESP8266 profiles, which have no TLS; a file that is missing, not PEM, DER, the
// wrong kind, a chain, an encrypted key, a key that is not the certificate's); a build without TLS has none of it.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { EXAMPLE, ROOT, runNode, buildWith, problems } from './helpers.mjs';
import { validateConfig } from '../scripts/config/index.mjs';

const fixture = (name) => path.join(ROOT, 'test/fixtures/tls', name);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-config-'));
/** A file in the test's folder with `text`; its path. */
const file = (name, text) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
const ESP32_TLS = { ...EXAMPLE, board: 'esp32', mqtt: { ...EXAMPLE.mqtt, port: undefined, tls: true } };
const withMqtt = (mqtt) => ({ ...ESP32_TLS, mqtt: { ...ESP32_TLS.mqtt, ...mqtt } });


test('npm run build refuses mqtt.tls on an ESP8266 profile, saying its Espruino build has no TLS and what to do', () => {
  for (const board of ['esp8266', 'esp8266-4mb']) {
    const f = file(`${board}.json`, JSON.stringify({ ...ESP32_TLS, board }));
    const r = runNode(['scripts/build.mjs', '--config', f]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^config error in .*: mqtt\\.tls: the ${board} board cannot use TLS: Espruino's ESP8266_(BOARD|4MB) build has none \\(no require\\("tls"\\) in it\\)\\. Use "board": "esp32", or leave mqtt\\.tls out$`, 'm'));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('npm run build refuses a CA file that is not PEM, naming the field, the file and the fix', () => {
  const der = file('ca.der', Buffer.from(fs.readFileSync(fixture('ca.pem'), 'latin1').split('\n').filter((l) => l && !l.startsWith('-----')).join(''), 'base64'));
  const f = file('der.json', JSON.stringify(withMqtt({ ca: der })));
  const r = runNode(['scripts/build.mjs', '--config', f]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /mqtt\.ca: \S+ca\.der is not a PEM file \(no -----BEGIN CERTIFICATE----- line\); it looks like DER: convert it with openssl x509 -inform der -in \S+ca\.der -out \S+ca\.der\.pem$/m);
});

test('each mistake in the certificate settings is refused with the field and what to do', () => {
  const pem = fs.readFileSync(fixture('ca.pem'), 'utf8');
  const key = fs.readFileSync(fixture('device.key'), 'utf8');
  const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
  const cases = [
    [{ ca: file('nothing-here.pem', 'hello\n') }, /^mqtt\.ca: \S+nothing-here\.pem is not a PEM file \(no -----BEGIN CERTIFICATE----- line\): give the CA certificate your broker's certificate is signed by, in PEM form$/],
    [{ ca: path.join(dir, 'missing.pem') }, /^mqtt\.ca: file not found: \S+missing\.pem \(mqtt\.ca is the path, relative to the config file, of a PEM file holding the CA certificate/],
    [{ ca: fixture('device.key') }, /^mqtt\.ca: \S+device\.key holds a PRIVATE KEY, not a certificate \(-----BEGIN CERTIFICATE-----\)/],
    [{ ca: file('chain.pem', pem + pem) }, /^mqtt\.ca: \S+chain\.pem holds 2 certificates, and Espruino's tls\.connect takes one: put the CA certificate that signed your broker's certificate .* in a file of its own$/],
    [{ ca: file('cut.pem', pem.replace(/\n[A-Za-z0-9+/]{64}\n/, '\n')) }, /^mqtt\.ca: \S+cut\.pem: its certificate cannot be read .*: is the file whole\?/],
    [{ cert: fixture('device.pem'), key: fixture('ca.pem') }, /^mqtt\.key: \S+ca\.pem holds a CERTIFICATE, not a private key/],
    [{ cert: fixture('device.pem'), key: file('other.key', otherKey.export({ type: 'pkcs8', format: 'pem' })) }, /^mqtt\.key: \S+other\.key is not the private key of mqtt\.cert's certificate \(\S+device\.pem\): give the key that was made with it$/],
    [{ cert: fixture('device.pem'), key: file('locked.key', otherKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' })) }, /^mqtt\.key: \S+locked\.key is encrypted with a passphrase, which the device has no way to give: write it without one, openssl pkey -in \S+locked\.key -out plain-locked\.key/],
    [{ cert: fixture('device.pem'), key: file('ed.key', crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' })) }, /^mqtt\.key: \S+ed\.key holds an ed25519 key, and Espruino's mbed TLS takes RSA or EC \(ECDSA\) keys: /],
    [{ key: fixture('device.key') }, /^mqtt\.key: is set without mqtt\.cert: the key goes with its certificate: set both or neither$/],
    [{ cert: fixture('device.pem') }, /^mqtt\.cert: is set without mqtt\.key: /],
    [{ tls: false, ca: fixture('ca.pem') }, /^mqtt\.ca: is for the broker over TLS, which is off: set "tls": true with it, or leave it out$/],
    [{ tls: 'yes' }, /^mqtt\.tls: must be true \(the broker over TLS, port 8883 unless mqtt\.port says otherwise\) or false, got "yes"$/],
    [{ ca: 42 }, /^mqtt\.ca: must be the path of a PEM file holding the CA certificate your broker's certificate is signed by, e\.g\. "certs\/ca\.pem", got 42$/]
  ];
  for (const [mqtt, expected] of cases) {
    const found = problems(withMqtt(mqtt));
    assert.equal(found.length, 1, `${JSON.stringify(mqtt)}: ${found.join('; ')}`);
    assert.match(found[0], expected);
    assert.ok(!found[0].includes(key.split('\n')[1].slice(0, 16)), 'no part of a key is shown');
  }
});

test('a config with TLS gets port 8883 unless it gives one, and its certificates as the DER bytes of its PEM files', () => {
  const { firmware } = validateConfig(withMqtt({ ca: fixture('ca.pem'), cert: fixture('device.pem'), key: fixture('device.key') }));
  assert.equal(firmware.mqtt.port, 8883);
  const der = (name) => Buffer.from(fs.readFileSync(fixture(name), 'latin1').split('\n').filter((l) => l && !l.startsWith('-----')).join(''), 'base64').toString('latin1');
  assert.deepEqual(firmware.mqtt.tls, { ca: der('ca.pem'), cert: der('device.pem'), key: der('device.key') });
  assert.equal(validateConfig(withMqtt({ port: 8884 })).firmware.mqtt.port, 8884);
  assert.equal(validateConfig({ ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, port: undefined } }).firmware.mqtt.port, 1883, 'without TLS, 1883');
  // relative to the config file, as the secrets file is
  const f = file('relative.json', JSON.stringify(withMqtt({ ca: path.relative(dir, fixture('ca.pem')) })));
  const r = runNode([path.join(ROOT, 'scripts/build.mjs'), '--config', f], { cwd: os.tmpdir() });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /broker 192\.168\.1\.10:8883 over TLS \(mqtt\.ca, which only an Espruino that checks certificates uses: docs\/network\.md, TLS\)/);
});

test('npm run build warns that TLS without mqtt.ca checks nothing', () => {
  const r = runNode(['scripts/build.mjs', '--config', file('no-ca.json', JSON.stringify(ESP32_TLS))]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^warning: mqtt\.tls without mqtt\.ca: the link to the broker is encrypted, but nothing can check that the other end is your broker: give its CA certificate as mqtt\.ca \(docs\/network\.md, TLS\)$/m);
});

test('the firmware opens its socket over TLS only in a build with mqtt.tls, and says at boot what it protects; without it, no trace of TLS', async () => {
  const on = await buildWith({ board: 'esp32', mqtt: { tls: true, ca: fixture('ca.pem') } });
  assert.match(on.code, /require\("tls"\)\.connect\(/);
  assert.doesNotMatch(on.code, /require\("net"\)/, 'nothing is ever sent in clear');
  assert.match(on.code, /checksCertificates/);
  const off = await buildWith({ board: 'esp32' });
  assert.doesNotMatch(off.code, /tls|TLS/);
  assert.match(off.code, /require\("net"\)\.connect\(/);
});

test('npm run build warns when git tracks the key file mqtt.key names', { skip: spawnSync('git', ['--version']).status !== 0 && 'git is not installed' }, () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-git-'));
  for (const f of ['device.pem', 'device.key']) fs.copyFileSync(fixture(f), path.join(repo, f));
  fs.writeFileSync(path.join(repo, 'config.json'), JSON.stringify(withMqtt({ cert: 'device.pem', key: 'device.key' })));
  const git = (...a) => assert.equal(spawnSync('git', a, { cwd: repo }).status, 0, `git ${a.join(' ')}`);
  git('init', '-q');
  let r = runNode([path.join(ROOT, 'scripts/build.mjs'), '--config', 'config.json'], { cwd: repo });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /tracked by git/);
  git('add', 'device.key');
  r = runNode([path.join(ROOT, 'scripts/build.mjs'), '--config', 'config.json'], { cwd: repo });
  assert.match(r.stderr, /^warning: device\.key is tracked by git but holds the device's private key \(mqtt\.key\): untrack it with git rm --cached device\.key \(it stays on disk\)$/m);
});
