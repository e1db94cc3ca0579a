// Secrets: a separate secrets file the config points to, warnings when git tracks either file, and output
// redaction that holds even when a secret arrives a byte at a time.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { ROOT, EXAMPLE, runNodeAsync } from './helpers.mjs';
import { redactingWriter } from '../scripts/redact-stream.mjs';

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
  const upload = fs.readFileSync(path.join(w.dir, 'dist', 'upload.js'), 'latin1');
  assert.match(upload, /password:\\"from-secrets-file\\"/);
  assert.match(upload, /username:\\"sensor\\",password:\\"broker-pass-789\\"/);
  assert.match(upload, /connecting to 'my_wifi_sid'/, 'the rest of the config is kept');
  assert.doesNotMatch(r.all, /from-secrets-file|broker-pass-789/);
  assert.doesNotMatch(r.all, /warning/, 'files outside git are not warned about');
});

test('a missing secrets file is named, with what to put in it', async () => {
  const w = workspace({ ...EXAMPLE, secrets: 'passwords.json' });
  const r = await run(['scripts/build.mjs', '--config', path.join(w.dir, 'config.json')]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^config error in \S+config\.json: secrets: file not found: \S+passwords\.json \(create it with your passwords/m);
});

test('build and flash warn when git tracks the config or its secrets file', { skip: spawnSync('git', ['--version']).status !== 0 && 'git is not installed' }, async () => {
  const w = workspace();
  const git = (...a) => assert.equal(spawnSync('git', a, { cwd: w.dir }).status, 0, `git ${a.join(' ')}`);
  git('init', '-q');
  git('add', 'config.json', 'secrets.json');

  let r = await run(['scripts/flash.mjs', '--config', path.join(w.dir, 'config.json'), '--dist', path.join(w.dir, 'dist'), '--dry-run'], w.env);
  assert.equal(r.status, 0, r.all);
  assert.match(r.stderr, /warning: config\.json is tracked by git but holds your passwords: untrack it with git rm --cached config\.json/);
  assert.match(r.stderr, /warning: secrets\.json is tracked by git/);

  // the build warns too (the config here is made invalid so that this test leaves dist/ alone)
  fs.writeFileSync(path.join(w.dir, 'config.json'), JSON.stringify({ board: 'esp8266', wifi: { ssid: 'x' } }));
  r = await run(['scripts/build.mjs', '--config', path.join(w.dir, 'config.json')]);
  assert.match(r.stderr, /warning: config\.json is tracked by git/);
  assert.match(r.stderr, /config error in .*mqtt: is missing/);
  assert.doesNotMatch(r.all, /from-secrets-file|broker-pass-789/);

  git('rm', '-q', '-f', '--cached', 'config.json', 'secrets.json');
  r = await run(['scripts/build.mjs', '--config', path.join(w.dir, 'config.json')]);
  assert.doesNotMatch(r.stderr, /warning/);
});

test('the redacting writer hides a secret however the output is split, and passes other bytes unchanged', async () => {
  const text = 'ok \xe9 {"password":"hunter22"} and hunter2 and hunter22!\n>';
  for (const size of [1, 2, 3, 5, 8, text.length]) {
    const out = [];
    const w = redactingWriter({ write: (b) => out.push(b) }, ['hunter22'], { pauseMs: 5 });
    for (let i = 0; i < text.length; i += size) w.write(Buffer.from(text.slice(i, i + size), 'latin1'));
    await new Promise((r) => setTimeout(r, 20));
    w.end();
    assert.equal(Buffer.concat(out).toString('latin1'), 'ok \xe9 {"password":"***"} and hunter2 and ***!\n>', `chunks of ${size}`);
  }
});
