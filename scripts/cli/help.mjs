// `--help` and `-h` on every script: its usage line, what it does, its options with their defaults and an example,
// on stdout, exit 0 (as npm and git answer them). The options of build, flash, repl, start and sim come from the
// shared command line (scripts/cli/args.mjs); the other scripts give theirs here.
import { COMMANDS } from './args.mjs';
import { DEFAULTS } from '../lib/defaults.mjs';
import { knownBoards } from '../config/boards.mjs';

/** True when the command line asks for help. */
export const asksHelp = (argv) => argv.includes('--help') || argv.includes('-h');

/** Prints `text` and exits 0 when the command line asks for help; otherwise does nothing. */
export function answerHelp(argv, text) {
  if (!asksHelp(argv)) return;
  console.log(typeof text == 'function' ? text() : text);
  process.exit(0);
}

/** A help text: `usage` (after `usage: `), a sentence on what the script does, [flag, meaning] rows, examples. */
export function formatHelp({ usage, about, options, examples }) {
  const rows = [...options, ['-h, --help', 'print this help and exit']];
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return [
    `usage: ${usage}`,
    '',
    about,
    '',
    'options:',
    ...rows.map(([flag, meaning]) => `  ${flag.padEnd(width)}${meaning}`),
    '',
    'example:',
    ...examples.map((e) => `  ${e}`)
  ].join('\n');
}

/** Each option of the shared command line: its value's name, and what it means with its default. */
const OPTION_HELP = {
  config: ['<file>', 'the config (default: config.json)'],
  board: ['<name>', `the board, over the config's "board": ${knownBoards().join(', ')} (default: the config's, else ${DEFAULTS.board})`],
  port: ['<port>', 'the serial port, or tcp://HOST[:PORT] for the telnet console (default: the config\'s device.port; npm run ports lists them)'],
  baud: ['<n>', "the serial port's speed (default: the board's, 115200)"],
  dist: ['<dir>', 'where the build and the upload go (default: dist/)'],
  'dry-run': ['', 'print the espruino-cli command and connect to nothing'],
  sizes: ['', 'also print what each part of the firmware adds to it'],
  broker: ['<url>', 'an MQTT broker such as mqtt://127.0.0.1:1883, or mqtts://host:8883 over TLS for a config with mqtt.tls (default: the embedded broker)'],
  lux: ['<form>', 'the light the sensor sees: a level (1500), a ramp 200..2000/60, or day (default: 284)'],
  'ir-ratio': ['<r>', 'infrared over full-spectrum light, 0 to 1 (default: 0.3)'],
  repl: ['', 'a REPL on the simulated device, as its console over USB would give']
};

/** The simulator's commands run the example config when there is no config.json yet. */
const SIMULATED = ['start', 'sim'];
const SIMULATED_CONFIG = 'the config (default: config.json, else config.example.json)';

/** What each command of the shared command line does, and an example of it. */
const ABOUT = {
  build: ['Builds dist/firmware.js from the config: TypeScript to one ES5 bundle, the config baked in, minified.', 'npm run build -- --config my-config.json --board esp32'],
  flash: ['Builds the firmware and uploads it with espruino-cli over USB or the network, saved to flash.', 'npm run flash -- --port /dev/ttyUSB0'],
  repl: ["Opens the board's console through espruino-cli; Ctrl-C twice leaves.", 'npm run repl -- --port /dev/ttyUSB0'],
  start: ['Builds the firmware and runs that bundle in the simulator, printing what reaches its topic on the broker.', 'npm start -- --config examples/filters.json --lux 200..2000/60'],
  sim: ['The simulator, as npm start; with --repl, a REPL on the device (.lux changes the light, .exit quits).', 'npm run sim -- --repl --lux day']
};

/** The help of build, flash, repl, start or sim, from the options scripts/cli/args.mjs gives it. */
export function commandHelp(command) {
  const names = COMMANDS[command];
  const flag = (n) => `--${n}${OPTION_HELP[n][0] ? ' ' + OPTION_HELP[n][0] : ''}`;
  const run = command == 'start' ? 'npm start' : `npm run ${command}`;
  return formatHelp({
    usage: `${run} -- ${names.map((n) => `[${flag(n)}]`).join(' ')}`,
    about: ABOUT[command][0],
    options: names.map((n) => [flag(n), n == 'config' && SIMULATED.includes(command) ? SIMULATED_CONFIG : OPTION_HELP[n][1]]),
    examples: [ABOUT[command][1]]
  });
}
