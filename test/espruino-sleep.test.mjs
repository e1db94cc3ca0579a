// Deep sleep on Espruino's interpreter (ESPRUINO names one), which has no deep sleep: a stand-in prints the sleep the
// firmware asks for, and the harness starts the interpreter again over the same flash as the wake's reset
// (scripts/espruino/espruino-sleep-rig.mjs). The flashed firmware against a real broker (aedes): the first boot sends and
// sleeps; the wakes that only sample keep their reading in flash and sleep with the radio off, the one before a
// send with it on; the send wake delivers them all, in order. Skipped, with the reason, without ESPRUINO or the
// MQTT module in modules/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { subscriber } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { memorySkip, workspace, firmwareUpload } from '../scripts/espruino/espruino-rig.mjs';
import { runSleepingEspruino } from '../scripts/espruino/espruino-sleep-rig.mjs';

const skip = memorySkip() ?? false;
process.env.PACE_GAP = process.env.PACE_GAP || '20';

test('the flashed firmware sleeps and wakes on the interpreter: each wake one reading in flash, every third a send, every reading at the broker in order', { skip, timeout: 400000 }, async () => {
  const broker = await startBroker();
  const sub = await subscriber({ port: broker.port, topic: 'test-topic' });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-sleep-'));
  try {
    const upload = await firmwareUpload(workspace(), broker.port, { mqtt: { diagnosticsSeconds: 0 }, sensor: { intervalSeconds: 300 }, more: { board: 'esp8266-4mb', power: { deepSleep: true, sendEvery: 3 } } });
    const starts = await runSleepingEspruino({ bin: process.env.ESPRUINO, upload: upload.flash, cwd, starts: 7, timeoutMs: 120000 });
    const all = starts.flatMap((s) => s.lines);
    assert.deepEqual(all.filter((l) => /Uncaught|OUT OF MEMORY|Invalid microseconds/.test(l)), [], all.join('\n'));
    assert.equal(starts.length, 7);
    assert.ok(starts.every((s) => s.micros > 0), `every start slept: ${starts.map((s) => s.micros)}`);
    assert.deepEqual(starts.map((s) => s.reason), ['power on', ...Array(6).fill('deep sleep')]);
    // the first boot and each send wake (the third, the sixth) sleep with the radio off, as do the wakes after them;
    // the wake before a send asks for the radio
    assert.deepEqual(starts.map((s) => s.option), [4, 4, 1, 4, 4, 1, 4]);
    const said = (i, re) => starts[i].lines.some((l) => re.test(l));
    assert.ok(said(1, /^power: wake 1 of 3: one reading, kept in flash$/) && said(3, /^power: wake 3 of 3: sending$/), all.join('\n'));
    assert.ok(!said(1, /^WiFi:/) && !said(2, /^WiFi:/), 'a wake that only samples never touches WiFi');
    // every reading of the first boot and the six wakes (the sixth a send), in order, each a period after the one
    // before on the clock the wakes carry over
    const readings = all.filter((l) => l.startsWith("('lux-1', ")).map((l) => +l.split(', ')[1]);
    assert.equal(readings.length, 7);
    for (let i = 2; i < 7; i++) assert.ok(Math.abs(readings[i] - readings[i - 1] - 300) <= 1, `reading ${i}: ${readings[i] - readings[i - 1]} s after the one before`);
    const deadline = Date.now() + 10000;
    while (sub.messages.length < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(sub.messages.map((m) => JSON.parse(m.text)[1]), readings);
  } finally {
    await sub.close();
    await broker.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
