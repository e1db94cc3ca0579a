// Operators cost nothing unless used: a bundle ships exactly the operators its graph imports, and the build
// reports what each part of the firmware costs.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { buildWith, runNode, ROOT } from './helpers.mjs';
import { partSizes } from '../scripts/firmware/part-sizes.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';

const OPS = ['map', 'filter', 'select', 'take', 'skip', 'slidingMean', 'onChange', 'throttle', 'debounce', 'batch', 'timeout', 'heartbeat', 'clamp', 'range', 'round'];
/**
 * The operators a minified bundle installs: each operator file makes itself chainable under its name, which the
 * minifier keeps either as a string or, once it inlines the call, as a prototype assignment.
 */
const shipped = (code) => OPS.filter((name) => code.includes(`"${name}"`) || code.includes(`.${name}=function`));
const fixture = (name) => path.join(ROOT, 'test/fixtures', name);

test('a graph without operators ships none; one that chains map ships map and nothing else', async () => {
  const plain = await buildWith({}, { entry: fixture('graph-plain.ts') });
  const withMap = await buildWith({}, { entry: fixture('graph-map.ts') });
  assert.deepEqual(shipped(plain.code), []);
  assert.doesNotMatch(plain.debug, /function op\(/, 'no operator base either');
  assert.deepEqual(shipped(withMap.code), ['map']);
  assert.match(withMap.debug, /function op\(/);
  assert.match(withMap.debug, /function map\(/);
  assert.ok(withMap.sizes.minified > plain.sizes.minified);

  // and the map really runs on the device: sensor value 1, doubled
  const clock = new FakeClock();
  const device = createDevice({ board: withMap.board, timers: clock, log: () => {} });
  device.load(withMap.code);
  clock.advance(2000);
  assert.deepEqual(device.lines, ['2', '2', '2']);
});

test("the firmware's own graph ships no operator", async () => {
  const { code } = await buildWith();
  assert.deepEqual(shipped(code), []);
});

test('part sizes: the core, the operator and timer bases, every operator, the driver, the network and control, every operator within its 300-byte budget', async () => {
  const parts = await partSizes();
  const names = parts.map((p) => p.part);
  const opFiles = fs.readdirSync(path.join(ROOT, 'src/runtime/ops')).filter((f) => !['op.ts', 'timed.ts', 'value.ts'].includes(f));
  assert.deepEqual(names, [
    'runtime core',
    'operator base (ops/op)',
    'timer base (ops/timed)',
    ...opFiles.map((f) => 'operator ' + f.slice(0, -3)).sort(),
    'driver src/sensors',
    'network src/net',
    'control src/control'
  ]);
  for (const { part, bytes } of parts) {
    assert.ok(Number.isInteger(bytes) && bytes > 40, `${part}: ${bytes} bytes`);
    if (part.startsWith('operator ') && part != 'operator base (ops/op)') assert.ok(bytes <= 300, `${part} is ${bytes} bytes minified, over the 300-byte budget`);
  }
});

test('npm run build -- --sizes prints the size table, and without --sizes says how to get it', () => {
  const plain = runNode(['scripts/build.mjs', '--config', path.join(ROOT, 'config.example.json')]);
  assert.equal(plain.status, 0, plain.stderr);
  assert.doesNotMatch(plain.stdout, /runtime core/);
  assert.match(plain.stdout, /npm run build -- --sizes adds what each part/);
  const r = runNode(['scripts/build.mjs', '--config', path.join(ROOT, 'config.example.json'), '--sizes']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /runtime core +\d+ bytes/);
  assert.match(r.stdout, /operator sliding-mean +\d+ bytes/);
  assert.match(r.stdout, /driver src\/sensors +\d+ bytes/);
  assert.match(r.stdout, /network src\/net +\d+ bytes/);
});
