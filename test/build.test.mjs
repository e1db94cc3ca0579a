import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as acorn from 'acorn';
import { buildFirmware } from '../scripts/firmware/build.mjs';
import { assertES5, assertDeclaredBeforeUse } from '../scripts/firmware/es5-checks.mjs';
import { anonymousExport } from '../scripts/firmware/minify.mjs';
import { validateConfig } from '../scripts/config/index.mjs';
import { buildWith, runNode, EXAMPLE, ROOT } from './helpers.mjs';
import { findMqttModule } from '../scripts/firmware/mqtt-module.mjs';

function configFile(content) {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'config.json');
  fs.writeFileSync(f, typeof content == 'string' ? content : JSON.stringify(content));
  return f;
}

test('the bundle is ES5, self-contained, and leaves require("MQTT") to espruino-cli', async () => {
  const { code, debug, modules } = await buildWith();
  for (const src of [code, debug]) assert.doesNotThrow(() => assertES5(src));
  // the build's own check refuses what an ES5 interpreter cannot run, with where it is
  assert.throws(() => assertES5('var a = 1;\nlet x = () => 1;', 'readable bundle'), /^Error: readable bundle is not ES5: .*\(2:4\)$/);
  // nor what Espruino misreads: a statement led by a string after an if block (terser writes comparisons that way
  // round unless told not to), which once left the writer deaf to its own 'connected'
  assert.throws(() => assertES5('function h(e){if(e){}"up"==e&&f()}', 'minified bundle'), /^Error: minified bundle has a statement that starts with a string \(1:21\), which Espruino misreads after an if or try block/);
  assert.doesNotThrow(() => assertES5('function h(e){if(e){}e=="up"&&f()}'));
  // nor a label, which Espruino's parser does not know (it stops the whole upload)
  assert.throws(() => assertES5('function h(e){a:{if(e)break a;f()}}', 'module x'), /^Error: module x has a label \(1:14\), which Espruino's parser does not know$/);
  // and a module's variable whose `var` may not have run where it is used (Espruino would make it a global)
  assert.throws(() => assertDeclaredBeforeUse('function f(w){if(w){var a=1}a=2}', 'module x.ts'), /^Error: module x\.ts: a is used before its var statement runs \(at 28\)$/);
  assert.doesNotThrow(() => assertDeclaredBeforeUse('function f(w){var a;if(w){var b=a}for(var i=0;i<2;i++)a=i;return a+i}', 'module x.ts'));
  // a module's exported function calls itself through module.exports, not its own name (two variables on Espruino);
  // where a catch's `e` hides that name, `e` stays; code that holds no such function comes back as it was
  assert.equal(
    anonymousExport('module.exports=function e(r,o){if(o)return e(r,0);try{r.x(e)}catch(e){r.y(e)}return{e:r.e}}', 'module x.ts'),
    'module.exports=function(r,o){if(o)return module.exports(r,0);try{r.x(module.exports)}catch(e){r.y(e)}return{e:r.e}}'
  );
  assert.equal(anonymousExport('exports.a=function e(){return e}', 'module x.ts'), 'exports.a=function e(){return e}');
  assert.throws(() => anonymousExport('module.exports=function e(){var module=1;return e()}', 'module x.ts'), /^Error: module x\.ts: a variable named module inside the exported function$/);
  // nor a named function expression, whose name costs Espruino a variable more than a variable holding the function
  assert.doesNotMatch(code, /[=(,:?]function [A-Za-z_$][\w$]*\(/);
  assert.match(code, /require\("MQTT"\)/);
  assert.match(code, /require\("Wifi"\)/);
  const requires = [...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  // TelnetServer: closed at boot (built into the boards that have it; skipped where absent); net: the writer's socket;
  // lgjournal: the journal's code, a Storage file the build makes; control() loads the other modules the build makes
  // by name (Storage is theirs)
  assert.deepEqual([...new Set(requires)].sort(), ['MQTT', 'TelnetServer', 'Wifi', 'lgjournal', 'net'], 'no other module is required');
  // the firmware's own modules (the journal's on by default on the example's board): ES5 as Espruino runs a Storage
  // module, each needing only what the boards have built in
  assert.deepEqual(modules.map((m) => m.name), ['lgwifi', 'lgcommand', 'lgdiag', 'lgjournal']);
  const needs = { lgwifi: ['Wifi'], lgcommand: ['Storage'], lgdiag: ['Wifi', 'Storage'], lgjournal: ['Storage'] };
  for (const m of modules) {
    assert.doesNotThrow(() => assertES5(m.code));
    assert.deepEqual([...new Set([...m.code.matchAll(/require\("([^"]+)"\)/g)].map((r) => r[1]))], needs[m.name], m.name);
  }
  // the journal's module is one function and nothing else (its 'boot', 'add', 'fill', 'keep' by name, its steps the
  // same function again), as Espruino's require() gives it: loading it makes one function object, no other name
  const body = acorn.parse(modules[3].code, { ecmaVersion: 5 }).body;
  assert.equal(body.length, 1, modules[3].code.slice(0, 200));
  assert.equal(body[0].expression.left.object.name + '.' + body[0].expression.left.property.name, 'module.exports');
  assert.equal(body[0].expression.right.type, 'FunctionExpression');
  // written as named steps, it is made one function by the build (scripts/firmware/fuse-steps.mjs): no other is made
  // while it runs either
  assert.equal(modules[3].code.match(/\bfunction\b/g).length, 1, 'one function in the journal module');
  assert.doesNotMatch(modules[3].code, /\bSEG\b|\bPREFIX\b/, 'its constants written in');
  // each control module carries the upload's id, which the firmware checks before it runs one
  const id = /"([0-9a-f]{8})"/.exec(modules[0].code)[1];
  for (const m of modules.slice(0, 3)) assert.match(m.code, new RegExp(`"${id}"`), m.name);
  assert.match(code, new RegExp(`"${id}"`));
  assert.doesNotMatch(code + modules.map((m) => m.code).join(''), /BUILD_ID/);
  assert.doesNotMatch(code, /\bimport\b|\bexport\b|process\.env|Buffer\b/);
  // a call written /*@__INLINE__*/ jitter() in the source is the expression itself in the bundle: no function kept
  for (const src of [code, modules[0].code]) {
    assert.match(src, /\*\(\.5\+Math\.random\(\)\/2\)/);
    assert.doesNotMatch(src, /function \$?\w*\(\)\{return\.5\+Math\.random/);
  }
});

test('only the firmware must keep require("MQTT"): a bundle of another entry builds without it', async () => {
  const { code } = await buildWith({}, { entry: path.join(ROOT, 'test/fixtures/graph-plain.ts') });
  assert.doesNotMatch(code, /MQTT/);
  assert.match(code, /schedulePeriodic/);
});

test("a top-level const in capitals is written in where it is used: no name of it is left in the firmware's bundle", async () => {
  const { code, debug } = await buildWith({}, { entry: path.join(ROOT, 'test/fixtures/constants-entry.ts') });
  assert.match(debug, /var ADDRESS = 0x29/, 'the readable bundle keeps the names');
  const declared = [];
  (function visit(node) {
    if (node.type == 'VariableDeclarator') declared.push(node.id.name + '=' + (node.init && code.slice(node.init.start, node.init.end)));
    Object.values(node).flatMap((v) => [].concat(v)).filter((c) => c && typeof c.type == 'string').forEach(visit);
  })(acorn.parse(code, { ecmaVersion: 5 }));
  assert.deepEqual(declared.filter((d) => /=(41|18|"tsl")$/.test(d)), [], `no variable holds a constant: ${declared}`);
  assert.equal(code.match(/\(41,/g).length, 6, code);
  assert.match(code, /\(41,18\)/);
  assert.match(code, /"tsl"\+/);
  assert.doesNotMatch(code, /ADDRESS|REGISTER_ID/);
  assert.ok(declared.some((d) => d.endsWith('=7')), `a variable that is assigned stays one: ${declared}`);
});

test('the config and the board are baked in', async () => {
  const { code } = await buildWith({ board: 'esp32', mqtt: { host: 'broker.lan', port: 1884, topic: 'lux/kitchen' } });
  assert.match(code, /I2C1/);
  assert.match(code, /D21/);
  assert.match(code, /D22/);
  assert.match(code, /"broker\.lan"/);
  assert.match(code, /1884/);
  assert.match(code, /"lux\/kitchen"/);
});

test('npm run build writes dist/firmware.js and prints its sizes, never the passwords', () => {
  const f = configFile({ ...EXAMPLE, wifi: { ssid: 'home', password: 'wifi-secret-123' }, mqtt: { ...EXAMPLE.mqtt, username: 'u', password: 'mqtt-secret-456' } });
  const r = runNode(['scripts/build.mjs', '--config', f]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /\d+ bytes raw, \d+ bytes minified/);
  assert.doesNotMatch(r.stdout + r.stderr, /wifi-secret-123|mqtt-secret-456/);
  const dist = fs.readFileSync(path.join(r.dist, 'firmware.js'), 'utf8');
  assert.match(r.stdout, new RegExp(`built ${path.join(r.dist, 'firmware.js')} for`));
  assert.match(dist, /wifi-secret-123/, 'the secrets do go into the bundle the device needs');
});

const badConfigs = [
  ['missing host', { ...EXAMPLE, mqtt: { port: 1883 } }, /mqtt\.host: is missing/],
  ['port out of range', { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, port: 70000 } }, /mqtt\.port: must be a whole number from 1 to 65535, got 70000/],
  ['port not a number', { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, port: '1883' } }, /mqtt\.port: must be a whole number from 1 to 65535, got "1883"/],
  // one message for every number out of range, giving the range
  ['interval zero', { ...EXAMPLE, sensor: { id: 'lux-1', intervalSeconds: 0 } }, /sensor\.intervalSeconds: must be a number from 0\.1 to 86400, got 0$/m],
  ['interval negative', { ...EXAMPLE, sensor: { id: 'lux-1', intervalSeconds: -2 } }, /sensor\.intervalSeconds: must be a number from 0\.1 to 86400, got -2$/m],
  ['interval too short', { ...EXAMPLE, sensor: { id: 'lux-1', intervalSeconds: 0.001 } }, /sensor\.intervalSeconds: must be a number from 0\.1 to 86400, got 0\.001$/m],
  ['client id too long', { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, clientId: 'x'.repeat(30) } }, /mqtt\.clientId: is 30 characters long: at most 23$/m],
  ['unknown board', { ...EXAMPLE, board: 'arduino' }, /board: unknown board "arduino": use one of esp32, esp8266/],
  ['missing wifi', { board: 'esp8266', mqtt: EXAMPLE.mqtt }, /wifi: is missing/],
  // a feature the 512 KB ESP8266 cannot hold, refused with its reason; the health report's period without the report
  ['journal on esp8266', { ...EXAMPLE, board: 'esp8266', buffer: { journal: 100 } }, /buffer\.journal: the journal cannot work on the esp8266 board: its module alone is about 5 KB, .* Leave buffer\.journal out, or use a board with more flash \("board": "esp32" or "board": "esp8266-4mb"\)/],
  ['diagnostics period without diagnostics', { ...EXAMPLE, board: 'esp8266', mqtt: { ...EXAMPLE.mqtt, diagnosticsSeconds: 30 } }, /mqtt\.diagnosticsSeconds: sets the period of the health report, which is off \(mqtt\.diagnostics is false by default on the esp8266 board\): set "diagnostics": true with it, or leave it out/],
  ['commands not true or false', { ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, commands: 'yes' } }, /mqtt\.commands: must be true or false, got "yes"/],
  ['bad gain', { ...EXAMPLE, sensor: { gain: 'huge' } }, /sensor\.gain: must be one of auto, low, med, high, max, got "huge"/],
  ['malformed JSON', '{\n  "board": "esp8266",\n  "wifi": { "ssid": "x" }\n  "mqtt": {}\n}', /not valid JSON at line 4, column 3/]
];

for (const [name, config, expected] of badConfigs) {
  test(`a bad config is refused with a clear message: ${name}`, () => {
    const r = runNode(['scripts/build.mjs', '--config', configFile(config)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^config error in /);
    assert.match(r.stderr, expected);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}

test('a missing config file says how to make one', () => {
  const r = runNode(['scripts/build.mjs', '--config', '/nonexistent/config.json']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /file not found: copy config\.example\.json to config\.json/);
});

test('--board overrides the config and an unknown one lists the known boards', () => {
  const r = runNode(['scripts/build.mjs', '--config', configFile(EXAMPLE), '--board', 'esp99']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown board "esp99": use one of esp32, esp8266/);
});

test('npm run build prints the I2C pins both ways: Espruino name = GPIO (the label on the board)', () => {
  const line = (board) => {
    const r = runNode(['scripts/build.mjs', '--config', configFile({ ...EXAMPLE, board })]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.split('\n')[0];
  };
  assert.match(line('esp8266'), /I2C1 SDA D4 = GPIO4 \(NodeMCU\/Wemos label D2\), SCL D5 = GPIO5 \(NodeMCU\/Wemos label D1\)$/);
  assert.match(line('esp32'), /I2C1 SDA D21 = GPIO21 \(DevKit label D21 or 21\), SCL D22 = GPIO22 \(DevKit label D22 or 22\)$/);
});

test("README's wiring table says what each board profile says: power, ground, and each I2C pin's label, GPIO and Espruino name", () => {
  const readme = fs.readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const rows = readme.split('\n').filter((l) => ['TSL2591', 'VIN', 'GND', 'SDA', 'SCL'].some((pin) => l.startsWith(`| ${pin} |`)));
  const cells = (row) => row.split('|').slice(1, -1).map((c) => c.trim());
  const header = cells(rows[0]);
  for (const name of ['esp8266', 'esp32']) {
    const board = JSON.parse(fs.readFileSync(new URL(`../board/${name}.json`, import.meta.url), 'utf8'));
    const chip = board.name.split(' ')[0]; // the table has a column per chip: ESP8266, ESP32
    const column = header.findIndex((h) => h.split(' ')[0] == chip);
    assert.ok(column > 0, `a column for ${chip}: ${header}`);
    for (const pin of ['sda', 'scl']) {
      const cell = cells(rows.find((r) => r.startsWith(`| ${pin.toUpperCase()} |`)))[column];
      const gpio = /^D(\d+)$/.exec(board[pin])[1];
      assert.equal(cell, `label ${board.wiring[pin]} = GPIO${gpio} (Espruino's \`${board[pin]}\`)`, `${name} ${pin}`);
    }
    for (const [row, label] of [['VIN', 'vcc'], ['GND', 'gnd']])
      assert.equal(cells(rows.find((r) => r.startsWith(`| ${row} |`)))[column], board.wiring[label], `${name} ${row}`);
  }
});

test('the build cache: a build is made once per distinct input and read back the same, a new config is made anew', async () => {
  const { cachedBuild } = await import('../scripts/lib/build-cache.mjs');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-cache-'));
  const { board, firmware } = validateConfig(EXAMPLE);
  let made = 0;
  const make = async () => (made++, buildFirmware({ board, firmware }));
  const first = await cachedBuild({ board, firmware }, make, dir);
  const again = await cachedBuild({ board, firmware }, make, dir);
  assert.equal(made, 1);
  assert.deepEqual(again, first);
  assert.equal(fs.readdirSync(dir).length, 1, 'one file a build, nothing half written left');
  await cachedBuild({ board, firmware: { ...firmware, sensor: { ...firmware.sensor, id: 'lux-2' } } }, make, dir);
  assert.equal(made, 2);
});

test("the shortened _fields never take a short name Espruino's MQTT module gives its client", { skip: findMqttModule().missing ?? false }, async () => {
  // the writer puts a field of its own on the module's client: a shortened name equal to one of the module's own
  // (MQTT.prototype.C, its constants) hid it, and every connection was dropped at once
  const { code } = await buildWith();
  const theirs = new Set([...findMqttModule().code.matchAll(/\.([A-Za-z_$][\w$]?)\b(?!\()/g)].map((m) => m[1]));
  const assigned = new Set([...code.matchAll(/\.([A-Za-z_$][\w$]?)=(?!=)/g)].map((m) => m[1]));
  assert.deepEqual([...theirs].filter((n) => assigned.has(n)), []);
});
