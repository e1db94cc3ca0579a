// npm run sim -- --repl: the firmware in the simulator (as `npm start` runs it) with a REPL on the device, as
// Espruino's console over USB would give: each line is evaluated on the device, among the firmware's globals.
// Options as for npm start: --config file, --board name, --broker mqtt://host:port, --lux form, --ir-ratio r.
// `.lux form` changes the light while it runs (a level, a ramp a..b/seconds, or day).
// Without --repl it is `npm start`.
import { runSimulator } from './sim/entry.mjs';

runSimulator('sim');
