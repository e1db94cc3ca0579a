// npm run repl -- --port /dev/ttyUSB0 [--config file] [--board name] [--baud n] [--dry-run]
//
// Opens the board's interactive REPL through espruino-cli's terminal. Ctrl-C twice leaves. What the board prints is
// shown with the config's passwords as ***. --dry-run prints the exact command and connects to nothing.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, ConfigError, readConfigFile, validateConfig, loadBoard } from './config.mjs';
import { DeviceError, findEspruinoCli, checkPort, writeBoardJson, connectOptions, shellLine, runEspruinoCli } from './espruino-cli.mjs';
import { parseArgs } from './flash.mjs';
import { UsageError } from './args.mjs';
import { secretsOf } from './redact-stream.mjs';

/** The board, and the secrets to hide, from the config when there is one (the REPL works without it). */
function boardAndSecrets(opts) {
  const file = path.resolve(opts.config || path.join(ROOT, 'config.json'));
  if (!opts.config && !fs.existsSync(file)) return { board: loadBoard(opts.board || 'esp8266'), secrets: [] };
  const { board, firmware } = validateConfig(readConfigFile(file), { file: path.relative(process.cwd(), file) || file, board: opts.board });
  return { board, secrets: secretsOf(firmware) };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), 'repl');
  const cli = findEspruinoCli();
  if (!opts.dryRun) checkPort(opts.port, { command: 'repl' });
  const { board, secrets } = boardAndSecrets(opts);
  const baud = +(opts.baud || board.baud || 115200);
  // with a board file espruino-cli neither asks the board for its details nor downloads them
  const boardJson = writeBoardJson(board, path.resolve(opts.dist || path.join(ROOT, 'dist')));
  const args = [...connectOptions(opts.port || '<port>', baud), '--board', boardJson];
  if (opts.dryRun) {
    console.log(`dry run: the REPL for ${board.name} would run (it sends nothing by itself)`);
    console.log('  ' + shellLine(['node', cli, ...args]));
    return;
  }
  console.log(`REPL on ${opts.port} at ${baud} baud (${board.name}). Press Ctrl-C twice to leave.`);
  const { output } = await runEspruinoCli(cli, args, { secrets, stdin: 'inherit' });
  if (/Unable to connect/.test(output))
    throw new DeviceError(`could not open ${opts.port}: is another program (npm run flash, the Web IDE) using it? On Linux, is your user in the dialout group?`);
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname))
  main().catch((e) => {
    if (e instanceof ConfigError) console.error(`config error in ${e.message}`);
    else if (e instanceof DeviceError || e instanceof UsageError) console.error(`repl: ${e.message}`);
    else console.error(`repl failed: ${e.message}`);
    process.exit(1);
  });
