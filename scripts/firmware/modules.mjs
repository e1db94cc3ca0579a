// Espruino modules the firmware requires (e.g. MQTT), resolved by the project itself: downloaded over HTTPS with
// certificate checking on, pinned by SHA-256 in modules.lock.json, and kept in the git-ignored modules/ folder that
// the upload reads. Uploads never download: espruino-cli is pointed at that folder (see
// scripts/device/espruino-cli.mjs). `npm run modules:fetch` and `modules:update` (scripts/modules.mjs) run the
// fetch; the upload and the bench check and minify what it fetched.
//
// The lock pins the module's source as published (MQTT: Espruino's documentation repository at a fixed commit);
// the upload sends it minified by the project's own terser (minifiedModules), so what reaches the device follows
// from the locked bytes.
//
// Environment: LUXGRAPH_MODULES_URL (where modules without a lock entry come from, default
// https://www.espruino.com/modules), LUXGRAPH_MODULES_DIR (default modules/), LUXGRAPH_MODULES_LOCK (default
// modules.lock.json), LUXGRAPH_MODULES_FROM (folders holding locked modules to copy instead of downloading, as on a
// machine without the internet; each copy is checked against the lock). A fetched module is also kept in the user's
// cache (~/.cache/luxgraph/modules), so a fresh clone on the same machine fetches offline.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import crypto from 'node:crypto';
import * as acorn from 'acorn';
import { ROOT } from '../config/index.mjs';
import { minifyES5 } from './minify.mjs';
import { assertES5 } from './es5-checks.mjs';
import { OWN_MODULE_NAMES } from './own-modules.mjs';
import { cachedBuild } from '../lib/build-cache.mjs';
import { withConnackFixed } from './mqtt-connack.mjs';

export const DEFAULT_MODULES_URL = 'https://www.espruino.com/modules';

/** Where modules come from, where they are kept, and the lock file; each can be overridden by the environment. */
export function modulePaths(env = process.env) {
  return {
    base: (env.LUXGRAPH_MODULES_URL || DEFAULT_MODULES_URL).replace(/\/+$/, ''),
    dir: path.resolve(env.LUXGRAPH_MODULES_DIR || path.join(ROOT, 'modules')),
    lock: path.resolve(env.LUXGRAPH_MODULES_LOCK || path.join(ROOT, 'modules.lock.json'))
  };
}

export class ModuleError extends Error {}

export const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

/** The file a module is kept in: espruino-cli reads <dir>/<name>.js. */
export const moduleFile = (dir, name) => path.join(dir, name + '.js');

/**
 * The module names a piece of code loads with a literal require("name"), in order of appearance. Read from its
 * tokens, as espruino-cli does, so that a require in a comment (MQTT.js names itself in one) does not count; code
 * the tokenizer cannot read falls back to a plain search.
 */
export function requiredNames(code) {
  const names = [];
  const add = (name) => names.includes(name) || names.push(name);
  try {
    let step = 0; // 1: after `require`, 2: after `require(`
    for (const t of acorn.tokenizer(code, { ecmaVersion: 'latest', allowHashBang: true })) {
      if (t.type.label == 'name' && t.value == 'require') step = 1;
      else if (step == 1 && t.type.label == '(') step = 2;
      else {
        if (step == 2 && t.type.label == 'string') add(t.value);
        step = 0;
      }
    }
  } catch {
    for (const m of code.matchAll(/\brequire\s*\(\s*(["'])([^"'\\]+)\1\s*\)/g)) add(m[2]);
  }
  return names;
}

export function readLock(file) {
  if (!fs.existsSync(file)) return { modules: {} };
  let lock;
  try {
    lock = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ModuleError(`${path.basename(file)} is not valid JSON (${e.message}): restore it with git checkout, or delete it and run npm run modules:update`);
  }
  if (!lock || typeof lock.modules != 'object') throw new ModuleError(`${path.basename(file)}: expected { "modules": { ... } }`);
  return lock;
}

export function writeLock(file, lock) {
  const sorted = {};
  for (const name of Object.keys(lock.modules).sort()) sorted[name] = lock.modules[name];
  fs.writeFileSync(file, JSON.stringify({ modules: sorted }, null, 2) + '\n');
}

/** GET over HTTPS with certificate checking forced on (whatever NODE_TLS_REJECT_UNAUTHORIZED says). */
export function httpsGet(url) {
  return new Promise((resolve, reject) => {
    if (!url.startsWith('https://')) return reject(new ModuleError(`refusing ${url}: modules are only fetched over https`));
    const req = https.get(url, { rejectUnauthorized: true, timeout: 20000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

/** Downloads a module (as bytes): the URL given (the lock's), or <base>/<name>.min.js and then <base>/<name>.js. */
export async function download(name, { base, url }) {
  const urls = url ? [url] : [`${base}/${name}.min.js`, `${base}/${name}.js`];
  const tried = [];
  for (const u of urls) {
    let res;
    try {
      res = await httpsGet(u);
    } catch (e) {
      throw new ModuleError(`could not fetch module ${name} from ${u}: ${e.code || ''}${e.code ? ' ' : ''}${e.message}`);
    }
    if (res.status == 200) return { url: u, code: res.body };
    tried.push(`${u} (HTTP ${res.status})`);
  }
  throw new ModuleError(`module ${name} was not found: ${tried.join(', ')}`);
}

/** A SHA-256 as the messages show it: its first 16 digits. */
export const shortHash = (hash) => hash.slice(0, 16) + '…';

/**
 * Fetches one module into the folder. With a lock entry the download must match its SHA-256 (else nothing is
 * written); without one, or with `update`, the download is recorded (from `url` when given). Returns a line saying
 * what happened.
 */
export async function fetchModule(name, { paths, lock, update = false, url }) {
  const entry = lock.modules[name];
  const got = await download(name, { base: paths.base, url: url || (update ? undefined : entry && entry.url) });
  const hash = sha256(got.code);
  if (entry && !update && hash != entry.sha256)
    throw new ModuleError(
      `module ${name} from ${got.url} does not match ${path.basename(paths.lock)}:\n  expected sha256 ${entry.sha256}\n  received sha256 ${hash}\n` +
        `Nothing was written. If the module changed upstream on purpose, review it and run: npm run modules:update`
    );
  fs.mkdirSync(paths.dir, { recursive: true });
  fs.writeFileSync(moduleFile(paths.dir, name), got.code);
  lock.modules[name] = { url: got.url, sha256: hash, size: got.code.length };
  if (!entry) return `${name}: recorded in ${path.basename(paths.lock)} (first fetch) from ${got.url}, sha256 ${hash}`;
  if (entry.sha256 == hash && entry.url == got.url) return `${name}: unchanged, sha256 ${shortHash(hash)}`;
  return `${name}: changed\n  was ${entry.url} sha256 ${entry.sha256}\n  now ${got.url} sha256 ${hash}`;
}

/**
 * Folders a locked module is copied from before any download: LUXGRAPH_MODULES_FROM (folders separated as in
 * PATH), then the user's cache, where every fetch leaves a copy named by its hash. A file counts only when its
 * SHA-256 is the lock's, so a copy is as good as the download.
 */
export function localSources(env = process.env) {
  const cache = path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'luxgraph', 'modules');
  return { from: (env.LUXGRAPH_MODULES_FROM || '').split(path.delimiter).filter(Boolean).map((d) => path.resolve(d)), cache };
}

/** A locked module's code from one of the local folders, as { dir, code }, or null. */
export function findLocal(name, entry, { from, cache }) {
  for (const dir of [...from, cache])
    for (const file of [moduleFile(dir, name), path.join(dir, entry.sha256 + '.js')]) {
      if (!fs.existsSync(file)) continue;
      const code = fs.readFileSync(file);
      if (sha256(code) == entry.sha256) return { dir, code };
    }
  return null;
}

/** Keeps a copy of a fetched module in the user's cache, for offline fetches later (a failure only says so). */
export function keepInCache(code, cache) {
  try {
    fs.mkdirSync(cache, { recursive: true });
    fs.writeFileSync(path.join(cache, sha256(code) + '.js'), code);
  } catch (e) {
    console.error(`modules: could not keep a copy in ${cache}: ${e.message}`);
  }
}

/** The modules built into every one of `boards` (profiles in board/): never fetched, checked or sent. */
export function builtinModules(boards) {
  const lists = boards.map((b) => b.builtinModules || []);
  return new Set(lists.flat().filter((n) => lists.every((l) => l.includes(n))));
}

/**
 * The one walk of module dependencies: the modules named in `roots` and, in turn, those they load (their own
 * literal requires), each once, in order, leaving out the `builtin` set. `read(name)` gives a module's code, or
 * null to not follow it: checking reads the kept file, fetching downloads it first. Returns the names walked.
 */
export async function walkModules(roots, builtin, read) {
  const queue = roots.filter((n) => !builtin.has(n)), done = [];
  while (queue.length) {
    const name = queue.shift();
    if (done.includes(name)) continue;
    done.push(name);
    const code = await read(name);
    if (code !== null) for (const n of requiredNames(code)) if (!builtin.has(n) && !done.includes(n)) queue.push(n);
  }
  return done;
}

/**
 * Checks that every module `code` needs on `board` is in the folder and matches the lock, following the modules'
 * own requires. Built-in modules of the board, and `own`, the names of modules the build makes (the journal), are
 * skipped. Never touches the network. Returns the module names.
 */
export function verifyModules(code, board, paths = modulePaths(), own = []) {
  const lock = readLock(paths.lock);
  return walkModules(requiredNames(code), new Set([...builtinModules([board]), ...own]), (name) => {
    const file = moduleFile(paths.dir, name);
    const rel = path.relative(process.cwd(), file) || file;
    if (!fs.existsSync(file))
      throw new ModuleError(`module ${name} is not in ${path.dirname(rel)}/ (uploads never download). Fetch it once, online, with: npm run modules:fetch`);
    const entry = lock.modules[name];
    const hash = sha256(fs.readFileSync(file));
    if (!entry)
      throw new ModuleError(`module ${name} (${rel}) has no entry in ${path.basename(paths.lock)}: record it with npm run modules:update, after reviewing it`);
    if (hash != entry.sha256)
      throw new ModuleError(
        `module ${name} (${rel}) does not match ${path.basename(paths.lock)}:\n  expected sha256 ${entry.sha256}\n  found    sha256 ${hash}\n` +
          `Fetch the locked version again with npm run modules:fetch, or record a new one on purpose with npm run modules:update`
      );
    return fs.readFileSync(file, 'utf8');
  });
}

/**
 * The methods of a module that a firmware never runs, by module: the MQTT module's CONNECT builder (mqttConnect,
 * with its helper createFlagsForConnection), which the writer replaces on every client with its own
 * (src/net/mqtt-adapter.ts lists everything the firmware does to the module); and, in a firmware without commands (mqtt.commands false), subscribe and unsubscribe, which
 * only commands use. Left out of what is sent, they take no Storage (on the 512 KB ESP8266's 16 KB, 1 KB of it).
 * Without a firmware (code of another kind, such as bench/minimal.js) nothing is left out.
 */
export function unusedMethods(name, firmware) {
  if (name != 'MQTT' || !firmware) return []; // for other code (bench/minimal.js) the module stays whole
  return ['mqttConnect', 'createFlagsForConnection', ...(firmware.mqtt.commands === false ? ['subscribe', 'unsubscribe'] : [])];
}

/**
 * The fields of a module's objects that a firmware never reads, by module: the MQTT client's clean_session (which
 * the module sets true whatever it is given, as a clean session is when the field is absent), protocol_name and
 * protocol_level, which only the module's CONNECT builder read. Left out of what is sent, the client never makes
 * them, and the module's helper that made protocol_level goes with them. Without a firmware nothing is left out.
 */
export function unusedFields(name, firmware) {
  if (name != 'MQTT' || !firmware) return [];
  return ['clean_session', 'protocol_name', 'protocol_level'];
}

/** `code` without its statements `this.<field> = …` for the given fields. */
export function withoutFields(code, fields) {
  if (!fields.length) return code;
  const dropped = [];
  (function visit(node) {
    const e = node.type == 'ExpressionStatement' && node.expression.type == 'AssignmentExpression' && node.expression.left;
    if (e && e.type == 'MemberExpression' && !e.computed && e.object.type == 'ThisExpression' && fields.includes(e.property.name)) return dropped.push(node);
    for (const v of Object.values(node)) for (const kid of [].concat(v)) if (kid && typeof kid.type == 'string') visit(kid);
  })(acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' }));
  let out = code;
  for (const n of dropped.sort((a, b) => b.start - a.start)) out = out.slice(0, n.start) + out.slice(n.end);
  return out;
}

/** `code` without its statements `<Name>.prototype.<method> = …` for the given methods. */
export function withoutMethods(code, methods) {
  if (!methods.length) return code;
  let out = code;
  const isDropped = (n) => {
    const e = n.type == 'ExpressionStatement' && n.expression.type == 'AssignmentExpression' && n.expression.left;
    return e && e.type == 'MemberExpression' && !e.computed && e.object.type == 'MemberExpression' && !e.object.computed &&
      e.object.property.name == 'prototype' && methods.includes(e.property.name);
  };
  for (const n of acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' }).body.reverse()) if (isDropped(n)) out = out.slice(0, n.start) + out.slice(n.end);
  return out;
}

/**
 * A module's code as the upload sends it: minified by the project's own terser with the firmware's settings,
 * without the methods that firmware never runs (unusedMethods) and the fields it never reads (unusedFields); the
 * MQTT module, for any code, reading the CONNACK's return code where it is (scripts/firmware/mqtt-connack.mjs).
 */
export function minifyModule(code, name, firmware) {
  const unused = unusedMethods(name, firmware), fields = unusedFields(name, firmware);
  const corrected = name == 'MQTT' ? withConnackFixed(code) : code;
  return cachedBuild({ module: name, code: corrected, unused, fields }, async () => {
    const min = await minifyES5(withoutFields(withoutMethods(corrected, unused), fields), { internalNames: false });
    assertES5(min, `module ${name}`);
    return min;
  });
}

/**
 * Writes each named module (checked by verifyModules) into `dir`, minified, where the upload reads it: the bytes
 * that reach the device follow from the locked ones. Returns [{ name, file, bytes }].
 */
export async function minifiedModules(names, paths, dir, own = [], firmware) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  // the build's own modules ({ name, code }), minified already, go up the same way
  const out = own.map(({ name, code }) => {
    fs.writeFileSync(moduleFile(dir, name), code);
    return { name, file: moduleFile(dir, name), bytes: code.length };
  });
  for (const name of names) {
    const code = await minifyModule(fs.readFileSync(moduleFile(paths.dir, name), 'utf8'), name, firmware);
    fs.writeFileSync(moduleFile(dir, name), code);
    out.push({ name, file: moduleFile(dir, name), bytes: code.length });
  }
  return out;
}

/**
 * The modules the firmware's sources require that none of the given boards has built in. One that some board has
 * is required only where it is there: `tls` by a config with mqtt.tls, which the build refuses on a board without
 * it; `TelnetServer` inside a try.
 */
export function neededBySources(boards) {
  const names = new Set();
  const walk = (dir) => {
    for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, f.name);
      if (f.isDirectory()) walk(p);
      else if (f.name.endsWith('.ts') && !f.name.endsWith('.d.ts')) for (const n of requiredNames(fs.readFileSync(p, 'utf8'))) names.add(n);
    }
  };
  walk(path.join(ROOT, 'src'));
  const builtin = new Set(boards.flatMap((b) => b.builtinModules || []));
  // the build makes the firmware's own modules from src/: nothing to fetch
  return [...names].filter((n) => !OWN_MODULE_NAMES.includes(n) && !builtin.has(n)).sort();
}
