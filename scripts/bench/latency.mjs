// Latency from a sample to its message at a subscriber of a real broker on loopback: the firmware bundle runs in
// the simulator; a sample's time is when its console line `('lux-1', 611, 284.1312)` is printed (the Output
// subscriber comes first in the graph), its arrival when a separate client receives `["lux-1", 611, 284.1312]`.
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ROOT, validateConfig } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { createDevice } from '../sim/device.mjs';
import { startBroker } from '../sim/broker.mjs';
import { startMosquitto, mosquittoPath } from '../lib/mosquitto.mjs';
import { subscriber } from '../lib/subscriber.mjs';
import { waitFor } from '../lib/wait.mjs';
import { percentile } from './stats.mjs';

const TOPIC = 'bench/lux';

/** The firmware from config.example.json, sampling every `intervalSeconds`, publishing on the bench topic. */
async function benchFirmware(intervalSeconds) {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));
  const raw = { ...example, mqtt: { ...example.mqtt, host: '127.0.0.1', topic: TOPIC }, sensor: { ...example.sensor, intervalSeconds } };
  const { board, firmware } = validateConfig(raw, { file: 'bench config' });
  return { board, ...(await buildFirmware({ board, firmware })) };
}

/** A reading as a key both sides agree on: `('lux-1', 611, 284.1)` and `["lux-1", 611, 284.1]` give the same. */
const key = (text) => text.slice(1, -1).replace(/'/g, '"');

/** Runs the firmware against the broker at `port` until `samples` readings arrived; returns their latencies. */
async function latencyAt(port, built, samples) {
  const { board } = built;
  const sub = await subscriber({ port, topic: TOPIC });
  const printed = []; // [key, time] of readings printed after the connection was up
  const latencies = [];
  let connected = false;
  sub.client.on('message', (topic, message) => {
    const at = performance.now();
    const k = key(message.toString());
    const i = printed.findIndex((p) => p[0] == k);
    if (i < 0) return; // from before the connection (buffered), or not a reading
    latencies.push(at - printed[i][1]);
    printed.splice(0, i + 1);
  });
  const device = createDevice({
    board,
    broker: { host: '127.0.0.1', port },
    log: (line) => {
      if (line.startsWith('MQTT: connected')) connected = true;
      else if (connected && line.startsWith('(')) printed.push([key(line), performance.now()]);
    }
  });
  try {
    device.load(built);
    await waitFor(() => latencies.length >= samples, { timeout: samples * 1000, what: `${samples} readings at the subscriber` });
  } finally {
    device.stop();
    await sub.close();
  }
  return { samples: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), maxMs: Math.max(...latencies) };
}

/** Latency through aedes, and through mosquitto where it is installed (else { skipped: why }). */
export async function measureLatency({ samples = 100, intervalSeconds = 0.1 } = {}) {
  const fw = await benchFirmware(intervalSeconds);
  const aedes = await startBroker();
  let result;
  try {
    result = { aedes: await latencyAt(aedes.port, fw, samples) };
  } finally {
    await aedes.close();
  }
  if (!mosquittoPath()) result.mosquitto = { skipped: 'mosquitto is not installed (apt-get install mosquitto)' };
  else {
    const mosq = await startMosquitto();
    try {
      result.mosquitto = await latencyAt(mosq.port, fw, samples);
    } finally {
      await mosq.stop();
    }
  }
  return result;
}
