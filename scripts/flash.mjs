// npm run flash -- --port /dev/ttyUSB0 [--config file] [--board name] [--baud n] [--dist dir] [--dry-run]
//
// Builds the firmware, checks the modules it needs against modules.lock.json (never downloading), and uploads it
// with espruino-cli at the board's baud rate, saved to flash as the boot code so it runs after a power cycle.
// --dry-run prints the exact espruino-cli command and, without connecting, writes the exact code it would send
// to dist/upload.js.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ConfigError, readConfigFile, validateConfig, redact, configTrackedWarnings, boardWarnings, describePin } from './config.mjs';
import { buildFirmware, writeBuild } from './build.mjs';
import { parseArgs as parseCommandLine, UsageError } from './args.mjs';
import { modulePaths, verifyModules, ModuleError } from './modules.mjs';
import { DeviceError, findEspruinoCli, checkPort, writeBoardJson, uploadOptions, connectOptions, shellLine, runEspruinoCli } from './espruino-cli.mjs';
import { secretsOf } from './redact-stream.mjs';

/** Reads the options of `npm run flash` (or of another command taking the same ones, such as repl). */
export function parseArgs(argv, command = 'flash') {
  const opts = parseCommandLine(argv, command);
  if (opts.baud !== undefined && !/^\d+$/.test(opts.baud)) throw new UsageError(`--baud must be a number such as 115200, got "${opts.baud}"`);
  return opts;
}

/** Validates the config, builds the firmware into `dist`, and checks its modules. */
export async function prepare(opts) {
  const file = path.resolve(opts.config || path.join(ROOT, 'config.json'));
  for (const w of configTrackedWarnings(file)) console.error(w);
  const { board, firmware } = validateConfig(readConfigFile(file), { file: path.relative(process.cwd(), file) || file, board: opts.board });
  const built = await buildFirmware({ board, firmware });
  const dist = path.resolve(opts.dist || path.join(ROOT, 'dist'));
  const firmwareFile = writeBuild(built, dist);
  const paths = modulePaths();
  const modules = verifyModules(built.code, board, paths);
  return { board, firmware, built, dist, firmwareFile, modules, paths };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cli = findEspruinoCli();
  if (!opts.dryRun) checkPort(opts.port, { command: 'flash' });
  const p = await prepare(opts);
  const { board, firmware, built, dist, firmwareFile, modules } = p;
  for (const w of boardWarnings(firmware)) console.error(w);
  const c = redact(firmware);
  const baud = +(opts.baud || board.baud || 115200);
  console.log(`1/3 built ${path.relative(process.cwd(), firmwareFile)} for ${board.name}: ${built.sizes.minified} bytes minified`);
  console.log(`    WiFi '${c.wifi.ssid}' (password ${c.wifi.password ? '***' : 'none'}), broker ${c.mqtt.host}:${c.mqtt.port}, topic '${c.mqtt.topic}'`);
  console.log(`    TSL2591 on ${board.i2c}: SDA ${describePin(board, 'sda')}, SCL ${describePin(board, 'scl')}`);
  console.log(
    `2/3 modules: ${modules.length ? modules.map((m) => m + ' (matches the lock)').join(', ') : 'none needed'}; built into ${board.espruinoBoard}: ${(board.builtinModules || []).join(', ')}`
  );

  const boardJson = writeBoardJson(board, dist);
  const out = path.join(dist, 'upload.js');
  const upload = uploadOptions({ boardJson, modulesDir: p.paths.dir, out });
  const command = ['node', cli, ...connectOptions(opts.port || '<port>', baud), ...upload, firmwareFile];
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

  const seconds = Math.ceil(((fs.statSync(firmwareFile).size + 4000) * 10) / baud + 3);
  console.log(`3/3 uploading to ${opts.port} at ${baud} baud with espruino-cli, saving to flash (about ${seconds} s)…`);
  console.log('  ' + shellLine(command));
  const started = Date.now();
  const ticker = setInterval(() => process.stdout.write(`    … ${Math.round((Date.now() - started) / 1000)} s\n`), 5000);
  const { code, output } = await runEspruinoCli(cli, command.slice(2), { secrets }).finally(() => clearInterval(ticker));
  if (/Unable to connect/.test(output))
    throw new DeviceError(`could not open ${opts.port}: is another program (a REPL, the Web IDE) using it? On Linux, is your user in the dialout group?`);
  if (/upload failed/i.test(output)) throw new DeviceError('the board did not answer after the upload: press its reset button and flash again (README.md, Troubleshooting)');
  if (code !== 0) throw new DeviceError(`espruino-cli exited with code ${code}: see its output above (README.md, Troubleshooting)`);
  console.log(`done in ${Math.round((Date.now() - started) / 1000)} s: the board restarted from flash and runs the firmware. Watch it with: npm run repl -- --port ${opts.port}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname))
  main().catch((e) => {
    if (e instanceof ConfigError) console.error(`config error in ${e.message}`);
    else if (e instanceof DeviceError || e instanceof ModuleError || e instanceof UsageError) console.error(`flash: ${e.message}`);
    else console.error(`flash failed: ${e.message}`);
    process.exit(1);
  });
