// Secrets: a separate secrets file the config points to, warnings when git tracks either file, and output
// redaction that holds even when a secret arrives a byte at a time.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { ROOT, EXAMPLE, runNode, runNodeAsync } from './helpers.mjs';
import * as acorn from 'acorn';
import { redactingWriter, secretsOf } from '../scripts/cli/redact-stream.mjs';
import { validateConfig } from '../scripts/config/index.mjs';

const run = runNodeAsync;

/** A folder with config.json pointing at secrets.json, and a modules folder with its lock. */
function workspace(config = { ...EXAMPLE, secrets: 'secrets.json' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secrets-'));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  fs.writeFileSync(path.join(dir, 'secrets.json'), JSON.stringify({ wifi: { password: 'from-secrets-file' }, mqtt: { username: 'sensor', password: 'broker-pass-789' } }));
  const module = 'exports.create=function(){return{}};';
  fs.mkdirSync(path.join(dir, 'modules'));
  fs.writeFileSync(path.join(dir, 'modules', 'MQTT.js'), module);
  const sha256 = crypto.createHash('sha256').update(module).digest('hex');
  fs.writeFileSync(path.join(dir, 'lock.json'), JSON.stringify({ modules: { MQTT: { url: 'https://www.espruino.com/modules/MQTT.min.js', sha256 } } }));
  return { dir, env: { LUXGRAPH_MODULES_DIR: path.join(dir, 'modules'), LUXGRAPH_MODULES_LOCK: path.join(dir, 'lock.json') } };
}

test('passwords from the secrets file the config names reach the upload, and are never printed', async () => {
  const w = workspace();
  const r = await run(['scripts/flash.mjs', '--config', path.join(w.dir, 'config.json'), '--dist', path.join(w.dir, 'dist'), '--dry-run'], w.env);
  assert.equal(r.status, 0, r.all);
  // the code as one text again: the upload writes it to Storage in 1 KB chunks, which may cut a line anywhere
  const upload = fs.readFileSync(path.join(w.dir, 'dist', 'upload.js'), 'latin1').replace(/",\d+(,\d+)?\);\nrequire\("Storage"\)\.write\("\.bootcde","/g, '');
  // (a literal holding a password that a chunk would cut starts the next chunk, spaces before it: secret-pieces.mjs)
  assert.match(upload, /password: *\\"from-secrets-file\\"/);
  assert.match(upload, /username:\\"sensor\\",password: *\\"broker-pass-789\\"/);
  assert.match(upload, /connecting to 'my_wifi_sid'/, 'the rest of the config is kept');
  assert.doesNotMatch(r.all, /from-secrets-file|broker-pass-789/);
  assert.doesNotMatch(r.all, /tracked by git/, 'files outside git are not warned about');
  // flashing the example's network and broker is said, not done in silence (the password is the secrets file's)
  assert.match(r.stderr, /^warning: wifi\.ssid "my_wifi_sid", mqtt\.host "192\.168\.1\.10": these are config\.example\.json's placeholders/m);
});

test('a missing secrets file is named, with what to put in it', async () => {
  const w = workspace({ ...EXAMPLE, secrets: 'passwords.json' });
  const r = await run(['scripts/build.mjs', '--config', path.join(w.dir, 'config.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^config error in \S+config\.json: secrets: file not found: \S+passwords\.json \(create it with your passwords/m);
});

test('build and flash warn when git tracks a config or secrets file holding real passwords, named as given', { skip: spawnSync('git', ['--version']).status !== 0 && 'git is not installed' }, async () => {
  const w = workspace();
  const git = (...a) => assert.equal(spawnSync('git', a, { cwd: w.dir }).status, 0, `git ${a.join(' ')}`);
  git('init', '-q');
  git('add', 'config.json', 'secrets.json');

  // config.json holds only the example's placeholder password; the real ones are in secrets.json
  let r = await run(['scripts/flash.mjs', '--config', path.join(w.dir, 'config.json'), '--dist', path.join(w.dir, 'dist'), '--dry-run'], w.env);
  assert.equal(r.status, 0, r.all);
  const secrets = path.join(w.dir, 'secrets.json');
  assert.ok(r.stderr.includes(`warning: ${secrets} is tracked by git but holds your passwords: untrack it with git rm --cached ${secrets} (it stays on disk)`), r.stderr);
  assert.doesNotMatch(r.stderr, /config\.json is tracked/, 'placeholders are no passwords');

  // a config in a folder, given by a relative path: named as typed (the build's config is invalid, to leave dist/ alone)
  fs.mkdirSync(path.join(w.dir, 'site'));
  fs.writeFileSync(path.join(w.dir, 'site', 'lux.json'), JSON.stringify({ board: 'esp8266', wifi: { ssid: 'x', password: 'real-pass-1' } }));
  git('add', 'site/lux.json');
  r = runNode([path.join(ROOT, 'scripts/build.mjs'), '--config', 'site/lux.json'], { cwd: w.dir });
  assert.match(r.stderr, /^warning: site\/lux\.json is tracked by git but holds your passwords: untrack it with git rm --cached site\/lux\.json \(it stays on disk\)$/m);
  assert.match(r.stderr, /config error in .*mqtt: is missing/);
  assert.doesNotMatch(r.stderr + r.stdout, /from-secrets-file|broker-pass-789|real-pass-1/);

  git('rm', '-q', '-f', '--cached', 'site/lux.json', 'secrets.json');
  r = runNode([path.join(ROOT, 'scripts/build.mjs'), '--config', 'site/lux.json'], { cwd: w.dir });
  assert.doesNotMatch(r.stderr, /warning/);
});

test('a tracked example config with its placeholder password is not warned about', () => {
  const r = runNode(['scripts/build.mjs', '--config', 'examples/filters.json']);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /tracked by git/);
});

test('the redacting writer hides a secret however the output is split, and passes other bytes unchanged', async () => {
  const text = 'ok \xe9 {"password":"hunter22"} and hunter2 and hunter22!\n>';
  for (const size of [1, 2, 3, 5, 8, text.length]) {
    const out = [];
    const w = redactingWriter({ write: (b) => out.push(b) }, ['hunter22']);
    for (let i = 0; i < text.length; i += size) w.write(Buffer.from(text.slice(i, i + size), 'latin1'));
    await new Promise((r) => setTimeout(r, 20));
    w.end();
    assert.equal(Buffer.concat(out).toString('latin1'), 'ok \xe9 {"password":"***"} and hunter2 and ***!\n>', `chunks of ${size}`);
  }
});

/** Writes `text` through a redacting writer in chunks of `size`, `gapMs` apart; resolves with what came out. */
async function throughWriter(text, secrets, size, gapMs = 0) {
  const out = [];
  const w = redactingWriter({ write: (b) => out.push(b) }, secrets);
  for (let i = 0; i < text.length; i += size) {
    w.write(Buffer.from(text.slice(i, i + size), 'latin1'));
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  w.end();
  return Buffer.concat(out).toString('latin1');
}

test('a password split across chunks that arrive far apart (300 ms) is still hidden; a prompt shows at once', async () => {
  const text = '>print(wifi)\r\n"hunter22"\r\n>';
  assert.equal(await throughWriter(text, ['hunter22'], 19, 300), '>print(wifi)\r\n"***"\r\n>');
  const out = [];
  const w = redactingWriter({ write: (b) => out.push(b) }, ['hunter22']);
  w.write(Buffer.from('=undefined\r\n>'));
  assert.equal(Buffer.concat(out).toString(), '=undefined\r\n>', 'a prompt is not held back');
  w.write(Buffer.from('hun'));
  w.end();
  assert.equal(Buffer.concat(out).toString(), '=undefined\r\n>***', 'the start of a password still waiting at the end is not shown');
});

/** What an upload's Storage.write(".bootcde", "…", …) calls store, their string literals decoded and joined. */
function bootCodeOf(upload) {
  const chunks = [];
  (function walk(node) {
    if (!node || typeof node.type != 'string') return;
    const [file, data] = node.type == 'CallExpression' ? node.arguments : [];
    if (file && file.value == '.bootcde' && data && data.type == 'Literal') chunks.push(data.value);
    for (const v of Object.values(node)) for (const child of [].concat(v)) if (child && typeof child == 'object') walk(child);
  })(acorn.parse(upload, { ecmaVersion: 2020 }));
  return chunks.join('');
}

/** The string literals of a script, decoded. */
/** Text with the escape sequences of JavaScript string literals decoded wherever they stand, whole or not. */
function unescaped(text) {
  const simple = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', 0: '\0' };
  return text.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (e, c) => (c.length > 1 ? String.fromCharCode(parseInt(c.slice(1), 16)) : c in simple ? simple[c] : c));
}

function literals(code) {
  const found = [];
  (function walk(node) {
    if (!node || typeof node.type != 'string') return;
    if (node.type == 'Literal' && typeof node.value == 'string') found.push(node.value);
    for (const v of Object.values(node)) for (const child of [].concat(v)) if (child && typeof child == 'object') walk(child);
  })(acorn.parse(code, { ecmaVersion: 2020 }));
  return found;
}

test('passwords with quotes, backslashes and non-ASCII are hidden in every form the board can echo: in the bundle, and in the upload', async () => {
  const wifi = 'pa"ss\\w\u00f6rd\u20ac\u2713', mqtt = "it's \"q\" \u00fc!";
  const config = { ...EXAMPLE, wifi: { ssid: 'home', password: wifi }, mqtt: { ...EXAMPLE.mqtt, username: 'u', password: mqtt } };
  const w = workspace(config);
  const dist = path.join(w.dir, 'dist');
  const r = await run(['scripts/flash.mjs', '--config', path.join(w.dir, 'config.json'), '--dist', dist, '--dry-run'], w.env);
  assert.equal(r.status, 0, r.all);
  const bundle = fs.readFileSync(path.join(dist, 'firmware.js'), 'latin1');
  const upload = fs.readFileSync(path.join(dist, 'upload.js'), 'latin1');
  const secrets = secretsOf(validateConfig(config).firmware);
  const has = (values) => values.filter((v) => v.includes(wifi) || v.includes(mqtt));
  assert.equal(has(literals(bundle)).length, 2, 'the bundle holds both passwords, escaped in its code');
  assert.ok(!bundle.includes(wifi) && !bundle.includes(mqtt), 'escaped, so a plain search would miss them');
  for (const size of [5, 64, 100000]) {
    const shown = await throughWriter(bundle, secrets, size);
    assert.deepEqual(has(literals(shown)), [], `the bundle as echoed, in chunks of ${size}`);
    // the upload writes the bundle to Storage inside string literals: escaped once more
    const stored = bootCodeOf(await throughWriter(upload, secrets, size));
    assert.match(stored, /\*\*\*/, 'the bundle inside the upload, redacted');
    assert.deepEqual(has(literals(stored)), [], `the upload as echoed, in chunks of ${size}`);
  }
});

test('the TLS client key (mqtt.key) goes into the bundle, and is hidden wherever the board could echo it: in the bundle, and in the pieces the upload writes it in', async () => {
  const fixture = (name) => path.join(ROOT, 'test/fixtures/tls', name);
  const config = { ...EXAMPLE, board: 'esp32', mqtt: { ...EXAMPLE.mqtt, tls: true, ca: fixture('ca.pem'), cert: fixture('device.pem'), key: fixture('device.key') } };
  const w = workspace(config);
  const dist = path.join(w.dir, 'dist');
  const r = await run(['scripts/flash.mjs', '--config', path.join(w.dir, 'config.json'), '--dist', dist, '--dry-run'], w.env);
  assert.equal(r.status, 0, r.all);
  const key = validateConfig(config).firmware.mqtt.tls.key;
  const pem = fs.readFileSync(fixture('device.key'), 'latin1');
  assert.equal(Buffer.from(key, 'latin1').toString('base64'), pem.split('\n').filter((l) => !l.startsWith('-----')).join(''), 'the key is baked in as its DER bytes');
  assert.doesNotMatch(r.all, new RegExp(pem.split('\n')[1].slice(0, 20).replace(/[+/]/g, '\\$&')), 'flash prints no part of it');
  const bundle = fs.readFileSync(path.join(dist, 'firmware.js'), 'latin1');
  const upload = fs.readFileSync(path.join(dist, 'upload.js'), 'latin1');
  assert.ok(literals(bundle).includes(key), 'the bundle holds the key');
  const secrets = secretsOf(validateConfig(config).firmware);
  // no 16 bytes of the key together, anywhere: each piece of the upload is a literal of its own
  const pieces = [];
  for (let i = 0; i + 16 <= key.length; i += 8) pieces.push(key.slice(i, i + 16));
  const shows = (values) => values.filter((v) => pieces.some((p) => v.includes(p)));
  // the echo read as its string literals would read, escapes decoded: a redaction may end inside an escape sequence,
  // which leaves the echoed code unparseable but shows nothing of the key
  for (const size of [5, 300, 100000]) {
    assert.deepEqual(shows([unescaped(await throughWriter(bundle, secrets, size))]), [], `the bundle as echoed, in chunks of ${size}`);
    assert.deepEqual(shows([unescaped(await throughWriter(upload, secrets, size))]), [], `the upload as echoed, in chunks of ${size}`);
  }
});
