// What `npm start` and `npm run sim -- --repl` share: build the firmware from the command line's config, pick the
// broker (embedded aedes, or --broker mqtt://host:port, or mqtts://host:port over TLS for a config with mqtt.tls),
// subscribe to the firmware's topic, and make the device that will run the very bundle that would be flashed.
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { ROOT } from '../config/index.mjs';
import { shownPath } from '../lib/paths.mjs';
import { buildFromOptions } from '../firmware/build.mjs';
import { parseArgs, UsageError } from '../cli/args.mjs';
import { createDevice } from './device.mjs';
import { startBroker } from './broker.mjs';
import { parseLight } from './light.mjs';
import { pem, keyPem } from './tls.mjs';

/** The --broker URL as { host, port, tls }; another form is refused with the form it takes. */
export function brokerAddress(url) {
  const m = /^(mqtts?):\/\/([^/:?#\s]+)(?::(\d{1,5}))?\/?$/.exec(url);
  if (!m)
    throw new UsageError(`--broker takes a URL such as mqtt://127.0.0.1:1883 (mqtt://, the host, then :port unless it is 1883; mqtts:// over TLS, 8883 unless given), got "${url}"`);
  const tls = m[1] == 'mqtts';
  return { host: m[2], port: +(m[3] || (tls ? 8883 : 1883)), tls };
}

/**
 * The broker over TLS needs one that speaks it: --broker mqtts://… with a config with mqtt.tls, and only then.
 * Returns the subscriber's TLS options (the config's certificates, checked as the device checks them), or {}.
 */
function tlsOptions(given, tls) {
  if (tls && !(given && given.tls))
    throw new UsageError(`the config has mqtt.tls, and ${given ? `--broker ${given.host}:${given.port} is not over TLS` : 'the embedded broker speaks no TLS'}: give your broker's TLS listener, --broker mqtts://host:8883`);
  if (!tls && given && given.tls) throw new UsageError('--broker mqtts://… is a broker over TLS, and the config has no mqtt.tls: set "tls": true in its mqtt section, or give mqtt://');
  if (!tls) return {};
  return {
    protocol: 'mqtts',
    rejectUnauthorized: !!tls.ca,
    ca: tls.ca && pem(tls.ca, 'CERTIFICATE'),
    cert: tls.cert && pem(tls.cert, 'CERTIFICATE'),
    key: tls.key && keyPem(tls.key)
  };
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
  const secure = tlsOptions(given, firmware.mqtt.tls);
  console.log(`simulator: built ${shownPath(built.written)} (${built.sizes.minified} bytes) for ${board.name}`);

  let broker, embedded;
  if (given) broker = given;
  else {
    embedded = await startBroker();
    broker = { host: embedded.host, port: embedded.port };
  }
  console.log(`simulator: the firmware's broker ${firmware.mqtt.host}:${firmware.mqtt.port} is served by ${embedded ? 'the embedded broker' : 'the broker'} at ${broker.host}:${broker.port}`);

  const sub = mqtt.connect({ host: broker.host, port: broker.port, clientId: clientId + '-' + process.pid, reconnectPeriod: 1000, ...secure });
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
