// The firmware's deep sleep on Espruino's Linux port: the upload with the sleep's stand-in (espruino-sleep-shims.js,
// a boot file after the stand-in hardware), and the harness that restarts the interpreter over the same flash
// after each sleep it asks for, as the wake's reset.
import { bootFile, flashed } from './espruino-rig.mjs';
import { startEspruino } from './espruino.mjs';

/** The stand-in, as a boot file holds it. */
const SLEEP_SHIMS = bootFile('./espruino-sleep-shims.js');

/** The request the stand-in prints: the sleep in µs, the option, and the firmware's awake time in ms. */
const SLEPT = /^@@SLEEP (\d+) (\d+) (\d+)$/;

/** Everything typed into the REPL: the harness and the sleep's stand-in written to Storage, then the upload. */
export const flashedSleeping = (upload) => flashed(upload, [SLEEP_SHIMS]);

/**
 * Runs `upload` (an upload from firmwareUpload()) on the interpreter `bin` in folder `cwd` through `starts` starts:
 * the first from the upload, each next one from the flash once the one before asked to sleep. Returns the starts:
 * [{ reason: 'power on' | 'deep sleep', micros, option, awakeMs, lines }]; a start that did not sleep within
 * `timeoutMs` ends the run, with the lines it printed.
 */
export async function runSleepingEspruino({ bin, upload, cwd, starts, timeoutMs = 60000, onLine = () => {} }) {
  const out = [];
  for (let i = 0; i < starts; i++) {
    const start = { reason: i ? 'deep sleep' : 'power on', lines: [] };
    out.push(start);
    let slept, esp;
    const asleep = new Promise((resolve) => (slept = resolve));
    esp = startEspruino({
      bin,
      cwd,
      upload: i ? undefined : flashedSleeping(upload),
      timeoutMs,
      onLine: (line) => {
        start.lines.push(line);
        onLine(line, i);
        const m = SLEPT.exec(line);
        if (m) {
          Object.assign(start, { micros: +m[1], option: +m[2], awakeMs: +m[3] });
          slept();
        }
      }
    });
    const ended = await Promise.race([asleep.then(() => 'slept'), esp.exited.then(() => 'exited')]);
    await esp.stop();
    if (ended != 'slept') break;
  }
  return out;
}
