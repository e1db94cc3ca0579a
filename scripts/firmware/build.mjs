// The build: TypeScript → ES5, bundled into one self-starting file with the config baked in, minified, with the
// firmware's own modules beside it (buildFirmware). `npm run build` (scripts/build.mjs) runs it on the user's config.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import * as acorn from 'acorn';
import { ROOT, readConfigFile, validateConfig, configTrackedWarnings } from '../config/index.mjs';
import { PIPELINE_ID, pipelineModule } from './pipeline.mjs';
import { DEFAULTS } from '../lib/defaults.mjs';
import { cachedBuild } from '../lib/build-cache.mjs';
import { distDir } from '../lib/paths.mjs';
import { ownActionNames, actionLetters, shortenActions } from './actions.mjs';
import { packStates } from './packed-state.mjs';
import { inlineSteps } from './inline-steps.mjs';
import { fuseSteps } from './fuse-steps.mjs';
import { keepSecretsWhole } from './secret-pieces.mjs';
import { secretValues } from '../cli/redact-stream.mjs';

const SRC = path.join(ROOT, 'src');
/** The firmware's entry: what `npm run build` bundles and `npm run flash` uploads. */
const FIRMWARE_ENTRY = path.join(SRC, 'main.ts');

/**
 * Writes each `CONFIG.a.b` of the source as the literal value from the validated config, and each `DEFAULTS.a.b`
 * as the value from src/defaults.json: the values then live in the code (in flash, once saved) instead of in an
 * object that would take device RAM for good.
 */
export function inlineConfig(code, firmware) {
  return code.replace(/\b(CONFIG|DEFAULTS)((?:\.[A-Za-z_$][\w$]*)+)/g, (whole, name, dotted) => {
    if (name == 'CONFIG' && !firmware) throw new Error(`${whole} in a build without a config`);
    const keys = dotted.slice(1).split('.');
    let v = name == 'CONFIG' ? firmware : DEFAULTS, n = 0;
    // down to a value that is not a section: what follows (`.indexOf(...)` of an array, say) stays code
    for (; n < keys.length && v !== null && typeof v == 'object' && !Array.isArray(v); n++) {
      if (!(keys[n] in v) && (name == 'DEFAULTS' || n < keys.length - 1))
        throw new Error(`${whole}: ${name == 'CONFIG' ? 'the config' : 'src/defaults.json'} has no such field`);
      v = v[keys[n]];
    }
    if (n < keys.length && (v === null || typeof v != 'object')) throw new Error(`${whole}: ${keys.slice(0, n).join('.')} is not a section`);
    return (v === undefined ? 'undefined' : `(${JSON.stringify(v)})`) + keys.slice(n).map((k) => '.' + k).join('');
  });
}

/**
 * Rollup plugin: each .ts file through TypeScript alone (types are checked by `tsc`, not here); a file in `sources`
 * (a Map from its path) as the text given there.
 */
function typescript(ts, firmware, board, sources = new Map()) {
  const compilerOptions = { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.ESNext, noEmitHelpers: true, removeComments: false };
  return {
    name: 'typescript',
    resolveId(id, importer) {
      if (importer && id.startsWith('.')) return path.resolve(path.dirname(importer), id + (id.endsWith('.ts') ? '' : '.ts'));
      return null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      if (sources.has(id)) code = sources.get(id);
      return ts.transpileModule(inlineBoard(inlineConfig(code, firmware), board), { compilerOptions, fileName: id }).outputText;
    }
  };
}

/** Rollup plugin: the module `luxgraph:pipeline`, made from the config's sensor.filters (scripts/firmware/pipeline.mjs). */
function pipelinePlugin(firmware) {
  const id = '\0' + PIPELINE_ID;
  const pipeline = (firmware && firmware.pipeline) || { filters: [] };
  return {
    name: 'pipeline',
    resolveId: (source) => (source === PIPELINE_ID ? id : null),
    load: (source) => (source === id ? pipelineModule(pipeline, operatorFiles().map((f) => path.basename(f, '.ts'))) : null)
  };
}

/**
 * The board's bus and pins, written into the code where BOARD_I2C, BOARD_SDA and BOARD_SCL are used (as the config
 * is): a global variable for each would cost a device variable apiece.
 */
export function inlineBoard(code, board) {
  return code.replace(/\bBOARD_(I2C|SDA|SCL)\b/g, (whole, which) => {
    if (!board) throw new Error(`${whole} in a build without a board`);
    return board[which.toLowerCase()];
  });
}

/** Checks that code parses as ECMAScript 5; throws with the position otherwise. */
export function assertES5(code, what = 'bundle') {
  let ast;
  try {
    ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script', locations: true });
  } catch (e) {
    throw new Error(`${what} is not ES5: ${e.message}`);
  }
  const at = stringLedStatement(ast, code);
  if (at) throw new Error(`${what} has a statement that starts with a string (${at.line}:${at.column}), which Espruino misreads after an if or try block: keep constants on the right of comparisons (terser's lhs_constants: false)`);
  const label = labelIn(ast);
  if (label) throw new Error(`${what} has a label (${label.line}:${label.column}), which Espruino's parser does not know`);
}

/** Where the first labelled statement under `node` is, or null. */
function labelIn(node) {
  if (node.type == 'LabeledStatement') return node.loc.start;
  for (const kid of childNodes(node)) {
    const found = labelIn(kid);
    if (found) return found;
  }
  return null;
}

/**
 * Where a statement that starts with a string literal follows an `if (…) {…}` or a `try` block, or null: Espruino
 * 2v29 evaluates such a statement wrongly (`if (a) {…} "up" == e && f()` never calls f). Terser writes `e == "up"`
 * that way round to gzip better unless told not to. One after a bare block is refused too, to be safe.
 */
function stringLedStatement(node, code) {
  if (!node || typeof node.type != 'string') return null;
  const list = node.type == 'SwitchCase' ? node.consequent : Array.isArray(node.body) ? node.body : null;
  const endsInBlock = (st) => st.type == 'TryStatement' || (st.type == 'IfStatement' && (st.alternate ? endsInBlock(st.alternate) : st.consequent.type == 'BlockStatement')) || st.type == 'BlockStatement';
  if (list)
    for (let i = 1; i < list.length; i++)
      if (list[i].type == 'ExpressionStatement' && /["']/.test(code[list[i].start]) && endsInBlock(list[i - 1])) return list[i].loc.start;
  for (const kid of childNodes(node)) {
    const found = stringLedStatement(kid, code);
    if (found) return found;
  }
  return null;
}

/** The syntax nodes directly under an acorn node. */
const childNodes = (node) => Object.values(node).flatMap((v) => [].concat(v)).filter((c) => c && typeof c.type == 'string');

/**
 * The source's own fields are named `_likeThis` (src/runtime/publisher.ts says why): the minifier shortens those
 * names, and only those, so every name a user types at the REPL or reads in the README stays as written.
 */
export const INTERNAL_NAME = /^_[A-Za-z]/;

/**
 * Short names the shortened `_fields` must never get: Espruino's MQTT module keeps its constants on its client as `C`
 * (MQTT.prototype.C), and the writer puts a field of its own on that client; with that name it hid the module's
 * constants, and the client lost every connection at once.
 */
export const RESERVED_NAMES = ['C'];

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
 * Bundles `entry` (a file, or `{ code }` for a generated entry) into one readable ES5 script for `board`'s pins;
 * `sources` gives the text of files that the build changed (a Map from each file's path).
 */
async function bundleES5(entry, board, firmware, format = 'iife', sources) {
  // loaded here, not at the top, so a config error is reported without waiting for the compiler
  const { default: ts } = await import('typescript');
  const { rollup } = await import('rollup');
  const VIRTUAL = '\0entry';
  const virtual = {
    name: 'virtual-entry',
    resolveId: (id) => (id === VIRTUAL ? id : null),
    load: (id) => (id === VIRTUAL ? entry.code : null)
  };
  const input = typeof entry == 'string' ? entry : VIRTUAL;
  const plugins = [virtual, pipelinePlugin(firmware), typescript(ts, firmware, board, sources)];
  const bundle = await rollup({ input, plugins, treeshake: { moduleSideEffects: true } });
  const { output } = await bundle.generate({ format, generatedCode: 'es5', strict: false, esModule: false });
  await bundle.close();
  return output[0].code;
}

/** The validated example config: the values the part sizes are measured with. */
const example = () => validateConfig(JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8')));

/** The minified code of a generated entry that imports `files` and keeps every export they have. */
export async function keptCode(files, { board, firmware } = example()) {
  const lines = [], names = [];
  files.forEach((file, i) => {
    // (a function with overloads is declared once per signature: one name)
    const exported = [...new Set([...fs.readFileSync(file, 'utf8').matchAll(/^export (?:function|class|var|const|let) (\w+)/gm)].map((m) => m[1]))];
    const local = exported.map((n) => `${n} as _${i}_${n}`);
    lines.push(local.length ? `import { ${local.join(', ')} } from ${JSON.stringify(file)};` : `import ${JSON.stringify(file)};`);
    names.push(...exported.map((n) => `_${i}_${n}`));
  });
  lines.push(`global.x = [${names.join(', ')}];`);
  const letters = actionLetters(await ownActionNames());
  const { code, constants } = moduleConstants(shortenActions(await bundleES5({ code: lines.join('\n') }, board, firmware), letters));
  return minifyES5(code, { constants });
}

const keptSize = async (files) => (await keptCode(files)).length;

const tsFiles = (dir) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort().map((f) => path.join(dir, f)) : [];

/** Every operator's file: one in src/runtime/ops that makes itself chainable (the others, op, timed and value, are shared). */
export const operatorFiles = () =>
  tsFiles(path.join(SRC, 'runtime/ops')).filter((f) => /\bchain\(/.test(fs.readFileSync(f, 'utf8')) && path.basename(f) != 'op.ts');

/**
 * What each part of the firmware costs on the device: minified bytes it adds, with the same terser options as the
 * firmware, over what it builds on (an operator over the core and the operator base, and the timer base if it has a
 * timer; driver and network over the core). Returns [{ part, bytes }]: the runtime core, the operator base, the timer
 * base, each operator, the driver, the network.
 */
export const partSizes = () => cachedBuild({ partSizes: true }, measureParts);

/** The part shared by the operators with a timer (heartbeat, debounce). */
export const TIMER_BASE = 'timer base (ops/timed)';

async function measureParts() {
  const runtime = path.join(SRC, 'runtime'), opsDir = path.join(runtime, 'ops');
  const core = ['publisher', 'sensor-pub', 'scheduler', 'output'].map((n) => path.join(runtime, n + '.ts'));
  const base = path.join(opsDir, 'op.ts'), timer = path.join(opsDir, 'timed.ts');
  const operators = operatorFiles();
  const empty = await keptSize([]);
  const coreSize = await keptSize(core);
  const parts = [{ part: 'runtime core', bytes: coreSize - empty }];
  const withBase = fs.existsSync(base) ? await keptSize([...core, base]) : coreSize;
  if (fs.existsSync(base)) parts.push({ part: 'operator base (ops/op)', bytes: withBase - coreSize });
  const withTimer = await keptSize([...core, base, timer]);
  parts.push({ part: TIMER_BASE, bytes: withTimer - withBase });
  const timed = (f) => /'\.\/timed'/.test(fs.readFileSync(f, 'utf8'));
  const sizes = await Promise.all(operators.map((f) => keptSize([...core, base, ...(timed(f) ? [timer] : []), f])));
  operators.forEach((f, i) => parts.push({ part: 'operator ' + path.basename(f, '.ts'), bytes: sizes[i] - (timed(f) ? withTimer : withBase) }));
  // what .bootcde holds of them: the firmware's own modules are Storage files of their own, and sized apart
  const own = new Set(OWN_MODULES.map((m) => path.join(SRC, m.entry)));
  for (const [part, dir] of [['driver src/sensors', 'sensors'], ['network src/net', 'net'], ['control src/control', 'control']]) {
    const files = tsFiles(path.join(SRC, dir)).filter((f) => !own.has(f));
    if (files.length) parts.push({ part, bytes: (await keptSize([...core, ...files])) - coreSize });
  }
  return parts;
}

/**
 * Builds the firmware for a validated config. Returns { code (minified, what is flashed), debug (readable),
 * sizes }. `entry` lets tools build another entry file the same way.
 */
export function buildFirmware({ board, firmware, entry = FIRMWARE_ENTRY }) {
  const source = typeof entry == 'string' ? fs.readFileSync(entry, 'utf8') : entry.code;
  return cachedBuild({ board, firmware, entry, source }, () => build(board, firmware, entry));
}

async function build(board, firmware, entry) {
  const debug = await bundleES5(entry, board, firmware);
  assertES5(debug, 'readable bundle');
  const nameCache = {};
  // control()'s own actions as a letter apiece, the same in the firmware and its modules (scripts/firmware/actions.mjs)
  const letters = actionLetters(await ownActionNames());
  const { code: bundled, constants } = moduleConstants(shortenActions(debug, letters));
  const code = await minifyES5(bundled, { global: true, nameCache, constants });
  assertES5(code, 'minified bundle');
  // what is flashed must keep the literal require("MQTT") that espruino-cli resolves (other entries may not use MQTT)
  if (entry === FIRMWARE_ENTRY && !code.includes('require("MQTT")')) throw new Error('bundle lost the literal require("MQTT") that espruino-cli resolves');
  // the firmware's own modules, minified after it with the same names for the `_fields` they share
  const modules = [];
  for (const m of ownModules(firmware, debug)) modules.push({ name: m.name, code: await buildModule(path.join(SRC, m.entry), firmware, nameCache, letters) });
  return withBuildId({ code, debug, modules }, firmware ? secretValues(firmware) : []);
}

/** The Storage file holding the journal's code (src/journal/journal.ts), which the writer require()s only when needed. */
export const JOURNAL_MODULE = 'lgjournal';

/**
 * The firmware's own modules: Storage files of their own, each `name` built from `entry` (in src/), which the
 * firmware loads with require() only while it has work for them; `what` they hold, for the upload's listing;
 * `wanted(firmware, debug)`: whether a build of that config, with that readable bundle, ships it.
 * The control modules hold the rarely-run code that src/control/control.ts runs (a bundle without control() ships
 * none of them); the journal's is shipped when the config turns the journal on.
 */
export const OWN_MODULES = [
  { name: 'lgwifi', entry: 'control/wifi.ts', what: 'WiFi join and retries', wanted: (firmware, debug) => usesControl(debug) },
  { name: 'lgcommand', entry: 'control/commands.ts', what: 'commands', wanted: (firmware, debug) => usesControl(debug) && firmware.mqtt.commands !== false },
  { name: 'lgdiag', entry: 'control/diagnostics.ts', what: 'health report', wanted: (firmware, debug) => usesControl(debug) && firmware.mqtt.diagnostics !== false },
  { name: JOURNAL_MODULE, entry: 'journal/journal.ts', what: 'journal', wanted: (firmware) => !!firmware.mqtt.writer.journal },
  { name: 'lgpower', entry: 'power/power.ts', what: 'deep sleep', wanted: (firmware, debug) => usesControl(debug) && !!(firmware.power && firmware.power.deepSleep) }
];

/** Every name an own module may have: what the upload marks as there already, so espruino-cli never looks for them. */
export const OWN_MODULE_NAMES = OWN_MODULES.map((m) => m.name);

/** The name the control modules check the upload's id by: a bundle that has it runs control(). */
const BUILD_ID = 'BUILD_ID';
const usesControl = (code) => new RegExp(`\\b${BUILD_ID}\\b`).test(code);

/** The own modules a build of `firmware` ships ({ name, entry, what }), given its readable bundle. */
export const ownModules = (firmware, debug) => (firmware ? OWN_MODULES.filter((m) => m.wanted(firmware, debug)) : []);

/**
 * The build with its id written in: a hash of the firmware's code and its modules'. control() loads a module only
 * when the module has the same id, so one left in Storage by another upload (whose shortened `_field` names may
 * differ) is never run. Last, each literal holding one of `secrets` is kept inside one of the pieces the upload
 * writes the code to Storage in (scripts/firmware/secret-pieces.mjs), so that the redaction of flash's output sees
 * it whole.
 */
function withBuildId(built, secrets) {
  const hash = crypto.createHash('sha256');
  for (const code of [built.code, ...built.modules.map((m) => m.code)]) hash.update(code).update('\0');
  const id = JSON.stringify(hash.digest('hex').slice(0, 8));
  const put = (code) => code.replace(new RegExp(`\\b${BUILD_ID}\\b`, 'g'), id);
  const code = keepSecretsWhole(put(built.code), secrets);
  return {
    code,
    debug: put(built.debug),
    modules: built.modules.map((m) => ({ ...m, code: put(m.code) })),
    sizes: { raw: built.debug.length, minified: code.length, gzip: zlib.gzipSync(code).length }
  };
}

/**
 * A module of the firmware's own, as Espruino's require() runs a Storage file: CommonJS (`exports.boot = …`),
 * minified with the firmware's `nameCache`, so that the `_fields` it shares with the firmware have the same names,
 * and with control()'s own actions as the firmware's `letters` for them. A module whose default export is a
 * function (the journal's) is made one function of its named steps, each step called /*@__INLINE__*\/ put in
 * place, and each state marked @packed kept as an Int32Array (scripts/firmware).
 */
async function buildModule(entry, firmware, nameCache, letters) {
  const what = `module ${path.basename(entry)}`;
  const { texts } = await packStates(entry);
  const { code: bundled, constants } = moduleConstants(shortenActions(await bundleES5(entry, null, firmware, 'cjs', texts), letters));
  const steps = exportsFunction(bundled);
  const fused = steps ? fuseSteps(inlineSteps(bundled, what), what) : bundled;
  const code = anonymousExport(await minifyES5(fused, { nameCache, constants, steps }), what);
  assertES5(code, what);
  assertDeclaredBeforeUse(code, what);
  return code;
}

/** Whether a CommonJS bundle's export is one function (`module.exports = name;`) rather than named exports. */
const exportsFunction = (code) => /^module\.exports = [\w$]+;$/m.test(code);

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

/**
 * Checks that each variable of `code` is declared before it is used, as a `let` would be: Espruino makes a
 * variable where its `var` statement runs, not at the start of its function, so a variable whose `var` did not run
 * is a global when assigned (and a ReferenceError when read). A module whose steps declare their variables apart,
 * each where it runs (src/journal/journal.ts), relies on it; the minifier keeps one `var` per name, wherever it
 * was first. Throws with the name and its position.
 */
export function assertDeclaredBeforeUse(code, what) {
  const fail = (node) => {
    throw new Error(`${what}: ${node.name} is used before its var statement runs (at ${node.start})`);
  };
  // names declared by `var` anywhere in a function (the function's own variables), and those declared so far
  const varsOf = (body) => {
    const names = new Set();
    (function collect(node) {
      if (!node || typeof node.type != 'string') return;
      if (node.type == 'VariableDeclarator') names.add(node.id.name);
      if (/Function/.test(node.type)) return;
      childNodes(node).forEach(collect);
    })(body);
    return names;
  };
  function visit(node, fn, scopes) {
    if (!node || typeof node.type != 'string') return;
    const declared = (name) => scopes.some((s) => s.has(name));
    if (/Function/.test(node.type)) {
      if (node.type == 'FunctionDeclaration') scopes[scopes.length - 1].add(node.id.name);
      const own = new Set([...node.params.map((p) => p.name), ...(node.id && node.type == 'FunctionExpression' ? [node.id.name] : [])]);
      return visit(node.body, { vars: varsOf(node.body) }, [own]);
    }
    switch (node.type) {
      case 'Identifier':
        if (fn.vars.has(node.name) && !declared(node.name)) fail(node);
        return;
      case 'VariableDeclarator':
        visit(node.init, fn, scopes);
        scopes[scopes.length - 1].add(node.id.name);
        return;
      case 'MemberExpression':
        visit(node.object, fn, scopes);
        if (node.computed) visit(node.property, fn, scopes);
        return;
      case 'Property':
        if (node.computed) visit(node.key, fn, scopes);
        return visit(node.value, fn, scopes);
      case 'CatchClause':
        return visit(node.body, fn, [...scopes, new Set([node.param.name])]);
      case 'LabeledStatement':
        return visit(node.body, fn, scopes);
      case 'BreakStatement':
      case 'ContinueStatement':
        return;
    }
    // what a block, a loop or a branch holds declares for itself, in order (a loop's head for what follows too)
    for (const [key, v] of Object.entries(node)) {
      const inner = /^(body|consequent|alternate|block|finalizer)$/.test(key) ? [...scopes, new Set()] : scopes;
      for (const c of [].concat(v)) if (c && typeof c.type == 'string') visit(c, fn, inner);
    }
  }
  const program = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  visit(program, { vars: varsOf(program) }, [new Set()]);
}

/**
 * Writes a build into `dist`: firmware.js (what is flashed) and firmware.debug.js (readable), always both, so a
 * debug file from an earlier config never sits next to a new firmware. Returns the firmware file.
 */
export function writeBuild(built, dist) {
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'firmware.js'), built.code);
  fs.writeFileSync(path.join(dist, 'firmware.debug.js'), built.debug);
  return path.join(dist, 'firmware.js');
}

/** Validates the config named by { config, board } (default config.json), builds, writes dist/ (see distDir); returns the build. */
export async function buildFromOptions(opts) {
  const file = path.resolve(opts.config || path.join(ROOT, 'config.json'));
  for (const w of configTrackedWarnings(file)) console.error(w);
  const { board, firmware } = validateConfig(readConfigFile(file), { file: path.relative(process.cwd(), file) || file, board: opts.board });
  const built = await buildFirmware({ board, firmware });
  const written = writeBuild(built, distDir());
  return { ...built, board, firmware, file, written };
}
