// Minifying for the device: terser with the options Espruino needs, the source's `_fields` shortened and the names
// the REPL knows kept, the bundle's top level made globals with short `$` names, its constants written in where
// they are used, and an exported function's calls of itself made through module.exports.
import * as acorn from 'acorn';
import { childNodes } from './syntax.mjs';

/**
 * The source's own fields are named `_likeThis` (src/runtime/publisher.ts says why): the minifier shortens those
 * names, and only those, so every name a user types at the REPL or reads in the README stays as written.
 */
export const INTERNAL_NAME = /^_[A-Za-z]/;

/**
 * Names the shortening of `_fields` never gives and never shortens, both of Espruino's MQTT module, on whose client
 * the writer puts fields of its own: `C`, where the module keeps its constants (MQTT.prototype.C; a field of ours of
 * that name hid them, and the client lost every connection at once), and `_scktClosed`, the module's method that the
 * writer calls for a dead link (src/net/mqtt-adapter.ts), which looks like one of our `_fields`.
 */
export const RESERVED_NAMES = ['C', '_scktClosed'];

/**
 * The runtime's classes, as the REPL knows them: the bundle's top-level variables of those names keep them, and
 * are the globals a user types (one name apiece on the device, where a short name plus a global copy made two).
 */
export const REPL_NAMES = ['Publisher', 'SensorPub', 'Scheduler', 'Output', 'Tsl2591', 'MQTTWriter'];

/**
 * The names the bundle's own top-level functions and variables get: `$a`, `$b` … `$a1` … Our code runs at the top
 * level, not inside a wrapping function: each function made inside one keeps a link to that function's scope, one
 * device variable apiece (about 60 for the firmware). At the top level they become globals, so they start with `$`,
 * which neither Espruino's globals nor a name typed at the REPL use. Short: up to 4 characters fit one variable.
 */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const globalName = (n) => '$' + LETTERS[n % LETTERS.length] + (n >= LETTERS.length ? Math.floor(n / LETTERS.length) - 1 : '');

/**
 * Minifies ES5. `internalNames`: shorten the `_likeThis` properties. `global`: the code runs at the top level (see
 * globalName); otherwise its top-level names stay inside whatever wraps it. `steps`: the code is a module's steps made
 * one function (scripts/firmware/fuse-steps.mjs), minified as written: no function put in place of its call (terser
 * 5.51 puts a function's call of itself with constant arguments in place as a function made there, and loses the
 * function's name), and no assignment dropped as unused (a variable let go of before a flash read, say).
 */
export async function minifyES5(code, { internalNames = true, global = false, nameCache, constants, steps = false } = {}) {
  const { minify } = await import('terser');
  const format = { ecma: 5, ascii_only: true };
  const out = await minify(code, {
    ecma: 5,
    toplevel: true,
    // lhs_constants: false, so `e == "up"` is not turned round (see stringLedStatement)
    compress: { passes: 3, unsafe_math: false, pure_getters: true, lhs_constants: false, global_defs: constants, ...(steps ? { inline: false, unused: false } : {}) },
    mangle: internalNames ? { reserved: REPL_NAMES, properties: { regex: INTERNAL_NAME, reserved: RESERVED_NAMES } } : { reserved: REPL_NAMES },
    format,
    // shared by the firmware and its own modules: a `_field` then has the same short name in both
    nameCache
  });
  if (!global) return out.code;
  // out of its wrapping function: the top-level names become `$` names, then locals get the shortest names again
  const body = /^!function\(\)\{([\s\S]*)\}\(\);?$/.exec(out.code);
  if (!body) throw new Error('the minified bundle is not one wrapped function');
  const unwrapped = await minify(body[1], { ecma: 5, compress: false, mangle: { toplevel: true, reserved: REPL_NAMES, nth_identifier: { get: globalName } }, format });
  return (await minify(unwrapped.code, { ecma: 5, compress: false, mangle: { toplevel: false }, format })).code;
}

/**
 * A bundle's top-level constants (`const NAME = literal`, the name in capitals) taken out of its code, to be written
 * in where they are used (terser's global_defs): every top-level name costs device RAM, for as long as a module is
 * loaded, and for good in the firmware, whose top-level names are globals on the device (see globalName). Terser
 * alone writes a constant in only where that makes the code shorter, and would keep, say, a two-digit address used
 * six times as a variable. The top level is the program's, or that of the one function a bundle of the `iife`
 * format is wrapped in. A name in capitals that is assigned anywhere is not a constant, and stays.
 * Returns { code without them, constants: { NAME: value } }.
 */
export function moduleConstants(code) {
  const constants = {};
  let out = code;
  const program = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  const wrapped = program.body.length == 1 && program.body[0].type == 'ExpressionStatement' && program.body[0].expression;
  const top = wrapped && wrapped.type == 'CallExpression' && wrapped.callee.type == 'FunctionExpression' ? wrapped.callee.body.body : program.body;
  const assigned = new Set();
  (function collect(node) {
    const target = node.type == 'AssignmentExpression' ? node.left : node.type == 'UpdateExpression' ? node.argument : null;
    if (target && target.type == 'Identifier') assigned.add(target.name);
    childNodes(node).forEach(collect);
  })(program);
  // a literal, or a negative number
  const literal = (e) => (e.type == 'Literal' && !e.regex) || (e.type == 'UnaryExpression' && e.operator == '-' && e.argument.type == 'Literal' && typeof e.argument.value == 'number');
  const valueOf = (e) => (e.type == 'Literal' ? e.value : -e.argument.value);
  const isConstant = (d) => /^[A-Z][A-Z0-9_]*$/.test(d.id.name) && d.init && literal(d.init) && !assigned.has(d.id.name);
  for (const node of top.slice().reverse()) {
    if (node.type != 'VariableDeclaration' || !node.declarations.every(isConstant)) continue;
    for (const d of node.declarations) constants[d.id.name] = valueOf(d.init);
    out = out.slice(0, node.start) + out.slice(node.end);
  }
  return { code: out, constants };
}

/**
 * A module that exports one function calling itself by its name (the minifier makes `module.exports=function e(…)
 * {… e(…) …}` of an exported function declaration), rewritten to call itself through `module.exports`: on
 * Espruino a function's own name costs two variables for as long as the module is loaded. Where the name is
 * declared again inside (a catch's `e`, say), a use there is the other variable and stays. Other code comes back
 * as it is; a `module` declared anywhere inside is refused.
 */
export function anonymousExport(code, what) {
  const program = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  const isExports = (n) => n.type == 'MemberExpression' && !n.computed && n.object.name == 'module' && n.property.name == 'exports';
  const statement = program.body.find((n) => n.type == 'ExpressionStatement' && n.expression.type == 'AssignmentExpression' && isExports(n.expression.left));
  const fn = statement && statement.expression.right;
  if (!fn || fn.type != 'FunctionExpression' || !fn.id) return code;
  const name = fn.id.name, uses = [];
  // the names a function declares for all of its body: its parameters, its `var`s, its inner function declarations
  const declaredIn = (f) => {
    const names = new Set(f.params.map((p) => p.name));
    (function collect(node) {
      if (node.type == 'VariableDeclarator') names.add(node.id.name);
      if (node.type == 'FunctionDeclaration') return names.add(node.id.name);
      if (!/Function/.test(node.type)) childNodes(node).forEach(collect);
    })(f.body);
    if (f.id && f !== fn && f.type == 'FunctionExpression') names.add(f.id.name);
    return names;
  };
  (function visit(node, parent, shadowed) {
    if (/Function/.test(node.type)) {
      const names = declaredIn(node);
      if (names.has('module')) throw new Error(`${what}: a variable named module inside the exported function`);
      shadowed = shadowed || (node !== fn && names.has(name));
    }
    if (node.type == 'CatchClause') {
      if (node.param.name == 'module') throw new Error(`${what}: a variable named module inside the exported function`);
      return visit(node.body, node, shadowed || node.param.name == name);
    }
    const property = parent && ((parent.type == 'MemberExpression' && parent.property === node && !parent.computed) || (parent.type == 'Property' && parent.key === node));
    if (node.type == 'Identifier' && node.name == name && node !== fn.id && !property && !shadowed) uses.push(node);
    for (const kid of childNodes(node)) visit(kid, node, shadowed);
  })(fn, null, false);
  let out = code;
  for (const use of uses.sort((a, b) => b.start - a.start)) out = out.slice(0, use.start) + 'module.exports' + out.slice(use.end);
  return out.slice(0, fn.start) + 'function' + out.slice(fn.id.end);
}
