// What `npm start` and `npm run sim -- --repl` share: build the firmware from the command line's config, pick the
// broker (embedded aedes, or --broker mqtt://host:port), subscribe to the firmware's topic, and make the device
// that will run the very bundle that would be flashed.
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { ROOT } from '../config.mjs';
import { shownPath } from '../lib/paths.mjs';
import { buildFromOptions } from '../build.mjs';
import { parseArgs, UsageError } from '../args.mjs';
import { createDevice } from './device.mjs';
import { startBroker } from './broker.mjs';
import { parseLight } from './light.mjs';

/** The --broker URL as { host, port }; another form is refused with the form it takes. */
export function brokerAddress(url) {
  const m = /^mqtt:\/\/([^/:?#\s]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m) throw new UsageError(`--broker takes a URL such as mqtt://127.0.0.1:1883 (mqtt://, the host, then :port unless it is 1883), got "${url}"`);
  return { host: m[1], port: +(m[2] || 1883) };
}

/**
 * Options: --config file, --board name, --broker url, --lux form (scripts/sim/light.mjs), --ir-ratio r. Returns
 * { built, broker, device, setLight(form), stop() }
 * once a subscriber prints what reaches the firmware's topic as `[broker] topic payload`; the bundle is not loaded yet.
 */
export async function startSession(argv, { clientId, command = 'start' }) {
  const opts = parseArgs(argv, command);
  const given = opts.broker && brokerAddress(opts.broker);
  const light = parseLight(opts.lux ?? '284'); // a bad form is refused before anything starts
  if (!opts.config && !fs.existsSync(path.join(ROOT, 'config.json'))) {
    console.log('simulator: no config.json yet, using config.example.json (copy it to config.json to set your own)');
    opts.config = path.join(ROOT, 'config.example.json');
  }
  const built = await buildFromOptions(opts);
  const { firmware, board } = built;
  console.log(`simulator: built ${shownPath(built.written)} (${built.sizes.minified} bytes) for ${board.name}`);

  let broker, embedded;
  if (given) broker = given;
  else {
    embedded = await startBroker();
    broker = { host: embedded.host, port: embedded.port };
  }
  console.log(`simulator: the firmware's broker ${firmware.mqtt.host}:${firmware.mqtt.port} is served by ${embedded ? 'the embedded broker' : 'the broker'} at ${broker.host}:${broker.port}`);

  const sub = mqtt.connect({ host: broker.host, port: broker.port, clientId: clientId + '-' + process.pid, reconnectPeriod: 1000 });
  await new Promise((resolve, reject) => {
    sub.once('connect', resolve);
    sub.once('error', reject);
  });
  await sub.subscribeAsync(firmware.mqtt.topic.replace('{id}', '+'));
  sub.on('message', (t, m) => console.log(`[broker] ${t} ${m}`));

  const modules = Object.fromEntries((built.modules || []).map((m) => [m.name, m.code]));
  const device = createDevice({ board, broker, modules, light: { irRatio: +(opts.irRatio ?? 0.3) } });
  /**
   * Sets the light the sensor sees from a --lux form (throws, saying the forms, on a bad one, named `as`); returns
   * its description.
   */
  const setLight = (form, as) => {
    const l = typeof form == 'string' ? parseLight(form, as) : form, from = device.timers.now();
    device.sensor.lux = (ms) => l.at(ms - from);
    return l.text;
  };
  console.log(`simulator: the sensor sees ${setLight(light)}`);
  let stopping = false;
  return {
    built,
    broker,
    device,
    setLight,
    /** Powers the device off, closes the subscriber and the embedded broker, and exits. */
    async stop() {
      if (stopping) return;
      stopping = true;
      device.stop();
      await sub.endAsync(true);
      if (embedded) await embedded.close();
      process.exit(0);
    }
  };
}
