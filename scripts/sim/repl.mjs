// The simulator's REPL on the device, as Espruino's console over USB would give: each line is evaluated on the
// device, among the firmware's globals; `.lux form` changes the light while it runs.
import repl from 'node:repl';
import util from 'node:util';
import fs from 'node:fs';
import { LIGHT_FORMS } from './light.mjs';
import { operatorFiles } from '../firmware/bundle.mjs';

/** The operators' chainable names (`chain('slidingMean', …)` in each of src/runtime/ops). */
const operatorNames = () => operatorFiles().map((f) => (/\bchain\('(\w+)'/.exec(fs.readFileSync(f, 'utf8')) || [])[1]);

/**
 * What to add to a device error that calls an operator this build left out (`sensor.slidingMean is not a
 * function`): the device itself says nothing more, as the sentence would cost its RAM. Null for any other error.
 */
export function missingOperatorHint(e, allOperators) {
  const m = !allOperators && e && e.name == 'TypeError' && /(?:^|\.)(\w+) is not a function$/.exec(e.message);
  if (!m || !operatorNames().includes(m[1])) return null;
  return `${m[1]} is an operator this build leaves out (only sensor.filters are built in, as one stage): "repl": { "allOperators": true } in the config brings every operator in, for the REPL`;
}

/** Input the device has not seen the end of yet (an open bracket): the REPL asks for more lines. */
function incomplete(e) {
  return e && e.name == 'SyntaxError' && /end of input|Unterminated template/.test(e.message);
}

/** An error thrown on the device (another realm) as the REPL shows it: `Uncaught TypeError: x is not defined`. */
function uncaught(e) {
  if (!e || typeof e != 'object' || !('message' in e)) return e;
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = `${e.name}: ${e.message}`;
  return err;
}

/** Starts the REPL on a running session's device; leaving it stops the session. */
export function startRepl(session) {
  const device = session.device, allOperators = session.built.firmware.pipeline.allOperators;
  const r = repl.start({
    prompt: '> ',
    eval(cmd, context, file, callback) {
      try {
        callback(null, device.eval(cmd));
      } catch (e) {
        if (incomplete(e)) callback(new repl.Recoverable(uncaught(e)));
        else {
          const hint = missingOperatorHint(e, allOperators);
          if (hint) console.log(`simulator: ${hint}`);
          callback(uncaught(e));
        }
      }
    },
    // results as Espruino shows them (=value); errors (already converted above) as name: message
    writer: (v) => (v instanceof Error ? `${v.name}: ${v.message}` : '=' + util.inspect(v, { depth: 2, breakLength: Infinity }))
  });

  r.defineCommand('lux', {
    help: `Change the light the sensor sees: ${LIGHT_FORMS}`,
    action(form) {
      try {
        console.log(`simulator: the sensor sees ${session.setLight(form, '.lux')}`);
      } catch (e) {
        console.log(e.message);
      }
      this.displayPrompt();
    }
  });
  r.on('exit', () => session.stop());
}
