// A key config.json does not know is refused with its path and the nearest known one, instead of being ignored:
// a typo such as "inteval" used to build silently and sample at the default 2 s.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runNode, EXAMPLE } from './helpers.mjs';
import { validateConfig, ConfigError } from '../scripts/config/index.mjs';
import { nearest, editDistance, SETTINGS } from '../scripts/config/keys.mjs';
import { BEGIN, END } from '../scripts/docs/reference.mjs';

/** The problems validateConfig reports for the example config with `change` applied. */
function problems(change) {
  try {
    validateConfig({ ...EXAMPLE, ...change });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}

test('the issue\'s typo: "sensor": {"inteval": 5} is refused as a new user would meet it, with the nearest setting', () => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'config.json');
  fs.writeFileSync(f, JSON.stringify({ ...EXAMPLE, sensor: { inteval: 5 } }));
  const r = runNode(['scripts/build.mjs', '--config', f]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^config error in .*config\.json: sensor\.inteval is not a setting: did you mean sensor\.intervalSeconds\?$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test('unknown keys at every level, each with its path and the nearest known key', () => {
  const cases = [
    [{ sensor: { id: 'lux-1', intervall: 5 } }, 'sensor.intervall is not a setting: did you mean sensor.intervalSeconds?'],
    [{ sensor: { gian: 'low' } }, 'sensor.gian is not a setting: did you mean sensor.gain?'],
    [{ wifi: { ssid: 'x', pasword: 'y' } }, 'wifi.pasword is not a setting: did you mean wifi.password?'],
    [{ mqtt: { ...EXAMPLE.mqtt, topik: 't' } }, 'mqtt.topik is not a setting: did you mean mqtt.topic?'],
    [{ mqtt: { ...EXAMPLE.mqtt, clientID: 'c' } }, 'mqtt.clientID is not a setting: did you mean mqtt.clientId?'],
    [{ sensors: { id: 'lux-1' } }, 'sensors is not a setting: did you mean sensor?'],
    [{ buffer: { length: 10 } }, 'buffer.length is not a setting: the settings in buffer are size, journal'],
    // a setting of another section is named as such
    [{ sensor: { host: 'broker.lan' } }, 'sensor.host is not a setting: did you mean mqtt.host?'],
    [{ colour: 'red' }, `colour is not a setting: the settings are ${Object.keys(SETTINGS).join(', ')}`]
  ];
  for (const [change, message] of cases) assert.deepEqual(problems(change), [message], JSON.stringify(change));
});

test('every key of the settings table in docs/configuration.md is known, and every known setting is in it', () => {
  const page = fs.readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  const keys = [...page.slice(page.indexOf(BEGIN), page.indexOf(END)).matchAll(/^\| `([\w.]+)` \|/gm)].map((m) => m[1]);
  assert.ok(keys.length > 35, `keys read from the table: ${keys}`);
  const known = (p) => p.split('.').reduce((s, k) => s && s[k], SETTINGS);
  for (const k of keys) assert.ok(known(k), `${k} is a setting`);
  const paths = (o, prefix = '') => Object.entries(o).flatMap(([k, v]) => (typeof v == 'object' ? paths(v, prefix + k + '.') : [prefix + k]));
  assert.deepEqual(paths(SETTINGS).filter((k) => !keys.includes(k)), [], 'settings missing from the table');
  assert.deepEqual(problems({ sensor: { id: 'lux-1', filters: [] }, device: { port: '/dev/ttyUSB0', telnet: true } }), []);
});

test('nearest: by edit distance, with a swap counted once and case ignored, and nothing when nothing is close', () => {
  assert.equal(editDistance('gian', 'gain'), 1);
  assert.equal(editDistance('Host', 'host'), 0);
  assert.equal(nearest('inteval', ['id', 'intervalSeconds', 'gain']), 'intervalSeconds');
  assert.equal(nearest('throtle', ['throttle', 'take']), 'throttle');
  assert.equal(nearest('xyz', ['throttle', 'take']), undefined);
});
