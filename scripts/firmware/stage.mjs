// The configured filters as ONE fused stage of ES5 code, which the module `luxgraph:pipeline` (scripts/firmware/pipeline.mjs)
// puts in the firmware: a single Publisher whose onNext, `go(x)`, applies the filters in order inline, with each
// filter's state in a few globals and no operator, closure or subscription per filter. Each filter's code is its
// runtime operator's own (src/runtime/ops), inlined by scripts/firmware/inline-filter.mjs: one definition, which
// test/stage.test.mjs also runs both ways, for what the firmware feeds it: a SensorPub's readings (never undefined,
// their values numbers or NaN). Only where the firmware cannot tell does the stage differ: it stays attached to the
// source until it ends, where an operator also detaches when its last subscriber leaves (nothing unsubscribes from
// the firmware's pipeline).
//
// Device RAM is why: each operator is a publisher with its own subscribers, closures and prototype functions; the
// stage keeps two functions, one object and its state (docs/filters.md has the figures).
//
// How `go(x, at)` runs: from the source `at` is undefined and every filter runs; filter j runs when `at` is
// undefined or at most j. A filter's timer calls go(undefined, j), its tick, or go() when it is the only timer (a
// timer's arguments cost device variables; the source never sends undefined); a completion runs a pending tick
// with go(0, j); a filter that passes an event on before it is done (take, before it completes) does so with
// go(e, j + 0.5): the filters after j, as usual.
import { readFilter } from './filter-source.mjs';
import { inlineFilter } from './inline-filter.mjs';

/**
 * The stage's ES5 code for filters [{ name, args }] (at least one), using a `Publisher` in scope and defining
 * `pipeline(pub)` and `endPipeline()` as src/types/pipeline.d.ts describes them.
 */
export function stageCode(filters) {
  if (!filters.length) throw new Error('a stage needs at least one filter');
  const defs = filters.map((f) => readFilter(f.name));
  const timers = defs.flatMap((d, j) => (d.tick ? [j] : []));
  // a completion: the filters after `after` whose pending tick it runs first (debounce sends what waits), in order
  const flushes = (after) => defs.map((d, j) => (j > after && d.completionFires ? `if (f${j}_timer) { clearTimeout(f${j}_timer); go(0, ${j}); } ` : '')).join('');
  const parts = defs.map((d, j) =>
    inlineFilter(d, j, filters[j].args, {
      pass: (e) => `go(${e}, ${j + 0.5});`,
      complete: `{ ${flushes(j)}out.complete(); }`,
      // with its own j as an argument unless it is the only timer
      restart: (timer, ms) => `${timer} = setTimeout(go, ${ms}${timers.length > 1 ? `, undefined, ${j}` : ''});`
    })
  );
  const completed = flushes(-1);
  const lines = [
    `var src, out${parts.flatMap((p) => p.vars).map((v) => ', ' + v).join('')};`,
    // the filters in order; `this` is not used, as a timer calls it too
    'function go(x, at) {',
    ...(parts.some((p) => p.locals.length) ? [`  var ${parts.flatMap((p) => p.locals).join(', ')};`] : []),
    ...(timers.length == 1 ? [`  if (x === undefined) at = ${timers[0]};`] : []),
    ...parts.map((p, j) => `  if (!(at > ${j})) { ${p.tick ? `if (at === ${j}) { ${p.timer} = 0; ${p.tick} } else { ${p.step} }` : p.step} }`),
    '  out.next(x);',
    '}',
    // however the stage ends (an error, a completion, take, endPipeline()): timers stop, it leaves the source; its
    // arguments (the error, or completed set) go on as they came, unnamed: each parameter of a kept function is a device variable
    'function end() {',
    '  if (!this._subscribers) return;',
    ...parts.filter((p) => p.timer).map((p) => `  clearTimeout(${p.timer});`),
    '  if (src._subscribers) src._subscribers = src._subscribers.filter(function (s) { return s._subscriber !== out; });',
    '  Publisher.prototype.error.apply(this, arguments);',
    '}',
    // the source's completion: a pending tick that sends what waits runs first
    ...(completed ? [`function fin() { ${completed}out.complete(); }`] : []),
    // made once per source: the console and the writer may both subscribe to it
    'function pipeline(pub) {',
    '  if (src !== pub) {',
    '    src = pub;',
    ...parts.flatMap((p) => p.init).map((s) => '    ' + s),
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
