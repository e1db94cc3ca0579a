// npm run repl -- --port /dev/ttyUSB0 [--config file] [--board name] [--baud n] [--dry-run]
//
// Opens the board's interactive REPL through espruino-cli's terminal, on a serial port or over the network
// (--port tcp://HOST[:PORT]); the port defaults to the config's device.port. Ctrl-C twice leaves. What the board
// prints is shown with the config's passwords as ***. --dry-run prints the exact command and connects to nothing.
import { DEFAULTS } from './lib/defaults.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ConfigError, readConfigFile, validateConfig, loadBoard, tcpAddress } from './config/index.mjs';
import { distDir } from './lib/paths.mjs';
import { DeviceError, findEspruinoCli, checkPort, probePort, writeBoardJson, connectOptions, shellLine, runEspruinoCli } from './device/espruino-cli.mjs';
import { parseArgs, UsageError } from './cli/args.mjs';
import { answerHelp, commandHelp } from './cli/help.mjs';
import { secretsOf } from './cli/redact-stream.mjs';

/** The board, the secrets to hide and the port (--port, else device.port), from the config when there is one (the REPL works without it). */
function fromConfig(opts) {
  const file = path.resolve(opts.config || path.join(ROOT, 'config.json'));
  if (!opts.config && !fs.existsSync(file)) return { board: loadBoard(opts.board || DEFAULTS.board), secrets: [], port: opts.port };
  const { board, firmware } = validateConfig(readConfigFile(file), { file: path.relative(process.cwd(), file) || file, board: opts.board });
  return { board, secrets: secretsOf(firmware), port: opts.port || firmware.device.port };
}

async function main() {
  answerHelp(process.argv.slice(2), () => commandHelp('repl'));
  const opts = parseArgs(process.argv.slice(2), 'repl');
  const cli = findEspruinoCli();
  const { board, secrets, port } = fromConfig(opts);
  if (!opts.dryRun) checkPort(port, { command: 'repl' });
  const baud = +(opts.baud || board.baud || 115200);
  // with a board file espruino-cli neither asks the board for its details nor downloads them
  const boardJson = writeBoardJson(board, distDir(opts.dist));
  const args = [...connectOptions(port || '<port>', baud), '--board', boardJson];
  if (opts.dryRun) {
    console.log(`dry run: the REPL for ${board.name} would run (it sends nothing by itself)`);
    console.log('  ' + shellLine(['node', cli, ...args]));
    return;
  }
  await probePort(port);
  console.log(`REPL on ${port}${tcpAddress(port) ? '' : ` at ${baud} baud`} (${board.name}). Press Ctrl-C twice to leave.`);
  const { output } = await runEspruinoCli(cli, args, { secrets, stdin: 'inherit' });
  if (/Unable to connect/.test(output))
    throw new DeviceError(`could not open ${port}: is another program (npm run flash, the Web IDE) using it? On Linux, is your user in the dialout group?`);
  const lost = /RECEIVE ERROR: .*"code":"(\w+)"/.exec(output);
  if (lost) throw new DeviceError(`the connection to ${port} failed (${lost[1]}) (README.md, Troubleshooting; over the network: docs/network.md)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname))
  main().catch((e) => {
    if (e instanceof ConfigError) console.error(`config error in ${e.message}`);
    else if (e instanceof DeviceError || e instanceof UsageError) console.error(`repl: ${e.message}`);
    else console.error(`repl failed: ${e.message}`);
    process.exit(1);
  });
