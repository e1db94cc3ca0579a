// The device budget (bench/budget.json): every figure the issue asks for is there with its spread; the sizes, which
// need no interpreter, are held to it here; how a figure over budget is reported. The RAM figures are held to it on
// the interpreter by measure/bench-memory.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { loadBudget, checkBudget, sizeFigures, overMessage } from '../scripts/bench/budget.mjs';
import { measureSizes } from '../scripts/bench/sizes.mjs';
import { knownBoards } from '../scripts/config/index.mjs';
import { findMqttModule } from '../scripts/firmware/mqtt-module.mjs';

const budget = loadBudget();

test('the budget names each figure with its budget, the run-to-run spread allowed over it, a unit and what it is', () => {
  const names = ['startup', 'connected', 'outagePeak', 'drainPeak', 'tutorialPeak', 'bootcde', ...knownBoards().map((b) => `storage:${b}`)];
  assert.deepEqual(Object.keys(budget.figures).sort(), names.sort());
  for (const [name, f] of Object.entries(budget.figures)) {
    assert.ok(Number.isInteger(f.budget) && f.budget > 0, `${name}: budget ${f.budget}`);
    assert.ok(Number.isInteger(f.spread) && f.spread >= 0, `${name}: spread ${f.spread}`);
    assert.ok(['vars', 'bytes'].includes(f.unit) && f.what, name);
  }
});

test('a figure over its budget by more than its spread fails with the figure, the budget and the excess', () => {
  const b = { figures: { connected: { budget: 812, spread: 4, unit: 'vars', what: 'connected, flashed' } } };
  assert.deepEqual(
    checkBudget({ connected: 816 }, b).map((c) => c.over),
    [0],
    'within the spread'
  );
  const [c] = checkBudget({ connected: 832 }, b);
  assert.equal(c.over, 16);
  assert.equal(overMessage(c), 'connected (connected, flashed): 832 vars, budget 812 + 4 spread: 16 over. Win it back, or raise the budget in bench/budget.json in a commit of its own saying what it buys');
  assert.match(overMessage(checkBudget({ connected: null }, b)[0]), /^connected \(connected, flashed\): not measured/);
  // a peak says where it was taken, so that a run on another machine can be read without running it again
  const [at] = checkBudget({ connected: 832 }, b, { connected: 'write, reconnecting, 12.6 s into the run' });
  assert.match(overMessage(at), /^connected \(connected, flashed\): 832 vars \(at write, reconnecting, 12\.6 s into the run\), budget 812/);
});

test('.bootcde, built from the example config, is within its budget', async () => {
  const over = checkBudget(sizeFigures(await measureSizes())).filter((c) => c.name == 'bootcde' && c.over);
  assert.deepEqual(over.map(overMessage), []);
});

const noModule = findMqttModule().missing;
test("each board profile's default upload takes no more Storage than its budget", { skip: noModule ? `${noModule}: the upload includes it` : false }, async () => {
  const checked = checkBudget(sizeFigures(await measureSizes())).filter((c) => c.name.startsWith('storage:'));
  assert.equal(checked.length, knownBoards().length);
  assert.deepEqual(checked.filter((c) => c.over).map(overMessage), []);
});
