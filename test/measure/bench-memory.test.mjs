// The memory column on a real Espruino interpreter, where ESPRUINO names one (and the MQTT module is in modules/):
// the flashed firmware connects to a real broker, buffers while it is gone, reconnects and flushes when it is back,
// and the minimal firmware and the harness are measured in the same run, as are the firmware with three filters and
// with every operator for the REPL. Skipped, with the reason, elsewhere.
//
// In test/measure/: npm test runs it alone, after the other tests. Run beside them, the interpreter's event loop
// falls behind, timers that fall due apart run in one turn, and what one left in RAM (a report's packet still in
// the socket) adds to the next one's peak: the figures would measure the machine's load, not the firmware.
import test from 'node:test';
import assert from 'node:assert/strict';
import { measureMemory } from '../../scripts/bench/memory.mjs';
import { memorySkip } from '../../scripts/espruino/espruino-rig.mjs';
import { checkBudget, memoryFigures, memoryMoments, overMessage } from '../../scripts/bench/budget.mjs';

test('memory on the Espruino interpreter: flashed firmware through connect, full buffer and reconnect; minimal firmware alongside', { skip: memorySkip() ?? false, timeout: 600000 }, async () => {
  const m = await measureMemory();
  const { flash, minimal } = m;
  assert.deepEqual(flash.errors, [], 'no uncaught error and no OUT OF MEMORY in the flashed firmware');
  assert.ok(flash.bare > 0 && flash.harness > 0, `the harness measured itself: bare ${flash.bare}, harness ${flash.harness}`);
  for (const k of ['startup', 'connected', 'bufferFull', 'afterReconnect', 'peak']) assert.ok(Number.isInteger(flash[k]) && flash[k] > 0, `${k}: ${flash[k]}`);
  assert.ok(flash.peak >= flash.bufferFull && flash.peak >= flash.connected, 'the peak is the largest sample');
  assert.equal(flash.reconnected, true, 'the firmware reconnected when the broker came back and sent what it had buffered');
  assert.ok(Number.isInteger(minimal.connected) && minimal.connected > 0, `minimal firmware connected at ${minimal.connected}`);
  // the pipeline of three filters went through the same phases; its cost over none is reported, judged by the bench
  const { pipeline, allOperators } = m;
  assert.deepEqual(pipeline.errors, [], 'no uncaught error in the firmware with filters');
  assert.equal(pipeline.reconnected, true, 'the filtered readings were buffered and flushed like the raw ones');
  assert.ok(Number.isInteger(pipeline.overPeak) && pipeline.overPeak > 0, `3 filters: ${pipeline.overPeak} variables over none at peak`);
  assert.ok(Number.isInteger(allOperators.delta) && allOperators.delta > 0, `every operator: ${allOperators.delta} over none at start-up`);
  // the journal against the same firmware with it off: its state kept while readings go to flash, let go after
  const { journal } = m;
  assert.deepEqual(journal.off.errors, [], 'no uncaught error with the journal off');
  assert.equal(journal.off.reconnected, true);
  assert.ok(Number.isInteger(journal.bufferFull) && journal.bufferFull > journal.afterReconnect, `journal: ${JSON.stringify({ ...journal, off: undefined })}`);
  // the worst moment: a long backlog, over a hundred readings of it from flash, drained to the end
  const { drain } = m;
  assert.deepEqual(drain.errors, [], 'no uncaught error while the backlog drains');
  assert.equal(drain.reconnected, true, 'every reading of the long outage reached the broker');
  assert.ok(drain.fromFlash >= 100, `readings waiting in flash as the drain began: ${drain.fromFlash}`);

  // the device budget (bench/budget.json): each figure within its budget and the spread measured for it
  const over = checkBudget(memoryFigures(m), undefined, memoryMoments(m)).filter((c) => c.over);
  assert.deepEqual(over.map(overMessage), [], 'over the device budget');
});
