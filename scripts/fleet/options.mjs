// The command line of `npm run fleet`: every option checked, a bad one refused naming it and what it takes.
import { brokerOf } from './readings.mjs';
import { DEFAULTS } from '../lib/defaults.mjs';
import { formatHelp } from '../cli/help.mjs';

export const USAGE = formatHelp({
  usage: 'npm run fleet -- --devices N [--broker mqtt://host:port] [--interval s] [--outage A:B] [--seconds S] [options]',
  about: 'Runs N virtual devices, each the firmware in a simulated board, against one broker; prints one table at the end.',
  options: [
    ['--devices N', 'virtual devices in this process (1 to 5000; required)'],
    ['--broker url', 'an MQTT 3.1.1 broker (default: the embedded one)'],
    ['--interval s', 'sampling period of every device (default 2)'],
    ['--outage A:B', "from A to B seconds into the run: the embedded broker stops, or, with --broker, the fleet's WiFi is cut (default: none)"],
    ['--seconds S', 'how long the devices sample (default 60); then what they buffered goes out'],
    ['--prefix p', 'client ids are <p>-1 … <p>-N (default lux); one prefix per fleet process on a shared broker'],
    ['--max-backoff s', `mqtt.maxBackoffSeconds and wifi.maxBackoffSeconds (default: the config's, ${DEFAULTS.mqtt.maxBackoffSeconds})`],
    ['--buffer n', `buffer.size (default: the config's, ${DEFAULTS.buffer.size})`],
    ['--start-spread s', 'each device\'s firmware starts a random 0 to s seconds after it boots (default 0: all alike)'],
    ['--config file', 'the config the fleet\'s settings go over (default config.example.json)'],
    ['--drain s', 'longest wait at the end for what the devices buffered (default: one attempt and one pause more)'],
    ['--json', 'print the report as JSON instead of the table'],
    ['--out file', 'also write the JSON report to file (for npm run fleet:count -- --check; default: none)'],
    ['--markdown', 'also print the table as Markdown'],
    ['--quiet', 'no progress line']
  ],
  examples: ['npm run fleet -- --devices 200 --outage 10:30 --seconds 60']
});

const FLAGS = ['--json', '--markdown', '--quiet'];
const VALUED = ['--devices', '--broker', '--interval', '--outage', '--seconds', '--prefix', '--max-backoff', '--buffer', '--config', '--drain', '--out', '--start-spread'];

/** Parses argv into options; throws an Error whose message names the option and the fix. */
export function parseOptions(argv) {
  const raw = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (FLAGS.includes(a)) raw[a] = true;
    else if (VALUED.includes(a)) {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) throw new Error(`${a} needs a value`);
      raw[a] = argv[++i];
    } else throw new Error(`unknown option ${a}`);
  }
  const number = (name, { def, min, max, integer = false }) => {
    if (raw[name] === undefined) return def;
    const v = Number(raw[name]);
    if (!Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max)
      throw new Error(`${name} ${raw[name]}: must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}`);
    return v;
  };
  if (raw['--devices'] === undefined) throw new Error('--devices is missing: say how many virtual devices to run, e.g. --devices 50');
  const o = {
    devices: number('--devices', { min: 1, max: 5000, integer: true }),
    interval: number('--interval', { def: 2, min: 0.1, max: 3600 }),
    seconds: number('--seconds', { def: 60, min: 1, max: 7 * 24 * 3600 }),
    maxBackoff: number('--max-backoff', { min: 1, max: 3600, integer: true }),
    buffer: number('--buffer', { min: 2, max: 256, integer: true }),
    drain: number('--drain', { min: 0, max: 3600 }),
    startSpread: number('--start-spread', { def: 0, min: 0, max: 3600 }),
    prefix: raw['--prefix'] ?? 'lux',
    broker: raw['--broker'] === undefined ? null : brokerOf(raw['--broker']),
    config: raw['--config'],
    out: raw['--out'],
    json: !!raw['--json'],
    markdown: !!raw['--markdown'],
    quiet: !!raw['--quiet'],
    outage: null
  };
  if (!/^[A-Za-z0-9_-]+$/.test(o.prefix)) throw new Error(`--prefix ${o.prefix}: use letters, digits, - and _ only (it is part of client ids and topics)`);
  const longest = `${o.prefix}-${o.devices}`;
  if (longest.length > 23) throw new Error(`--prefix ${o.prefix}: too long, client id ${longest} is over MQTT's 23 characters; use at most ${22 - String(o.devices).length} characters`);
  if (raw['--outage'] !== undefined) {
    const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(raw['--outage']);
    if (!m || +m[1] >= +m[2]) throw new Error(`--outage ${raw['--outage']}: use A:B, seconds into the run with A before B, e.g. --outage 10:30`);
    if (+m[2] > o.seconds) throw new Error(`--outage ${raw['--outage']}: ends after --seconds ${o.seconds}; make the run longer than the outage`);
    o.outage = { from: +m[1], to: +m[2] };
  }
  return o;
}
