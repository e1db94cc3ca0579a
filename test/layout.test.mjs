// docs/architecture.md says how the parts depend on each other; this holds them to it, and keeps the test command
// of docs/testing.md (what CI runs, through .ci/run) the one package.json runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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
