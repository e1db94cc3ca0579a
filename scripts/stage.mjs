// The configured filters as ONE fused stage of ES5 code, which the module `luxgraph:pipeline` (scripts/pipeline.mjs)
// puts in the firmware: a single Publisher whose onNext, `go(x)`, applies the filters in order inline, with each
// filter's state in a few globals and no operator, closure or subscription per filter. Each filter's semantics are
// those of its runtime operator (src/runtime/ops), which test/stage.test.mjs checks against the operators chained,
// for what the firmware feeds it: a SensorPub's readings (never undefined, their values numbers or NaN). Only where
// the firmware cannot tell does it differ: it stays attached to the source until it ends, where an operator also
// detaches when its last subscriber leaves (nothing unsubscribes from the firmware's pipeline).
//
// Device RAM is why: each operator is a publisher with its own subscribers, closures and prototype functions (three
// filters cost 210 variables at peak on the Espruino interpreter); the stage keeps two functions, one object and
// its state (the same three: 49).
//
// How `go(x, at)` runs: from the source `at` is undefined and every filter runs; filter j runs when `at` is
// undefined or at most j. A filter's timer calls go(undefined, j), its tick (a heartbeat repeats, a debounce sends
// what waited), or go() when it is the only timer (a timer's arguments cost device variables; the source never
// sends undefined); take passes an event on with go(x, j + 0.5) (the filters after j, as usual).

const VALUE = '(x instanceof Array ? x[2] : x)'; // the value of a [id, ts, value] event, or the event itself
const WITH_V = 'x = x instanceof Array ? [x[0], x[1], v] : v;'; // the event with value v, a new one (others hold x)
const lit = (a) => (a < 0 ? `(${a})` : String(a));

/** Whether filter `name` has a timer (its state `t<j>`, cleared when the stage ends). */
const TIMED = new Set(['heartbeat', 'debounce']);
const timed = (filters) => filters.flatMap((f, j) => (TIMED.has(f.name) ? [j] : []));

/** Filter j's timer armed for `s` seconds: go's tick for j, with j as an argument unless it is the only timer. */
const arm = (filters, j, s) => `t${j} = setTimeout(go, ${s * 1000}${timed(filters).length > 1 ? `, undefined, ${j}` : ''});`;

/**
 * Each filter: `state(j, args)`, its globals set when a stage is made (declared by `vars`), and `step(j, args,
 * filters)`, its code inside go(): it may change x (v, m, c, i are scratch), or return to pass nothing on.
 */
const FUSED = {
  slidingMean: {
    vars: ['w', 'k'],
    // the window as a ring: a plain array takes two device variables per number, a Float64Array about 0.7, plus 8
    // the first time the firmware names Float64Array; so a plain array up to 7 readings (the same doubles)
    state: (j, [n]) => `w${j} = ${n <= 7 ? `[${Array(n).fill(0).join(', ')}]` : `new Float64Array(${n})`}; k${j} = 0;`,
    step: (j, [n]) =>
      `w${j}[k${j}++ % ${n}] = ${VALUE}; c = k${j} < ${n} ? k${j} : ${n};` +
      ` for (m = 0, i = 0; i < c; i++) m += w${j}[i]; v = Math.round((m / c) * 1e4) / 1e4; ${WITH_V}`
  },
  onChange: {
    vars: ['l', 'k'], // the last value passed; k: whether there is one
    state: (j) => `k${j} = 0;`,
    step: (j, [d, relative]) =>
      `v = ${VALUE}; if (k${j} && (v === l${j} || Math.abs(v - l${j}) < ${lit(d)}${relative ? ` * Math.abs(l${j})` : ''})) return;` +
      ` k${j} = 1; l${j} = v;`
  },
  throttle: {
    vars: ['t'], // when the last event passed
    state: (j) => `t${j} = undefined;`,
    step: (j, [s]) => `v = getTime(); if (t${j} !== undefined && !(v - t${j} >= ${s})) return; t${j} = v;`
  },
  heartbeat: {
    // the timer (0 for none: Espruino refuses clearTimeout(undefined)); of the last event, whether it is an array,
    // its id and its value: all a repeat needs, in fewer device variables than the event
    vars: ['t', 'a', 'n', 'h'],
    state: (j) => `t${j} = 0;`,
    // its tick: the last event again, as of now; armed before passing on, as the operator does
    step: (j, [s], filters) =>
      `if (at === ${j}) x = a${j} ? [n${j}, Math.round(getTime()), h${j}] : h${j};` +
      ` else { a${j} = x instanceof Array; n${j} = a${j} && x[0]; h${j} = a${j} ? x[2] : x; }` +
      ` clearTimeout(t${j}); ${arm(filters, j, s)}`
  },
  debounce: {
    vars: ['t', 'w'], // the timer; [the waiting event] or 0
    state: (j) => `t${j} = 0; w${j} = 0;`,
    // its tick (and the flush at completion) sends what waits; an event waits, restarting the quiet time
    step: (j, [s], filters) =>
      `if (at === ${j}) { v = w${j}; clearTimeout(t${j}); w${j} = 0; if (!v) return; x = v[0]; }` +
      ` else { clearTimeout(t${j}); w${j} = [x]; ${arm(filters, j, s)} return; }`
  },
  clamp: {
    vars: [],
    step: (j, [min, max]) => `v = ${VALUE}; if (v < ${lit(min)} || v > ${lit(max)}) { v = v < ${lit(min)} ? ${lit(min)} : ${lit(max)}; ${WITH_V} }`
  },
  range: {
    vars: [],
    step: (j, [min, max]) => `v = ${VALUE}; if (!(v >= ${lit(min)} && v <= ${lit(max)})) return;`
  },
  round: {
    vars: [],
    step: (j, [decimals]) => `v = Math.round(${VALUE} * ${Math.pow(10, decimals)}) / ${Math.pow(10, decimals)}; ${WITH_V}`
  },
  skip: { vars: ['k'], state: (j) => `k${j} = 0;`, step: (j, [n]) => `if (k${j}++ < ${n}) return;` },
  take: {
    vars: ['k'],
    state: (j) => `k${j} = 0;`,
    // the n-th event passes on, then the stage completes: the debounces after take send what waits first
    step: (j, [n], filters) => `if (k${j}++ < ${n}) go(x, ${j + 0.5}); if (k${j} >= ${n}) { ${flushes(filters, j)}out.complete(); } return;`
  }
};

/** The debounces after filter `after` sending what waits, in order, as a completion does. */
function flushes(filters, after) {
  return filters.map((f, j) => (j > after && f.name == 'debounce' ? `go(0, ${j}); ` : '')).join('');
}

/**
 * The stage's ES5 code for filters [{ name, args }] (at least one), using a `Publisher` in scope and defining
 * `pipeline(pub)` and `endPipeline()` as src/types/pipeline.d.ts describes them.
 */
export function stageCode(filters) {
  if (!filters.length) throw new Error('a stage needs at least one filter');
  const vars = filters.flatMap((f, j) => FUSED[f.name].vars.map((v) => v + j));
  const timers = timed(filters);
  const state = filters.map((f, j) => (FUSED[f.name].state ? FUSED[f.name].state(j, f.args) : '')).filter(Boolean);
  const completed = flushes(filters, -1);
  const lines = [
    `var src, out${vars.map((v) => ', ' + v).join('')};`,
    // the filters in order; `this` is not used, as a timer calls it too
    'function go(x, at) {',
    '  var v, m, c, i;',
    ...(timers.length == 1 ? [`  if (x === undefined) at = ${timers[0]};`] : []),
    ...filters.map((f, j) => `  if (!(at > ${j})) { ${FUSED[f.name].step(j, f.args, filters)} }`),
    '  out.next(x);',
    '}',
    // however the stage ends (an error, a completion, take, endPipeline()): timers stop, it leaves the source; its
    // arguments (the error, or completed set) go on as they came, unnamed: each parameter of a kept function is a device variable
    'function end() {',
    '  if (!this._subscribers) return;',
    ...timers.map((j) => `  clearTimeout(t${j});` + (filters[j].name == 'debounce' ? ` w${j} = 0;` : '')),
    '  if (src._subscribers) src._subscribers = src._subscribers.filter(function (s) { return s._subscriber !== out; });',
    '  Publisher.prototype.error.apply(this, arguments);',
    '}',
    // the source's completion: what waits in a debounce is sent first
    ...(completed ? [`function fin() { ${completed}out.complete(); }`] : []),
    // made once per source: the console and the writer may both subscribe to it
    'function pipeline(pub) {',
    '  if (src !== pub) {',
    '    src = pub;',
    ...state.map((s) => '    ' + s),
    '    out = new Publisher();',
    '    out.onNext = go;',
    '    out.error = end;',
    '    out.onError = end;',
    `    out.onCompleted = ${completed ? 'fin' : 'out.complete'};`,
    '    pub.subscribe(out);',
    '  }',
    '  return out;',
    '}',
    // the firmware's stop
    'function endPipeline() {',
    '  if (out) out.complete();',
    '}'
  ];
  return lines.join('\n') + '\n';
}
