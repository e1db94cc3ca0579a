// Module resolution: modules come over HTTPS with certificates checked, are pinned by SHA-256 in the lock, and
// land in the folder the upload reads. A local HTTPS server on 127.0.0.1 with a certificate made for this test
// plays www.espruino.com; only the child process under test trusts it.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import crypto from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from './helpers.mjs';

const sha = (t) => crypto.createHash('sha256').update(t).digest('hex');
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const skip = hasOpenssl ? false : 'openssl is not installed here (apt-get install openssl): it makes the test certificate';

/** A self-signed certificate for 127.0.0.1, made now. */
function makeCertificate(dir) {
  const key = path.join(dir, 'key.pem'), cert = path.join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { key, cert };
}

/** An HTTPS server serving `files` (path → text, changeable), recording each request path. */
async function moduleServer(dir) {
  const { key, cert } = makeCertificate(dir);
  const files = {}, requests = [];
  const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (req, res) => {
    requests.push(req.url);
    if (req.url in files) res.end(files[req.url]);
    else {
      res.statusCode = 404;
      res.end('not found');
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { files, requests, cert, base: `https://127.0.0.1:${server.address().port}/modules`, close: () => new Promise((r) => server.close(r)) };
}

/** Runs a script as a child process (asynchronously: the server lives in this process). */
function run(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const MQTT_V1 = 'exports.create=function(s,o){return{v:1,c:function(){return require("net").connect(s)}}};';
const MQTT_V2 = 'exports.create=function(s,o){return{v:2,c:function(){return require("net").connect(s)}}};';

function setup(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modules-'));
  return {
    dir,
    modules: path.join(dir, 'modules'),
    lock: path.join(dir, 'modules.lock.json'),
    env(server, extra = {}) {
      // (the user's cache in the test's folder: a copy kept by one test must not serve another)
      return { LUXGRAPH_MODULES_URL: server.base, LUXGRAPH_MODULES_DIR: this.modules, LUXGRAPH_MODULES_LOCK: this.lock, NODE_EXTRA_CA_CERTS: server.cert, XDG_CACHE_HOME: path.join(dir, 'cache'), ...extra };
    }
  };
}

test('the first fetch records the module in the lock, says so, and places it where the upload reads it', { skip }, async (t) => {
  const s = setup(t), server = await moduleServer(s.dir);
  t.after(server.close);
  server.files['/modules/MQTT.min.js'] = MQTT_V1;
  const r = await run(['scripts/modules.mjs'], s.env(server));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /MQTT: recorded in modules\.lock\.json \(first fetch\)/);
  assert.match(r.stdout, new RegExp(sha(MQTT_V1)));
  assert.equal(fs.readFileSync(path.join(s.modules, 'MQTT.js'), 'utf8'), MQTT_V1);
  const lock = JSON.parse(fs.readFileSync(s.lock, 'utf8'));
  assert.deepEqual(lock.modules.MQTT, { url: `${server.base}/MQTT.min.js`, sha256: sha(MQTT_V1), size: MQTT_V1.length });
  // Wifi is built into both boards, and net (required by the module) too: neither is ever asked for
  assert.deepEqual(server.requests, ['/modules/MQTT.min.js']);

  const again = await run(['scripts/modules.mjs'], s.env(server));
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /MQTT: present and matches the lock/);
  assert.equal(server.requests.length, 1, 'a module already present and matching is not downloaded again');
});

test('a served module that does not match the lock is refused with both hashes, and nothing is written', { skip }, async (t) => {
  const s = setup(t), server = await moduleServer(s.dir);
  t.after(server.close);
  fs.writeFileSync(s.lock, JSON.stringify({ modules: { MQTT: { url: `${server.base}/MQTT.min.js`, sha256: sha(MQTT_V1) } } }));
  server.files['/modules/MQTT.min.js'] = MQTT_V2;
  const r = await run(['scripts/modules.mjs'], s.env(server));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /module MQTT from https:\/\/127\.0\.0\.1:\d+\/modules\/MQTT\.min\.js does not match modules\.lock\.json/);
  assert.match(r.stderr, new RegExp(`expected sha256 ${sha(MQTT_V1)}`));
  assert.match(r.stderr, new RegExp(`received sha256 ${sha(MQTT_V2)}`));
  assert.match(r.stderr, /npm run modules:update/);
  assert.equal(fs.existsSync(path.join(s.modules, 'MQTT.js')), false, 'the refused module is not placed');
  assert.equal(JSON.parse(fs.readFileSync(s.lock, 'utf8')).modules.MQTT.sha256, sha(MQTT_V1), 'the lock is unchanged');
});

test('modules:update downloads again on purpose, shows what changed, and rewrites the lock', { skip }, async (t) => {
  const s = setup(t), server = await moduleServer(s.dir);
  t.after(server.close);
  server.files['/modules/MQTT.min.js'] = MQTT_V1;
  assert.equal((await run(['scripts/modules.mjs'], s.env(server))).status, 0);
  server.files['/modules/MQTT.min.js'] = MQTT_V2;
  const r = await run(['scripts/modules.mjs', '--update'], s.env(server));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`MQTT: changed\\n  was \\S+ sha256 ${sha(MQTT_V1)}\\n  now \\S+ sha256 ${sha(MQTT_V2)}`));
  assert.equal(JSON.parse(fs.readFileSync(s.lock, 'utf8')).modules.MQTT.sha256, sha(MQTT_V2));
  assert.equal(fs.readFileSync(path.join(s.modules, 'MQTT.js'), 'utf8'), MQTT_V2);
});

test('modules:update -- MQTT --url pins the module to another source, with its hash and size', { skip }, async (t) => {
  const s = setup(t), server = await moduleServer(s.dir);
  t.after(server.close);
  server.files['/modules/MQTT.min.js'] = MQTT_V1;
  assert.equal((await run(['scripts/modules.mjs'], s.env(server))).status, 0);
  server.files['/docs/0123abc/modules/MQTT.js'] = MQTT_V2;
  const url = `https://127.0.0.1:${new URL(server.base).port}/docs/0123abc/modules/MQTT.js`;
  const r = await run(['scripts/modules.mjs', '--update', 'MQTT', '--url', url], s.env(server));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(fs.readFileSync(s.lock, 'utf8')).modules.MQTT, { url, sha256: sha(MQTT_V2), size: MQTT_V2.length });
  // from then on fetch uses the pinned source, and refuses other bytes there (the cache emptied, so it downloads)
  fs.rmSync(s.modules, { recursive: true });
  fs.rmSync(path.join(s.dir, 'cache'), { recursive: true, force: true });
  server.files['/docs/0123abc/modules/MQTT.js'] = MQTT_V1;
  const refused = await run(['scripts/modules.mjs'], s.env(server));
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, new RegExp(`module MQTT from ${url.replace(/[.]/g, '\\.')} does not match`));
  assert.equal(fs.existsSync(path.join(s.modules, 'MQTT.js')), false);

  const misuse = await run(['scripts/modules.mjs', '--url', url], s.env(server));
  assert.equal(misuse.status, 1);
  assert.match(misuse.stderr, /--url pins one module to a new source: npm run modules:update -- MQTT --url https:/);
});

test('certificates are checked: an untrusted server is refused even when NODE_TLS_REJECT_UNAUTHORIZED=0', { skip }, async (t) => {
  const s = setup(t), server = await moduleServer(s.dir);
  t.after(server.close);
  server.files['/modules/MQTT.min.js'] = MQTT_V1;
  const r = await run(['scripts/modules.mjs'], s.env(server, { NODE_EXTRA_CA_CERTS: '', NODE_TLS_REJECT_UNAUTHORIZED: '0' }));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /could not fetch module MQTT from https:\/\/127\.0\.0\.1:\d+\/modules\/MQTT\.min\.js: DEPTH_ZERO_SELF_SIGNED_CERT/);
  assert.equal(fs.existsSync(path.join(s.modules, 'MQTT.js')), false);
});

test('modules are only fetched over https', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modules-'));
  const r = await run(['scripts/modules.mjs'], {
    LUXGRAPH_MODULES_URL: 'http://127.0.0.1:9/modules',
    LUXGRAPH_MODULES_DIR: path.join(dir, 'modules'),
    LUXGRAPH_MODULES_LOCK: path.join(dir, 'lock.json')
  });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /refusing http:\/\/127\.0\.0\.1:9\/modules\/MQTT\.min\.js: modules are only fetched over https/);
});

test('the lock in the repository pins the MQTT module: a source whose bytes never change, its SHA-256 and size', () => {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'modules.lock.json'), 'utf8'));
  assert.deepEqual(lock.modules.MQTT, {
    url: 'https://raw.githubusercontent.com/espruino/EspruinoDocs/a0ce15b4e30c15f924afda9eaed4bd0cce9299b8/modules/MQTT.js',
    sha256: '41d2a10a10260c4dec9a850fb8d2bc7666db0facda42cf7d46e31b0ed707fcab',
    size: 12830
  });
  for (const [name, e] of Object.entries(lock.modules)) {
    assert.match(e.url, /^https:\/\/raw\.githubusercontent\.com\/[\w.-]+\/[\w.-]+\/[0-9a-f]{40}\//, `${name}: an https source at a fixed commit`);
    assert.match(e.sha256, /^[0-9a-f]{64}$/, name);
    assert.ok(Number.isInteger(e.size) && e.size > 0, name);
  }
});

test('fetching and the upload check walk the same modules: a module a module loads, never a built-in one', { skip }, async (t) => {
  const s = setup(t), server = await moduleServer(s.dir);
  t.after(server.close);
  // MQTT loads a helper module of its own, and net, which every board has built in
  server.files['/modules/MQTT.min.js'] = 'var h=require("MQTTHelper");exports.create=function(s){return require("net").connect(s)};';
  server.files['/modules/MQTTHelper.min.js'] = 'exports.x=1;';
  const r = await run(['scripts/modules.mjs'], s.env(server));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(server.requests, ['/modules/MQTT.min.js', '/modules/MQTTHelper.min.js']);
  const { verifyModules, modulePaths } = await import('../scripts/firmware/modules.mjs');
  const { loadBoard } = await import('../scripts/config/index.mjs');
  const paths = modulePaths({ LUXGRAPH_MODULES_DIR: s.modules, LUXGRAPH_MODULES_LOCK: s.lock });
  for (const board of ['esp8266', 'esp32'].map(loadBoard))
    assert.deepEqual(await verifyModules('require("MQTT");require("Wifi")', board, paths), ['MQTT', 'MQTTHelper'], board.id);
});

test('offline, a locked module is copied from LUXGRAPH_MODULES_FROM or the cache a fetch left, and only when its hash is the lock\'s', { skip }, async (t) => {
  const s = setup(t), server = await moduleServer(s.dir);
  t.after(server.close);
  server.files['/modules/MQTT.min.js'] = MQTT_V1;
  assert.equal((await run(['scripts/modules.mjs'], s.env(server))).status, 0);
  const cached = path.join(s.dir, 'cache', 'luxgraph', 'modules');
  assert.deepEqual(fs.readdirSync(cached), [sha(MQTT_V1) + '.js'], 'the fetch kept a copy named by its hash');
  // no server from now on: the copy in the cache serves a fresh modules/ folder
  delete server.files['/modules/MQTT.min.js'];
  fs.rmSync(s.modules, { recursive: true });
  const fromCache = await run(['scripts/modules.mjs'], s.env(server));
  assert.equal(fromCache.status, 0, fromCache.stderr);
  assert.match(fromCache.stdout, /^MQTT: copied from .*cache.*, matches the lock/m);
  assert.equal(fs.readFileSync(path.join(s.modules, 'MQTT.js'), 'utf8'), MQTT_V1);
  // a folder given by LUXGRAPH_MODULES_FROM, holding <name>.js: a copy that differs from the lock is passed over
  const shared = path.join(s.dir, 'shared');
  fs.mkdirSync(shared);
  fs.writeFileSync(path.join(shared, 'MQTT.js'), MQTT_V2);
  fs.rmSync(s.modules, { recursive: true });
  fs.rmSync(path.join(s.dir, 'cache'), { recursive: true });
  const wrong = await run(['scripts/modules.mjs'], s.env(server, { LUXGRAPH_MODULES_FROM: shared }));
  assert.notEqual(wrong.status, 0, 'a copy whose hash is not the lock\'s is not used');
  assert.equal(fs.existsSync(path.join(s.modules, 'MQTT.js')), false);
  fs.writeFileSync(path.join(shared, 'MQTT.js'), MQTT_V1);
  const right = await run(['scripts/modules.mjs'], s.env(server, { LUXGRAPH_MODULES_FROM: shared }));
  assert.equal(right.status, 0, right.stderr);
  assert.match(right.stdout, new RegExp(`^MQTT: copied from ${shared}`, 'm'));
});
