// The build's transform that puts a step in place of its one call marked /*@__INLINE__*/
// (scripts/firmware/inline-steps.mjs): on small modules, the same results with the step's body where its call was,
// its names apart from the caller's, and what cannot be put in place refused.
import test from 'node:test';
import assert from 'node:assert/strict';
import { inlineSteps } from '../scripts/firmware/inline-steps.mjs';

/** The function `name` of `code`, run. */
const run = (code, name) => new Function(`${code}\nreturn ${name};`)();

const SETTLE = `
function journal(host) {
  var left = 100;
  var done = /*@__INLINE__*/ settle(host, left);
  if (done) /*@__INLINE__*/ finish(host);
  else host.log.push('left ' + left);
  host.doubled = /*@__INLINE__*/ twice(left);
  return done;
}
function settle(host, limit) {
  var left = host.queued, i;
  if (left)
    for (i = 0; ; i++) {
      if (i >= limit) return 'over';
      if (i >= left) return left < 2;
      host.log.push(i);
    }
  else return true;
}
function finish(host) {
  if (host.queued) host.log.push('finished');
  else {
    host.log.push('empty');
    return;
  }
}
function twice(n) { return n * 2; }
`;

test('a step marked @__INLINE__ is put in place of its call: the same results, the step gone', () => {
  const inlined = inlineSteps(SETTLE, 'module x');
  assert.doesNotMatch(inlined, /function (settle|finish|twice)\b/);
  assert.doesNotMatch(inlined, /\b(settle|finish|twice)\(/);
  for (const queued of [0, 1, 3]) {
    const a = { queued, log: [] }, b = { queued, log: [] };
    assert.equal(run(inlined, 'journal')(b), run(SETTLE, 'journal')(a), `queued ${queued}`);
    assert.deepEqual(b, a);
  }
});

test("the step's names apart from the caller's, its returns the caller's variable (no label: Espruino has none), an expression step its expression", () => {
  const inlined = inlineSteps(SETTLE, 'module x');
  // settle's own `left` is not the caller's; its `limit` is the caller's `left` itself (a name it never assigns)
  assert.match(inlined, /var left\$1 = host\.queued/);
  assert.match(inlined, /if \(i >= left\) \{ done = 'over'; break; \}/);
  assert.match(inlined, /if \(i >= left\$1\) \{ done = left\$1 < 2; break; \}/);
  // a return with nothing after it needs no break
  assert.match(inlined, /else \{ done = true; \}/);
  assert.match(inlined, /host\.doubled =\s+\(left \* 2\)/);
  assert.doesNotMatch(inlined, /@__INLINE__/);
});

test('an argument that is not a name or a literal, or that the step assigns, becomes a variable', () => {
  const code = 'function f(h) { var n = /*@__INLINE__*/ g(h.a + 1, h.b); h.n = n; } function g(x, y) { y = y || 5; return x * y; }';
  const inlined = inlineSteps(code, 'module x');
  assert.match(inlined, /var x = h\.a \+ 1, y = h\.b;/);
  const h = { a: 2, b: 0 };
  run(inlined, 'f')(h);
  assert.equal(h.n, 15);
});

test('what cannot be put in place is refused, with why', () => {
  const twiceCalled = 'function f(h) { /*@__INLINE__*/ g(h); g(h); } function g(h) { h.n++; }';
  assert.throws(() => inlineSteps(twiceCalled, 'module x'), /^Error: module x: g is marked @__INLINE__ in f but called in more than one place \(only the exported function may share a step\)$/);
  // Espruino's parser has no labels: a return must leave nothing of the step to run but what a break leaves
  const returnsEarly = 'function f(h) { /*@__INLINE__*/ g(h); } function g(h) { if (h.a) return; h.b++; }';
  assert.throws(() => inlineSteps(returnsEarly, 'module x'), /^Error: module x: g returns where the rest of it would run on once put in place/);
  const inExpression = 'function f(h) { return 1 + /*@__INLINE__*/ g(h); } function g(h) { h.n++; return h.n; }';
  const expressionStepOfAnExpression = 'function f(h) { return /*@__INLINE__*/ g(h.n + 1); } function g(n) { return n * n; }';
  assert.throws(() => inlineSteps(expressionStepOfAnExpression, 'module x'), /^Error: module x: g is put in place with a name or a literal for each argument$/);
  assert.throws(() => inlineSteps(inExpression, 'module x'), /^Error: module x: g is put in place of a statement/);
  const notAStep = 'function f(h) { /*@__INLINE__*/ h.g(); }';
  assert.throws(() => inlineSteps(notAStep, 'module x'), /^Error: module x: a call marked @__INLINE__ in f is not of one of the module's functions$/);
  const globalShadowed = 'function f(h) { var log = 1; /*@__INLINE__*/ g(h); } function g(h) { log(h); }';
  assert.throws(() => inlineSteps(globalShadowed, 'module x'), /g uses log, which f declares as its own/);
  // unmarked calls stay calls
  assert.equal(inlineSteps('function f(h) { g(h); } function g(h) { h.n++; }', 'module x'), 'function f(h) { g(h); } function g(h) { h.n++; }');
});
