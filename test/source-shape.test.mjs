// The device source reads as it is meant to: no function in src/ longer than a screen (80 lines), and nothing typed
// `any` (a value of no known type is `unknown`, and is checked before it is used). What the device needs shorter or
// packed, the build makes of it (docs/testing.md).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../scripts/lib/paths.mjs';

const MAX_LINES = 80;

/** Every .ts file under src/, as paths relative to the project. */
function sourceFiles(dir = path.join(ROOT, 'src'), { declarations = false } = {}) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full, { declarations });
    return e.name.endsWith('.ts') && (declarations || !e.name.endsWith('.d.ts')) ? [full] : [];
  });
}

/** Where a file writes the type `any`: `file:line`. */
function anyTypes(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2015, true);
  const found = [];
  (function visit(node) {
    if (node.kind == ts.SyntaxKind.AnyKeyword) found.push(`${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`);
    ts.forEachChild(node, visit);
  })(source);
  return found;
}

/** The functions of a file longer than `max` lines: `file:line name (n lines)`. */
function longFunctions(file, max) {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2015, true);
  const found = [];
  (function visit(node) {
    if (ts.isFunctionLike(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.end).line;
      const name = node.name ? node.name.getText(source) : node.parent && node.parent.name ? node.parent.name.getText(source) : '(anonymous)';
      if (last - first + 1 > max) found.push(`${path.relative(ROOT, file)}:${first + 1} ${name} (${last - first + 1} lines)`);
    }
    ts.forEachChild(node, visit);
  })(source);
  return found;
}

test(`no function in src/ is longer than ${MAX_LINES} lines`, () => {
  const files = sourceFiles();
  assert.ok(files.length > 10, `found the sources: ${files.length} files`);
  assert.deepEqual(files.flatMap((f) => longFunctions(f, MAX_LINES)), []);
});

test('the check finds a long function', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, '.shape-'));
  try {
    const file = path.join(dir, 'long.ts');
    fs.writeFileSync(file, `export function long() {\n${'  a++;\n'.repeat(MAX_LINES)}}\nexport const short = () => 1;\n`);
    assert.deepEqual(longFunctions(file, MAX_LINES).map((l) => l.replace(/^.*:/, '')), [`1 long (${MAX_LINES + 2} lines)`]);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});

test('nothing in src/ is typed any, its declarations of Espruino included', () => {
  const files = sourceFiles(path.join(ROOT, 'src'), { declarations: true });
  assert.ok(files.some((f) => f.endsWith('.d.ts')), 'the declarations are read too');
  assert.deepEqual(files.flatMap(anyTypes), []);
});

test('the check finds an any', () => {
  const dir = fs.mkdtempSync(path.join(ROOT, '.shape-'));
  try {
    const file = path.join(dir, 'loose.ts');
    fs.writeFileSync(file, `export function f(x: unknown) {\n  return (x as any).y;\n}\n`);
    assert.deepEqual(anyTypes(file).map((l) => l.replace(/^.*:/, '')), ['2']);
  } finally {
    fs.rmSync(dir, { recursive: true });
  }
});
