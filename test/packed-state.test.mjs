// The build's transform that keeps a state marked @packed as an Int32Array (scripts/firmware/packed-state.mjs): on
// small programs, fields by type (never another object's field of the same name), the made state an array whose
// slots run as the fields did, and what it cannot pack refused; in src/, only the journal reads its state.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { packStates } from '../scripts/firmware/packed-state.mjs';
import { ROOT } from './helpers.mjs';

/** `files` ({ name: text }) written to a folder of their own; the path of the first. */
function program(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packed-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, Object.keys(files)[0]);
}

const PLACE = `
/** Where a walk is. @packed */
export interface Place { segment: number; at: number; read: number }
export interface Storage { read: number; at(n: number): number }
export function walk(store: Storage, start: number): number[] {
  var place: Place = { segment: start, at: 64, read: store.read };
  place.at += store.at(place.segment);
  place.read++;
  return [place.segment, place.at, place.read, store.read];
}
`;

test('fields of a packed state are slots, by type: another object with the same names keeps its fields', async () => {
  const entry = program({ 'walk.ts': PLACE });
  const { texts, packed } = await packStates(entry);
  assert.deepEqual(packed, [{ name: 'Place', fields: ['segment', 'at', 'read'] }]);
  const text = texts.get(entry);
  assert.match(text, /var place: Place = new Int32Array\(\[start, 64, store\.read\]\);/);
  assert.match(text, /place\[1\] \+= store\.at\(place\[0\]\);/);
  assert.match(text, /place\[2\]\+\+;/);
  assert.match(text, /return \[place\[0\], place\[1\], place\[2\], store\.read\];/);
  // and it runs as the object did
  const js = (t) => ts.transpileModule(t, { compilerOptions: { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.CommonJS } }).outputText;
  const run = (t) => {
    const exports = {};
    new Function('exports', js(t))(exports);
    return exports.walk({ read: 7, at: (n) => n * 10 }, 3);
  };
  assert.deepEqual(run(text), run(PLACE));
  assert.deepEqual(run(text), [3, 94, 8, 7]);
});

test('a state made without every field in order, indexed, deleted from or read through another type is refused', async () => {
  const refused = async (body, message) => {
    const entry = program({ 'a.ts': `/** @packed */ interface P { a: number; b: number }\n${body}` });
    await assert.rejects(packStates(entry), message);
  };
  await refused('var p: P = { b: 1, a: 2 };', /a\.ts:2: a P made with each of its fields, in order \(a, b\)/);
  await refused('var p: P = { a: 1, b: 2 }; var k = p["a"];', /a\.ts:2: a packed state indexed/);
  await refused('var p: { a?: number } & P = { a: 1, b: 2 }; p.a = 3;', /a\.ts:2: P\.a read through another type/);
  await refused('var p: P = { a: 1, b: 2 }; delete p.a;', /a\.ts:2: a field of P deleted/);
  const fields = program({ 'b.ts': '/** @packed */ interface Q { a: number; b?: number }' });
  await assert.rejects(packStates(fields), /Q\.b: a packed state's field is a number, never optional/);
});

test("only the journal's own files read the journal's state: elsewhere it is kept, never read", () => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const p = ts.createProgram(config.fileNames, config.options);
  const checker = p.getTypeChecker();
  const readers = new Set();
  for (const file of p.getSourceFiles().filter((f) => !f.isDeclarationFile && f.fileName.startsWith(path.join(ROOT, 'src'))))
    (function visit(node) {
      if (ts.isPropertyAccessExpression(node)) {
        const declaration = checker.getSymbolAtLocation(node.name)?.declarations?.[0];
        if (declaration && ts.isInterfaceDeclaration(declaration.parent) && declaration.parent.name.text == 'JournalState') readers.add(path.relative(ROOT, file.fileName));
      }
      ts.forEachChild(node, visit);
    })(file);
  assert.deepEqual([...readers].sort(), ['src/journal/batch.ts', 'src/journal/journal.ts', 'src/journal/state.ts', 'src/journal/walk.ts']);
});
