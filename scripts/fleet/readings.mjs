// The fleet's topics and readings, as every fleet process and the counting subscriber see them. A device
// `<prefix>-<k>` publishes its readings on fleet/<prefix>/<prefix>-<k>/lux (its own topics, status, diag and set,
// are under fleet/<prefix>/<prefix>-<k>), so one fleet subscribes to its own devices and a counter to all of them.
import mqtt from 'mqtt';
import { performance } from 'node:perf_hooks';

const ROOT = 'fleet';
export const deviceBase = (prefix, id) => `${ROOT}/${prefix}/${id}`;
/** The subscription for the readings of one fleet (its prefix) or, with '+', of every fleet. */
export const readingsOf = (prefix = '+') => `${ROOT}/${prefix}/+/lux`;

/**
 * A message as a reading: { prefix, id, ts, lux }, from a payload ["id", ts, lux] or {"id":..,"ts":..,"lux":..}
 * (mqtt.format "object"); null for a topic that is not a reading's; { prefix, id, bad } for a payload that is
 * not one.
 */
export function parseReading(topic, payload) {
  const parts = topic.split('/');
  if (parts.length != 4 || parts[0] != ROOT || parts[3] != 'lux') return null;
  const [, prefix, id] = parts;
  let v;
  try {
    v = JSON.parse(payload);
  } catch {
    return { prefix, id, bad: true };
  }
  if (Array.isArray(v) && v.length == 3) return { prefix, id, ts: v[1], lux: v[2] };
  if (v && typeof v == 'object' && 'ts' in v) return { prefix, id, ts: v.ts, lux: v.lux };
  return { prefix, id, bad: true };
}

/** Parses a broker URL (mqtt://host:port); a bad one is refused naming the option. */
export function brokerOf(url, option = '--broker') {
  let u;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${option} ${url}: not a URL; use mqtt://host:port, e.g. mqtt://127.0.0.1:1883`);
  }
  if (u.protocol != 'mqtt:') throw new Error(`${option} ${url}: only mqtt:// (MQTT 3.1.1 over TCP) is supported`);
  return { host: u.hostname, port: +(u.port || 1883), url: `mqtt://${u.hostname}:${u.port || 1883}` };
}

/**
 * A subscriber on `broker` to the readings of `prefix` ('+': every fleet) at QoS 1, calling
 * onReading(reading, time) for each (time from performance.now()). Resolves once subscribed; close() ends it.
 */
export async function subscribeReadings({ broker, prefix = '+', clientId, onReading }) {
  const client = mqtt.connect({ host: broker.host, port: broker.port, clientId, reconnectPeriod: 1000, protocolVersion: 4, clean: true });
  await new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', (e) => reject(new Error(`cannot connect to ${broker.url}: ${e.message}`)));
  });
  client.on('message', (topic, payload) => {
    const at = performance.now();
    const r = parseReading(topic, payload.toString());
    if (r) onReading(r, at);
  });
  await client.subscribeAsync(readingsOf(prefix), { qos: 1 });
  return { client, close: () => client.endAsync(true) };
}
