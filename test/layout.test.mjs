// docs/architecture.md says how the parts depend on each other; this holds them to it, and keeps the test command
// of docs/testing.md (what CI runs, through .ci/run) the one package.json runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';
import { walkNodes } from '../scripts/firmware/syntax.mjs';
import { ROOT } from '../scripts/lib/paths.mjs';

/** Every file under `dir` (relative to the repository) whose name ends with one of `exts`. */
function files(dir, exts) {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && exts.some((x) => e.name.endsWith(x)))
    .map((e) => path.relative(ROOT, path.join(e.parentPath ?? e.path, e.name)));
}

/** The repository folders a file's relative imports (static and dynamic) lead into. */
function importedFolders(file) {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)(['"])(\.[^'"]*)\1/gm)].map((m) => m[2]);
  return specs.map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)).split(path.sep)[0]);
}

test('device code in src/ imports nothing from scripts/ or test/', () => {
  const bad = files('src', ['.ts']).flatMap((f) => importedFolders(f).filter((d) => d != 'src').map((d) => `${f} imports from ${d}/`));
  assert.deepEqual(bad, []);
});

test('no tool in scripts/ imports from test/', () => {
  const bad = files('scripts', ['.mjs', '.js', '.ts']).flatMap((f) => importedFolders(f).filter((d) => d == 'test').map(() => `${f} imports from test/`));
  assert.deepEqual(bad, []);
});

test("the test command docs/testing.md shows is the one npm test runs, and CI runs npm test", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const page = fs.readFileSync(path.join(ROOT, 'docs/testing.md'), 'utf8');
  const tests = page.slice(page.indexOf('## Tests'));
  const shown = /^npm test +# (.+)$/m.exec(tests);
  assert.ok(shown, "docs/testing.md's Tests section shows `npm test   # <the command>`");
  assert.equal(shown[1], pkg.scripts.test);
  assert.match(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'), /^npm test +# /m, 'README shows npm test');
  assert.match(fs.readFileSync(path.join(ROOT, '.ci/run'), 'utf8'), /^npm test$/m);
});

/** The repository files a JavaScript file imports (static, dynamic and re-exports with a literal path), read from its syntax. */
function importsOf(file) {
  const program = acorn.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'), { ecmaVersion: 'latest', sourceType: 'module', allowHashBang: true });
  const specs = [];
  walkNodes(
    program,
    (node) => {
      if (/^(Import|ExportNamed|ExportAll)Declaration$/.test(node.type) && node.source) specs.push(node.source.value);
      if (node.type == 'ImportExpression' && node.source.type == 'Literal') specs.push(node.source.value);
    },
    { into: true }
  );
  return specs.filter((s) => s.startsWith('.')).map((s) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), s)));
}

/** The commands: the files at the top of scripts/, each what an npm script runs. */
const commandFiles = () => fs.readdirSync(path.join(ROOT, 'scripts'), { withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.mjs')).map((e) => path.join('scripts', e.name));

/** The tools' files and the tests' (JavaScript: src/ is held apart above). */
const toolsAndTests = () => [...files('scripts', ['.mjs', '.js']), ...files('test', ['.mjs'])];

test('the top of scripts/ holds the commands, each one an npm script runs', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const run = new Set(Object.values(pkg.scripts).flatMap((s) => [...s.matchAll(/\bnode (scripts\/\S+\.mjs)/g)].map((m) => m[1])));
  assert.deepEqual(commandFiles().filter((f) => !run.has(f)), [], 'files at the top of scripts/ that no npm script runs');
  assert.deepEqual([...run].filter((f) => path.dirname(f) != 'scripts'), [], 'npm scripts that run a file inside a folder of scripts/');
});

test('nothing imports a command: what a command does for others lives in a folder of scripts/', () => {
  const commands = new Set(commandFiles());
  const bad = toolsAndTests().flatMap((f) => importsOf(f).filter((d) => commands.has(d)).map((d) => `${f} imports ${d}`));
  assert.deepEqual(bad, []);
});

test("the folders of scripts/ import each other one way: no cycle between them", () => {
  // folder → the folders its files import (the commands at the top are no folder's: nothing imports them)
  const uses = new Map();
  for (const f of files('scripts', ['.mjs', '.js'])) {
    const from = f.split(path.sep)[1];
    if (f.split(path.sep).length < 3) continue;
    for (const d of importsOf(f)) {
      const [top, to, ...rest] = d.split(path.sep);
      if (top != 'scripts' || !rest.length || to == from) continue;
      if (!uses.has(from)) uses.set(from, new Set());
      uses.get(from).add(to);
    }
  }
  const cycles = [], done = new Set();
  const walk = (folder, trail) => {
    if (trail.includes(folder)) return cycles.push([...trail.slice(trail.indexOf(folder)), folder].join(' → '));
    if (done.has(folder)) return;
    for (const next of uses.get(folder) || []) walk(next, [...trail, folder]);
    done.add(folder);
  };
  for (const folder of [...uses.keys()].sort()) walk(folder, []);
  assert.deepEqual(cycles, []);
});
