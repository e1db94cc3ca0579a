// npm start: builds the firmware and runs that same bundle in the simulator, with a simulated TSL2591 and the
// embedded broker (or --broker mqtt://host:port), and prints what a subscriber on the broker receives.
// Options: --config file, --board name, --broker url, --lux n, --ir-ratio r.
import fs from 'node:fs';
import path from 'node:path';
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
  console.log(`simulator: the firmware's broker ${firmware.mqtt.host}:${firmware.mqtt.port} is served by ${embedded ? 'the embedded broker' : 'the broker'} at ${broker.host}:${broker.port}`);

  const topic = firmware.mqtt.topic;
  const sub = mqtt.connect({ host: broker.host, port: broker.port, clientId: 'sim-subscriber-' + process.pid, reconnectPeriod: 1000 });
  await new Promise((resolve, reject) => {
    sub.once('connect', resolve);
    sub.once('error', reject);
  });
  await sub.subscribeAsync(topic);
  sub.on('message', (t, m) => console.log(`[broker] ${t} ${m}`));
  console.log(`simulator: subscribed to '${topic}' on the broker; Ctrl-C stops\n`);

  const device = createDevice({
    board,
    broker,
    light: { lux: +(arg('--lux') || 284), irRatio: +(arg('--ir-ratio') || 0.3) }
  });
  device.load(built.code);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nsimulator: stopping');
    device.stop();
    await sub.endAsync(true);
    if (embedded) await embedded.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `config error in ${e.message}` : `simulator: ${e.message}`);
  process.exit(1);
});
