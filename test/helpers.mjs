// Shared test helpers: build a bundle from a config, real brokers on 127.0.0.1, waiting for real outcomes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import mqtt from 'mqtt';
import { ROOT, validateConfig } from '../scripts/config.mjs';
import { buildFirmware } from '../scripts/build.mjs';

export { ROOT };

export const EXAMPLE = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));

/** The example config with sections overridden, validated and built. */
export async function buildWith(overrides = {}, { entry } = {}) {
  const raw = JSON.parse(JSON.stringify(EXAMPLE));
  for (const [k, v] of Object.entries(overrides)) raw[k] = v && typeof v == 'object' && !Array.isArray(v) ? { ...(raw[k] || {}), ...v } : v;
  const { board, firmware } = validateConfig(raw);
  const built = await buildFirmware({ board, firmware, entry });
  return { ...built, board, firmware };
}

export async function waitFor(predicate, { timeout = 10000, interval = 20, what = 'condition', then } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${then ? ': ' + then() : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/**
 * A separate MQTT client subscribed to `topic` (QoS 1), collecting every message as text. With clean: false and a
 * fixed clientId its session, and the messages queued for it, outlive a broker restart (with persistence).
 */
export async function subscriber({ host = '127.0.0.1', port, topic, username, password, clientId, clean = true }) {
  clientId = clientId || 'test-sub-' + Math.random().toString(16).slice(2);
  const client = mqtt.connect({ host, port, username, password, reconnectPeriod: 200, clientId, clean });
  await new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  const messages = [];
  client.on('message', (t, m, p) => messages.push({ topic: t, text: m.toString(), retain: p.retain }));
  await client.subscribeAsync(topic, { qos: 1 });
  return { client, messages, close: () => client.endAsync(true) };
}

export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function mosquittoPath() {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto']) if (fs.existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  return r.status == 0 ? r.stdout.trim() : null;
}

/** Why a mosquitto test cannot run here, or null. In CI a missing mosquitto is a failure, not a skip. */
export function mosquittoSkip() {
  if (mosquittoPath()) return null;
  if (process.env.CI) throw new Error('mosquitto is not installed, but CI must run the mosquitto tests: .ci/run installs it with apt-get');
  return 'mosquitto is not installed here (apt-get install mosquitto); CI installs it and runs this test';
}

/**
 * Starts a real mosquitto on a free loopback port. Options: passwords { user: password } (anonymous
 * access is then refused), port (to restart on the same one), persistDir (keep sessions across a restart).
 * Returns { port, stop() }.
 */
export async function startMosquitto({ port, passwords, persistDir } = {}) {
  port = port || (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosq-'));
  // started as root, mosquitto would switch to its own user, which cannot read the private temp files below
  const conf = [`listener ${port} 127.0.0.1`, 'log_dest stderr', `user ${os.userInfo().username}`];
  // sessions and queued QoS 1 messages survive a restart only with persistence
  conf.push(...(persistDir ? ['persistence true', `persistence_location ${persistDir}/`, 'autosave_interval 0'] : ['persistence false']));
  if (passwords) {
    const pw = path.join(dir, 'passwd');
    fs.writeFileSync(pw, '');
    for (const [u, p] of Object.entries(passwords)) spawnSync('mosquitto_passwd', ['-b', pw, u, p]);
    fs.chmodSync(pw, 0o600);
    conf.push('allow_anonymous false', `password_file ${pw}`);
  } else conf.push('allow_anonymous true');
  fs.writeFileSync(path.join(dir, 'mosquitto.conf'), conf.join('\n') + '\n');
  const proc = spawn(mosquittoPath(), ['-c', path.join(dir, 'mosquitto.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => (log += d));
  await waitFor(
    () =>
      new Promise((resolve) => {
        const s = net.connect(port, '127.0.0.1', () => {
          s.end();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      }),
    { timeout: 5000, what: `mosquitto on port ${port} (${log})` }
  );
  return {
    port,
    proc,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      })
  };
}

/** Runs a script with node and returns { status, stdout, stderr }. */
export function runNode(args, opts = {}) {
  return spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 60000, ...opts });
}

/** Runs a script with node without blocking (its children may need this process's event loop, a local server
 * say); resolves with { status, stdout, stderr, all }. `env` adds to this process's environment. */
export function runNodeAsync(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr, all: stdout + stderr }));
  });
}
