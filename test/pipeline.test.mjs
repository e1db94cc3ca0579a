// sensor.filters in the firmware: the build puts in one fused stage for them (nothing without filters: the bundle
// is byte for byte the one without a pipeline), and the flashed bundle, in the simulator on a fake clock,
// publishes what the filters pass, when they pass it, to a real broker; errors and completion pass through.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildWith, subscriber, mosquittoSkip, startMosquitto, runNode, EXAMPLE, ROOT } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { runClock } from './fault-rig.mjs';

const OPS = ['map', 'filter', 'select', 'take', 'skip', 'slidingMean', 'onChange', 'throttle', 'debounce', 'batch', 'timeout', 'heartbeat', 'clamp', 'range', 'round'];

/** src/main.ts as it was before the pipeline: its four pipeline lines taken back out. */
function mainWithoutPipeline() {
  const main = fs.readFileSync(path.join(ROOT, 'src/main.ts'), 'utf8');
  const undo = [
    [/^import \{ pipeline, endPipeline \} from 'luxgraph:pipeline';\n/m, ''],
    [/^ *endPipeline\(\);\n/m, ''],
    [/\(CONFIG\.pipeline\.console == 'filtered' \? pipeline\(pub\) : pub\)\.subscribe\(new Output\(\)\);/, 'pub.subscribe(new Output());'],
    [/pipeline\(pub\)\.subscribe\(L\.writer\);/, 'pub.subscribe(L.writer);']
  ];
  let code = main;
  for (const [line, by] of undo) {
    assert.match(code, line, 'src/main.ts has its pipeline line');
    code = code.replace(line, by);
  }
  // written next to nothing: its imports point back at src/
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-'));
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, code.replace(/from '\.\/(\S+)'/g, (_, p) => `from '${path.relative(dir, path.join(ROOT, 'src', p))}'`));
  return file;
}

test('without filters the bundle is byte for byte the one without a pipeline, whatever sensor.console says', async () => {
  const plain = await buildWith({}, { entry: mainWithoutPipeline() });
  const none = await buildWith();
  assert.equal(none.code, plain.code);
  assert.equal((await buildWith({ sensor: { filters: [], console: 'filtered' } })).code, plain.code);
});

test('the filters are one fused stage: no runtime operator in the bundle, none chainable', async () => {
  const { debug, code } = await buildWith({ sensor: { filters: [{ slidingMean: 5 }, { onChange: '10%' }, { heartbeat: 60 }] } });
  const functions = OPS.filter((name) => new RegExp(`function ${name}\\(`).test(debug));
  assert.deepEqual(functions, [], 'no operator function: the stage applies the filters inline');
  assert.doesNotMatch(debug, /\bOperator\b|\bchain\(/, 'no operator base, nothing made chainable: each costs device RAM');
  assert.match(debug, /function go\(x, at\)/, 'the stage');
  for (const name of OPS) assert.ok(!code.includes(`"${name}"`), `${name} is not installed on the prototype`);
});

test('npm run build prints what each filter adds to the stage, in bytes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'filters-'));
  const config = path.join(dir, 'config.json');
  const filters = [{ slidingMean: 5 }, { clamp: [0, 88000] }, { heartbeat: 60 }];
  fs.writeFileSync(config, JSON.stringify({ ...EXAMPLE, sensor: { ...EXAMPLE.sensor, filters } }));
  const r = runNode(['scripts/build.mjs', '--config', config]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /sensor\.filters: slidingMean 5 → clamp \[0, 88000\] → heartbeat 60 s/);
  const m = /they add (\d+) bytes minified, as one fused stage: slidingMean 5 (\d+) \(with the stage itself\), clamp \[0, 88000\] (\d+), heartbeat 60 s (\d+)/.exec(r.stdout);
  assert.ok(m, r.stdout);
  const [total, ...each] = m.slice(1).map(Number);
  assert.ok(each.every((b) => b > 0), r.stdout);
  assert.equal(each.reduce((a, b) => a + b), total, 'the filters add up to the stage');
  assert.doesNotMatch(r.stdout, /in this bundle/, 'no runtime operator in the bundle');
});

test('repl.allOperators: every operator chainable from the REPL, and the configured pipeline still runs', async () => {
  const built = await buildWith({ sensor: { filters: [{ round: 0 }] }, repl: { allOperators: true } });
  const clock = new FakeClock();
  const device = createDevice({ board: built.board, timers: clock, light: { lux: 1234.5 }, log: () => {} });
  device.load(built);
  for (const name of OPS) assert.equal(device.eval(`typeof Publisher.prototype.${name}`), 'function', name);
  device.eval('var got = []; LuxGraph.source.slidingMean(2).clamp(0, 1000).subscribe(function (x) { got.push(x[2]); });');
  clock.advance(4100);
  assert.deepEqual([...new Set(device.eval('got'))], [1000], 'the hand-made chain ran');
  device.stop();
});

const builds = new Map();
/** buildWith, once per config in this file. */
const build = (config) => {
  const key = JSON.stringify(config);
  if (!builds.has(key)) builds.set(key, buildWith(config));
  return builds.get(key);
};

/**
 * The firmware with `sensor` settings on a fake clock against a real broker; the light is `lux(seconds)`.
 * Returns { device, clock, sub, lines, run(ms), arrived() ([seconds after the first, lux] at the broker) }.
 */
async function filteredDevice({ host, port }, sensor, lux) {
  const built = await build({ sensor: { id: 'lux-1', intervalSeconds: 0.5, ...sensor }, mqtt: { diagnosticsSeconds: 0 } });
  const { board } = built;
  const sub = await subscriber({ host, port, topic: 'test-topic' });
  const clock = new FakeClock();
  const lines = [];
  const device = createDevice({ board, broker: { host, port }, timers: clock, log: (l) => lines.push(l) });
  const start = clock.now();
  device.sensor.lux = (ms) => lux((ms - start) / 1000);
  device.load(built);
  return {
    device,
    clock,
    sub,
    lines,
    run(ms) {
      return runClock(clock, ms);
    },
    arrived() {
      // on one clock: a reading asked for before SNTP set the clock is stamped in seconds since boot
      const all = sub.messages.map((m) => JSON.parse(m.text)).map(([id, ts, v]) => [id, ts < 1e9 ? ts + start / 1000 : ts, v]);
      // to the second: readings 0.5 s apart have milliseconds, a heartbeat's repeat whole seconds
      return all.map(([, ts, v]) => [Math.round(ts - all[0][1]), Math.round(v)]);
    },
    async close() {
      device.stop();
      await sub.close();
    }
  };
}

/** A step of light: 100 lux for 3 s, then 150. */
const step = (s) => (s < 3 ? 100 : 150);

async function changesAndHeartbeat(broker) {
  const d = await filteredDevice(broker, { filters: [{ onChange: '10%' }, { heartbeat: 2 }], console: 'filtered' }, step);
  try {
    await d.run(8200);
    // the first reading, repeated after 2 s without a change, the step at once, then repeated every 2 s
    assert.deepEqual(d.arrived(), [[0, 100], [2, 100], [3, 150], [5, 150], [7, 150]], JSON.stringify(d.sub.messages));
    const printed = d.lines.filter((l) => l.startsWith("('lux-1'"));
    assert.equal(printed.length, 5, `sensor.console "filtered": the console prints what is published: ${printed}`);

    // an error of the sensor's stream passes through both filters to the console; nothing is published after it
    d.device.eval("LuxGraph.source.error(new Error('sensor gone'))");
    await d.run(5000);
    assert.ok(d.lines.includes('error: sensor gone'), d.lines.join('\n'));
    assert.equal(d.sub.messages.length, 5, 'no heartbeat after the error');
  } finally {
    await d.close();
  }
}

test('end to end through aedes: onChange 10% then heartbeat 2 s, what arrives and when; an error passes through', async () => {
  const broker = await startBroker();
  try {
    await changesAndHeartbeat(broker);
  } finally {
    await broker.close();
  }
});

test('end to end through mosquitto: onChange 10% then heartbeat 2 s', { skip: mosquittoSkip() ?? false }, async () => {
  const mosq = await startMosquitto();
  try {
    await changesAndHeartbeat({ host: '127.0.0.1', port: mosq.port });
  } finally {
    await mosq.stop();
  }
});

test('end to end through aedes: take completes the pipeline after 3 readings, the console says so, the raw console goes on', async () => {
  const broker = await startBroker();
  const d = await filteredDevice(broker, { filters: [{ round: 0 }, { take: 3 }] }, () => 284.5);
  try {
    await d.run(4000);
    assert.deepEqual(d.sub.messages.map((m) => JSON.parse(m.text)[2]), [285, 285, 285], 'three readings, rounded to whole lux');
    // sensor.console "raw" (the default): the console goes on with every reading; the completion stays in the pipeline
    assert.ok(d.lines.filter((l) => l.startsWith("('lux-1'")).length >= 7, d.lines.join('\n'));
    assert.ok(!d.lines.includes('completed'));
  } finally {
    await d.close();
    await broker.close();
  }
});

test('LuxGraph.stop() ends the pipeline: no heartbeat timer is left running', async () => {
  const built = await buildWith({ sensor: { filters: [{ heartbeat: 1 }], console: 'filtered' } });
  const clock = new FakeClock();
  const device = createDevice({ board: built.board, timers: clock, log: () => {} });
  device.load(built);
  clock.advance(3000);
  device.eval('LuxGraph.stop()');
  const printed = device.lines.length;
  clock.advance(10000);
  assert.deepEqual(device.lines.slice(printed), [], 'nothing printed after the stop');
  assert.equal(device.pendingTimers(), 0, 'no timer left');
  device.stop();
});
