// One build for the whole fleet. The build writes config values into the code as literals (inlineConfig in
// scripts/firmware/build.mjs), so the firmware is built once with a placeholder for the device's id, and each
// device gets that code with the placeholder replaced by its own id: its client id, sensor id and topics. The
// placeholder is a plain word that appears nowhere else in the bundle, and an id is letters, digits, '-' and '_',
// so the replacement stays inside the same string literals (even those terser joined, such as "fleet/<id>/set")
// and changes nothing else. Building N bundles instead would take seconds each.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, validateConfig, readConfigFile } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';

import { deviceBase } from './readings.mjs';

export const PLACEHOLDER = 'zzFleetDeviceIdzz';

/** The writer's wait for CONNACK before it gives an attempt up, seconds, read from the firmware's source. */
export function connectWaitSeconds() {
  const src = fs.readFileSync(path.join(ROOT, 'src/net/connection.ts'), 'utf8');
  const m = /\bvar CONNECT_WAIT = (\d+(?:\.\d+)?)/.exec(src);
  if (!m) throw new Error('fleet: CONNECT_WAIT not found in src/net/connection.ts');
  return +m[1];
}

/**
 * Builds the fleet's firmware from `configFile` (default config.example.json) with the fleet's settings over it:
 * the placeholder id, the fleet's topics (readings on fleet/<prefix>/<id>/lux, its own under fleet/<prefix>/<id>), and,
 * when given, the interval, the backoff cap and buffer size. A config that sleeps (power.deepSleep) is built as it is
 * flashed: scripts/fleet/sleeping.mjs runs its devices through their wakes. Returns { board, firmware, code,
 * codeFor(id), modulesFor(id) }.
 */
export async function buildFleetFirmware({ configFile, broker, prefix, interval, maxBackoff, buffer }) {
  const file = configFile || path.join(ROOT, 'config.example.json');
  const raw = readConfigFile(file);
  const section = (name) => (raw[name] && typeof raw[name] == 'object' ? raw[name] : {});
  raw.mqtt = { ...section('mqtt'), host: broker.host, port: broker.port, clientId: PLACEHOLDER, base: deviceBase(prefix, PLACEHOLDER), topic: deviceBase(prefix, '{id}') + '/lux' };
  // a config that sleeps keeps its wake period unless the fleet is given one (interval undefined)
  raw.sensor = { ...section('sensor'), id: PLACEHOLDER, ...(interval === undefined ? {} : { intervalSeconds: interval }) };
  raw.wifi = { ...section('wifi') };
  if (maxBackoff !== undefined) raw.mqtt.maxBackoffSeconds = raw.wifi.maxBackoffSeconds = maxBackoff;
  if (buffer !== undefined) raw.buffer = { ...section('buffer'), size: buffer };
  const { board, firmware } = validateConfig(raw, { file: path.relative(process.cwd(), file) || file });
  const { code, modules } = await buildFirmware({ board, firmware });
  if (!code.includes(PLACEHOLDER)) throw new Error('fleet: the placeholder id is missing from the bundle: the build changed how it writes the config');
  return {
    board,
    firmware,
    code,
    /** The bundle for device `id`. */
    codeFor: (id) => code.split(PLACEHOLDER).join(id),
    /**
     * The build's own Storage modules for device `id`, name → code: those that read the config (the journal's, the
     * health report's, deep sleep's) have the id written into them as the bundle has.
     */
    modulesFor: (id) => Object.fromEntries(modules.map((m) => [m.name, m.code.split(PLACEHOLDER).join(id)]))
  };
}
