// sensor.filters, sensor.console and repl.allOperators are checked like the rest of the config: an unknown filter,
// a wrong argument, and a filter that could never pass anything are refused with the field and what is expected.
import test from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE } from './helpers.mjs';
import { validateConfig, ConfigError } from '../scripts/config/index.mjs';

/** The problems for the example config with these sensor settings (none: []). */
function problems(sensor, more = {}) {
  try {
    validateConfig({ ...EXAMPLE, sensor: { ...EXAMPLE.sensor, ...sensor }, ...more });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}
const filters = (...list) => problems({ filters: list });

test('a good pipeline is accepted, in order, with the operator arguments the build writes', () => {
  const { firmware } = validateConfig({
    ...EXAMPLE,
    sensor: { ...EXAMPLE.sensor, filters: [{ slidingMean: 5 }, { onChange: '10%' }, { onChange: 3 }, { throttle: 60 }, { clamp: [0, 40000] }, { round: 1 }, { heartbeat: 300 }] }
  });
  assert.deepEqual(
    firmware.pipeline.filters.map((f) => [f.name, f.args]),
    [['slidingMean', [5]], ['onChange', [0.1, 1]], ['onChange', [3]], ['throttle', [60]], ['clamp', [0, 40000]], ['round', [1]], ['heartbeat', [300]]]
  );
  assert.equal(firmware.pipeline.console, 'raw', 'the console prints the raw readings by default');
  assert.equal(firmware.pipeline.allOperators, false);
  assert.equal(firmware.sensor.filters, undefined, "the driver's options (baked in whole) do not carry the filters");
});

test('an unknown filter names the nearest one and lists them all', () => {
  assert.deepEqual(filters({ throttle: 60 }, { onChnage: 10 }), [
    'sensor.filters[1]: onChnage is not a filter: did you mean onChange? the filters are slidingMean, onChange, throttle, debounce, heartbeat, clamp, range, round, skip, take'
  ]);
  assert.match(filters({ map: 1 })[0], /^sensor\.filters\[0\]: map is not a filter: the filters are slidingMean, /);
});

test('the list and each item have their shape', () => {
  assert.deepEqual(problems({ filters: { throttle: 60 } }), ['sensor.filters: must be a list such as [{"slidingMean": 5}, {"onChange": "10%"}, {"heartbeat": 300}]']);
  assert.deepEqual(filters('throttle'), ['sensor.filters[0]: must be one filter such as {"throttle": 60}, got "throttle"']);
  assert.deepEqual(filters({ throttle: 60, round: 1 }), ['sensor.filters[0]: must be one filter such as {"throttle": 60}, got {"throttle":60,"round":1}']);
});

test('wrong argument types and ranges say what is expected', () => {
  const cases = [
    [{ slidingMean: 0 }, 'sensor.filters[0].slidingMean: must be a whole number of readings from 1 to 60, e.g. 5, got 0'],
    [{ slidingMean: 2.5 }, 'sensor.filters[0].slidingMean: must be a whole number of readings from 1 to 60, e.g. 5, got 2.5'],
    [{ slidingMean: '5' }, 'sensor.filters[0].slidingMean: must be a whole number of readings from 1 to 60, e.g. 5, got "5"'],
    [{ onChange: -1 }, 'sensor.filters[0].onChange: must be a change in lux of 0 or more, e.g. 10, or a percentage of the last value passed, e.g. "10%", got -1'],
    [{ onChange: '10' }, 'sensor.filters[0].onChange: must be a change in lux of 0 or more, e.g. 10, or a percentage of the last value passed, e.g. "10%", got "10"'],
    [{ throttle: 0 }, 'sensor.filters[0].throttle: must be seconds, more than 0 and at most 86400, e.g. 60, got 0'],
    [{ throttle: -5 }, 'sensor.filters[0].throttle: must be seconds, more than 0 and at most 86400, e.g. 60, got -5'],
    [{ heartbeat: 'often' }, 'sensor.filters[0].heartbeat: must be seconds, more than 0 and at most 86400, e.g. 300, got "often"'],
    [{ clamp: 5 }, 'sensor.filters[0].clamp: must be [min, max] in lux, e.g. [0, 40000], got 5'],
    [{ round: 7 }, 'sensor.filters[0].round: must be a whole number of decimals from 0 to 4, e.g. 1, got 7'],
    [{ take: 0 }, 'sensor.filters[0].take: must be a whole number of readings from 1 to 100000, e.g. 100 (take 0 would pass nothing), got 0']
  ];
  for (const [f, message] of cases) assert.deepEqual(filters(f), [message]);
});

test('a filter that could never pass anything is refused, saying why', () => {
  assert.deepEqual(filters({ range: [500, 100] }), ['sensor.filters[0].range: range [500, 100] could never pass anything: min 500 is above max 100']);
  assert.deepEqual(filters({ clamp: [10, 1] }), ['sensor.filters[0].clamp: clamp [10, 1] could never pass anything: min 10 is above max 1']);
  assert.deepEqual(filters({ range: [-10, -1] }), ['sensor.filters[0].range: range [-10, -1] could never pass anything: the values reaching it are 0 lux or more']);
  assert.deepEqual(filters({ clamp: [0, 100] }, { range: [200, 300] }), [
    'sensor.filters[1].range: range [200, 300] could never pass anything: the values reaching it are within [0, 100]'
  ]);
  // readings every 2 s (the example's sensor.intervalSeconds) each restart a debounce of 2 s or more
  assert.deepEqual(filters({ debounce: 5 }), [
    'sensor.filters[0].debounce: debounce 5 s could never pass anything: it waits for 5 s without a reading, but readings reach it at least every 2 s (sensor.intervalSeconds): use less than 2 s, or put it after onChange'
  ]);
  assert.deepEqual(filters({ slidingMean: 3 }, { throttle: 7 }, { debounce: 8 }), [
    'sensor.filters[2].debounce: debounce 8 s could never pass anything: it waits for 8 s without a reading, but readings reach it at least every 8 s: use less than 8 s, or put it after onChange'
  ]);
  assert.deepEqual(filters({ heartbeat: 1 }, { onChange: 5 }, { heartbeat: 30 }, { debounce: 40 }).length, 1, 'a heartbeat keeps readings coming');
  // what can pass
  assert.deepEqual(filters({ debounce: 1.5 }), []);
  assert.deepEqual(filters({ onChange: '5%' }, { debounce: 10 }), [], 'after onChange the readings can pause');
  assert.deepEqual(filters({ range: [0, 0] }), [], 'darkness passes');
  assert.deepEqual(filters({ clamp: [100, 100] }, { range: [100, 200] }), []);
});

test('sensor.console and repl.allOperators', () => {
  assert.deepEqual(problems({ console: 'both' }), ['sensor.console: must be "raw" (print every reading) or "filtered" (print what is published), got "both"']);
  assert.equal(validateConfig({ ...EXAMPLE, sensor: { console: 'filtered' } }).firmware.pipeline.console, 'filtered');
  assert.deepEqual(problems({}, { repl: { allOperators: 'yes' } }), ['repl.allOperators: must be true or false, got "yes"']);
  assert.deepEqual(problems({}, { repl: 1 }), ['repl: must be an object']);
  assert.equal(validateConfig({ ...EXAMPLE, repl: { allOperators: true } }).firmware.pipeline.allOperators, true);
});
