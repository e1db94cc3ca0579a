// Flashing and the REPL over the network, without a board: the port from the config's device.port (--port wins),
// tcp:// addresses with port 23 assumed, and the checks made before anything is sent: a malformed address, a
// refused connection, and a board that hangs up before the upload is confirmed. The real upload over telnet is in
// test/flash-telnet.test.mjs (where ESPRUINO names an interpreter).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import { EXAMPLE, runNodeAsync, freePort } from './helpers.mjs';

const MODULE = 'exports.create = function (host) { return { host: host }; };\n';

/** A temp folder with a config (its `device` section given), the module, its lock, and flash/repl runners. */
function workspace(device) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-net-'));
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ ...EXAMPLE, ...(device && { device }) }));
  fs.mkdirSync(path.join(dir, 'modules'));
  fs.writeFileSync(path.join(dir, 'modules', 'MQTT.js'), MODULE);
  const sha256 = crypto.createHash('sha256').update(MODULE).digest('hex');
  fs.writeFileSync(path.join(dir, 'lock.json'), JSON.stringify({ modules: { MQTT: { url: 'https://example.org/MQTT.js', sha256 } } }));
  const env = { LUXGRAPH_MODULES_DIR: path.join(dir, 'modules'), LUXGRAPH_MODULES_LOCK: path.join(dir, 'lock.json') };
  const dist = path.join(dir, 'dist');
  return {
    flash: (...extra) => runNodeAsync(['scripts/flash.mjs', '--config', config, '--dist', dist, ...extra], env),
    repl: (...extra) => runNodeAsync(['scripts/repl.mjs', '--config', config, '--dist', dist, ...extra], env)
  };
}

/** The espruino-cli command line a dry run prints. */
const commandLine = (r) => r.stdout.split('\n').find((l) => l.includes('espruino-cli.js -p'));

test('the port comes from device.port when no --port is given, --port wins, and closing the console is announced', async () => {
  const w = workspace({ port: 'tcp://192.168.1.50' });
  let r = await w.flash('--dry-run');
  assert.equal(r.status, 0, r.all);
  assert.match(commandLine(r), / -p tcp:\/\/192\.168\.1\.50 -b 115200 --no-ble /);
  // over the network, a firmware that will close the console it came through (device.telnet false) says so first
  assert.match(r.stdout, /^note: this firmware closes the board's telnet console at boot \(device\.telnet is false\): the next upload over the network will be refused\. To keep it open, set "device": \{ "telnet": true \}/m);

  r = await w.flash('--dry-run', '--port', '/dev/ttyUSB3');
  assert.match(commandLine(r), / -p \/dev\/ttyUSB3 /);
  assert.doesNotMatch(r.stdout, /^note:/m, 'over USB the closed console is no obstacle');

  r = await w.repl('--dry-run');
  assert.equal(r.status, 0, r.all);
  assert.match(r.stdout, / -p tcp:\/\/192\.168\.1\.50 -b 115200 --no-ble --board /);
});

test('a refused connection is reported before the build, naming the closed telnet console and the option that opens it', async () => {
  const port = await freePort(); // nothing listens there
  const w = workspace({ port: `tcp://127.0.0.1:${port}` });
  for (const r of [await w.flash(), await w.repl()]) {
    assert.equal(r.status, 1, r.all);
    assert.match(r.stderr, new RegExp(`^(flash|repl): 127\\.0\\.0\\.1:${port} refused the connection, which says only that nothing listens on that port there\\. Likely: the board's telnet console is closed .*"device": \\{ "telnet": true \\}.*, or the address is another machine's`, 'm'));
  }
  assert.doesNotMatch((await w.flash()).stdout, /1\/3 built/, 'nothing was built');
});

test('a malformed network address is refused with the form expected', async () => {
  const r = await workspace().flash('--port', 'tcp://192.168.1.50:http');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^flash: --port "tcp:\/\/192\.168\.1\.50:http" is not an address like tcp:\/\/192\.168\.1\.50 or tcp:\/\/192\.168\.1\.50:23$/m);
});

/** A TCP server on 127.0.0.1 that hangs up on each connection once `hangUp(received so far)` says so. */
async function hangingUpServer(t, hangUp) {
  const server = net.createServer((s) => {
    let got = '';
    s.on('data', (d) => hangUp((got += d.toString('latin1'))) && s.destroy());
    s.on('error', () => {});
    if (hangUp('')) s.destroy();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  return `tcp://127.0.0.1:${server.address().port}`;
}

test('a board that hangs up is an error, not "done": at once, or once the upload began', async (t) => {
  // both accept the connection, so the check before the build passes
  const w = workspace({ telnet: true });
  let r = await w.flash('--port', await hangingUpServer(t, () => true));
  assert.equal(r.status, 1, r.all);
  assert.match(r.stderr, /^flash: tcp:\/\/127\.0\.0\.1:\d+ took the connection but closed it at once: is it the board's telnet console\?/m);

  r = await w.flash('--port', await hangingUpServer(t, (got) => got.includes('Storage')));
  assert.equal(r.status, 1, r.all);
  assert.match(r.stderr, /^flash: the connection to tcp:\/\/127\.0\.0\.1:\d+ was lost before the upload was confirmed( \(\w+\))?: flash again/m);
  assert.doesNotMatch(r.stdout, /^done/m);
});
