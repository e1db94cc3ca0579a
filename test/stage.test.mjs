// The fused stage (scripts/firmware/stage.mjs) against the runtime operators it stands for: the same filters, the same events
// at the same fake-clock times, in two simulated devices; what each passes on, when, its error or completion, the
// timers it leaves and whether it still listens to the source must be the same. Random filter lists and event scripts (fast-check), then cases spelled out.
import test from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runtimeBundle, plain } from './runtime-device.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { stageCode } from '../scripts/firmware/stage.mjs';
import { readFilter } from '../scripts/firmware/filter-source.mjs';
import { inlineFilter } from '../scripts/firmware/inline-filter.mjs';
import { FILTERS } from '../scripts/config/filters.mjs';

/** A filter as the build gets it from the config: { name, args }. */
const filter = (name, arg) => ({ name, args: FILTERS[name].args ? FILTERS[name].args(arg) : [arg] });

/**
 * Runs `script` through `filters` in a fresh device: with `fused`, the stage's pipeline(); otherwise the runtime
 * operators chained. Script steps: { next: lux } (a reading [id, now, lux]; NaN as a saturated one), { wait: ms },
 * and last, maybe, 'complete', 'error' or 'end' (the firmware's stop: endPipeline(), or complete() on the last
 * operator as the module did before the stage). Returns what the subscriber got, by clock time, the timers left and the source's subscribers.
 */
async function run(filters, script, fused) {
  // the readable bundle: the stage's code is not minified here, so it uses the runtime's names as written
  const { debug, board } = await runtimeBundle();
  const clock = new FakeClock();
  const device = createDevice({ board, timers: clock, log: () => {} });
  device.load(debug);
  const { Publisher, ops } = device.context;
  const src = new Publisher();
  let out, end;
  if (fused) {
    const stage = device.eval(`(function (Publisher) {\n${stageCode(filters)}return { pipeline: pipeline, endPipeline: endPipeline };\n})(Publisher)`);
    out = stage.pipeline(src);
    end = () => stage.endPipeline();
  } else {
    out = filters.reduce((pub, f) => ops[f.name](pub, ...f.args), src);
    end = () => out.complete();
  }
  const t0 = clock.now(), at = () => clock.now() - t0, got = [];
  out.subscribe({
    onNext: (x) => got.push([at(), plain(x)]),
    onError: (e) => got.push([at(), 'error: ' + e.message]),
    onCompleted: () => got.push([at(), 'completed'])
  });
  const reading = device.eval('(function (lux) { return ["lux-1", Math.round(getTime()), lux]; })');
  for (const step of script) {
    if (step.wait !== undefined) clock.advance(step.wait);
    else if (step.next !== undefined) src.next(reading(step.next));
    else if (step == 'complete') src.complete();
    else if (step == 'error') src.error(device.eval("new Error('sensor gone')"));
    else if (step == 'end') end();
  }
  clock.advance(30_000); // what the timers still do once the script is over
  const timers = clock.pending(), attached = src._subscribers ? src._subscribers.length : 'ended';
  device.stop();
  return { got, timers, attached };
}

/** Both ways, compared. */
async function same(filters, script) {
  const [operators, stage] = [await run(filters, script, false), await run(filters, script, true)];
  assert.deepEqual(stage, operators, `filters ${JSON.stringify(filters)}, script ${JSON.stringify(script)}`);
  return stage;
}

const seconds = fc.integer({ min: 1, max: 5 });
const pairOf = fc.tuple(fc.integer({ min: -10, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([a, b]) => [Math.min(a, b) * 5, Math.max(a, b) * 5]);
/** Each filter's argument, as a config gives it. */
const ARGS = {
  slidingMean: fc.integer({ min: 1, max: 10 }), // a plain array up to 7, a Float64Array above
  onChange: fc.oneof(fc.integer({ min: 0, max: 8 }).map((n) => n * 5), fc.constantFrom('0%', '10%', '25%', '50%', '100%', '12.5%')),
  throttle: seconds,
  heartbeat: seconds,
  debounce: seconds,
  clamp: pairOf,
  range: pairOf,
  round: fc.integer({ min: 0, max: 3 }),
  skip: fc.integer({ min: 1, max: 4 }),
  take: fc.integer({ min: 1, max: 6 })
};
const anyFilter = fc.oneof(...Object.entries(ARGS).map(([name, arg]) => arg.map((a) => filter(name, a))));
const step = fc.oneof(
  // steps of 5 lux mostly, so that a change exactly at a threshold or a bound comes up; NaN: a saturated reading
  {
    weight: 3,
    arbitrary: fc
      .oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 60 }).map((n) => n * 5) }, { weight: 3, arbitrary: fc.double({ min: 0, max: 300, noNaN: true }) }, { weight: 1, arbitrary: fc.constant(NaN) })
      .map((lux) => ({ next: lux }))
  },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 7000 }).map((ms) => ({ wait: ms })) }
);
const ending = fc.constantFrom([], ['complete'], ['error'], ['end']);

test('random filter lists and event scripts: the stage passes on what the operators pass on, when they do, and ends as they do', async () => {
  assert.deepEqual(Object.keys(ARGS).sort(), Object.keys(FILTERS).sort(), 'every filter sensor.filters offers is tried');
  await runtimeBundle();
  await fc.assert(
    fc.asyncProperty(fc.array(anyFilter, { minLength: 1, maxLength: 4 }), fc.array(step, { maxLength: 25 }), ending, (filters, script, last) =>
      same(filters, [...script, ...last]).then(() => {})
    ),
    { numRuns: 150 }
  );
});

test('the bench pipeline (slidingMean 5 → clamp → heartbeat 60): means, a clamped one, repeats as of now, an error stops the timer', async () => {
  const filters = [filter('slidingMean', 5), filter('clamp', [0, 250]), filter('heartbeat', 60)];
  const { got, timers } = await same(filters, [{ next: 100 }, { wait: 1000 }, { next: 200 }, { wait: 1000 }, { next: 900 }, { wait: 125_000 }, 'error']);
  assert.deepEqual(got, [
    [0, ['lux-1', 0, 100]],
    [1000, ['lux-1', 1, 150]],
    [2000, ['lux-1', 2, 250]], // the mean, 400, clamped
    [62_000, ['lux-1', 62, 250]], // repeated with the time of the repeat
    [122_000, ['lux-1', 122, 250]],
    [127_000, 'error: sensor gone']
  ]);
  assert.equal(timers, 0);
});

test('debounce then take: the completion sends what waits first; take completes the stage and stops every timer', async () => {
  const waits = await same([filter('onChange', 5), filter('debounce', 2)], [{ next: 10 }, { wait: 500 }, { next: 30 }, 'complete']);
  assert.deepEqual(waits.got, [[500, ['lux-1', 1, 30]], [500, 'completed']]);
  const taken = await same([filter('heartbeat', 1), filter('take', 3), filter('debounce', 5)], [{ next: 7 }, { wait: 3000 }]);
  // the heartbeat's repeats count for take; the third waits in the debounce and is sent at the completion
  assert.deepEqual(taken.got, [[2000, ['lux-1', 2, 7]], [2000, 'completed']]);
  assert.equal(taken.timers, 0);
});

test("endPipeline() (the firmware's stop) ends the stage, its timers and its subscription to the source", async () => {
  const { got, timers } = await same([filter('throttle', 2), filter('heartbeat', 1)], [{ next: 1 }, { wait: 1500 }, { next: 2 }, 'end', { next: 3 }]);
  assert.deepEqual(got, [[0, ['lux-1', 0, 1]], [1000, ['lux-1', 1, 1]], [1500, 'completed']]);
  assert.equal(timers, 0);
});

test("each filter is its operator's own code: constant state written in as a value, the arguments too", () => {
  const code = stageCode([filter('round', 2), filter('clamp', [-5, 100])]);
  assert.match(code, /Math\.round\(\(?x instanceof Array \? x\[2\] : x\)? \* 100\) \/ 100/, code);
  assert.doesNotMatch(code, /scale|\bmin\b|\bmax\b/, 'no variable for what is known when the stage is built');
  assert.match(code, /f1_v < \(-5\)/, code);
});

test('an operator the stage cannot read as a filter is refused, saying why', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'filters-'));
  const stage = { pass: (e) => `go(${e}, 0.5);`, complete: 'out.complete();', restart: () => '' };
  const refused = (source, why) => {
    fs.writeFileSync(path.join(dir, 'odd.ts'), `import { op } from './op';\nimport { value } from './value';\n${source}\n`);
    assert.throws(() => inlineFilter(readFilter('odd', dir), 0, [1], stage), why, source);
  };
  refused('export function odd(src, n) { return op(src, function (x) { return x; }); }', /a step returns nothing: it passes events on with this.next\(e\)/);
  refused('export function odd(src, n) { return op(src, function (x) { var self = this; self.next(x); }); }', /this is only for this.next\(e\)/);
  refused('var count = 0;\nexport function odd(src, n) { return op(src, function (x) { count++; this.next(x); }); }', /count: a step may use its own variables, the arguments/);
  refused('export function odd(src, n) { return op(src, function (x) { this.next(x); }, function () {}); }', /fireTimer as the flush or nothing \(a filter has no flush or hook of its own\)/);
  refused('export function odd(src, n) { return op(src, function (x) { [x].forEach(function (y) { x = y; }); this.next(x); }); }', /a function inside a step/);
  refused('export function odd(src, n) { return op(src, function (x) { src.next(x); }); }', /only op\(\) may use the source, src/);
  refused('export function odd(src, n) { return op(src, function (x) { for (var i = 0; i < n; i++) if (x) return; this.next(x); }); }', /a return inside a loop/);
  refused('export function odd(src, n) { return op(src, function (x) { this._restart(n, n); this.next(x); }); }', /this._restart\(seconds, tick\) names the tick/);
  refused('export function odd(src, n) { function a() {} function b() {} return op(src, function (x) { this._restart(n, a); this._restart(n, b); }); }', /every this._restart\(\) restarts the same timer/);
  refused('export function odd(src, n) { function a() { this._restart(2 * n, a); } return op(src, function (x) { this._restart(n, a); }); }', /the same at each this._restart\(\)/);
  refused('export function odd(src, n) { function a() {} return op(src, function (x) { this.next(x); }); }', /a: a function declared in the operator is its step or its timer's tick/);
  refused('export function odd(src, n) { console.log(n); return op(src, function (x) { this.next(x); }); }', /before its return, only var declarations/);
  refused('export function odd(src, n) { return op(src, function (x) { var n = 2; this.next(x); }); }', /n is declared again inside a step/);
  fs.rmSync(dir, { recursive: true, force: true });
});
