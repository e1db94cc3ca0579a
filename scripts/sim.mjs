// npm run sim -- --repl: the firmware in the simulator (as `npm start` runs it) with a REPL on the device, as
// Espruino's console over USB would give: each line is evaluated on the device, among the firmware's globals.
// Options as for npm start: --config file, --board name, --broker mqtt://host:port, --lux form, --ir-ratio r.
// `.lux form` changes the light while it runs (a level, a ramp a..b/seconds, or day).
// Without --repl it is `npm start`.
import repl from 'node:repl';
import util from 'node:util';
import { ConfigError } from './config.mjs';
import { startSession } from './sim/session.mjs';
import { parseArgs } from './args.mjs';
import { LIGHT_FORMS } from './sim/light.mjs';

const argv = process.argv.slice(2);

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

async function main() {
  const session = await startSession(argv.filter((a) => a != '--repl'), { clientId: 'sim-repl' });
  const device = session.device;
  console.log(`simulator: REPL on the device; LuxGraph.stop() stops the built-in graph, .lux 2000 changes the light, .exit quits\n`);
  device.load(session.built.code);

  const r = repl.start({
    prompt: '> ',
    eval(cmd, context, file, callback) {
      try {
        callback(null, device.eval(cmd));
      } catch (e) {
        if (incomplete(e)) callback(new repl.Recoverable(uncaught(e)));
        else callback(uncaught(e));
      }
    },
    // results as Espruino shows them (=value); errors (already converted above) as name: message
    writer: (v) => (v instanceof Error ? `${v.name}: ${v.message}` : '=' + util.inspect(v, { depth: 2, breakLength: Infinity }))
  });

  r.defineCommand('lux', {
    help: `Change the light the sensor sees: ${LIGHT_FORMS}`,
    action(form) {
      try {
        console.log(`simulator: the sensor sees ${session.setLight(form)}`);
      } catch (e) {
        console.log(e.message);
      }
      this.displayPrompt();
    }
  });
  r.on('exit', () => session.stop());
  process.on('SIGTERM', () => session.stop());
}

try {
  parseArgs(argv, 'sim');
} catch (e) {
  console.error(`simulator: ${e.message}`);
  process.exit(1);
}
if (!argv.includes('--repl')) await import('./start.mjs');
else
  main().catch((e) => {
    console.error(e instanceof ConfigError ? `config error in ${e.message}` : `simulator: ${e.message}`);
    process.exit(1);
  });
