// The build's transform that makes a module's functions one (scripts/firmware/fuse-steps.mjs): on small modules,
// the fused module gives the same results as the module it came from, keeps one function, and refuses what it
// cannot make one.
import test from 'node:test';
import assert from 'node:assert/strict';
import * as acorn from 'acorn';
import { fuseSteps } from '../scripts/firmware/fuse-steps.mjs';

/** What a CommonJS module's code exports, run in a function of its own. */
function load(code) {
  const module = { exports: {} };
  new Function('module', 'exports', code)(module, module.exports);
  return module.exports;
}

const STEPS = `
function parse(line) { var comma = line.indexOf(','); return comma < 0 ? false : [+line.slice(0, comma), +line.slice(comma + 1)]; }
function total(host, text) {
  var sum = 0, lines = text.split(';'), i;
  for (i = 0; i < lines.length; i++) { var reading = parse(lines[i]); if (reading) sum += reading[1]; else host.bad++; }
  return sum;
}
function scaled(host, text, factor) { return total(host, text) * factor; }
function journal(host, work) {
  var i = 0;
  if (work == 'sum') return total(host, host.text);
  if (work == 'double') return scaled(host, host.text, 2);
  try { return parse(host.text)[i]; } catch (e) { return 'no ' + e.name; }
}
module.exports = journal;
`;

test('the fused module gives what its functions gave, through one function whose second parameter picks the step', () => {
  const fused = fuseSteps(STEPS, 'module x');
  const before = load(STEPS), after = load(fused);
  for (const [text, work] of [['1,2;3,4;oops', 'sum'], ['1,2;3,4', 'double'], ['5,6', 'first'], ['', 'first']]) {
    const a = { text, bad: 0 }, b = { text, bad: 0 };
    assert.deepEqual(after(b, work), before(a, work), `${work} of ${JSON.stringify(text)}`);
    assert.equal(b.bad, a.bad, 'the same counted on the host');
  }
  // one function at the top level: the exported one, with its two parameters and then as many as the steps take
  // beyond their first (scaled's two)
  const body = acorn.parse(fused, { ecmaVersion: 5 }).body;
  assert.equal(body.length, 1);
  assert.equal(body[0].expression.right.type, 'FunctionExpression');
  assert.deepEqual(body[0].expression.right.params.map((p) => p.name), ['host', 'work', 'arg', 'arg$1']);
  // a step's call is a call of that function with the step's number after its first argument
  assert.match(fused, /journal\(host, 1, host\.text\)/);
  assert.match(fused, /journal\(host, 2, host\.text, 2\)/);
  assert.match(fused, /journal\(lines\[i\], 0\)/, "parse's line is the function's first parameter");
  assert.doesNotMatch(fused, /\b(parse|total|scaled)\(/);
});

test("a name two functions declare is renamed in one of them, so each branch declares its own", () => {
  const fused = fuseSteps(STEPS, 'module x');
  // `i` of total and of journal, `e` kept for the catch
  assert.match(fused, /var i\$1 = 0/);
  assert.match(fused, /sum = 0, lines = arg\.split/, "total's text is the function's third parameter");
});

test('a step called without arguments gets a placeholder first argument', () => {
  const fused = fuseSteps('function now() { return 7 } function journal(host, work) { return now() + 1 } module.exports = journal;', 'module x');
  assert.match(fused, /journal\(0, 0\)/);
  assert.equal(load(fused)({}, 'any'), 8);
});

test('anything but functions at the top level is refused, with what it is', () => {
  assert.throws(() => fuseSteps('var cache = {}; function journal(host) { return cache } module.exports = journal;', 'module x'), /^Error: module x: a VariableDeclaration at its top level \(var cache = \{\};/);
  assert.throws(() => fuseSteps('function journal(host) { return 1 } exports.a = journal;', 'module x'), /^Error: module x: a ExpressionStatement at its top level/);
  assert.throws(() => fuseSteps('function a(h) { return 1 } function journal(host) { return [a] } module.exports = journal;', 'module x'), /^Error: module x: journal uses the function a other than by calling it$/);
  assert.throws(() => fuseSteps('function a(h) { return function () { return h } } function journal(host) { return a(host) } module.exports = journal;', 'module x'), /^Error: module x: a has a function inside it$/);
  assert.throws(() => fuseSteps('function a(h) { return this } function journal(host) { return a(host) } module.exports = journal;', 'module x'), /^Error: module x: a uses this$/);
});

const SHARED = `
function walk(host, limit) {
  var taken = 0;
  while (limit ? taken < limit : host.queue.length < host.room) {
    if (host.flashBroken) throw new Error('flash');
    if (!host.flash.length) break;
    var item = host.flash.shift();
    if (limit) {
      host.dropped.push(item);
      taken++;
    } else host.queue.push(item);
  }
  return taken;
}
function add(host, item) {
  if (host.flash.length >= host.max) host.log.push('dropped ' + walk(host, 2));
  host.flash.push(item);
}
function journal(host, work) {
  host.log.push(work);
  var before = host.queue.length;
  try {
    if (work == 'add') {
      for (var i = 0; i < host.incoming.length; i++) add(host, host.incoming[i]);
      host.incoming = [];
    }
    if (work == 'fill')
      do {
        /*@__INLINE__*/ walk(host, 0);
        host.log.push('walked');
      } while (host.again && host.again--);
  } catch (e) {
    host.log.push('fault ' + e.message);
  }
  return host.queue.length - before;
}
module.exports = journal;
`;

test("a step shared at its marked call: the exported function's own way runs it there, another step's call goes straight there, and its faults are its caller's", () => {
  const fused = fuseSteps(SHARED, 'module x');
  // walk has no branch of its own: its body is in the exported function's, where the fill called it
  assert.doesNotMatch(fused, /if \(work == 0\) \{\n/);
  assert.match(fused, /if \(work != 0\) arg = 0;/);
  assert.match(fused, /catch \(e\) \{ if \(work == 0\) throw e;/);
  const host = () => ({ queue: [], flash: [], dropped: [], log: [], room: 3, max: 4, incoming: [1, 2, 3, 4, 5, 6], again: 1 });
  const before = load(SHARED), after = load(fused);
  const runs = [
    ['add', 'fill', 'fill'],
    ['add', 'add', 'fill'],
    // a fault in the walk the batch asks for: said once, by the exported function's own catch
    ['add', (h) => (h.flashBroken = true), 'add', 'fill']
  ];
  for (const works of runs) {
    const a = host(), b = host();
    const results = (h, f) => works.map((w) => (typeof w == 'function' ? w(h) : f(h, w)));
    assert.deepEqual(results(b, after), results(a, before), works.join());
    assert.deepEqual(b, a, works.join());
  }
});

test('a step shared where Espruino could not leave it without a label, or through a finally, is refused', () => {
  const early = SHARED.replace('  return taken;', '  if (taken) return taken;\n  host.none = 1;\n  return 0;');
  assert.throws(() => fuseSteps(early, 'module x'), /^Error: module x: walk is shared but returns where the rest of it would run on/);
  const finallyToo = SHARED.replace("} catch (e) {\n    host.log.push('fault ' + e.message);\n  }", "} finally {\n    host.log.push('end');\n  }");
  assert.throws(() => fuseSteps(finallyToo, 'module x'), /^Error: module x: walk is shared inside a try with a finally, or a catch/);
});
