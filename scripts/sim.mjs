// npm run sim -- --repl: the firmware in the simulator (as `npm start` runs it) with a REPL on the device, as
// Espruino's console over USB would give: each line is evaluated on the device, among the firmware's globals.
// Options as for npm start: --config file, --board name, --broker mqtt://host:port, --lux n, --ir-ratio r.
// Without --repl it is `npm start`.
import fs from 'node:fs';
import path from 'node:path';
import repl from 'node:repl';
import util from 'node:util';
import mqtt from 'mqtt';
import { ROOT, ConfigError } from './config.mjs';
import { buildFromArgs } from './build.mjs';
import { createDevice } from './sim/device.mjs';
import { startBroker } from './sim/broker.mjs';

const argv = process.argv.slice(2);
const arg = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

/** Input the device has not seen the end of yet (an open bracket): the REPL asks for more lines. */
function incomplete(e) {
  return e && e.name == 'SyntaxError' && /end of input|Unterminated template/.test(e.message);
}

/** An error thrown on the device (another realm) as the REPL shows it: `Uncaught TypeError: x is not defined`. */
function uncaught(e) {
  if (!e || typeof e != 'object' || !('message' in e)) return e;
  const err = new Error(e.message);
  err.name = e.name;
  err.stack = `${e.name}: ${e.message}`;
  return err;
}

async function main() {
  let args = argv;
  if (!arg('--config') && !fs.existsSync(path.join(ROOT, 'config.json'))) {
    console.log('simulator: no config.json yet, using config.example.json (copy it to config.json to set your own)');
    args = [...argv, '--config', path.join(ROOT, 'config.example.json')];
  }
  const built = await buildFromArgs(args);
  const { firmware, board } = built;
  console.log(`simulator: built dist/firmware.js (${built.sizes.minified} bytes) for ${board.name}`);

  let broker, embedded;
  if (arg('--broker')) {
    const u = new URL(arg('--broker'));
    broker = { host: u.hostname, port: +(u.port || 1883) };
  } else {
    embedded = await startBroker();
    broker = { host: embedded.host, port: embedded.port };
  }
  console.log(`simulator: every MQTT connection of the device goes to ${embedded ? 'the embedded broker' : 'the broker'} at ${broker.host}:${broker.port}`);

  const sub = mqtt.connect({ host: broker.host, port: broker.port, clientId: 'sim-repl-' + process.pid, reconnectPeriod: 1000 });
  await new Promise((resolve, reject) => {
    sub.once('connect', resolve);
    sub.once('error', reject);
  });
  await sub.subscribeAsync(firmware.mqtt.topic);
  sub.on('message', (t, m) => console.log(`[broker] ${t} ${m}`));

  const device = createDevice({ board, broker, light: { lux: +(arg('--lux') || 284), irRatio: +(arg('--ir-ratio') || 0.3) } });
  console.log(`simulator: REPL on the device; LuxGraph.stop() stops the built-in graph, .exit quits\n`);
  device.load(built.code);

  const r = repl.start({
    prompt: '> ',
    eval(cmd, context, file, callback) {
      try {
        callback(null, device.eval(cmd));
      } catch (e) {
        if (incomplete(e)) callback(new repl.Recoverable(uncaught(e)));
        else callback(uncaught(e));
      }
    },
    // results as Espruino shows them (=value); errors (already converted above) as name: message
    writer: (v) => (v instanceof Error ? `${v.name}: ${v.message}` : '=' + util.inspect(v, { depth: 2, breakLength: Infinity }))
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    device.stop();
    await sub.endAsync(true);
    if (embedded) await embedded.close();
    process.exit(0);
  };
  r.on('exit', stop);
  process.on('SIGTERM', stop);
}

if (!argv.includes('--repl')) await import('./start.mjs');
else
  main().catch((e) => {
    console.error(e instanceof ConfigError ? `config error in ${e.message}` : `simulator: ${e.message}`);
    process.exit(1);
  });
