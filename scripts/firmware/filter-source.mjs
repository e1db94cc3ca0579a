// A filter's one definition is its runtime operator (src/runtime/ops/<file>.ts). This reads that operator, as the
// TypeScript pass of the build makes it ES5, for the fused stage (scripts/firmware/stage.mjs), which inlines its parts
// (scripts/firmware/inline-filter.mjs); it also checks that the operator is written in the form that allows it:
//
//   export function name(src, ...args) {
//     var state = initial, …;                  // the filter's state, its initial values from the arguments
//     function tick() { … }                     // the tick of its timer, if it has one
//     return op(src, function (x) { … });       // its step; op(src, step, fireTimer) where completion runs the
//   }                                           // tick that waits (ops/timed)
//
// The step (and a timer's tick) run with the operator as `this`: this.next(e) passes e on, this.complete() ends
// the stream, this._restart(seconds, tick) restarts the timer (src/runtime/ops/timed.ts). They may use their own
// variables, the arguments, the state, the module's constants, the functions of ops/value.ts and Espruino's
// globals; nothing else.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as acorn from 'acorn';
import { ROOT } from '../lib/paths.mjs';
import { childNodes } from './syntax.mjs';

const OPS = path.join(ROOT, 'src/runtime/ops');
/** The helpers a step may call, each inlined where it is called: the file of ops/ that has them. */
const HELPERS_FILE = 'value';
const require = createRequire(import.meta.url);

/** Whether `node` is `this.<method>(…)`. */
export const isThisCall = (node, method) =>
  node.type == 'CallExpression' && node.callee.type == 'MemberExpression' && !node.callee.computed &&
  node.callee.object.type == 'ThisExpression' && node.callee.property.name == method;

/** Where an Identifier node names a variable (not a property after a dot or an object literal's key). */
export const isReference = (node, parent) =>
  !(parent && ((parent.type == 'MemberExpression' && parent.property === node && !parent.computed) || (parent.type == 'Property' && parent.key === node && !parent.computed)));

/** A file of src/runtime/ops (or of `dir`), by name without `.ts`, as ES5 and its syntax tree. */
const parsed = new Map();
export function opsModule(base, dir = OPS) {
  const file = path.join(dir, base + '.ts');
  const source = fs.readFileSync(file, 'utf8');
  const hit = parsed.get(file);
  if (hit && hit.source === source) return hit;
  const ts = require('typescript');
  const options = { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.ESNext, removeComments: true };
  const code = ts.transpileModule(source, { compilerOptions: options, fileName: file }).outputText;
  const program = acorn.parse(code, { ecmaVersion: 2020, sourceType: 'module' });
  const imports = new Map(), constants = new Map(), functions = new Map(), declared = new Set();
  for (const node of program.body) {
    if (node.type == 'ImportDeclaration')
      for (const s of node.specifiers) imports.set(s.local.name, { from: path.basename(node.source.value), name: s.imported ? s.imported.name : 'default' });
    const declaration = node.type == 'ExportNamedDeclaration' ? node.declaration : node;
    if (declaration && declaration.type == 'FunctionDeclaration') functions.set(declaration.id.name, declaration);
    if (declaration && declaration.type == 'VariableDeclaration')
      for (const d of declaration.declarations) {
        declared.add(d.id.name);
        if (d.init && d.init.type == 'Literal' && !d.init.regex) constants.set(d.id.name, d.init.value);
      }
  }
  for (const name of assignedNames(program)) constants.delete(name);
  const module = { file, source, code, program, imports, constants, functions, declared, rel: path.relative(ROOT, file) };
  parsed.set(file, module);
  return module;
}

/** Every name assigned (=, +=, ++ …) anywhere under `node`. */
export function assignedNames(node, names = new Set()) {
  const target = node.type == 'AssignmentExpression' ? node.left : node.type == 'UpdateExpression' ? node.argument : null;
  if (target && target.type == 'Identifier') names.add(target.name);
  for (const kid of childNodes(node)) assignedNames(kid, names);
  return names;
}

/**
 * The helpers of ops/value.ts: name → { params, body } for each function whose body is one `return expression`
 * (a call to one is that expression, its parameters replaced by the call's arguments).
 */
export function helpers() {
  const m = opsModule(HELPERS_FILE), out = new Map();
  for (const [name, fn] of m.functions) {
    const [only] = fn.body.body;
    if (fn.body.body.length != 1 || only.type != 'ReturnStatement' || !only.argument)
      throw new Error(`${m.rel}: ${name} must be one return statement, to be inlined into the fused stage`);
    // written in where it is called: it may use its parameters and Espruino's globals, nothing of its module
    (function check(node, parent) {
      if (node.type == 'Identifier' && isReference(node, parent) && (m.declared.has(node.name) || m.functions.has(node.name) || m.imports.has(node.name)))
        throw new Error(`${m.rel}: ${name} uses ${node.name}; to be inlined into the fused stage it may use only its parameters and globals`);
      childNodes(node).forEach((kid) => check(kid, node));
    })(only.argument, null);
    out.set(name, { params: fn.params.map((p) => p.name), body: only.argument, code: m.code, rel: m.rel });
  }
  return out;
}

/** The file of `dir` whose operator is named `name`. */
function fileOf(name, dir) {
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort())
    if (new RegExp(`^export function ${name}\\b`, 'm').test(fs.readFileSync(path.join(dir, f), 'utf8'))) return path.basename(f, '.ts');
  throw new Error(`no operator ${name} in ${path.relative(ROOT, dir)}`);
}

/**
 * Filter `name` as its operator defines it: { name, module, params (the arguments' names), state ([{ name, init }],
 * init a syntax node or null), step and tick (function nodes; tick null without a timer), seconds (the syntax node
 * of each this._restart(seconds, tick)), completionFires (its flush is fireTimer), functions (the names of those
 * declared in the operator), fail (throws, saying what is wrong) }. Throws where the operator is not in the form above. `dir`: where the operators are (src/runtime/ops; the
 * helpers are always its value.ts).
 */
export function readFilter(name, dir = OPS) {
  const module = opsModule(fileOf(name, dir), dir);
  const fail = (why) => {
    throw new Error(`${module.rel}: ${name} is not in the form the fused stage reads (scripts/firmware/filter-source.mjs): ${why}`);
  };
  const fn = module.functions.get(name);
  if (!fn || fn.params.some((p) => p.type != 'Identifier')) fail('an exported function with plain parameters');
  const [src, ...params] = fn.params.map((p) => p.name);
  const state = [], local = new Map();
  const body = fn.body.body;
  body.slice(0, -1).forEach((node) => {
    if (node.type == 'VariableDeclaration') for (const d of node.declarations) state.push({ name: d.id.name, init: d.init });
    else if (node.type == 'FunctionDeclaration') local.set(node.id.name, node);
    else fail('before its return, only var declarations (the state) and function declarations');
  });
  const made = body.length && body[body.length - 1].type == 'ReturnStatement' && body[body.length - 1].argument;
  const maker = made && made.type == 'CallExpression' && made.callee.type == 'Identifier' && module.imports.get(made.callee.name);
  if (!(maker && maker.from == 'op' && maker.name == 'op')) fail('it must end with return op(src, step) or op(src, step, fireTimer)');
  const [source, stepNode, flush, ...more] = made.arguments;
  if (!source || source.type != 'Identifier' || source.name != src) fail(`op() takes the source, ${src}, first`);
  const flushed = flush && flush.type == 'Identifier' && module.imports.get(flush.name);
  if (more.length || (flush && !(flushed && flushed.from == 'timed' && flushed.name == 'fireTimer')))
    fail('op() with a step, and fireTimer as the flush or nothing (a filter has no flush or hook of its own)');
  const step = stepNode && stepNode.type == 'Identifier' ? local.get(stepNode.name) : stepNode && stepNode.type == 'FunctionExpression' ? stepNode : null;
  if (!step) fail('its step must be a function written there or declared in the operator');
  const { tick, seconds } = timerOf(step, local, fail);
  const unused = [...local.values()].filter((f) => f !== step && f !== tick);
  if (unused.length) fail(`${unused[0].id.name}: a function declared in the operator is its step or its timer's tick`);
  if (flush && !tick) fail('fireTimer as the flush, without a timer');
  return { name, module, params, state, step, tick, seconds, completionFires: Boolean(flush), functions: new Set(local.keys()), fail };
}

/**
 * The timer of a step: every this._restart(seconds, tick) in the step and in the tick must name the same tick, a
 * function declared in the operator. Returns { tick (its node, or null), seconds (each call's first argument) }.
 */
function timerOf(step, local, fail) {
  const calls = [];
  const collect = (node) => {
    if (isThisCall(node, '_restart')) calls.push(node);
    childNodes(node).forEach(collect);
  };
  collect(step.body);
  const named = calls.length && calls[0].arguments[1];
  const tick = named && named.type == 'Identifier' ? local.get(named.name) : null;
  if (calls.length && !tick) fail("this._restart(seconds, tick) names the tick, a function declared in the operator");
  if (tick) collect(tick.body);
  for (const call of calls)
    if (call.arguments.length != 2 || call.arguments[1].type != 'Identifier' || call.arguments[1].name != named.name)
      fail(`every this._restart() restarts the same timer: this._restart(seconds, ${named.name})`);
  return { tick, seconds: calls.map((c) => c.arguments[0]) };
}
