// The types tell the truth about the device: code that would fail there does not compile. Each fixture is
// compiled with the TypeScript API together with every file of src/ (as `tsc -p .` does), so every operator file
// is in the program, as in a firmware whose other files import them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../scripts/config.mjs';

const FIXTURES = path.join(ROOT, 'test/fixtures/types');

/** The errors `tsc` reports for `fixture` compiled with src/ under tsconfig.json's options, as text. */
function errorsOf(fixture) {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) });
  const program = ts.createProgram([...config.fileNames, path.join(FIXTURES, fixture)], config.options);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

test('chaining an operator whose file the program does not import fails tsc', () => {
  const errors = errorsOf('chained-without-import.ts');
  assert.ok(fs.existsSync(path.join(ROOT, 'src/runtime/ops/map.ts')), 'map is an operator of src/, in the program');
  assert.deepEqual(errors, ["chained-without-import.ts: Property 'map' does not exist on type 'SensorPub'."]);
});

test('operators called as imported functions compile, typed end to end', () => {
  assert.deepEqual(errorsOf('operator-functions.ts'), []);
});

test('a runtime constructor called with the wrong arguments fails tsc', () => {
  const errors = errorsOf('constructor-arguments.ts');
  assert.equal(errors.length, 1);
  assert.match(errors[0], /constructor-arguments\.ts: Argument of type 'string' is not assignable to parameter of type 'Sensor'/);
});
