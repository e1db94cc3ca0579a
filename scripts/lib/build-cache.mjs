// A cache of finished builds, for the tests: with LUXGRAPH_BUILD_CACHE naming a folder, each distinct build (the
// config, the board, the entry, and every file a build reads) is made once and then read back, by every test
// process and every tool they start. The key holds the content of those files, so an edit is never served stale.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { ROOT } from './paths.mjs';

/** The folders whose files go into a build: the device code, the tools that make it, the test entries. */
const INPUTS = ['src', 'scripts', 'test/fixtures', 'board'];
let inputsHash;

/** One hash of every input file's path and content (read once per process), and the tools' versions. */
function hashInputs() {
  const h = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(path.relative(ROOT, p) + '\0').update(fs.readFileSync(p)).update('\0');
    }
  };
  for (const dir of INPUTS) walk(path.join(ROOT, dir));
  for (const file of ['config.example.json', 'package-lock.json']) h.update(fs.readFileSync(path.join(ROOT, file)));
  return h.digest('hex');
}

/**
 * `make()`'s result for this build, made once: read from the cache folder when it is there, else made and stored
 * (written whole, then renamed, so a test process never reads half a file). Without LUXGRAPH_BUILD_CACHE, made.
 */
export async function cachedBuild(what, make, dir = process.env.LUXGRAPH_BUILD_CACHE) {
  if (!dir) return make();
  inputsHash ??= hashInputs();
  const key = crypto.createHash('sha256').update(inputsHash).update(JSON.stringify(what)).digest('hex');
  const file = path.join(dir, key + '.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
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
