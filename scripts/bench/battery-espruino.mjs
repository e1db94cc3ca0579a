// The awake times of deep sleep's wakes on Espruino's interpreter (ESPRUINO names one): the flashed firmware, whose
// sleeps a stand-in prints and the harness answers by starting the interpreter again over the same flash
// (scripts/espruino/espruino-sleep-rig.mjs), against a real broker (aedes). The time is the firmware's, from the boot
// file before it to the sleep it asks for, in the interpreter's wall time on this machine (a PC: an ESP8266 is
// slower), the interpreter's own start apart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBroker } from '../sim/broker.mjs';
import { memorySkip, workspace, firmwareUpload } from '../espruino/espruino-rig.mjs';
import { runSleepingEspruino } from '../espruino/espruino-sleep-rig.mjs';
import { spread } from './stats.mjs';

/** The wakes per send on the interpreter: fewer than the 12 of the simulator's cycle, each start taking seconds. */
const SEND_EVERY = 4;

/** Runs `cycles` send cycles after the first boot; { sampleWakeMs, sendWakeMs } ({ median, max }), or { skipped }. */
export async function measureBatteryEspruino({ cycles = 2 } = {}) {
  const skipped = memorySkip();
  if (skipped) return { skipped };
  const broker = await startBroker();
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sleep-'));
  try {
    const upload = await firmwareUpload(workspace(), broker.port, {
      mqtt: { diagnosticsSeconds: 0 },
      sensor: { intervalSeconds: 300 },
      more: { board: 'esp8266-4mb', power: { deepSleep: true, sendEvery: SEND_EVERY } }
    });
    const starts = await runSleepingEspruino({ bin: process.env.ESPRUINO, upload: upload.flash, cwd, starts: 1 + cycles * SEND_EVERY, timeoutMs: 120000 });
    const wakes = starts.slice(1);
    if (wakes.some((s) => s.awakeMs === undefined)) throw new Error(`a wake did not sleep: ${wakes.map((s) => s.lines.join('\n')).join('\n---\n')}`);
    const isSend = (s) => s.lines.some((l) => /^power: wake \d+ of \d+: sending$/.test(l));
    return { sendEvery: SEND_EVERY, sampleWakeMs: spread(wakes.filter((s) => !isSend(s)).map((s) => s.awakeMs)), sendWakeMs: spread(wakes.filter(isSend).map((s) => s.awakeMs)) };
  } finally {
    await broker.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}
