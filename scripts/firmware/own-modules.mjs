// The firmware's own modules: the Storage files beside .bootcde that the firmware require()s while it has work for
// them, and which of them a build ships.

/** The Storage file holding the journal's code (src/journal/journal.ts), which the writer require()s only when needed. */
export const JOURNAL_MODULE = 'lgjournal';

/**
 * The firmware's own modules: Storage files of their own, each `name` built from `entry` (in src/), which the
 * firmware loads with require() only while it has work for them; `what` they hold, for the upload's listing;
 * `wanted(firmware, debug)`: whether a build of that config, with that readable bundle, ships it.
 * The control modules hold the rarely-run code that src/control/control.ts runs (a bundle without control() ships
 * none of them); the journal's is shipped when the config turns the journal on.
 */
export const OWN_MODULES = [
  { name: 'lgwifi', entry: 'control/wifi.ts', what: 'WiFi join and retries', wanted: (firmware, debug) => usesControl(debug) },
  { name: 'lgcommand', entry: 'control/commands.ts', what: 'commands', wanted: (firmware, debug) => usesControl(debug) && firmware.mqtt.commands !== false },
  { name: 'lgdiag', entry: 'control/diagnostics.ts', what: 'health report', wanted: (firmware, debug) => usesControl(debug) && firmware.mqtt.diagnostics !== false },
  { name: JOURNAL_MODULE, entry: 'journal/journal.ts', what: 'journal', wanted: (firmware) => !!firmware.mqtt.writer.journal },
  { name: 'lgpower', entry: 'power/power.ts', what: 'deep sleep', wanted: (firmware, debug) => usesControl(debug) && !!(firmware.power && firmware.power.deepSleep) }
];

/** Every name an own module may have: what the upload marks as there already, so espruino-cli never looks for them. */
export const OWN_MODULE_NAMES = OWN_MODULES.map((m) => m.name);

/** The name the control modules check the upload's id by: a bundle that has it runs control(). */
export const BUILD_ID = 'BUILD_ID';
const usesControl = (code) => new RegExp(`\\b${BUILD_ID}\\b`).test(code);

/** The own modules a build of `firmware` ships ({ name, entry, what }), given its readable bundle. */
export const ownModules = (firmware, debug) => (firmware ? OWN_MODULES.filter((m) => m.wanted(firmware, debug)) : []);
