// npm start: builds the firmware and runs that same bundle in the simulator, with a simulated TSL2591 and the
// embedded broker (or --broker mqtt://host:port), and prints what a subscriber on the broker receives.
// Options: --config file, --board name, --broker url, --lux form (a level, a ramp a..b/seconds, or day: scripts/sim/light.mjs), --ir-ratio r.
import { runSimulator } from './sim/entry.mjs';

runSimulator('start');
