// npm run flash -- --port /dev/ttyUSB0 [--config file] [--board name] [--baud n] [--dist dir] [--dry-run]
//
// Builds the firmware, checks the modules it needs against modules.lock.json (never downloading) and minifies them,
// and uploads it with espruino-cli at the board's baud rate, or over the network to the board's telnet console
// (--port tcp://HOST[:PORT]), saved to flash as the boot code so it runs after a power cycle. The port defaults to
// the config's device.port. --dry-run prints the exact espruino-cli command and, without connecting, writes the
// exact code it would send to dist/upload.js.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, redact, tcpAddress, boardWarnings, describePin, featureLine, tlsWords } from './config/index.mjs';
import { OWN_MODULES, OWN_MODULE_NAMES } from './firmware/own-modules.mjs';
import { ModuleError } from './firmware/modules.mjs';
import { parseArgs, UsageError } from './cli/args.mjs';
import { answerHelp, commandHelp } from './cli/help.mjs';
import { secretsOf } from './cli/redact-stream.mjs';
import { DeviceError, findEspruinoCli, checkPort, probePort, writeBoardJson, uploadOptions, connectOptions, shellLine, runEspruinoCli } from './device/espruino-cli.mjs';
import { storageFiles, checkStorage } from './device/storage.mjs';
import { loadConfig, prepare, telnetNote, uploadOutcome } from './device/upload.mjs';

async function main() {
  answerHelp(process.argv.slice(2), () => commandHelp('flash'));
  const opts = parseArgs(process.argv.slice(2), 'flash');
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
