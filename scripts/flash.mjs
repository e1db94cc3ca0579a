// npm run flash -- --port /dev/ttyUSB0 [--config file] [--board name] [--baud n] [--dist dir] [--dry-run]
//
// Builds the firmware, checks the modules it needs against modules.lock.json (never downloading) and minifies them,
// and uploads it with espruino-cli at the board's baud rate, or over the network to the board's telnet console
// (--port tcp://HOST[:PORT]), saved to flash as the boot code so it runs after a power cycle. The port defaults to
// the config's device.port. --dry-run prints the exact espruino-cli command and, without connecting, writes the
// exact code it would send to dist/upload.js.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ConfigError, readConfigFile, validateConfig, redact, configTrackedWarnings, tcpAddress, boardWarnings, describePin, featureLine, tlsWords } from './config/index.mjs';
import { distDir } from './lib/paths.mjs';
import { buildFirmware, writeBuild, OWN_MODULES, OWN_MODULE_NAMES } from './firmware/build.mjs';
import { parseArgs as parseCommandLine, UsageError } from './cli/args.mjs';
import { answerHelp, commandHelp } from './cli/help.mjs';
import { modulePaths, verifyModules, minifiedModules, ModuleError } from './firmware/modules.mjs';
import { DeviceError, findEspruinoCli, checkPort, probePort, writeBoardJson, uploadOptions, connectOptions, shellLine, runEspruinoCli } from './device/espruino-cli.mjs';
import { secretsOf } from './cli/redact-stream.mjs';
import { storageFiles, checkStorage } from './device/storage.mjs';

/** Reads the options of `npm run flash` (or of another command taking the same ones, such as repl). */
export function parseArgs(argv, command = 'flash') {
  const opts = parseCommandLine(argv, command);
  if (opts.baud !== undefined && !/^\d+$/.test(opts.baud)) throw new UsageError(`--baud must be a number such as 115200, got "${opts.baud}"`);
  return opts;
}

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

async function main() {
  answerHelp(process.argv.slice(2), () => commandHelp('flash'));
  const opts = parseArgs(process.argv.slice(2));
  const cli = findEspruinoCli();
  const config = loadConfig(opts);
  const port = config.port;
  if (!opts.dryRun) {
    checkPort(port, { command: 'flash' });
    await probePort(port); // before the build: an unreachable board is reported at once
  }
  const p = await prepare(opts, config);
  const { board, firmware, built, dist, firmwareFile, modules } = p;
  for (const w of boardWarnings(firmware)) console.error(w);
  const c = redact(firmware);
  const baud = +(opts.baud || board.baud || 115200);
  const network = tcpAddress(port);
  console.log(`1/3 built ${path.relative(process.cwd(), firmwareFile)} for ${board.name}: ${built.sizes.minified} bytes minified`);
  console.log(`    WiFi '${c.wifi.ssid}' (password ${c.wifi.password ? '***' : 'none'}), broker ${c.mqtt.host}:${c.mqtt.port}${tlsWords(c.mqtt.tls)}, topic '${c.mqtt.topic}'`);
  console.log('    ' + featureLine(board, firmware));
  console.log(`    TSL2591 on ${board.i2c}: SDA ${describePin(board, 'sda')}, SCL ${describePin(board, 'scl')}`);
  const own = new Map(OWN_MODULES.map((m) => [m.name, m.what]));
  const listed = modules.map((m) => (own.has(m.name) ? `${m.name} (the firmware's ${own.get(m.name)}, built with it: ${m.bytes} bytes)` : `${m.name} (matches the lock; sent minified, ${m.bytes} bytes)`));
  console.log(`2/3 modules: ${listed.length ? listed.join(', ') : 'none needed'}; built into ${board.espruinoBoard}: ${(board.builtinModules || []).join(', ')}`);
  console.log('    ' + checkStorage(storageFiles(built.code.length, modules), board, (t) => new DeviceError(t)).line);
  const note = telnetNote(port, firmware);
  if (note) console.log(note);

  // each module as a Storage file of its own, the firmware alone as .bootcde
  // a require() of the journal's module where it is off (buffer.journal 0) is never run: espruino-cli leaves it alone
  const boardJson = writeBoardJson(board, dist, { stored: [...new Set([...modules.map((m) => m.name), ...OWN_MODULE_NAMES])] });
  const out = path.join(dist, 'upload.js');
  const upload = uploadOptions({ boardJson, modulesDir: p.modulesDir, out, stored: modules });
  const command = ['node', cli, ...connectOptions(port || '<port>', baud), ...upload, firmwareFile];
  const secrets = secretsOf(firmware);

  if (opts.dryRun) {
    console.log('3/3 dry run: the upload would run');
    console.log('  ' + shellLine(command));
    // the same options without a port: espruino-cli does not connect and writes what it would send
    fs.rmSync(out, { force: true });
    const { code } = await runEspruinoCli(cli, ['-n', ...upload, firmwareFile], { secrets });
    if (code !== 0 || !fs.existsSync(out)) throw new DeviceError(`espruino-cli failed (exit code ${code}) while preparing the upload`);
    console.log(`    the code it would send (${fs.statSync(out).size} bytes, saved to flash as .bootcde) is in ${path.relative(process.cwd(), out)}`);
    return;
  }

  const seconds = Math.ceil(((fs.statSync(firmwareFile).size + 4000) * 10) / (network ? 115200 : baud) + 3);
  const via = network ? `over the network to ${network.host}:${network.port}` : `to ${port} at ${baud} baud`;
  console.log(`3/3 uploading ${via} with espruino-cli, saving to flash (about ${seconds} s)…`);
  console.log('  ' + shellLine(command));
  const started = Date.now();
  const ticker = setInterval(() => process.stdout.write(`    … ${Math.round((Date.now() - started) / 1000)} s\n`), 5000);
  const { code, output } = await runEspruinoCli(cli, command.slice(2), { secrets }).finally(() => clearInterval(ticker));
  uploadOutcome(output, code, { port, closesConsole: !!note });
  const took = Math.round((Date.now() - started) / 1000);
  if (note) console.log(`done in ${took} s: the board restarted from flash and runs the firmware, which closed its telnet console (device.telnet is false); watch it on its serial port`);
  else console.log(`done in ${took} s: the board restarted from flash and runs the firmware. Watch it with: npm run repl${opts.port ? ` -- --port ${port}` : ''}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname))
  main().catch((e) => {
    if (e instanceof ConfigError) console.error(`config error in ${e.message}`);
    else if (e instanceof DeviceError || e instanceof ModuleError || e instanceof UsageError) console.error(`flash: ${e.message}`);
    else console.error(`flash failed: ${e.message}`);
    process.exit(1);
  });
