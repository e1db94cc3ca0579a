// The types tell the truth about the device: code that would fail there does not compile. One program, as `tsc -p .`
// makes it from tsconfig.json (every file of src/, strict), with the fixtures added: src/ must type-check, and each
// fixture gets the errors it should. Every operator file is in the program, as in a firmware whose other files
// import them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT } from '../scripts/lib/paths.mjs';

const FIXTURES = path.join(ROOT, 'test/fixtures/types');
const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) });
const fixtures = fs.readdirSync(FIXTURES).map((f) => path.join(FIXTURES, f));
const program = ts.createProgram([...config.fileNames, ...fixtures], config.options);
const text = (d) => ts.flattenDiagnosticMessageText(d.messageText, '\n');

/** The errors `tsc` reports for `file` in that program, as text. */
function errorsIn(file) {
  const source = program.getSourceFile(file);
  return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => `${path.basename(file)}: ${text(d)}`);
}
const errorsOf = (fixture) => errorsIn(path.join(FIXTURES, fixture));

test('the firmware type-checks (tsconfig.json, strict), as npm run typecheck checks it', () => {
  assert.ok(config.fileNames.some((f) => f.endsWith('src/main.ts')));
  assert.deepEqual([...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map(text), []);
  assert.deepEqual(config.fileNames.flatMap(errorsIn), []);
});

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

test("control()'s actions: one that does not exist, or an argument of the wrong type, fails tsc", () => {
  const firstAndLast = (e) => (e.includes('\n') && e.includes("'[what: ") ? e.split('\n')[0].replace(/ parameter of type .*/, ' parameter of type … ') + e.split('\n').pop().trim() : e);
  assert.deepEqual(errorsOf('control-actions.ts').map(firstAndLast), [
    `control-actions.ts: Argument of type '"every"' is not assignable to parameter of type 'Action'.`,
    `control-actions.ts: Argument of type 'string' is not assignable to parameter of type 'number'.`,
    'control-actions.ts: Expected 2 arguments, but got 1.',
    'control-actions.ts: Expected 1 arguments, but got 2.',
    `control-actions.ts: Type 'number' is not assignable to type 'string'.`,
    `control-actions.ts: Type 'string | void' is not assignable to type 'number'.\n  Type 'string' is not assignable to type 'number'.`,
    // (the whole text lists every action's arguments: its first line and last)
    `control-actions.ts: Argument of type '["join"]' is not assignable to parameter of type … Type '"join"' is not assignable to type 'Action'.`
  ]);
});

test("a Storage module's action not named by its module's word fails tsc (control() would look for it in another file)", () => {
  const errors = errorsOf('control-module-exports.ts');
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /Type 'Misnamed' does not satisfy the constraint[\s\S]*Types of property 'joinAgain' are incompatible/);
});
