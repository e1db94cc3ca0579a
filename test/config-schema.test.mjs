// config.schema.json (what editors check config.json against) and validateConfig (what npm run build checks) give
// the same verdict: on the example configs, on each setting set to its example, its default and values around its
// bounds, and on random configs made of such values. The one difference allowed is named: a filter list whose
// filters are each fine but together could never pass anything, which JSON Schema cannot compare.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ROOT, EXAMPLE, problems } from './helpers.mjs';
import { validateConfig } from '../scripts/config/index.mjs';
import { schemaText, SCHEMA_FILE } from '../scripts/config/schema.mjs';
import { settings } from '../scripts/docs/reference.mjs';
import { FILTERS } from '../scripts/config/filters.mjs';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8'));
const check = new Ajv2020({ allErrors: true }).compile(schema);
const readJson = (f) => JSON.parse(fs.readFileSync(path.join(ROOT, f), 'utf8'));


/**
 * The differences allowed: a filter list that could never pass anything, and a TLS setting's file that is missing or
 * is not what it should be (the build reads the files; a schema cannot).
 */
const BEYOND_A_SCHEMA = [/could never pass anything/, /^mqtt\.(ca|cert|key): (file not found|\S+ is not a PEM file|\S+ holds |\S+ is not the private key|\S+ is encrypted|\S+: its )/];

/** Both verdicts on `raw`; fails the test, naming the config, where they differ beyond the allowed cases. */
function agree(raw) {
  const ours = problems(raw), theirs = check(raw);
  const allowed = ours.length > 0 && ours.every((p) => BEYOND_A_SCHEMA.some((r) => r.test(p))) && theirs;
  if (!allowed)
    assert.equal(theirs, ours.length == 0, `${JSON.stringify(raw)}\nvalidateConfig: ${ours.join('; ') || 'accepts'}\nschema: ${theirs ? 'accepts' : JSON.stringify(check.errors)}`);
  return theirs;
}

/** A deep copy of `raw` with the setting at `key` ('mqtt.port') set to `value`. */
function withSetting(raw, key, value) {
  const copy = structuredClone(raw);
  const parts = key.split('.');
  let o = copy;
  for (const p of parts.slice(0, -1)) o = o[p] = o[p] && typeof o[p] == 'object' && !Array.isArray(o[p]) ? o[p] : {};
  o[parts.at(-1)] = value;
  return copy;
}

/** Values to try for a setting: its example and default, each side of its bounds, and the usual mistakes. */
function candidates(s) {
  const out = [...s.examples, null, true, false, 0, 1, -1, 1.5, 100000, '', ' ', 'x', 'a#b', '$SYS/x', 'a/b', 'http://h', 'h:1883', '5', [], {}];
  if (s.default !== undefined) out.push(s.default);
  for (const b of [s.minimum, s.maximum, s.exclusiveMinimum]) if (b !== undefined) out.push(b, b - 1, b + 1, b - 0.001, b + 0.001);
  for (const n of [s.maxLength, s.minLength]) if (n !== undefined) out.push('a'.repeat(n), 'a'.repeat(n + 1));
  if (s.enum) out.push(...s.enum, String(s.enum[0]).toUpperCase());
  out.push('tcp://192.168.1.50', 'tcp://h:0', 'tcp://h:65535', 'tcp://h:65536', 'tcp://', '/dev/ttyUSB0', ' trailing ');
  return out;
}

const SETTINGS = settings(schema);
// mqtt.password's example needs a user name
const WITH_USER = { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, username: 'luxgraph' } };
// the TLS settings' need the broker over TLS, a board that has it, and real files (throwaway ones, made for these tests)
const fixture = (name) => path.join(ROOT, 'test/fixtures/tls', name);
const WITH_TLS = { ...WITH_USER, board: 'esp32', mqtt: { ...WITH_USER.mqtt, tls: true, ca: fixture('ca.pem'), cert: fixture('device.pem'), key: fixture('device.key') } };
/** The config a setting's values are tried on: one where its example makes sense. */
const baseFor = (key) => (/^mqtt\.(tls|ca|cert|key)$/.test(key) ? WITH_TLS : WITH_USER);

test('config.schema.json is what scripts/config/schema.mjs makes (npm run docs writes it)', () => {
  assert.equal(fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8'), schemaText());
});

test('the schema accepts config.example.json and examples/, and refuses a misspelt key and a wrong type, as validation does', () => {
  assert.equal(EXAMPLE.$schema, './config.schema.json', 'config.example.json names the schema for editors');
  for (const f of ['config.example.json', ...fs.readdirSync(path.join(ROOT, 'examples')).map((e) => 'examples/' + e)]) {
    assert.ok(check(readJson(f)), `${f}: ${JSON.stringify(check.errors)}`);
    assert.deepEqual(problems(readJson(f)), [], f);
  }
  const typo = { ...EXAMPLE, sensor: { inteval: 5 } };
  assert.equal(check(typo), false);
  assert.equal(check.errors[0].keyword, 'additionalProperties');
  assert.equal(check.errors[0].params.additionalProperty, 'inteval');
  assert.deepEqual(problems(typo), ['sensor.inteval is not a setting: did you mean sensor.intervalSeconds?'], 'the friendly message stays');
  const wrongType = { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, port: '1883' } };
  assert.equal(check(wrongType), false);
  assert.equal(agree(wrongType), false);
});

test('every setting: its example, its default, each side of its bounds and the usual mistakes get the same verdict', () => {
  assert.ok(SETTINGS.length > 35, `settings read from the schema: ${SETTINGS.length}`);
  let accepted = 0, refused = 0;
  for (const [key, s] of SETTINGS) {
    assert.ok(s.description && s.examples?.length, `${key} has a description and an example`);
    for (const value of candidates(s)) (agree(withSetting(EXAMPLE, key, value)) ? accepted++ : refused++);
    if (baseFor(key) == WITH_TLS) for (const value of candidates(s)) agree(withSetting(WITH_TLS, key, value));
    assert.ok(agree(withSetting(baseFor(key), key, s.examples[0])), `${key}'s example is accepted`);
  }
  assert.ok(accepted > 100 && refused > 300, `both verdicts were met: ${accepted} accepted, ${refused} refused`);
});

test('sections that are not objects, missing required ones, unknown keys, a password without a user: the same verdict', () => {
  const cases = [
    {}, null, [], 'config', { wifi: EXAMPLE.wifi }, { mqtt: EXAMPLE.mqtt }, { ...EXAMPLE, wifi: {} }, { ...EXAMPLE, mqtt: { port: 1883 } },
    { ...EXAMPLE, colour: 'red' }, { ...EXAMPLE, wifi: { ...EXAMPLE.wifi, $schema: 'x' } },
    { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, password: 'p' } }, { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, username: 'u', password: 'p' } },
    { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, clientId: 'a#b' } }, { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, clientId: 'a#b', base: 'b' } },
    WITH_TLS, { ...WITH_TLS, board: undefined }, { ...WITH_TLS, board: 'esp8266' }, { ...WITH_TLS, mqtt: { ...WITH_TLS.mqtt, tls: false } },
    { ...WITH_TLS, mqtt: { ...WITH_TLS.mqtt, key: undefined } }, { ...WITH_TLS, mqtt: { ...WITH_TLS.mqtt, cert: undefined, key: undefined } },
    { ...WITH_TLS, mqtt: { ...WITH_TLS.mqtt, ca: fixture('device.key') } }, { ...WITH_TLS, mqtt: { ...WITH_TLS.mqtt, key: fixture('ca.pem') } },
    ...['wifi', 'mqtt', 'sensor', 'buffer', 'device', 'repl'].flatMap((k) => [5, null, [], 'x'].map((v) => ({ ...EXAMPLE, [k]: v })))
  ];
  const verdicts = cases.map((c) => agree(c));
  assert.ok(verdicts.includes(true) && verdicts.includes(false));
});

test('random configs of several settings and filter lists: the schema and validateConfig agree', () => {
  const setting = fc.constantFrom(...SETTINGS).chain(([key, s]) => fc.tuple(fc.constant(key), fc.constantFrom(...candidates(s))));
  const filter = fc.oneof(
    fc.tuple(fc.constantFrom(...Object.keys(FILTERS), 'onChnage'), fc.constantFrom(0, 1, 5, 60, 86401, -1, 2.5, '10%', '10 %', 'x', [0, 10], [10, 0], [-5, -1], [1], null))
      .map(([name, arg]) => ({ [name]: arg })),
    fc.constantFrom({}, { throttle: 1, round: 1 }, null, 'clamp')
  );
  const config = fc.record({
    changes: fc.array(setting, { minLength: 1, maxLength: 4 }),
    filters: fc.option(fc.array(filter, { maxLength: 4 }), { nil: undefined })
  });
  let refused = 0;
  fc.assert(
    fc.property(config, ({ changes, filters }) => {
      let raw = changes.reduce((r, [k, v]) => withSetting(r, k, v), EXAMPLE);
      if (filters) raw = withSetting(raw, 'sensor.filters', filters);
      if (!agree(raw)) refused++;
    }),
    { numRuns: 1500, seed: 27 }
  );
  assert.ok(refused > 100 && refused < 1450, `both verdicts were met: ${refused} of 1500 refused`);
});
