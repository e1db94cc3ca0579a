// The command line of `npm run fleet`: every option checked, a bad one refused naming it and what it takes.
import { brokerOf } from './readings.mjs';
import { readConfigFile } from '../config/index.mjs';
import { DEFAULTS } from '../lib/defaults.mjs';
import { formatHelp } from '../cli/help.mjs';

/** The devices of a sleeping fleet when --devices is not given: a fleet of battery boards, as docs/fleet.md runs it. */
export const SLEEPING_DEVICES = 500;

export const USAGE = formatHelp({
  usage: 'npm run fleet -- --devices N [--broker mqtt://host:port] [--interval s] [--outage A:B] [--seconds S] [options]',
  about: 'Runs N virtual devices, each the firmware in a simulated board, against one broker; prints one table at the end. With a config that sleeps (power.deepSleep), the devices run through their wakes on a shared fast clock.',
  options: [
    ['--devices N', `virtual devices in this process (1 to 5000; required, but ${SLEEPING_DEVICES} by default for a config that sleeps)`],
    ['--broker url', 'an MQTT 3.1.1 broker (default: the embedded one)'],
    ['--interval s', "sampling period of every device (default 2; a config that sleeps: the config's wake period)"],
    ['--outage A:B', "from A to B seconds into the run: the embedded broker stops, or, with --broker, the fleet's WiFi is cut (default: none)"],
    ['--seconds S', 'how long the devices sample (default 60); then what they buffered goes out'],
    ['--hours H', "a config that sleeps: the board time the devices run, rounded to whole send cycles after the first boot's send (default: two send cycles)"],
    ['--prefix p', 'client ids are <p>-1 … <p>-N (default lux); one prefix per fleet process on a shared broker'],
    ['--max-backoff s', `mqtt.maxBackoffSeconds and wifi.maxBackoffSeconds (default: the config's, ${DEFAULTS.mqtt.maxBackoffSeconds})`],
    ['--buffer n', `buffer.size (default: the config's, ${DEFAULTS.buffer.size})`],
    ['--start-spread s', "each device's firmware starts a random 0 to s seconds after it boots (default 0: all alike); a config that sleeps: each device first boots a random 0 to s seconds of board time after the fleet starts"],
    ['--config file', 'the config the fleet\'s settings go over (default config.example.json)'],
    ['--drain s', 'longest wait at the end for what the devices buffered (default: one attempt and one pause more)'],
    ['--json', 'print the report as JSON instead of the table'],
    ['--out file', 'also write the JSON report to file (for npm run fleet:count -- --check; default: none)'],
    ['--markdown', 'also print the table as Markdown'],
    ['--quiet', 'no progress line']
  ],
  examples: ['npm run fleet -- --devices 200 --outage 10:30 --seconds 60', 'npm run fleet -- --config examples/battery.json --devices 500 --hours 2']
});

const FLAGS = ['--json', '--markdown', '--quiet'];
const VALUED = ['--devices', '--broker', '--interval', '--outage', '--seconds', '--hours', '--prefix', '--max-backoff', '--buffer', '--config', '--drain', '--out', '--start-spread'];
/** The options of a fleet that stays awake, which one that sleeps has no use for. */
const AWAKE_ONLY = ['--outage', '--seconds', '--drain'];

/** Whether the config file sleeps between readings (power.deepSleep); its own errors are the build's to report. */
function configSleeps(file) {
  if (file === undefined) return false;
  try {
    const raw = readConfigFile(file);
    return !!(raw && raw.power && raw.power.deepSleep === true);
  } catch {
    return false;
  }
}

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
  const sleeps = configSleeps(raw['--config']);
  if (raw['--devices'] === undefined && !sleeps) throw new Error('--devices is missing: say how many virtual devices to run, e.g. --devices 50');
  for (const name of sleeps ? AWAKE_ONLY : ['--hours'])
    if (raw[name] !== undefined)
      throw new Error(sleeps ? `${name}: not for a config that sleeps (power.deepSleep in ${raw['--config']}); give its length with --hours` : `${name}: only for a config that sleeps (power.deepSleep); give the run's length with --seconds`);
  const o = {
    sleeps,
    devices: number('--devices', { def: SLEEPING_DEVICES, min: 1, max: 5000, integer: true }),
    // a config that sleeps keeps its own period unless --interval is given
    interval: number('--interval', { def: sleeps ? undefined : 2, min: 0.1, max: 3600 }),
    seconds: number('--seconds', { def: 60, min: 1, max: 7 * 24 * 3600 }),
    hours: number('--hours', { min: 0.01, max: 24 * 365 }),
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
