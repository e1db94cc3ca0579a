// The one entry of `npm start` and `npm run sim`: the command line checked, the firmware built and run in the
// simulator, what reaches its topic printed, and with --repl (npm run sim only) a REPL on the device. A problem is
// reported the same way by both.
import { ConfigError } from '../config/index.mjs';
import { parseArgs } from '../cli/args.mjs';
import { answerHelp, commandHelp } from '../cli/help.mjs';
import { startSession } from './session.mjs';
import { startRepl } from './repl.mjs';
import { runSleeping } from './sleeping-session.mjs';

/** Runs `command` ('start' or 'sim') with this process's command line; exits 1 with the message on a problem. */
export function runSimulator(command) {
  answerHelp(process.argv.slice(2), () => commandHelp(command));
  run(process.argv.slice(2), command).catch((e) => {
    console.error(e instanceof ConfigError ? `config error in ${e.message}` : `simulator: ${e.message}`);
    process.exit(1);
  });
}

async function run(argv, command) {
  const withRepl = parseArgs(argv, command).repl;
  const session = await startSession(argv.filter((a) => a != '--repl'), { clientId: withRepl ? 'sim-repl' : 'sim-subscriber' });
  // (the exit that follows the message ends the session)
  if (withRepl && session.built.firmware.power.deepSleep)
    throw new Error('a board that sleeps between readings (power.deepSleep) is not at its REPL while it sleeps: watch it with npm start, or leave power.deepSleep out to try the runtime at the REPL');
  if (withRepl) {
    console.log(`simulator: REPL on the device; LuxGraph.stop() stops the built-in graph, .lux 2000 changes the light, .exit quits\n`);
    session.device.load(session.built.code);
    startRepl(session);
    process.on('SIGTERM', () => session.stop());
    return;
  }
  console.log(`simulator: subscribed to the firmware's topic on the broker; Ctrl-C stops\n`);
  // a config that sleeps runs through its wakes on a fast clock (the session's device stays unused)
  const sleeping = session.built.firmware.power.deepSleep && runSleeping(session);
  if (!sleeping) session.device.load(session.built.code);
  const stop = () => {
    console.log('\nsimulator: stopping');
    if (sleeping) sleeping.stop();
    session.stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
