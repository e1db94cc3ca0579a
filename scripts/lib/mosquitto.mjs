// A real mosquitto broker on a free loopback port, for the tests and the bench.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn, spawnSync } from 'node:child_process';
import { waitFor } from './wait.mjs';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The mosquitto binary, or null when it is not installed. */
export function mosquittoPath() {
  for (const p of ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto']) if (fs.existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v mosquitto'], { encoding: 'utf8' });
  return r.status == 0 ? r.stdout.trim() : null;
}

/**
 * Starts a real mosquitto on a free loopback port. Options: passwords { user: password } (anonymous
 * access is then refused), port (to restart on the same one), persistDir (keep sessions across a restart), tls
 * { cert, key, ca, requireCertificate } (a second listener, over TLS, with the broker's certificate and key files;
 * with requireCertificate, a client must show a certificate signed by the CA file `ca`).
 * Returns { port, tlsPort, stop() }.
 */
export async function startMosquitto({ port, passwords, persistDir, tls } = {}) {
  port = port || (await freePort());
  const tlsPort = tls ? await freePort() : undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mosq-'));
  // started as root, mosquitto would switch to its own user, which cannot read the private temp files below
  const conf = [`listener ${port} 127.0.0.1`, 'log_dest stderr', `user ${os.userInfo().username}`];
  if (tls) {
    conf.push(`listener ${tlsPort} 127.0.0.1`, `certfile ${tls.cert}`, `keyfile ${tls.key}`);
    if (tls.ca) conf.push(`cafile ${tls.ca}`);
    if (tls.requireCertificate) conf.push('require_certificate true');
  }
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
    tlsPort,
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
