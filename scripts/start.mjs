// npm start: builds the firmware and runs that same bundle in the simulator, with a simulated TSL2591 and the
// embedded broker (or --broker mqtt://host:port), and prints what a subscriber on the broker receives.
// Options: --config file, --board name, --broker url, --lux form (a level, a ramp a..b/seconds, or day: scripts/sim/light.mjs), --ir-ratio r.
import { ConfigError } from './config.mjs';
import { startSession } from './sim/session.mjs';

async function main() {
  const session = await startSession(process.argv.slice(2), { clientId: 'sim-subscriber' });
  console.log(`simulator: subscribed to the firmware's topic on the broker; Ctrl-C stops\n`);
  session.device.load(session.built.code);
  const stop = () => {
    console.log('\nsimulator: stopping');
    session.stop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `config error in ${e.message}` : `simulator: ${e.message}`);
  process.exit(1);
});
