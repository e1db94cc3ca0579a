// The filters sensor.filters may name, in order between the sensor and the MQTT writer: each is the runtime operator
// of its name (src/runtime/ops), is checked here with its argument, and the build inlines those operators' code into
// one stage (scripts/firmware/stage.mjs).
import { nearest } from './keys.mjs';
import { DEFAULTS } from '../lib/defaults.mjs';

const isNum = (a) => typeof a == 'number' && isFinite(a);
const whole = (min, max) => (a) => Number.isInteger(a) && a >= min && a <= max;
const seconds = (a) => isNum(a) && a > 0 && a <= 86400;
const pair = (a) => Array.isArray(a) && a.length == 2 && a.every(isNum);
const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;
// the same rules as JSON Schema, for config.schema.json (scripts/config/schema.mjs)
const integer = (minimum, maximum) => ({ type: 'integer', minimum, maximum });
const SECONDS = { type: 'number', exclusiveMinimum: 0, maximum: 86400 };
const PAIR = { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2, maxItems: 2, items: false };

/**
 * Each filter: what its argument must be, a check, the same check as JSON Schema, and the operator's arguments
 * after the source (the filter's `args` in the build).
 */
export const FILTERS = {
  slidingMean: { want: 'a whole number of readings from 1 to 60, e.g. 5', ok: whole(1, 60), schema: integer(1, 60) },
  onChange: {
    want: 'a change in lux of 0 or more, e.g. 10, or a percentage of the last value passed, e.g. "10%"',
    ok: (a) => (isNum(a) && a >= 0) || (typeof a == 'string' && PERCENT.test(a)),
    schema: { anyOf: [{ type: 'number', minimum: 0 }, { type: 'string', pattern: PERCENT.source }] },
    // "10%" is the relative form: onChange(0.1, 1)
    args: (a) => (typeof a == 'string' ? [+PERCENT.exec(a)[1] / 100, 1] : [a])
  },
  throttle: { want: 'seconds, more than 0 and at most 86400, e.g. 60', ok: seconds, schema: SECONDS },
  debounce: { want: 'seconds, more than 0 and at most 86400, e.g. 10', ok: seconds, schema: SECONDS },
  heartbeat: { want: 'seconds, more than 0 and at most 86400, e.g. 300', ok: seconds, schema: SECONDS },
  clamp: { want: '[min, max] in lux, e.g. [0, 40000]', ok: pair, schema: PAIR, args: (a) => a },
  range: { want: '[min, max] in lux, e.g. [0.1, 40000]', ok: pair, schema: PAIR, args: (a) => a },
  round: { want: 'a whole number of decimals from 0 to 4, e.g. 1', ok: whole(0, 4), schema: integer(0, 4) },
  skip: { want: 'a whole number of readings from 1 to 100000, e.g. 3', ok: whole(1, 100000), schema: integer(1, 100000) },
  take: { want: 'a whole number of readings from 1 to 100000, e.g. 100 (take 0 would pass nothing)', ok: whole(1, 100000), schema: integer(1, 100000) }
};

/** A filter as people read it: `onChange 10%`, `throttle 60 s`, `clamp [0, 40000]`. */
export function describe({ name, arg }) {
  const unit = ['throttle', 'debounce', 'heartbeat'].includes(name) ? ' s' : '';
  return `${name} ${Array.isArray(arg) ? `[${arg.join(', ')}]` : arg}${unit}`;
}

/**
 * Checks a config's sensor.filters; `bad(field, want)` gets each problem. Besides each filter's own argument, it
 * follows what reaches each filter, to refuse one that could never pass anything: a range no value can fall in
 * (after a clamp, or below 0 lux), or a debounce whose quiet time the readings never leave it.
 * Returns [{ name, arg, args }] for the build.
 */
export function checkFilters(list, intervalSeconds, bad) {
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    bad('sensor.filters', 'must be a list such as [{"slidingMean": 5}, {"onChange": "10%"}, {"heartbeat": 300}]');
    return [];
  }
  const out = [];
  // what reaches the next filter: values within [lo, hi] lux, and at most `gap` seconds apart (Infinity: unknown)
  let lo = 0, hi = Infinity, gap = intervalSeconds;
  list.forEach((item, i) => {
    const at = `sensor.filters[${i}]`;
    const keys = item !== null && typeof item == 'object' && !Array.isArray(item) ? Object.keys(item) : [];
    if (keys.length != 1) return bad(at, `must be one filter such as {"throttle": 60}, got ${JSON.stringify(item)}`);
    const [name] = keys, arg = item[name], f = FILTERS[name];
    if (!Object.hasOwn(FILTERS, name)) {
      const near = nearest(name, Object.keys(FILTERS));
      return bad(at, `${name} is not a filter: ${near ? `did you mean ${near}? ` : ''}the filters are ${Object.keys(FILTERS).join(', ')}`);
    }
    if (!f.ok(arg)) return bad(`${at}.${name}`, `must be ${f.want}, got ${JSON.stringify(arg)}`);
    const never = (why) => bad(`${at}.${name}`, `${describe({ name, arg })} could never pass anything: ${why}`);
    if ((name == 'clamp' || name == 'range') && arg[0] > arg[1]) return never(`min ${arg[0]} is above max ${arg[1]}`);
    if (name == 'range' && (arg[1] < lo || arg[0] > hi))
      return never(`the values reaching it are ${hi == Infinity ? `${lo} lux or more` : `within [${lo}, ${hi}]`}`);
    if (name == 'debounce' && arg >= gap)
      return never(
        `it waits for ${arg} s without a reading, but readings reach it at least every ${gap} s` +
          (gap == intervalSeconds ? ' (sensor.intervalSeconds)' : '') +
          `: use less than ${gap} s, or put it after onChange`
      );
    // clamp and round move each value, in order; range keeps those within
    const move = { clamp: (v) => Math.min(Math.max(v, arg[0]), arg[1]), round: (v) => Math.round(v * 10 ** arg) / 10 ** arg }[name];
    if (move) [lo, hi] = [move(lo), move(hi)];
    if (name == 'range') [lo, hi] = [Math.max(lo, arg[0]), Math.min(hi, arg[1])];
    if (['onChange', 'range', 'debounce'].includes(name)) gap = Infinity;
    // a throttle passes the first reading at least `arg` seconds after the last one it passed
    if (name == 'throttle' && gap < Infinity) gap = gap * Math.ceil(arg / gap - 1e-9);
    if (name == 'heartbeat') gap = Math.min(gap, arg);
    out.push({ name, arg, args: f.args ? f.args(arg) : [arg] });
  });
  return out;
}

/**
 * The pipeline part of the firmware config, from the raw config: { filters, console, allOperators }; `bad(field,
 * want)` gets each problem.
 */
export function pipelineConfig(raw, intervalSeconds, bad) {
  const sensor = raw.sensor && typeof raw.sensor == 'object' ? raw.sensor : {};
  const repl = raw.repl && typeof raw.repl == 'object' ? raw.repl : {};
  const printed = sensor.console === undefined ? DEFAULTS.sensor.console : sensor.console;
  if (printed != 'raw' && printed != 'filtered')
    bad('sensor.console', `must be "raw" (print every reading) or "filtered" (print what is published), got ${JSON.stringify(printed)}`);
  if (repl.allOperators !== undefined && typeof repl.allOperators != 'boolean') bad('repl.allOperators', `must be true or false, got ${JSON.stringify(repl.allOperators)}`);
  if (raw.repl !== undefined && (typeof raw.repl != 'object' || raw.repl === null || Array.isArray(raw.repl))) bad('repl', 'must be an object');
  return { filters: checkFilters(sensor.filters, intervalSeconds, bad), console: printed, allOperators: repl.allOperators === true };
}
