// The command line of build, flash, repl, sim and start, read one way: every option is known, every value is
// there, and a mistake is refused with what to type instead. `npm run build --config x.json` (no `--`) is the
// usual one: npm takes `--config` for itself and passes `x.json` on as a plain argument.

export class UsageError extends Error {}

/** Each option the scripts know: a value's example, or null for a flag. */
const OPTIONS = {
  config: 'my-config.json',
  board: 'esp32',
  port: '/dev/ttyUSB0',
  baud: '115200',
  dist: 'build-dir',
  'dry-run': null,
  sizes: null,
  broker: 'mqtt://127.0.0.1:1883',
  lux: '1500',
  'ir-ratio': '0.2',
  repl: null
};

/** The options of each command. */
export const COMMANDS = {
  build: ['config', 'board', 'sizes'],
  flash: ['port', 'baud', 'config', 'board', 'dist', 'dry-run'],
  repl: ['port', 'baud', 'config', 'board', 'dist', 'dry-run'],
  start: ['config', 'board', 'broker', 'lux', 'ir-ratio'],
  sim: ['config', 'board', 'broker', 'lux', 'ir-ratio', 'repl']
};

/** What a stray plain argument probably was, by its look. */
const OPTION_OF = { config: /\.json$|[\\/]/, port: /^(\/dev\/|COM\d+$|tcp:\/\/)/i, broker: /^mqtts?:\/\//, board: /^esp/i };

const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());

/** Edit distance, to name the option a typo meant. */
function distance(a, b) {
  let row = [...Array(b.length + 1).keys()];
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

const usage = (names) => names.map((n) => (OPTIONS[n] ? `--${n} ${OPTIONS[n]}` : `--${n}`)).join(', ');

/**
 * The options npm took for itself, with their values: run as `npm run x --config file`, npm reads `--config` as
 * its own setting (npm_config_config=true in the environment) and hands `file` on as a plain argument; with
 * `--config=file`, npm_config_config is the file.
 */
function takenByNpm(names, env, plain) {
  if (!env.npm_lifecycle_event) return [];
  const rest = [...plain];
  return names
    .map((n) => [n, env['npm_config_' + n.replace(/-/g, '_')]])
    .filter(([, v]) => v !== undefined)
    .map(([n, v]) => (OPTIONS[n] === null ? `--${n}` : `--${n} ${v !== 'true' ? v : rest.shift() || OPTIONS[n]}`));
}

/**
 * Reads `--name value`, `--name=value` and `--flag` for `command` (a key of COMMANDS). Returns the options by
 * camel-case name ({ config, dryRun, irRatio, ... }); throws UsageError naming the mistake and the fix.
 */
export function parseArgs(argv, command, env = process.env) {
  const names = COMMANDS[command];
  const opts = {};
  const plain = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      plain.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (!names.includes(name)) {
      const near = names.map((n) => [distance(name, n), n]).sort((x, y) => x[0] - y[0])[0];
      const hint = near[0] <= Math.max(2, name.length / 3) ? `did you mean --${near[1]}? ` : '';
      throw new UsageError(`unknown option --${name}: ${hint}npm run ${command} takes ${usage(names)}`);
    }
    if (OPTIONS[name] === null) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      opts[camel(name)] = true;
      continue;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[i + 1];
    if (value === undefined || value === '' || (eq < 0 && value.startsWith('--')))
      throw new UsageError(`--${name} needs a value, e.g. npm run ${command} -- --${name} ${OPTIONS[name]}`);
    if (eq < 0) i++;
    opts[camel(name)] = value;
  }
  const taken = takenByNpm(names, env, plain);
  if (taken.length) {
    const which = taken.map((t) => t.split(' ')[0]).join(', ');
    throw new UsageError(`npm took ${which} for itself: npm needs -- before the options: npm run ${command} -- ${taken.join(' ')}`);
  }
  if (plain.length) {
    const meant = names.find((n) => OPTION_OF[n] && OPTION_OF[n].test(plain[0]));
    const typed = meant ? `--${meant} ${plain[0]}` : usage(names);
    throw new UsageError(`unexpected argument "${plain[0]}": options start with --, and npm needs -- before them: npm run ${command} -- ${typed}`);
  }
  if (opts.baud !== undefined && !/^\d+$/.test(opts.baud)) throw new UsageError(`--baud must be a number such as 115200, got "${opts.baud}"`);
  return opts;
}
