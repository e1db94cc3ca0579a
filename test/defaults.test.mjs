// One place for each default: src/defaults.json. The settings table of docs/configuration.md shows the same values,
// validation fills them in, and the build writes the device code's `DEFAULTS.a.b` from the same file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../scripts/lib/paths.mjs';
import { DEFAULTS } from '../scripts/lib/defaults.mjs';
import { validateConfig, GAINS } from '../scripts/config/index.mjs';
import { inlineConfig } from '../scripts/firmware/bundle.mjs';
import { REFERENCE_FILE, BEGIN, END } from '../scripts/docs/reference.mjs';

/** The settings table of docs/configuration.md: for each row, its key, its default column and what it takes. */
function referenceTable() {
  const page = fs.readFileSync(path.join(ROOT, REFERENCE_FILE), 'utf8');
  const table = page.slice(page.indexOf(BEGIN), page.indexOf(END));
  return [...table.matchAll(/^\| `([\w.]+)` \| ([^|]+) \| ([^|]+) \| .+ \|$/gm)].map((m) => ({
    key: m[1],
    default: /^`(.*)`$/.exec(m[2].trim())?.[1],
    takes: m[3]
  }));
}

/** Every default as [path, value]: 'mqtt.keepAlive', 60. */
const settingDefaults = () =>
  Object.entries(DEFAULTS).flatMap(([k, v]) =>
    k == 'gainNames' ? [] : v && typeof v == 'object' ? Object.entries(v).map(([s, d]) => [`${k}.${s}`, d]) : [[k, v]]
  );

test("docs/configuration.md's settings table shows src/defaults.json's value for every setting that has one, and no other", () => {
  const rows = referenceTable();
  assert.ok(rows.length > 35, 'rows read from the table');
  const shown = new Map(rows.filter((r) => r.default !== undefined).map((r) => [r.key, r.default]));
  for (const [key, value] of settingDefaults()) assert.equal(shown.get(key), String(value), `the table's default for ${key}`);
  const extra = [...shown.keys()].filter((k) => !settingDefaults().some(([key]) => key == k));
  assert.deepEqual(extra, [], 'settings whose default in the table is not in src/defaults.json');
});

test("the sensor.gain row names auto and the gains of src/defaults.json, in order", () => {
  const row = referenceTable().find((r) => r.key == 'sensor.gain');
  const named = [...row.takes.matchAll(/`(\w+)`/g)].map((m) => m[1]);
  assert.deepEqual(named, ['auto', ...DEFAULTS.gainNames]);
  assert.deepEqual(Object.keys(GAINS), DEFAULTS.gainNames);
});

test("a config that sets nothing optional gets the defaults, and the writer is given none of them but the journal's size", () => {
  const { firmware } = validateConfig({ wifi: { ssid: 'w' }, mqtt: { host: '192.168.1.10' } });
  const D = DEFAULTS;
  assert.equal(firmware.buffer.size, D.buffer.size);
  assert.equal(firmware.mqtt.keepAlive, D.mqtt.keepAlive);
  assert.equal(firmware.mqtt.maxPayload, D.mqtt.maxPayload);
  assert.equal(firmware.mqtt.diagnosticsSeconds, D.mqtt.diagnosticsSeconds);
  assert.equal(firmware.wifi.maxBackoffSeconds, D.wifi.maxBackoffSeconds);
  assert.equal(firmware.sensor.intervalSeconds, D.sensor.intervalSeconds);
  // the device falls back to the same values (inlined below), so sending them would only cost RAM; the journal's
  // size depends on the board's Storage (the default board has room for it), so it is given
  assert.deepEqual(Object.keys(firmware.mqtt.writer).sort(), ['base', 'journal']);
  assert.equal(firmware.mqtt.writer.journal, D.buffer.journal);
});

test("the build writes device code's DEFAULTS.a.b as src/defaults.json's value, and refuses one it does not have", () => {
  assert.equal(inlineConfig('o.bufferSize || DEFAULTS.buffer.size', null), `o.bufferSize || (${DEFAULTS.buffer.size})`);
  assert.equal(inlineConfig('DEFAULTS.gainNames.indexOf(g)', null), `(${JSON.stringify(DEFAULTS.gainNames)}).indexOf(g)`);
  assert.throws(() => inlineConfig('DEFAULTS.buffer.sise', null), /DEFAULTS\.buffer\.sise: src\/defaults\.json has no such field/);
  assert.throws(() => inlineConfig('CONFIG.buffer.size', null), /in a build without a config/);
});
