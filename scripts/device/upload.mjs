// The upload's parts, which `npm run flash` (scripts/flash.mjs) runs in order: the config read and checked
// (loadConfig), the firmware built and its modules checked against the lock and minified where espruino-cli reads
// them (prepare), and what espruino-cli's output says of the upload (uploadOutcome, telnetNote).
import path from 'node:path';
import { ROOT, readConfigFile, validateConfig, configTrackedWarnings, tcpAddress } from '../config/index.mjs';
import { distDir } from '../lib/paths.mjs';
import { buildFirmware, writeBuild } from '../firmware/build.mjs';
import { OWN_MODULE_NAMES } from '../firmware/own-modules.mjs';
import { modulePaths, verifyModules, minifiedModules } from '../firmware/modules.mjs';
import { DeviceError } from './espruino-cli.mjs';

/** Reads and validates the config; the port is --port, else the config's device.port. */
export function loadConfig(opts) {
  const file = path.resolve(opts.config || path.join(ROOT, 'config.json'));
  for (const w of configTrackedWarnings(file)) console.error(w);
  const { board, firmware } = validateConfig(readConfigFile(file), { file: path.relative(process.cwd(), file) || file, board: opts.board });
  return { board, firmware, port: opts.port || firmware.device.port };
}

/**
 * Builds the firmware of a loaded config into `dist`, checks its modules against the lock and writes them, minified,
 * to dist/modules/, where the upload reads them.
 */
export async function prepare(opts, { board, firmware } = loadConfig(opts)) {
  const built = await buildFirmware({ board, firmware });
  const dist = distDir(opts.dist);
  const firmwareFile = writeBuild(built, dist);
  const paths = modulePaths();
  const own = built.modules || [];
  // the firmware's own modules are the build's: sent as it made them, never fetched
  const modules = await minifiedModules(await verifyModules(built.code, board, paths, OWN_MODULE_NAMES), paths, path.join(dist, 'modules'), own, firmware);
  return { board, firmware, built, dist, firmwareFile, modules, modulesDir: path.join(dist, 'modules') };
}

/** The note for an upload over the network of a firmware that will close the telnet console it came through. */
export function telnetNote(port, firmware) {
  if (!tcpAddress(port) || firmware.device.telnet) return null;
  return `note: this firmware closes the board's telnet console at boot (device.telnet is false): the next upload over the network will be refused. To keep it open, set "device": { "telnet": true } (docs/network.md, Flashing over WiFi)`;
}

/**
 * Reads espruino-cli's output after an upload (it exits with 0 even when it could not connect): throws a DeviceError
 * saying what went wrong. Over the network the board hangs up when a new firmware that closes its console starts,
 * which can be before espruino-cli confirms the upload: with `closesConsole` that is the expected end.
 */
export function uploadOutcome(output, code, { port, closesConsole }) {
  const network = tcpAddress(port);
  if (/Unable to connect/.test(output))
    throw new DeviceError(
      network
        ? `${port} took the connection but closed it at once: is it the board's telnet console? (docs/network.md, When it does not connect)`
        : `could not open ${port}: is another program (a REPL, the Web IDE) using it? On Linux, is your user in the dialout group?`
    );
  if (/upload failed/i.test(output))
    throw new DeviceError(
      'the board did not answer after the upload: press its reset button and flash again (README.md, Troubleshooting). ' +
        'A board that sleeps between readings (power.deepSleep) answers only while awake: press its reset button, then flash within 30 s, or hold its stay-awake pin (power.stayAwakePin) low while it wakes (docs/battery.md, Staying reachable)'
    );
  if (code !== 0) throw new DeviceError(`espruino-cli exited with code ${code}: see its output above (README.md, Troubleshooting)`);
  const error = /RECEIVE ERROR: .*"code":"(\w+)"/.exec(output);
  const hungUp = error || (/Disconnected\./.test(output) && !/Upload Complete/.test(output));
  if (network && hungUp && !closesConsole)
    throw new DeviceError(`the connection to ${port} was lost before the upload was confirmed${error ? ` (${error[1]})` : ''}: flash again (docs/network.md, When it does not connect)`);
}
