// The rig that runs the firmware on Espruino's Linux port (ESPRUINO names the binary) as it is flashed: the
// bench's memory column (scripts/bench/memory.mjs) and the tests on that interpreter share it. Two boot files in
// Storage run before the upload and form the harness: .boot0 prints the bare usage, .boot1 holds the stand-in
// hardware (espruino-shims.js: I2C1 answering as a TSL2591, Wifi) and a sampler of process.memory().usage.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from '../lib/paths.mjs';
import { DEFAULTS } from '../lib/defaults.mjs';
import { sha256, modulePaths } from '../firmware/modules.mjs';
import { findMqttModule } from '../firmware/mqtt-module.mjs';
import { jsString } from './espruino.mjs';

export const TOPIC = 'test-topic';
export const SAMPLE_MS = 100;
export const BENCH_INTERVAL = 0.1; // seconds between readings, so the buffer fills in seconds
export const BUFFER_SIZE = DEFAULTS.buffer.size; // the firmware's default
/** The pipeline measured against none: three filters, with a window, a timer, and each passing every reading. */
export const BENCH_FILTERS = [{ slidingMean: 5 }, { clamp: [0, 88000] }, { heartbeat: 60 }];

/** A file of this folder without its comment lines, as a boot file holds it. */
export const bootFile = (name) =>
  fs
    .readFileSync(new URL(name, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => !/^\s*\/\//.test(l))
    .join('\n');

/** The stand-in hardware (scripts/espruino/espruino-shims.js), as a boot file holds it. */
export const SHIMS = bootFile('./espruino-shims.js');
export const BOOT0 = 'print("@@MEM bare "+process.memory().usage);var m=process.memory();print("@@INFO "+process.env.VERSION+" "+m.blocksize+" "+m.total);delete m;';
export const BOOT1 = `${SHIMS}\ncalibrate();\nsetInterval(function(){print("@@MEM s "+process.memory().usage)},${SAMPLE_MS});\nprint("@@MEM harness "+process.memory().usage);`;

/** How to get the interpreter the tests and the bench run the firmware on. */
export const ESPRUINO_HOW = 'npm run espruino:build makes one and prints the line to set it';

/** Why the memory column cannot run here, or null. */
export function memorySkip(env = process.env) {
  if (!env.ESPRUINO) return `ESPRUINO is not set: it names an Espruino interpreter binary (${ESPRUINO_HOW})`;
  if (!fs.existsSync(env.ESPRUINO)) return `ESPRUINO=${env.ESPRUINO} does not exist`;
  const mod = findMqttModule(modulePaths(env).dir);
  if (mod.missing) return `the MQTT module is needed: ${mod.missing}`;
  return null;
}

/** Runs a command to its end: { code, out } with stdout and stderr together. */
export function runProcess(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

/** A temp folder with the MQTT module's source where the upload reads it (modules/MQTT.js) and a lock that matches it. */
export function workspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  const modules = path.join(dir, 'modules');
  fs.mkdirSync(modules);
  const { code } = findMqttModule();
  fs.writeFileSync(path.join(modules, 'MQTT.js'), code);
  fs.writeFileSync(path.join(dir, 'lock.json'), JSON.stringify({ modules: { MQTT: { url: 'bench', sha256: sha256(code) } } }));
  return { dir, modules, lock: path.join(dir, 'lock.json') };
}

/**
 * The firmware's upload exactly as `npm run flash -- --dry-run` writes it, for a broker on 127.0.0.1:port;
 * `mqtt` and `sensor` add to the config's sections, `more` adds sections.
 */
export async function firmwareUpload(ws, port, { mqtt = {}, sensor = {}, more = {} } = {}) {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));
  const config = path.join(ws.dir, `config-${port}.json`);
  fs.writeFileSync(
    config,
    JSON.stringify({
      ...example,
      mqtt: { ...example.mqtt, host: '127.0.0.1', port, topic: TOPIC, diagnosticsSeconds: 1, maxBackoffSeconds: 2, ...mqtt },
      sensor: { ...example.sensor, intervalSeconds: BENCH_INTERVAL, ...sensor },
      buffer: { size: BUFFER_SIZE },
      ...more
    })
  );
  const dist = path.join(ws.dir, `dist-${port}`);
  const env = { ...process.env, LUXGRAPH_MODULES_DIR: ws.modules, LUXGRAPH_MODULES_LOCK: ws.lock };
  const r = await runProcess(process.execPath, [path.join(ROOT, 'scripts/flash.mjs'), '--config', config, '--dist', dist, '--dry-run'], { cwd: ROOT, env });
  if (r.code !== 0) throw new Error(`npm run flash -- --dry-run failed:\n${r.out}`);
  return { flash: fs.readFileSync(path.join(dist, 'upload.js'), 'latin1'), firmware: fs.readFileSync(path.join(dist, 'firmware.js'), 'latin1') };
}

/**
 * Everything typed into the REPL: the harness written to Storage (and `more` boot files after it, .boot2 on), then
 * the upload.
 */
export const flashed = (upload, more = []) =>
  [
    'echo(0);',
    ...[BOOT0, BOOT1, ...more].map((text, i) => `require("Storage").write(".boot${i}",${jsString(text)});`),
    upload.trim(),
    ''
  ].join('\n');
