// Flashing over the network, for real: Espruino's Linux port (ESPRUINO names one, as for the bench) started with
// --telnet serves its console on 127.0.0.1:2323 and keeps its Storage in its working folder, like an ESP8266 4 MB or
// ESP32 board on port 23. The stand-in hardware (scripts/espruino/espruino-shims.js) is installed as a boot file first,
// then `npm run flash -- --port tcp://127.0.0.1:2323` uploads through espruino-cli and readings reach a real broker.
// Skipped, with the reason, without ESPRUINO or without the MQTT module in modules/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, EXAMPLE, waitFor } from './helpers.mjs';
import { memorySkip, workspace, SHIMS } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino, jsString } from '../scripts/espruino/espruino.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

const PORT = 'tcp://127.0.0.1:2323'; // the Linux port's telnet console
const INTERVAL = 0.5;
const skip = memorySkip() ?? false;

/** Whether 127.0.0.1:2323 accepts a connection: 'open', or the error code (ECONNREFUSED). */
const probe = () =>
  new Promise((resolve) => {
    const s = net.connect(2323, '127.0.0.1', () => (s.destroy(), resolve('open')));
    s.on('error', (e) => resolve(e.code));
  });

/**
 * Writes a file to the interpreter's Storage through its serial console, a small piece at a time, each acknowledged
 * before the next is typed: its console drops input that arrives faster than it reads, as on a busy machine.
 */
async function writeFile(esp, name, text) {
  for (let at = 0, k = 0; at < text.length; at += 128, k++) {
    const size = at ? '' : `,${text.length}`;
    esp.send(`require("Storage").write(${jsString(name)},${jsString(text.slice(at, at + 128))},${at}${size});print("@@W${k}")\n`);
    await waitFor(() => esp.lines.includes(`@@W${k}`), { what: `piece ${k} of ${name} written`, then: () => esp.lines.join('\n') });
  }
}

/**
 * The interpreter with its telnet console, the stand-in hardware written to Storage as the boot file .boot0, a
 * broker recording readings and whether, at each CONNECT, the device's earlier client was still there, and a
 * config pointing at that broker.
 */
async function rig(t, device) {
  assert.notEqual(await probe(), 'open', 'port 2323 is free before the interpreter starts (another program holds it?)');
  const broker = await startBroker();
  const readings = [], connects = [];
  broker.aedes.on('publish', (p, client) => client && p.topic == 'test-topic' && readings.push(JSON.parse(p.payload)));
  broker.aedes.preConnect = (client, packet, done) => {
    connects.push({ id: packet.clientId, earlierStillConnected: !!broker.aedes.clients[packet.clientId], readingsBefore: readings.length });
    done(null, true);
  };
  const esp = startEspruino({ bin: process.env.ESPRUINO, args: ['--telnet'], timeoutMs: 150000 });
  const lines = esp.lines;
  t.after(async () => {
    await esp.stop();
    await broker.close();
  });
  await waitFor(() => lines.some((l) => l.includes('espruino.com')), { what: "the interpreter's banner" });
  await writeFile(esp, '.boot0', SHIMS);
  const ws = workspace();
  const config = path.join(ws.dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ ...EXAMPLE, mqtt: { ...EXAMPLE.mqtt, host: '127.0.0.1', port: broker.port }, sensor: { id: 'lux-1', intervalSeconds: INTERVAL }, ...(device && { device }) }));
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'flash-telnet-'));
  return {
    broker, readings, connects, lines,
    /**
     * `npm run repl -- --port tcp://127.0.0.1:2323` (as node scripts/repl.mjs, in its own process group so that it and
     * its espruino-cli end together): types `line` once connected, and resolves with what it printed once `until` is in it.
     */
    repl: (line, until) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['scripts/repl.mjs', '--config', config, '--dist', dist, '--port', PORT], { cwd: ROOT, detached: true });
        let out = '';
        const timer = setTimeout(() => end(new Error(`no "${until}" from the REPL: ${out}`)), 15000);
        const end = (error) => {
          clearTimeout(timer);
          process.kill(-child.pid, 'SIGKILL');
          error ? reject(error) : resolve(out);
        };
        child.stdout.on('data', (d) => {
          if (!out.includes('Connected') && (out += d).includes('Connected')) setTimeout(() => child.stdin.write(line + '\n'), 500);
          else out += d;
          if (out.includes(until)) end();
        });
      }),
    /** `npm run flash -- --port tcp://127.0.0.1:2323`, as a user types it, with this rig's config and modules. */
    flash: () =>
      new Promise((resolve) => {
        const child = spawn('npm', ['run', 'flash', '--', '--config', config, '--dist', dist, '--port', PORT], {
          cwd: ROOT,
          env: { ...process.env, LUXGRAPH_MODULES_DIR: ws.modules, LUXGRAPH_MODULES_LOCK: ws.lock }
        });
        let stdout = '', stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stdout, stderr, all: stdout + stderr }));
      })
  };
}

/** At most one reading per interval over the span of their (whole-second) timestamps: no doubled timers. */
function assertOnePerInterval(readings, what) {
  const span = readings[readings.length - 1][1] - readings[0][1];
  assert.ok(readings.length <= (span + 1) / INTERVAL + 1, `${what}: ${readings.length} readings within ${span} s at one per ${INTERVAL} s`);
}

test('npm run flash -- --port tcp://127.0.0.1:2323 uploads over the telnet console; a second run replaces the firmware cleanly', { skip, timeout: 180000 }, async (t) => {
  const r = await rig(t, { telnet: true });
  const first = await r.flash();
  assert.equal(first.status, 0, first.all);
  assert.match(first.stdout, /3\/3 uploading over the network to 127\.0\.0\.1:2323 with espruino-cli/);
  assert.match(first.stdout, /^Upload Complete$/m);
  assert.match(first.stdout, /^done in \d+ s: the board restarted from flash/m);
  await waitFor(() => r.readings.length >= 4, { timeout: 20000, what: 'readings from the first firmware at the broker', then: () => r.lines.join('\n') });
  assert.equal(await probe(), 'open', 'device.telnet: true leaves the console open');
  // the REPL over the network reaches the running firmware
  assert.match(await r.repl('print("running:", typeof LuxGraph.writer)', 'running: object'), /running: object/);

  const second = await r.flash();
  assert.equal(second.status, 0, second.all);
  assert.equal(r.connects.length, 2, 'one MQTT connection per firmware');
  await waitFor(() => r.readings.length >= r.connects[1].readingsBefore + 8, { timeout: 20000, what: 'readings from the second firmware' });

  // the first firmware's client had left before the second one connected, and one client is left
  assert.deepEqual(r.connects.map((c) => [c.id, c.earlierStillConnected]), [['esp8266', false], ['esp8266', false]]);
  assert.equal(r.broker.aedes.connectedClients, 1);
  const after = r.readings.slice(r.connects[1].readingsBefore);
  assert.ok(after.every(([id, , lux]) => id == 'lux-1' && lux > 0), JSON.stringify(after));
  assertOnePerInterval(r.readings.slice(0, r.connects[1].readingsBefore), 'first firmware');
  assertOnePerInterval(after, 'second firmware');
  assert.deepEqual(r.lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), []);
});

test('with the default config the firmware closes the telnet console: port 2323 refused, and the next flash says why', { skip, timeout: 180000 }, async (t) => {
  const r = await rig(t);
  assert.equal(await probe(), 'open', 'the interpreter serves its console before the firmware runs');
  const first = await r.flash();
  assert.equal(first.status, 0, first.all);
  assert.match(first.stdout, /^note: this firmware closes the board's telnet console at boot \(device\.telnet is false\): the next upload over the network will be refused/m);
  assert.match(first.stdout, /^done in \d+ s: .*which closed its telnet console/m);
  await waitFor(() => r.readings.length >= 3, { timeout: 20000, what: 'readings at the broker', then: () => r.lines.join('\n') });
  assert.equal(await probe(), 'ECONNREFUSED');

  const again = await r.flash();
  assert.equal(again.status, 1);
  assert.match(again.stderr, /^flash: 127\.0\.0\.1:2323 refused the connection, which says only that nothing listens on that port there\. Likely: the board's telnet console is closed .*"device": \{ "telnet": true \}.*, or the address is another machine's/m);
  assert.ok(r.readings.length >= 3 && r.connects.length == 1, 'the firmware kept running, untouched');
});
