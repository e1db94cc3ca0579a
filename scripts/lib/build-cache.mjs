// A cache of finished builds, for the tests: with LUXGRAPH_BUILD_CACHE naming a folder, each distinct build (the
// config, the board, the entry, and every file a build reads: src/ and the build's own code) is made once and then
// read back, by every test process and every tool they start. The key holds the content of those files, so an edit
// is never served stale; a process that finds its build there never loads the compiler (about a second apiece).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { ROOT } from './paths.mjs';

/** What a build reads besides its entry (which is part of the key): the device code, and the tools' versions. */
const INPUTS = ['src', 'config.example.json', 'package-lock.json'];
let inputsHash;

/**
 * Every file of scripts/firmware (the build and its parts, part-sizes.mjs among them) and every file of the project
 * they import, directly or not: the code that makes a build.
 */
function buildTools() {
  const dir = path.join(ROOT, 'scripts/firmware'), seen = new Set();
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.mjs'))) importsOf(path.join(dir, f), seen);
  return [...seen];
}

/** `file` and the project's files it imports, directly or not, added to `seen`. */
function importsOf(file, seen) {
  seen.add(file);
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^'";]*['"](\.[^'"]+\.m?js)['"]/gm)) {
    const dep = path.resolve(path.dirname(file), m[1]);
    if (!seen.has(dep) && fs.existsSync(dep)) importsOf(dep, seen);
  }
}

/** One hash of every input's path and content (read once per process). */
function hashInputs() {
  const h = crypto.createHash('sha256');
  const add = (p) => {
    if (fs.statSync(p).isDirectory()) for (const name of fs.readdirSync(p).sort()) add(path.join(p, name));
    else h.update(path.relative(ROOT, p) + '\0').update(fs.readFileSync(p)).update('\0');
  };
  for (const p of [...INPUTS.map((f) => path.join(ROOT, f)), ...buildTools().sort()]) add(p);
  return h.digest('hex');
}

/**
 * `make()`'s result for this build, made once: read from the cache folder when it is there, else made and stored
 * (written whole, then renamed, so a test process never reads half a file). Without LUXGRAPH_BUILD_CACHE, made.
 */
export async function cachedBuild(what, make, dir = process.env.LUXGRAPH_BUILD_CACHE) {
  if (!dir) return make();
  if (!inputsHash) {
    inputsHash = hashInputs();
    prune(dir);
  }
  const key = crypto.createHash('sha256').update(inputsHash).update(JSON.stringify(what)).digest('hex');
  const file = path.join(dir, key + '.json');
  try {
    const built = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.utimesSync(file, new Date(), new Date()); // used: kept by prune
    return built;
  } catch {
    // not built yet
  }
  const built = await make();
  fs.mkdirSync(dir, { recursive: true });
  const part = `${file}.${process.pid}.part`;
  fs.writeFileSync(part, JSON.stringify(built));
  fs.renameSync(part, file);
  return built;
}

/** Removes the builds nobody used for a day (those of sources since edited), so the folder does not grow for good. */
function prune(dir) {
  const old = Date.now() - 24 * 3600 * 1000;
  let names = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // no cache yet
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < old) fs.rmSync(file, { force: true });
    } catch {
      // another process removed it first
    }
  }
}
