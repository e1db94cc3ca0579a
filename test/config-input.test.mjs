// What a user writes in config.json (and the secrets file) that cannot work: a JSON mistake is shown at its line
// without the password, a topic or host that cannot be used is refused with the fix, and a broker address that
// can never work from a board is warned about.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXAMPLE, runNode } from './helpers.mjs';
import { validateConfig, boardWarnings } from '../scripts/config/index.mjs';

const PASSWORD = 'Hq7Tk4Wv9Xy2Jm!p'; // no 4 characters of it appear in any other output

function write(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, 'config.json');
}

/** Every stretch of 4 characters of the password: none may reach the terminal. */
const pieces = (secret) => [...Array(secret.length - 3).keys()].map((i) => secret.slice(i, i + 4));

function refused(files, expected) {
  const r = runNode(['scripts/build.mjs', '--config', write(files)]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, expected);
  for (const p of pieces(PASSWORD)) assert.ok(!(r.stdout + r.stderr).includes(p), `"${p}" of the password printed:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return r.stderr;
}

test('an unquoted password: the line and column, the line with the password as ***, and no part of it', () => {
  const config = fs.readFileSync(new URL('../config.example.json', import.meta.url), 'utf8').replace('"password": "my_wifi_password"', `"password":${PASSWORD}`);
  const line = config.split('\n').findIndex((l) => l.includes('"wifi"')) + 1; // after "$schema" and "board"
  assert.equal(line, 4);
  const err = refused({ 'config.json': config }, new RegExp(`not valid JSON at line ${line}, column 47: expected a value: text needs "double quotes" around it\n`));
  assert.match(err, /\n {4} {2}"wifi": \{ "ssid": "my_wifi_sid", "password":\*\*\*\n {4} {46}\^\n$/, 'the line, masked, and a caret under the place');
});

test('JSON mistakes around a password never show it: value on the next line, a missing comma after it, a bad escape in it', () => {
  const cases = [
    `{ "board": "esp8266",\n  "wifi": { "ssid": "x", "password":\n    ${PASSWORD} },\n  "mqtt": { "host": "h" } }`,
    `{ "board": "esp8266", "wifi": { "ssid": "x", "password": "${PASSWORD}" "other": 1 }, "mqtt": { "host": "h" } }`,
    `{ "wifi": { "ssid": "x", "password": "${PASSWORD.slice(0, 6)}\\q${PASSWORD.slice(6)}" }, "mqtt": { "host": "h" } }`,
    `{ "wifi": { "ssid": "x", "password": "${PASSWORD}\n" }, "mqtt": { "host": "h" } }`,
    `{ "wifi": { "ssid": "x", "password": 12${PASSWORD} }, "mqtt": { "host": "h" } }`
  ];
  for (const text of cases) refused({ 'config.json': text }, /not valid JSON at line \d+, column \d+: /);
});

test('a broken secrets file: every value in it is masked, whatever its key', () => {
  const err = refused(
    { 'config.json': JSON.stringify({ ...EXAMPLE, secrets: 'secrets.json' }), 'secrets.json': `{ "wifi": { "ssid": "x", "key2": ${PASSWORD} } }` },
    /secrets\.json: not valid JSON at line 1, column 34: expected a value/
  );
  assert.match(err, /\{ "wifi": \{ "ssid": \*\*\*, "key2": \*\*\*\n/);
});

test('a config that is valid JSON elsewhere on a line is shown as it is, so the mistake can be found', () => {
  const err = refused({ 'config.json': '{\n  "board": "esp8266",\n  "wifi": { "ssid": "x" }\n  "mqtt": {}\n}' }, /not valid JSON at line 4, column 3: expected , or }: a comma is missing\?/);
  assert.match(err, /\n {4} {2}"mqtt": \{\}\n {4} {2}\^/);
  refused({ 'config.json': '{ "board": "esp8266", }' }, /column 23: a comma before }: JSON allows none after the last item/);
});

test('a password that is a number, not a string, is refused without being shown', () => {
  const err = refused({ 'config.json': JSON.stringify({ ...EXAMPLE, wifi: { ssid: 'x', password: 70926413 } }) }, /wifi\.password: must be a string, in "double quotes"/);
  assert.doesNotMatch(err, /7092|0926|9264|2641|6413/);
});

test('a --config path that does not exist asks to check the path, not to copy the example there', () => {
  const r = runNode(['scripts/build.mjs', '--config', 'nope.json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /nope\.json: file not found: check the path given to --config/);
  assert.doesNotMatch(r.stderr, /copy config\.example\.json to nope\.json/);
});

const mqtt = (fields) => ({ ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, ...fields } });
const refusals = [
  [{ topic: '' }, /mqtt\.topic: is empty: set a topic such as "test-topic"/],
  [{ topic: '   ' }, /mqtt\.topic: needs a name, not only \/ or spaces/],
  [{ topic: '/' }, /mqtt\.topic: needs a name, not only \/ or spaces/],
  [{ topic: '$SYS/lux' }, /mqtt\.topic: must not start with \$: topics such as \$SYS\/\.\.\. belong to the broker/],
  [{ topic: ' lux' }, /mqtt\.topic: must not start or end with a space/],
  [{ topic: 'lux/#' }, /mqtt\.topic: must not contain the wildcards # or \+/],
  [{ topic: 'a\nb' }, /mqtt\.topic: must not contain a line break/],
  [{ base: '$dev' }, /mqtt\.base: must not start with \$/],
  [{ host: 'http://broker:1883' }, /mqtt\.host: is a host name or IP, not a URL: use "broker" and mqtt\.port 1883/],
  [{ host: 'mqtt://broker' }, /mqtt\.host: is a host name or IP, not a URL: use "broker"$/],
  [{ host: 'broker:1884' }, /mqtt\.host: is a host name or IP without the port: use "broker" and mqtt\.port 1884/],
  [{ host: 'my broker' }, /mqtt\.host: must be a host name or IPv4 address/]
];

for (const [fields, expected] of refusals)
  test(`mqtt ${JSON.stringify(fields)} is refused with the fix`, () => {
    assert.throws(() => validateConfig(mqtt(fields)), (e) => e.problems.some((p) => expected.test(p)) || assert.fail(e.problems.join('\n')));
  });

test("the example's placeholders build, with a warning from build and flash naming them (never a password)", () => {
  const [warning] = boardWarnings(validateConfig(EXAMPLE).firmware);
  assert.equal(warning, `warning: wifi.ssid "my_wifi_sid", wifi.password (the example's), mqtt.host "192.168.1.10": these are config.example.json's placeholders, not your network or broker: the firmware builds, but set your own before it can connect`);
  // an open network (no password) with the rest the user's own: nothing to say
  assert.deepEqual(boardWarnings(validateConfig({ ...mqtt({ host: 'broker.lan' }), wifi: { ssid: 'cafe' } }).firmware), []);
  const own = { ...mqtt({ host: 'broker.lan' }), wifi: { ssid: 'home', password: EXAMPLE.wifi.password } };
  assert.match(boardWarnings(validateConfig(own).firmware)[0], /^warning: wifi\.password \(the example's\): /);
  const r = runNode(['scripts/build.mjs', '--config', 'config.example.json']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /^warning: wifi\.ssid "my_wifi_sid", wifi\.password \(the example's\), mqtt\.host "192\.168\.1\.10": these are config\.example\.json's placeholders/m);
  assert.doesNotMatch(r.stderr, /my_wifi_password/);
});

test('topics that work are accepted: levels, the {id} template, a leading /', () => {
  for (const topic of ['test-topic', 'sensors/{id}', 'home/kitchen/lux', '/lux'])
    assert.equal(validateConfig(mqtt({ topic })).firmware.mqtt.topic, topic);
});

test('localhost as the broker builds, with a warning from build and flash that it cannot work on a board', () => {
  for (const host of ['localhost', '127.0.0.1', '127.0.1.1', '0.0.0.0']) {
    const [warning] = boardWarnings(validateConfig(mqtt({ host })).firmware);
    assert.match(warning, new RegExp(`^warning: mqtt\\.host is ${host.replace(/\./g, '\\.')}: on the board that names the board itself`));
  }
  assert.deepEqual(boardWarnings(validateConfig({ ...mqtt({ host: '10.0.0.5' }), wifi: { ssid: 'home', password: 'pw-12345' } }).firmware), []);
  const r = runNode(['scripts/build.mjs', '--config', write({ 'config.json': JSON.stringify(mqtt({ host: 'localhost' })) })]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /warning: mqtt\.host is localhost/);
});
