// sensor.filters on a real Espruino interpreter, where ESPRUINO names one (and the MQTT module is in modules/), as
// the build fuses them into one stage: the flashed firmware with onChange → heartbeat → take publishes the first
// reading, repeats it every second by the interpreter's own timers (which call the stage back with its arguments),
// and completes after four, which the console (sensor.console "filtered") says; a window, a clamp, a throttle by
// the interpreter's clock and a rounding go the same way. Skipped, with the reason, elsewhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import { memorySkip, workspace, firmwareUpload, flashed } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

/** The flashed firmware with `filters` on the interpreter for 9 s: what reached the broker, and the console. */
async function onEspruino(filters) {
  const broker = await startBroker();
  const got = [];
  broker.aedes.on('publish', (p, client) => client && p.topic == 'test-topic' && got.push(JSON.parse(p.payload.toString())));
  const upload = await firmwareUpload(workspace(), broker.port, { sensor: { filters, console: 'filtered' }, more: { board: 'esp8266-4mb' } });
  const lines = [];
  const esp = startEspruino({ bin: process.env.ESPRUINO, upload: flashed(upload.flash), timeoutMs: 9000, onLine: (l) => lines.push(l) });
  await esp.exited;
  await broker.close();
  assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY|@@CLEAR_UNDEFINED/.test(l)), [], lines.join('\n'));
  return { got, lines };
}

test('on Espruino: a pipeline of three filters, its timer, and its completion', { skip: memorySkip() ?? false, timeout: 60000 }, async () => {
  const { got, lines } = await onEspruino([{ onChange: 0 }, { heartbeat: 1 }, { take: 4 }]);
  // the shims' steady light reads 188.0525 lux: passed once, then only repeated by the heartbeat
  assert.deepEqual(got.map((e) => e[2]), [188.0525, 188.0525, 188.0525, 188.0525], JSON.stringify(got));
  const ts = got.map((e) => e[1] - got[0][1]);
  assert.ok(ts.every((t, i) => Math.abs(t - i) <= 1), `one a second: ${ts}`);
  const printed = lines.filter((l) => l.startsWith("('lux-1'"));
  assert.equal(printed.length, 4, `the console prints what is published:\n${lines.join('\n')}`);
  assert.ok(lines.includes('completed'), 'the completion passed through every filter to the console');
});

test('on Espruino: slidingMean → clamp → throttle → round → take', { skip: memorySkip() ?? false, timeout: 60000 }, async () => {
  // readings every 0.1 s of a steady 188.0525 lux: their mean clamped to 100, one a second, three in all
  const { got, lines } = await onEspruino([{ slidingMean: 3 }, { clamp: [0, 100.4] }, { throttle: 1 }, { round: 0 }, { take: 3 }]);
  assert.deepEqual(got.map((e) => e[2]), [100, 100, 100], JSON.stringify(got));
  const ts = got.map((e) => e[1] - got[0][1]);
  assert.ok(ts.every((t, i) => Math.abs(t - i) <= 1), `one a second: ${ts}`);
  assert.equal(lines.filter((l) => l.startsWith("('lux-1'")).length, 3, lines.join('\n'));
  assert.ok(lines.includes('completed'), lines.join('\n'));
});
