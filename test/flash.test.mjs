// Flashing and the REPL through the real espruino-cli, in its no-connect mode (there is no board here): the dry
// run's command, the exact code it would send, modules only from the local folder with no network reached, and
// secrets in the upload but never on the screen.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import * as acorn from 'acorn';
import { ROOT, EXAMPLE, runNodeAsync } from './helpers.mjs';
import { minifyES5 } from '../scripts/firmware/minify.mjs';

const WIFI_SECRET = 'wifi-secret-123';
const MQTT_SECRET = 'mqtt-secret-456';
// the real path: node_modules may be a link (a git worktree sharing another's), and the scripts resolve through it
const CLI = fs.realpathSync(path.join(ROOT, 'node_modules', 'espruino', 'bin', 'espruino-cli.js'));
// stands in for Espruino's MQTT module (its source is never copied here); it loads the built-in net module
const MODULE = `// a stand-in, written to be read
exports.create = function (host, options) {
  return { host: host, connect: function () { require("net").connect({ host: host, port: options.port }); } };
};
`;

// Loaded into every node process of a run (NODE_OPTIONS): records the process, and refuses and records every
// attempt to resolve a name or open a network connection.
const BLOCK_NET = `
const fs = require('fs'), net = require('net'), dns = require('dns');
const log = process.env.NET_LOG;
fs.appendFileSync(log, 'process ' + process.argv[1] + '\\n');
function refuse(what) { fs.appendFileSync(log, 'attempt ' + what + '\\n'); throw new Error('network disabled by the test: ' + what); }
net.Socket.prototype.connect = function (o) { refuse('connect ' + JSON.stringify(o && typeof o == 'object' ? { host: o.host, port: o.port } : o)); };
dns.lookup = function (host) { refuse('dns ' + host); };
`;

const run = runNodeAsync;

/** A temp folder with a config holding secrets, a modules folder with MQTT, its lock, and the network blocker. */
function workspace({ board = 'esp8266', module = MODULE, lockHash, mqtt = {} } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-'));
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ ...EXAMPLE, board, wifi: { ssid: 'home', password: WIFI_SECRET }, mqtt: { ...EXAMPLE.mqtt, username: 'u', password: MQTT_SECRET, ...mqtt } }));
  const modules = path.join(dir, 'modules');
  fs.mkdirSync(modules);
  if (module !== null) fs.writeFileSync(path.join(modules, 'MQTT.js'), module);
  const lock = path.join(dir, 'modules.lock.json');
  const hash = lockHash || crypto.createHash('sha256').update(module || '').digest('hex');
  fs.writeFileSync(lock, JSON.stringify({ modules: { MQTT: { url: 'https://www.espruino.com/modules/MQTT.min.js', sha256: hash } } }));
  const blocker = path.join(dir, 'block-net.cjs');
  fs.writeFileSync(blocker, BLOCK_NET);
  const netLog = path.join(dir, 'net.log');
  fs.writeFileSync(netLog, '');
  return {
    dir, config, modules, lock, netLog, dist: path.join(dir, 'dist'),
    env: { LUXGRAPH_MODULES_DIR: modules, LUXGRAPH_MODULES_LOCK: lock, NODE_OPTIONS: `--require ${blocker}`, NET_LOG: netLog },
    flash(...extra) {
      return run(['scripts/flash.mjs', '--config', config, '--dist', this.dist, ...extra], this.env);
    }
  };
}

/** The firmware's own modules that control() loads, sent with every upload. */
const CONTROL_MODULES = ['lgwifi', 'lgcommand', 'lgdiag'];

/** The boot code an upload stores: the Storage.write chunks evaluated against a stand-in Storage. */
function storedBootCode(upload) {
  const files = {};
  const Storage = {
    write(name, data, offset, size) {
      if (size !== undefined) files[name] = { data: '', size };
      assert.equal(offset, files[name].data.length, 'chunks arrive in order');
      files[name].data += data;
    }
  };
  const loads = [];
  const atob = (b64) => Buffer.from(b64, 'base64').toString('latin1');
  new Function('require', 'load', 'atob', upload)((m) => (assert.equal(m, 'Storage'), Storage), (f) => loads.push(f), atob);
  for (const f of Object.values(files)) assert.equal(f.data.length, f.size, 'each file whole');
  return { code: files['.bootcde'].data, loads, files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.data])) };
}

test('dry run: the exact espruino-cli command, and the exact code it would send, saved to flash as boot code', async () => {
  // the esp8266 profile with commands and the health report turned back on: every control module goes up
  const w = workspace({ mqtt: { commands: true, diagnostics: true } });
  const r = await w.flash('--port', '/dev/ttyUSB0', '--dry-run');
  assert.equal(r.status, 0, r.all);

  const line = r.stdout.split('\n').find((l) => l.includes('espruino-cli.js -p'));
  const upload = path.join(w.dist, 'upload.js');
  assert.equal(
    line.trim(),
    [
      'node', CLI, '-p', '/dev/ttyUSB0', '-b', '115200', '--no-ble', '--board', path.join(w.dist, 'espruino-board-esp8266.json'),
      '--config', `MODULE_URL=${path.join(w.dist, 'modules')}`, '--config', 'MODULE_EXTENSIONS=.js', '--config', `MODULES_CWD=${w.dist}`, '--config', 'MODULES_DIR_NAME=modules',
      '--config', 'MODULE_AS_FUNCTION=true', '--config', 'MODULE_MINIFICATION_LEVEL=', '--config', 'MINIFICATION_LEVEL=', '--config', 'COMPILATION=false',
      ...CONTROL_MODULES.flatMap((m) => ['--storage', `${m}:${path.join(w.dist, 'modules', m + '.js')}`]),
      '--storage', `MQTT:${path.join(w.dist, 'modules', 'MQTT.js')}`, '--storage', '.bootcde:-', '-o', upload, path.join(w.dist, 'firmware.js')
    ].join(' ')
  );
  const board = JSON.parse(fs.readFileSync(path.join(w.dist, 'espruino-board-esp8266.json'), 'utf8'));
  assert.equal(board.BOARD, 'ESP8266_BOARD');
  // TelnetServer too: the firmware closes it, and the upload must not look for it (the 512 KB build lacks it); MQTT
  // is sent as a Storage file of its own, so espruino-cli must not put it into the boot code, nor the firmware's own
  // modules; lgjournal, the journal's, is off on this board (buffer.journal 0), and so is lgpower, deep sleep's: their
  // require() never runs, and nothing may fetch them
  assert.deepEqual(board.info.builtin_modules, ['Wifi', 'net', 'http', 'Storage', 'ESP8266', 'TelnetServer', ...CONTROL_MODULES, 'MQTT', 'lgjournal', 'lgpower']);

  // save on send: the module goes to Storage as the file MQTT (where require finds it), the firmware as .bootcde
  // (runs at every boot), then the board loads it
  const sent = fs.readFileSync(upload, 'latin1');
  assert.match(sent, /^require\("Storage"\)\.write\("MQTT",/);
  const { code, loads, files } = storedBootCode(sent);
  assert.deepEqual(Object.keys(files).sort(), ['.bootcde', 'MQTT', ...CONTROL_MODULES].sort());
  assert.equal(Object.keys(files).pop(), '.bootcde', 'the boot code last, once what it loads is there');
  // the firmware's own modules, as the build made them, each a Storage file where control() require()s it
  for (const m of CONTROL_MODULES) assert.equal(files[m], fs.readFileSync(path.join(w.dist, 'modules', m + '.js'), 'latin1'), m);
  assert.match(files.lgcommand, /exports\.commandRun=/);
  assert.deepEqual(loads, ['.bootcde']);
  const firmware = fs.readFileSync(path.join(w.dist, 'firmware.js'), 'utf8');
  // the module from the local folder, minified by the project's terser, as a function so its code stays in flash,
  // then the firmware unchanged
  const minified = await minifyES5(MODULE);
  assert.notEqual(minified, MODULE);
  assert.equal(fs.readFileSync(path.join(w.dist, 'modules', 'MQTT.js'), 'utf8'), minified);
  assert.equal(files.MQTT, minified, 'the module as its own Storage file');
  assert.ok(code == firmware, 'boot code = the firmware alone');
  assert.match(r.stdout, /Storage: \.bootcde \d+ \+ lgwifi \d+ \+ lgcommand \d+ \+ lgdiag \d+ \+ MQTT \d+ bytes = \d+ of 16384 with headers/);
  assert.match(r.stdout, /lgwifi \(the firmware's WiFi join and retries, built with it: \d+ bytes\), lgcommand \(the firmware's commands, built with it: \d+ bytes\), lgdiag \(the firmware's health report, built with it: \d+ bytes\)/);
  assert.doesNotThrow(() => acorn.parse(code, { ecmaVersion: 5 }), 'what the board runs at boot is ES5');

  assert.ok(code.includes(WIFI_SECRET) && code.includes(MQTT_SECRET), 'the device gets its passwords');
  assert.doesNotMatch(r.all, new RegExp(`${WIFI_SECRET}|${MQTT_SECRET}`), 'no secret is printed');
  assert.match(r.stdout, /WiFi 'home' \(password \*\*\*\)/);
});

test('flash writes the readable firmware.debug.js next to firmware.js: none is left from an earlier config', async () => {
  const w = workspace();
  fs.mkdirSync(w.dist, { recursive: true });
  fs.writeFileSync(path.join(w.dist, 'firmware.debug.js'), '// built earlier, from another config');
  const r = await w.flash('--dry-run');
  assert.equal(r.status, 0, r.all);
  const debug = fs.readFileSync(path.join(w.dist, 'firmware.debug.js'), 'utf8');
  assert.match(debug, /"home"/, "the debug build is this config's (WiFi 'home')");
  assert.ok(acorn.parse(debug, { ecmaVersion: 5 }));
  assert.match(r.stdout, /TSL2591 on I2C1: SDA D4 = GPIO4 \(NodeMCU\/Wemos label D2\), SCL D5 = GPIO5 \(NodeMCU\/Wemos label D1\)/);
});

test('dry run reaches no network: espruino-cli ran, found the module locally, and nothing tried to connect', async () => {
  const w = workspace();
  const r = await w.flash('--dry-run');
  assert.equal(r.status, 0, r.all);
  const log = fs.readFileSync(w.netLog, 'utf8');
  assert.match(log, /^process .*espruino-cli\.js$/m, 'the blocker was loaded into espruino-cli');
  assert.doesNotMatch(log, /attempt/);
  assert.doesNotMatch(r.all, /not found/i);
  assert.match(fs.readFileSync(path.join(w.dist, 'upload.js'), 'latin1'), /require\("Storage"\)\.write\("MQTT"/);
});

test('the blocker does catch espruino-cli downloading when its module URLs are left on', async () => {
  // the same espruino-cli without the options the project adds goes to the web for MQTT
  const w = workspace();
  fs.writeFileSync(path.join(w.dir, 'fw.js'), 'require("MQTT");');
  fs.writeFileSync(path.join(w.dir, 'board.json'), '{"BOARD":"ESP8266_BOARD"}');
  const r = await run([CLI, '-n', '--board', path.join(w.dir, 'board.json'), '-o', path.join(w.dir, 'out.js'), path.join(w.dir, 'fw.js')], w.env);
  assert.match(fs.readFileSync(w.netLog, 'utf8'), /attempt (dns www\.espruino\.com|connect .*espruino)/, r.all);
});

test('ESP32: its board profile, baud and built-in modules', async () => {
  const w = workspace({ board: 'esp32' });
  const r = await w.flash('--port', '/dev/ttyUSB0', '--baud', '921600', '--dry-run');
  assert.equal(r.status, 0, r.all);
  assert.match(r.stdout, /for ESP32 DevKit/);
  assert.match(r.stdout, / -p \/dev\/ttyUSB0 -b 921600 --no-ble --board \S+espruino-board-esp32\.json /);
  assert.equal(JSON.parse(fs.readFileSync(path.join(w.dist, 'espruino-board-esp32.json'), 'utf8')).BOARD, 'ESP32');
  const { code } = storedBootCode(fs.readFileSync(path.join(w.dist, 'upload.js'), 'latin1'));
  // the board's bus and pins are written into the code where it uses them
  assert.match(code, /I2C1\.setup\(\{sda:D21,scl:D22,/);
});

test('offline with the module missing: the error names it and the one command that fetches it', async () => {
  const w = workspace({ module: null, lockHash: 'a'.repeat(64) });
  const r = await w.flash('--dry-run');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flash: module MQTT is not in \S*modules\/ \(uploads never download\)\. Fetch it once, online, with: npm run modules:fetch$/m);
  assert.equal(fs.existsSync(path.join(w.dist, 'upload.js')), false);
  assert.doesNotMatch(fs.readFileSync(w.netLog, 'utf8'), /attempt/);
});

test('a module in the folder that does not match the lock stops the upload, showing both hashes', async () => {
  const w = workspace({ lockHash: 'b'.repeat(64) });
  const r = await w.flash('--dry-run');
  assert.equal(r.status, 1);
  const found = crypto.createHash('sha256').update(MODULE).digest('hex');
  assert.match(r.stderr, /module MQTT \(\S+MQTT\.js\) does not match modules\.lock\.json/);
  assert.match(r.stderr, new RegExp(`expected sha256 ${'b'.repeat(64)}\\n  found    sha256 ${found}`));
  assert.equal(fs.existsSync(path.join(w.dist, 'upload.js')), false);
});

test('clear errors: no port, a port that does not exist, espruino-cli missing', async () => {
  const w = workspace();
  let r = await w.flash();
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flash: no port given: add --port, e\.g\. npm run flash -- --port \/dev\/ttyUSB0 .* or --port tcp:\/\/192\.168\.1\.50 for a board on the network, or set "device": \{ "port": \.\.\. \} in the config$/m);

  r = await w.flash('--port', path.join(w.dir, 'ttyUSB7'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flash: serial port \S+ttyUSB7 does not exist: is the board plugged in/m);

  r = await run(['scripts/flash.mjs', '--config', w.config, '--port', '/dev/ttyUSB0'], { ...w.env, LUXGRAPH_ESPRUINO_CLI: path.join(w.dir, 'nowhere', 'espruino-cli.js') });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flash: espruino-cli is not installed \(no \S+\): run npm install/m);

  r = await run(['scripts/repl.mjs']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^repl: no port given: add --port/m);
});

test('a port espruino-cli cannot open is reported as such, not as a finished upload', async () => {
  const w = workspace();
  const port = path.join(w.dir, 'ttyUSB9');
  fs.writeFileSync(port, ''); // exists, but is no serial port
  const r = await w.flash('--port', port);
  assert.equal(r.status, 1, r.all);
  assert.match(r.stderr, new RegExp(`^flash: could not open ${port}: is another program`, 'm'));
  assert.doesNotMatch(r.all, /^done/m);
  assert.doesNotMatch(fs.readFileSync(w.netLog, 'utf8'), /attempt/);
});

test('what the board prints during an upload is shown with the passwords as ***, even split across chunks', async () => {
  // espruino-cli relays the board's output; this one prints a line echoing the config, in pieces
  const w = workspace();
  const port = path.join(w.dir, 'ttyUSB0');
  fs.writeFileSync(port, '');
  const fake = path.join(w.dir, 'fake-cli.js');
  fs.writeFileSync(
    fake,
    `const parts = ['--] Uncaught SyntaxError at {"password":"${WIFI_SECRET.slice(0, 6)}', '${WIFI_SECRET.slice(6)}","x":"${MQTT_SECRET}"}\\n', '--] >\\n'];
     (function next() { if (parts.length) { process.stdout.write(parts.shift()); setTimeout(next, 30); } })();`
  );
  const r = await run(['scripts/flash.mjs', '--config', w.config, '--dist', w.dist, '--port', port], { ...w.env, LUXGRAPH_ESPRUINO_CLI: fake });
  assert.equal(r.status, 0, r.all);
  assert.match(r.stdout, /--\] Uncaught SyntaxError at \{"password":"\*\*\*","x":"\*\*\*"\}/);
  assert.doesNotMatch(r.all, new RegExp(`${WIFI_SECRET}|${MQTT_SECRET}|wifi-s`));
});

test('REPL dry run: the exact espruino-cli terminal command at the board baud rate', async () => {
  const w = workspace({ board: 'esp32' });
  const r = await run(['scripts/repl.mjs', '--config', w.config, '--dist', w.dist, '--port', '/dev/ttyUSB1', '--dry-run'], w.env);
  assert.equal(r.status, 0, r.all);
  assert.equal(
    r.stdout.split('\n')[1].trim(),
    ['node', CLI, '-p', '/dev/ttyUSB1', '-b', '115200', '--no-ble', '--board', path.join(w.dist, 'espruino-board-esp32.json')].join(' ')
  );
  assert.doesNotMatch(r.all, new RegExp(WIFI_SECRET));
});

test("an upload that does not fit the board's Storage is refused with the numbers, before anything is sent", async () => {
  // a module big enough that the firmware and it pass the 16 KB of Storage of a 512 KB ESP8266
  const big = `exports.create = function () { return { pad: ${JSON.stringify('x'.repeat(6000))} }; };\n`;
  const w = workspace({ module: big });
  const r = await w.flash('--port', '/dev/ttyUSB0', '--dry-run');
  assert.equal(r.status, 1, r.all);
  assert.match(r.stderr, /flash: the upload does not fit the board's Storage: \.bootcde \d+ \+ lgwifi \d+ \+ MQTT \d+ bytes take \d+ bytes with their headers, and ESP8266_BOARD has 16384\. .*"board": "esp8266-4mb"/);
  assert.ok(!fs.existsSync(path.join(w.dist, 'upload.js')), 'nothing prepared for sending');
  // the same on the 4 MB build's profile fits
  const w4 = workspace({ module: big, board: 'esp8266-4mb' });
  const ok = await w4.flash('--port', '/dev/ttyUSB0', '--dry-run');
  assert.equal(ok.status, 0, ok.all);
  assert.match(ok.stdout, /Storage: \.bootcde \d+ \+ lgwifi \d+ \+ lgcommand \d+ \+ lgdiag \d+ \+ lgjournal \d+ \+ MQTT \d+ bytes = \d+ of 196608 with headers \(\d+ %, ESP8266_4MB\)/);
  assert.match(ok.stdout, /lgjournal \(the firmware's journal, built with it: \d+ bytes\)/);
});

test('the 512 KB ESP8266 (esp8266) with the real MQTT module: the default upload fits with room to spare and says its feature set; turning on more than fits is refused with the numbers', async (t) => {
  const real = path.join(ROOT, 'modules', 'MQTT.js');
  if (!fs.existsSync(real)) return t.skip('no modules/MQTT.js (npm run modules:fetch gets it)');
  const module = fs.readFileSync(real, 'utf8');
  const w = workspace({ module });
  const r = await w.flash('--port', '/dev/ttyUSB0', '--dry-run');
  assert.equal(r.status, 0, r.all);
  assert.match(r.stdout, /features on esp8266: commands off, diagnostics off, journal off \(it cannot fit\), discovery off \(turn one on with mqtt\.commands or mqtt\.diagnostics true in config\.json, where the upload fits\)/);
  const [, used] = /Storage: \.bootcde \d+ \+ lgwifi \d+ \+ MQTT \d+ bytes = (\d+) of 16384 with headers/.exec(r.stdout);
  assert.ok(+used <= 16384 - 600, `${used} bytes leave room to spare`);
  // nothing for the features that are off: no module, no subscription, no timer, no journal step
  const firmware = fs.readFileSync(path.join(w.dist, 'firmware.js'), 'utf8');
  assert.doesNotMatch(firmware, /\/set"|lgjournal|diag\.tick|command\.boot/);
  const sent = fs.readFileSync(path.join(w.dist, 'modules', 'MQTT.js'), 'utf8');
  assert.doesNotMatch(sent, /\.prototype\.(subscribe|unsubscribe|mqttConnect|createFlagsForConnection)=/);
  // nor the client's fields only the module's CONNECT builder read; and the CONNACK's return code read where it is
  assert.doesNotMatch(sent, /clean_session|protocol_name|protocol_level/);
  assert.match(sent, /=0\|\w+\.charCodeAt\(1\);if\(\w+\[\w+\]==="ACCEPTED"\)/);

  const more = workspace({ module, mqtt: { commands: true, diagnostics: true, discovery: true } });
  const no = await more.flash('--port', '/dev/ttyUSB0', '--dry-run');
  assert.equal(no.status, 1, no.all);
  assert.match(no.stderr, /flash: the upload does not fit the board's Storage: \.bootcde \d+ \+ lgwifi \d+ \+ lgcommand \d+ \+ lgdiag \d+ \+ MQTT \d+ bytes take \d+ bytes with their headers, and ESP8266_BOARD has 16384\. Leave out what the config turns on \(mqtt\.commands, mqtt\.diagnostics/);
});
