// Memory on the device: the firmware runs in Espruino's Linux port (ESPRUINO names the binary: the user's own
// build; a 32-bit build with 12-byte variables is what an ESP8266 has) and process.memory().usage is sampled
// every 100 ms while it connects to a real broker, loses it until its offline buffer is full, and gets it back.
//
// Uploaded as it is flashed: `npm run flash -- --dry-run` writes the exact upload (the MQTT module, minified, as a
// function, then the firmware, saved to Storage as .bootcde, then load()). Two boot files in Storage run before it and form
// the harness: .boot0 prints the bare usage, .boot1 holds the shims (I2C1 answering as a TSL2591, Wifi) and the
// sampler and prints the usage again; their difference, the harness's cost, is subtracted from every sample.
// A hand-written minimal firmware (bench/minimal.js) is measured the same way in the same run, and the firmware
// also typed into the REPL (RAM, no flash) for comparison; so are the firmware with a pipeline of three filters
// (sensor.filters) and with every operator chainable for the REPL (repl.allOperators), against the plain one.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, loadBoard } from '../config/index.mjs';
import { shownPath } from '../lib/paths.mjs';
import { minifyES5 } from '../firmware/minify.mjs';
import { minifiedModules } from '../firmware/modules.mjs';
import { findEspruinoCli, writeBoardJson, uploadOptions } from '../device/espruino-cli.mjs';
import { startBroker } from '../sim/broker.mjs';
import { findMqttModule, sentMqttModule } from '../firmware/mqtt-module.mjs';
import { startEspruino, jsString, DAMAGED } from '../espruino/espruino.mjs';
import { TOPIC, BENCH_INTERVAL, BUFFER_SIZE, BENCH_FILTERS, BOOT0, BOOT1, memorySkip, workspace, firmwareUpload, flashed, runProcess } from '../espruino/espruino-rig.mjs';

/**
 * The long outage: readings taken while the broker is away (at 0.5 s, 70 s), all sent when it is back; past the
 * RAM buffer's 32, over a hundred of them wait in flash.
 */
export const DRAIN = { intervalSeconds: 0.5, readings: 140 };

/** bench/minimal.js, minified like the firmware and sent by espruino-cli with the same upload options and module. */
async function minimalUpload(ws, port) {
  const modulesDir = path.join(ws.dir, 'minimal-modules');
  await minifiedModules(['MQTT'], { dir: ws.modules }, modulesDir);
  const src = fs.readFileSync(path.join(ROOT, 'bench/minimal.js'), 'utf8').replace(/PORT = \d+, INTERVAL = [\d.]+/, `PORT = ${port}, INTERVAL = ${BENCH_INTERVAL}`);
  const file = path.join(ws.dir, 'minimal.js');
  fs.writeFileSync(file, await minifyES5(src, { internalNames: false }));
  const boardJson = writeBoardJson(loadBoard('esp8266'), ws.dir);
  const out = path.join(ws.dir, 'minimal-upload.js');
  const r = await runProcess(process.execPath, [findEspruinoCli(), '-n', ...uploadOptions({ boardJson, modulesDir, out }), file], { cwd: ROOT });
  if (r.code !== 0 || !fs.existsSync(out)) throw new Error(`espruino-cli could not prepare the minimal firmware's upload:\n${r.out}`);
  return fs.readFileSync(out, 'latin1');
}

/** The firmware typed into the REPL after the harness: code in RAM, as espruino-cli without save-on-send. */
const typed = (firmware, { code }) => {
  const module = `Modules.addCached("MQTT",function(){${code.trim()}${code.includes('//') ? '\n' : ''}});`;
  return ['echo(0);', BOOT0, BOOT1, module, firmware.trim(), ''].join('\n');
};

/**
 * Runs one upload through the phases (checked on every line, the sampler's included, so a firmware that prints
 * nothing moves on too). With `offline`, the broker is stopped once it had readings for a while,
 * until more than BUFFER_SIZE readings were taken, then started again. Returns the usage samples by phase.
 */
export async function measureRun({ bin, upload, broker, offline, offlineReadings = BUFFER_SIZE + 3, settleMs = 1500, timeoutMs = 40000, log = () => {}, tries }) {
  const samples = []; // { phase, usage, module, at, what }: at in ms from the run's start; what, a moment's name
  const t0 = Date.now();
  const marks = {};
  const errors = [];
  let clearUndefined = 0, outOfMemory = false;
  const info = {};
  let phase = 'start', readingsOffline = 0, published = 0, restarted = null, fromFlash = 0, journalOut = true;
  let finish;
  const done = new Promise((resolve) => (finish = resolve));
  const countPublish = (b) =>
    b.aedes.on('publish', (packet, client) => {
      if (client && packet.topic == TOPIC) published++;
    });
  countPublish(broker);
  let settled = false;
  const esp = startEspruino({
    bin,
    upload,
    timeoutMs,
    tries,
    onLine: (line) => {
      log(line, phase);
      const m = /^@@MEM (\w+) (\d+) ?(.*)/.exec(line);
      // 's': the sampler's; 'm': taken at a moment (one of the firmware's own modules loaded, a Storage call, an event
      // emitted): it counts for the peak only
      if (m && (m[1] == 's' || m[1] == 'm')) samples.push({ phase, usage: +m[2], module: m[1] == 'm', at: Date.now() - t0, what: m[3] || 'sampler' });
      else if (m) marks[m[1]] = +m[2];
      else if (line.startsWith('@@CLEAR_UNDEFINED')) clearUndefined++;
      else if (line.startsWith('@@INFO ')) [info.version, info.blocksize, info.total] = line.split(' ').slice(1);
      else if (/Uncaught|OUT OF MEMORY/.test(line)) errors.push(line.trim());
      // what the journal says as the backlog starts going out: how many readings waited in flash
      const waited = /^journal: (\d+) readings wait in flash/.exec(line);
      if (waited) fromFlash = Math.max(fromFlash, +waited[1]);
      // readings went to flash in this outage: the run is flushed once the journal says its backlog is out too
      if (/^journal: .*: readings go to flash/.test(line)) journalOut = false;
      if (line.startsWith('journal: backlog out of flash')) {
        journalOut = true;
        if (phase == 'flushed') setTimeout(finish, settleMs);
      }
      if (/OUT OF MEMORY/.test(line)) {
        outOfMemory = true;
        return finish();
      }
      if (phase == 'offline' && line.startsWith("('") && ++readingsOffline > offlineReadings) phase = 'full';
      else if (phase == 'start' && published > 0 && !settled) {
        settled = true;
        // phases: start (until connected and settled) → closing → offline → full → reconnecting → flushed
        setTimeout(async () => {
          phase = 'closing';
          if (!offline) return finish();
          await broker.close();
          phase = 'offline';
        }, settleMs);
      } else if (phase == 'full' && m && m[1] == 's' && !restarted) {
        // this sample saw the buffer full; the broker comes back on the same port
        published = 0;
        phase = 'reconnecting';
        restarted = startBroker({ port: broker.port }).then((b) => (countPublish(b), b));
      } else if (phase == 'reconnecting' && published >= Math.min(readingsOffline, Math.max(BUFFER_SIZE, offlineReadings))) {
        phase = 'flushed';
        // (on a loaded machine the journal can still be letting go of its state when the last reading arrives)
        if (journalOut) setTimeout(finish, settleMs);
      }
    }
  });
  const exited = esp.exited.then(() => finish());
  await done;
  await esp.stop();
  await exited;
  if (restarted) await (await restarted).close();
  else if (phase != 'offline' && phase != 'full') await broker.close().catch(() => {});
  // the harness's own, from boot; and what it adds to the MQTT module as the firmware first requires it (`late`)
  const harness = marks.harness !== undefined && marks.bare !== undefined ? marks.harness - marks.bare + (marks.late || 0) : 0;
  const sampled = samples.filter((x) => !x.module);
  const net = (phases) => {
    const s = sampled.filter((x) => phases.includes(x.phase));
    return s.length ? s[s.length - 1].usage - harness : null;
  };
  const all = samples.map((s) => s.usage - harness);
  const drained = samples.filter((x) => x.phase == 'reconnecting' || x.phase == 'flushed');
  return {
    interpreter: info,
    bare: marks.bare ?? null,
    harness,
    startup: sampled.length ? sampled[0].usage - harness : null,
    connected: net(['start']),
    bufferFull: offline ? net(['full']) : undefined,
    afterReconnect: offline ? net(['flushed']) : undefined,
    reconnected: offline ? phase == 'flushed' : undefined,
    peak: all.length ? Math.max(...all) : null,
    peakAt: momentOf(samples),
    // the highest while what waited goes out: from the broker's return until all of it has arrived
    fromFlash,
    drainPeak: offline ? peakOf(drained, harness) : undefined,
    drainPeakAt: offline ? momentOf(drained) : undefined,
    // the highest of the sampler's alone, and how many samples were taken as a module was loaded
    peakSampled: sampled.length ? Math.max(...sampled.map((s) => s.usage - harness)) : null,
    moduleSamples: samples.length - sampled.length,
    samples: sampled.length,
    // every sample as [ms from the start, phase, variables, 1 if taken at a moment rather than by the sampler, the
    // moment's name]: the picture of device RAM over an outage (npm run docs:pictures) is drawn from it
    series: samples.map((s) => [s.at, s.phase, s.usage - harness, s.module ? 1 : 0, s.what]),
    outOfMemory,
    clearUndefined,
    errors: [...new Set(errors)].slice(0, 5),
  };
}

const peakOf = (samples, harness) => (samples.length ? Math.max(...samples.map((s) => s.usage)) - harness : null);

/** Where the highest of `samples` was taken, as a failed budget says it: the moment, the phase, the time into the run. */
const momentOf = (samples) => {
  if (!samples.length) return null;
  const top = samples.reduce((a, b) => (b.usage > a.usage ? b : a));
  return `${top.what}, ${top.phase}, ${(top.at / 1000).toFixed(1)} s into the run`;
};

/**
 * The tutorial's REPL session, run after the flashed firmware has started: the built-in graph stopped, then the
 * graph of README's steps built by hand (its writer's client id its own), sampled every BENCH_INTERVAL. Typed at
 * the console while the board still loads, lines come in garbled, so the session waits in a Storage file that a
 * boot file runs from two seconds after boot, a statement every half second as a user types them (so that the
 * old graph has gone before the new one is built): the same statements, read from flash one at a time, each
 * making a global as the REPL's `var` does (none makes a function).
 */
export const replSession = (port) => [
  'LuxGraph.stop();',
  "sensor = new SensorPub(new Tsl2591('lux-1'));",
  'sensor.subscribe(new Output());',
  `m = new MQTTWriter('repl-1', '127.0.0.1', ${port}, '${TOPIC}');`,
  'sensor.subscribe(m);',
  `sched = new Scheduler(); cancel = sched.schedulePeriodic(sensor, ${BENCH_INTERVAL});`
];

/** An upload as `flashed` makes it, with the tutorial's session run two seconds after boot, a line at a time. */
export const withSession = (upload, port) => {
  const lines = replSession(port), at = [0];
  for (const l of lines) at.push(at[at.length - 1] + l.length + 1);
  const boot2 = `var T=${JSON.stringify(at)},K=0,I;setTimeout(function(){I=setInterval(function(){if(K<T.length-1)eval(require("Storage").read("tut",T[K],T[K+1]-T[K]));else clearInterval(I);K++},500)},2000);`;
  return flashed(upload).replace('echo(0);', `echo(0);\nrequire("Storage").write("tut",${jsString(lines.join('\n') + '\n')});\nrequire("Storage").write(".boot2",${jsString(boot2)});`);
};

/** The memory column: { skipped } or the three runs. */
export async function measureMemory({ bin = process.env.ESPRUINO } = {}) {
  const why = memorySkip({ ...process.env, ESPRUINO: bin });
  if (why) return { skipped: why };
  const ws = workspace();
  try {
    // one interpreter at a time: two at once on a busy machine can miss part of their upload (the console drops
    // what arrives while it is busy), and a run then measures a firmware that never loaded
    // the firmware built with `extra` for a broker's port, uploaded as npm run flash sends it
    const firmware = (extra) => (port) => firmwareUpload(ws, port, extra).then((f) => flashed(f.flash));
    const flash = await attempt(firmware(), { bin, offline: true });
    const replFirmware = (port) => firmwareUpload(ws, port).then(async (f) => typed(f.firmware, await sentMqttModule()));
    // typed into RAM it runs out of memory while loading: that is its result, not a garbled upload
    const repl = await attempt(replFirmware, { bin, offline: true, tries: 1 });
    const min = await attempt((port) => minimalUpload(ws, port).then(flashed), { bin, offline: false });
    // the same phases as the firmware without filters, which these pass every reading through
    const filtered = { sensor: { filters: BENCH_FILTERS }, more: { board: 'esp8266-4mb' } };
    const pipeline = await attempt(firmware(filtered), { bin, offline: true });
    const every = { more: { repl: { allOperators: true }, board: 'esp8266-4mb' } };
    const allOperators = await attempt(firmware(every), { bin, offline: false });
    // the journal's cost: the same phases with it off (buffer.journal 0); on, from BUFFER_SIZE + 1 readings offline
    // readings go to flash (its module loaded for a moment per reading, its state kept until the broker has them all)
    const off = { more: { buffer: { size: BUFFER_SIZE, journal: 0 } } };
    const noJournal = await attempt(firmware(off), { bin, offline: true });
    // last, alone: the tutorial's session typed at the REPL of the flashed firmware, for a few seconds of readings
    const session = (port) => firmwareUpload(ws, port).then((f) => withSession(f.flash, port));
    const tutorial = await attempt(session, { bin, offline: false, settleMs: 8000 });
    // the worst moment: a long backlog draining, most of it through the journal
    const drain = await attempt(firmware({ sensor: { intervalSeconds: DRAIN.intervalSeconds } }), { bin, offline: true, offlineReadings: DRAIN.readings, timeoutMs: 180000 });
    const over = (run, key) => (run[key] !== null && flash[key] !== null ? run[key] - flash[key] : null);
    return {
      interpreter: shownPath(path.resolve(bin)),
      module: `${path.relative(ROOT, findMqttModule().file)} minified, as the upload sends it`,
      bufferSize: BUFFER_SIZE,
      intervalSeconds: BENCH_INTERVAL,
      flash,
      repl,
      minimal: min,
      pipeline: { filters: BENCH_FILTERS, ...pipeline, overPeak: over(pipeline, 'peak'), overStartup: over(pipeline, 'startup') },
      allOperators: { ...allOperators, delta: over(allOperators, 'startup') },
      journal: { off: noJournal, ...Object.fromEntries(['startup', 'bufferFull', 'afterReconnect', 'peak'].map((k) => [k, over(noJournal, k) === null ? null : -over(noJournal, k)])) },
      tutorial,
      drain: { ...DRAIN, ...drain }
    };
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

/**
 * The flashed firmware through an outage and its drain, alone: the run that the picture of device RAM over time is
 * drawn from (`npm run docs:pictures -- ram --measure`), about a minute where the whole memory bench takes several.
 */
export async function measureOutage({ bin = process.env.ESPRUINO } = {}) {
  const why = memorySkip({ ...process.env, ESPRUINO: bin });
  if (why) return { skipped: why };
  const ws = workspace();
  try {
    const flash = await attempt((port) => firmwareUpload(ws, port).then((f) => flashed(f.flash)), { bin, offline: true });
    return { interpreter: bin, bufferSize: BUFFER_SIZE, intervalSeconds: BENCH_INTERVAL, flash };
  } finally {
    fs.rmSync(ws.dir, { recursive: true, force: true });
  }
}

/**
 * One run with a broker of its own, the upload made for its port by `makeUpload(port)`. The interpreter's console
 * now and then loses part of an upload typed into it (seen on a loaded machine, and at the first Storage writes):
 * a Storage write then fails, or the firmware never starts, and the run is made again, up to `tries` times in all.
 * `retries` says how many it took.
 */
async function attempt(makeUpload, { bin, offline, offlineReadings, settleMs, timeoutMs, tries = 3 }) {
  let run;
  for (let n = 0; n < tries; n++) {
    const broker = await startBroker();
    // (tries 1: no start of the interpreter again either, for a run whose running out of memory is its result)
    run = await measureRun({ bin, upload: await makeUpload(broker.port), broker, offline, offlineReadings, settleMs, timeoutMs, tries: tries == 1 ? 1 : undefined });
    // an upload the console garbled shows as a firmware that never started, or as a Storage write that failed
    if (run.startup !== null && !run.errors.some((e) => DAMAGED.test(e))) return { ...run, retries: n };
  }
  return { ...run, retries: tries - 1 };
}
