// The validation rules: a parsed config checked field by field and filled in with the defaults of
// src/defaults.json; every problem names the field and what is expected.
import path from 'node:path';
import { discoveryMessage } from './discovery.mjs';
import { unknownKeys } from './keys.mjs';
import { pipelineConfig } from './filters.mjs';
import { DEFAULTS as D } from '../lib/defaults.mjs';
import { isObj } from '../lib/is-object.mjs';
import { ConfigError } from './error.mjs';
import { knownBoards, loadBoard } from './boards.mjs';
import { placeholderWarnings } from './placeholders.mjs';
import { SECRETS_WANT } from './secrets.mjs';
import { powerSection } from './power.mjs';
import { tlsSettings, TLS_PORT } from './certificates.mjs';

/** The sensor's gains by name, as the config gives them: their AGAIN values 0..3. */
export const GAINS = Object.fromEntries(D.gainNames.map((name, i) => [name, i]));


/**
 * Checks a parsed config and fills in defaults. Returns { board, firmware } where firmware is what the bundle
 * gets (see src/board.d.ts); throws ConfigError naming each bad field.
 */
export function validateConfig(raw, { file = 'config.json', board: boardOverride } = {}) {
  const problems = [];
  const bad = (field, want) => problems.push(`${field}: ${want}`);
  if (!isObj(raw)) throw new ConfigError(file, ['the config must be a JSON object like config.example.json']);
  problems.push(...unknownKeys(raw));
  // readConfigFile merges the secrets file in and drops the key; a config given here directly is checked the same way
  if (raw.secrets !== undefined && (typeof raw.secrets != 'string' || !raw.secrets)) bad('secrets', SECRETS_WANT);
  if (raw.$schema !== undefined && typeof raw.$schema != 'string') bad('$schema', 'must be the schema\'s path, e.g. "./config.schema.json"');

  const section = (name) => {
    if (raw[name] === undefined) return {};
    if (!isObj(raw[name])) {
      bad(name, 'must be an object');
      return {};
    }
    return raw[name];
  };
  const str = (obj, key, field, { required = false, def, max = 128 } = {}) => {
    const v = obj[key];
    if (v === undefined || v === '') {
      if (required) bad(field, 'is missing: set it to a non-empty string');
      return def;
    }
    if (typeof v != 'string') bad(field, /password/.test(field) ? 'must be a string, in "double quotes"' : `must be a string, got ${JSON.stringify(v)}`); // a password is never echoed
    // (a password's length is not said either)
    else if (v.length > max) bad(field, /password/.test(field) ? `is longer than ${max} characters` : `is ${v.length} characters long: at most ${max}`);
    return v;
  };
  const num = (obj, key, field, { def, min, max, integer = true }) => {
    const v = obj[key];
    if (v === undefined) return def;
    if (typeof v != 'number' || !isFinite(v) || (integer && !Number.isInteger(v)) || v < min || v > max) {
      bad(field, `must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(v)}`);
      return def;
    }
    return v;
  };

  const flag = (obj, key, field, def) => {
    const v = obj[key];
    if (v === undefined) return def;
    if (typeof v != 'boolean') bad(field, `must be true or false, got ${JSON.stringify(v)}`);
    return v === true;
  };

  const boardName = boardOverride || (raw.board === undefined ? D.board : raw.board);
  const known = knownBoards();
  if (typeof boardName != 'string' || !known.includes(boardName)) bad('board', `unknown board ${JSON.stringify(boardName)}: use one of ${known.join(', ')}`);
  const features = boardFeatures(known.includes(boardName) ? boardName : null);
  const boardProfile = known.includes(boardName) ? loadBoard(boardName) : null;

  const wifi = section('wifi');
  const mqtt = section('mqtt');
  const sensor = section('sensor');
  const buffer = section('buffer');
  if (raw.wifi === undefined) bad('wifi', 'is missing: add { "ssid": ..., "password": ... }');
  if (raw.mqtt === undefined) bad('mqtt', 'is missing: add { "host": ... } with your broker');

  const fw = {
    wifi: {
      ssid: str(wifi, 'ssid', 'wifi.ssid', { required: raw.wifi !== undefined, max: 32 }),
      password: str(wifi, 'password', 'wifi.password', { def: '', max: 64 }),
      maxBackoffSeconds: num(wifi, 'maxBackoffSeconds', 'wifi.maxBackoffSeconds', { def: D.wifi.maxBackoffSeconds, min: 1, max: 3600 }),
      ntp: wifi.ntp === false || wifi.ntp === '' ? '' : str(wifi, 'ntp', 'wifi.ntp', { def: D.wifi.ntp, max: 64 })
    },
    mqtt: {
      host: str(mqtt, 'host', 'mqtt.host', { required: raw.mqtt !== undefined }),
      port: num(mqtt, 'port', 'mqtt.port', { def: mqtt.tls === true ? TLS_PORT : D.mqtt.port, min: 1, max: 65535 }),
      clientId: str(mqtt, 'clientId', 'mqtt.clientId', { def: typeof boardName == 'string' ? boardName : D.board, max: 23 }),
      topic: str(mqtt, 'topic', 'mqtt.topic', { def: D.mqtt.topic }),
      username: str(mqtt, 'username', 'mqtt.username', {}),
      password: str(mqtt, 'password', 'mqtt.password', {}),
      keepAlive: num(mqtt, 'keepAlive', 'mqtt.keepAlive', { def: D.mqtt.keepAlive, min: 10, max: 3600 }),
      qos: num(mqtt, 'qos', 'mqtt.qos', { def: D.mqtt.qos, min: 0, max: 1 }),
      retain: mqtt.retain === undefined ? D.mqtt.retain : mqtt.retain,
      base: str(mqtt, 'base', 'mqtt.base', { def: typeof mqtt.clientId == 'string' && mqtt.clientId ? mqtt.clientId : typeof boardName == 'string' ? boardName : D.board }),
      format: str(mqtt, 'format', 'mqtt.format', { def: D.mqtt.format }),
      maxPayload: num(mqtt, 'maxPayload', 'mqtt.maxPayload', { def: D.mqtt.maxPayload, min: 32, max: 4096 }),
      maxBackoffSeconds: num(mqtt, 'maxBackoffSeconds', 'mqtt.maxBackoffSeconds', { def: D.mqtt.maxBackoffSeconds, min: 1, max: 3600 }),
      commands: flag(mqtt, 'commands', 'mqtt.commands', features.commands == 'on' && D.mqtt.commands),
      diagnostics: flag(mqtt, 'diagnostics', 'mqtt.diagnostics', features.diagnostics == 'on' && D.mqtt.diagnostics),
      diagnosticsSeconds: num(mqtt, 'diagnosticsSeconds', 'mqtt.diagnosticsSeconds', { def: D.mqtt.diagnosticsSeconds, min: 0, max: 86400, integer: false }),
      discovery: mqtt.discovery === undefined ? D.mqtt.discovery : mqtt.discovery,
      discoveryPrefix: str(mqtt, 'discoveryPrefix', 'mqtt.discoveryPrefix', { def: D.mqtt.discoveryPrefix }),
      // the certificates' files are relative to the config's folder
      tls: tlsSettings(mqtt, { dir: path.dirname(path.resolve(file)), board: boardProfile, boardName }, bad)
    },
    sensor: {
      id: str(sensor, 'id', 'sensor.id', { def: D.sensor.id, max: 32 }),
      intervalSeconds: num(sensor, 'intervalSeconds', 'sensor.intervalSeconds', { def: D.sensor.intervalSeconds, min: 0.1, max: 86400, integer: false }),
      gain: D.sensor.gain,
      integrationMs: num(sensor, 'integrationMs', 'sensor.integrationMs', { def: D.sensor.integrationMs, min: 100, max: 600 }),
      busName: null // the board's I2C bus, set below: the driver names it in its messages
    },
    buffer: {
      size: num(buffer, 'size', 'buffer.size', { def: D.buffer.size, min: 2, max: 256 }),
      // the 512 KB ESP8266's 16 KB of Storage hold the firmware and little else: no journal there (refused below)
      journal: num(buffer, 'journal', 'buffer.journal', { def: features.journal == 'on' ? D.buffer.journal : 0, min: 0, max: 50000 })
    }
  };
  // a feature the board cannot hold is refused with the board's reason; the others are held to its Storage by npm run flash
  const never = (field, feature, asked) => {
    if (asked && features[feature] == 'never') bad(field, `the ${feature} cannot work on the ${boardName} board: ${features.why[feature]}. Leave ${field} out, or use a board with more flash (${biggerBoards(boardName)})`);
  };
  never('buffer.journal', 'journal', fw.buffer.journal > 0);
  never('mqtt.commands', 'commands', fw.mqtt.commands);
  never('mqtt.diagnostics', 'diagnostics', fw.mqtt.diagnostics);
  // the report's period without the report: a contradiction, not a request to turn it on
  if (fw.mqtt.diagnostics === false && mqtt.diagnosticsSeconds > 0)
    bad('mqtt.diagnosticsSeconds', `sets the period of the health report, which is off (mqtt.diagnostics is false${mqtt.diagnostics === undefined ? ` by default on the ${boardName} board` : ''}): set "diagnostics": true with it, or leave it out`);
  if (!fw.mqtt.diagnostics) fw.mqtt.diagnosticsSeconds = 0;
  if (typeof fw.mqtt.retain != 'boolean') bad('mqtt.retain', `must be true or false, got ${JSON.stringify(fw.mqtt.retain)}`);
  for (const key of ['topic', 'base', 'discoveryPrefix']) {
    const topic = mqtt[key] === '' ? '' : fw.mqtt[key]; // an empty one is a mistake, not a request for the default
    if (typeof topic == 'string' && topicProblem(topic)) bad(`mqtt.${key}`, topicProblem(topic));
  }
  if (typeof fw.mqtt.host == 'string' && hostProblem(fw.mqtt.host)) bad('mqtt.host', hostProblem(fw.mqtt.host));
  if (typeof fw.mqtt.discovery != 'boolean') bad('mqtt.discovery', `must be true or false, got ${JSON.stringify(fw.mqtt.discovery)}`);
  const format = mqtt.format === '' ? '' : fw.mqtt.format; // an empty one is a mistake, as for the topics
  if (!['array', 'object'].includes(format)) bad('mqtt.format', `must be "array" (["lux-1", 624, 284.1312]) or "object" ({"id":..,"ts":..,"lux":..}), got ${JSON.stringify(format)}`);
  if (typeof fw.sensor.id == 'string' && /[/#+\s]/.test(fw.sensor.id)) bad('sensor.id', 'must not contain /, #, + or spaces: it is used in topics');
  if (fw.sensor.integrationMs % 100) bad('sensor.integrationMs', `must be one of 100, 200, 300, 400, 500, 600, got ${fw.sensor.integrationMs}`);
  if (sensor.gain !== undefined) {
    if (sensor.gain != 'auto' && !Object.hasOwn(GAINS, sensor.gain))
      bad('sensor.gain', `must be one of auto, ${Object.keys(GAINS).join(', ')}, got ${JSON.stringify(sensor.gain)}`);
    else fw.sensor.gain = sensor.gain == 'auto' ? 'auto' : GAINS[sensor.gain];
  }
  // the driver falls back to the same defaults (src/defaults.json), so these are baked in only when set (every byte of the bundle costs RAM)
  for (const key of ['deviceFactor', 'glassFactor']) {
    const v = num(sensor, key, 'sensor.' + key, { min: 0.001, max: 10000, integer: false });
    if (v !== undefined) fw.sensor[key] = v;
  }
  if (sensor.powerSave !== undefined) {
    if (typeof sensor.powerSave != 'boolean') bad('sensor.powerSave', `must be true or false, got ${JSON.stringify(sensor.powerSave)}`);
    else fw.sensor.powerSave = sensor.powerSave;
  }
  if (sensor.onSaturated !== undefined) {
    if (sensor.onSaturated != 'skip' && sensor.onSaturated != 'null')
      bad('sensor.onSaturated', `must be "skip" (leave saturated readings out) or "null" (publish them as null), got ${JSON.stringify(sensor.onSaturated)}`);
    else fw.sensor.onSaturated = sensor.onSaturated;
  }
  if (mqtt.password !== undefined && mqtt.username === undefined) bad('mqtt.password', 'is set without mqtt.username: set both or neither');
  fw.device = deviceSection(section('device'), bad);
  fw.power = powerSection(section('power'), { fw, raw, board: boardProfile, boardName, features, num, flag, bad });
  // apart from fw.sensor, which the driver gets whole: the pipeline is made by the build, not kept on the device
  fw.pipeline = pipelineConfig(raw, fw.sensor.intervalSeconds, bad);

  if (problems.length) throw new ConfigError(file, problems);
  fw.mqtt.discovery = fw.mqtt.discovery ? discoveryMessage(fw) : 0;
  delete fw.mqtt.discoveryPrefix;
  fw.mqtt.writer = writerOptions(fw);
  fw.sensor.busName = boardProfile.i2c;
  return { board: boardProfile, firmware: fw };
}

/**
 * A board's network address `tcp://HOST[:PORT]` (its telnet console; port 23 unless given) as { host, port };
 * null for anything else (a serial port); a string saying what is wrong for a malformed one.
 */
export function tcpAddress(port) {
  if (typeof port != 'string' || !port.startsWith('tcp://')) return null;
  const m = /^tcp:\/\/([^\s:/]+)(?::(\d+))?\/?$/.exec(port);
  if (!m) return `"${port}" is not an address like tcp://192.168.1.50 or tcp://192.168.1.50:23`;
  const n = m[2] === undefined ? 23 : +m[2];
  if (n < 1 || n > 65535) return `"${port}": the port must be from 1 to 65535`;
  return { host: m[1], port: n };
}

/**
 * The `device` section: `port`, where npm run flash and npm run repl reach the board when no --port is given (only
 * the host uses it), and `telnet`, whether the firmware leaves the board's password-less telnet console open.
 */
function deviceSection(device, bad) {
  const port = device.port, telnet = device.telnet === undefined ? D.device.telnet : device.telnet;
  const address = tcpAddress(port);
  if (typeof address == 'string') bad('device.port', address);
  else if (port !== undefined && (typeof port != 'string' || !port.trim()))
    bad('device.port', `must be a serial port such as "/dev/ttyUSB0" or a board's address such as "tcp://192.168.1.50" (port 23 unless given), got ${JSON.stringify(port)}`);
  if (typeof telnet != 'boolean') bad('device.telnet', `must be true (leave the board's telnet console open) or false (close it at boot), got ${JSON.stringify(telnet)}`);
  return { port, telnet };
}

/** Why a topic the device publishes on cannot be used, or null. `{id}` in it stands for the sensor id. */
export function topicProblem(topic) {
  if (topic === '') return 'is empty: set a topic such as "test-topic" (or leave the key out for the default)';
  if (/[#+]/.test(topic)) return 'must not contain the wildcards # or +: they are for subscribing, not publishing';
  if (/[\u0000-\u001f]/.test(topic)) return 'must not contain a line break or other control character';
  if (topic.startsWith('$')) return 'must not start with $: topics such as $SYS/... belong to the broker';
  if (!/[^/\s]/.test(topic)) return `needs a name, not only / or spaces, e.g. "sensors/lux", got ${JSON.stringify(topic)}`;
  if (topic.trim() != topic) return `must not start or end with a space, got ${JSON.stringify(topic)}`;
  return null;
}

/** Why mqtt.host is not a broker address the device can use, or null. */
export function hostProblem(host) {
  const url = /^[a-z][\w+.-]*:\/\/([^/:?#]*)(?::(\d+))?/i.exec(host);
  if (url) return `is a host name or IP, not a URL: use "${url[1]}"${url[2] ? ` and mqtt.port ${url[2]}` : ''}`;
  const withPort = /^([^:/\s]+):(\d+)$/.exec(host);
  if (withPort) return `is a host name or IP without the port: use "${withPort[1]}" and mqtt.port ${withPort[2]}`;
  if (/[\s/:]/.test(host)) return `must be a host name or IPv4 address (no spaces, / or :), e.g. "192.168.1.10", got ${JSON.stringify(host)}`;
  return null;
}

/**
 * Warnings for a config that builds but cannot work on a board (the simulator does not print them): a broker on
 * localhost, the example's placeholders.
 */
export function boardWarnings(fw) {
  const host = fw.mqtt.host, warnings = placeholderWarnings(fw);
  if (/^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0)$/i.test(host))
    warnings.unshift(
      `warning: mqtt.host is ${host}: on the board that names the board itself, so it never reaches your broker; ` +
        `use the address of the broker's computer on your network, e.g. "192.168.1.10" (the simulator, npm start, is fine with it)`
    );
  if (fw.mqtt.tls && !fw.mqtt.tls.ca)
    warnings.push(`warning: mqtt.tls without mqtt.ca: the link to the broker is encrypted, but nothing can check that the other end is your broker: give its CA certificate as mqtt.ca (docs/network.md, TLS)`);
  return warnings;
}

/**
 * MQTTWriter's defaults: src/net/ (the writer) falls back to the same values from src/defaults.json (the build writes
 * them in); without retain it publishes unretained, and any format but 'object' is the array.
 */
const WRITER_DEFAULTS = {
  keepAlive: D.mqtt.keepAlive, qos: D.mqtt.qos, retain: false, bufferSize: D.buffer.size, maxBackoff: D.mqtt.maxBackoffSeconds,
  format: 'array', maxPayload: D.mqtt.maxPayload, journal: 0
};

/** The features a board profile may turn off (board/<name>.json, `features`), each with the setting that turns it on. */
export const FEATURES = { commands: 'mqtt.commands', diagnostics: 'mqtt.diagnostics', journal: 'buffer.journal' };

/**
 * A board's features: { commands, diagnostics, journal } each 'on' (the default, unless the config turns it off),
 * 'off' (off by default there: the config may turn it on, where the upload still fits) or 'never' (it cannot work
 * there: refused), and `why`: the board's reason for each 'never'. Every feature is on for an unknown board.
 */
export function boardFeatures(boardName) {
  const f = (boardName && loadBoard(boardName).features) || {};
  const out = { why: { ...(f.never || {}) } };
  for (const name of Object.keys(FEATURES)) out[name] = name in out.why ? 'never' : (f.off || []).includes(name) ? 'off' : 'on';
  return out;
}

/**
 * The feature set of a build, as the build and npm run flash print it: each feature on or off, and for those the
 * board turns off by default, the setting that turns it back on.
 */
export function featureLine(board, fw) {
  const features = boardFeatures(board.id);
  const state = {
    commands: fw.mqtt.commands ? 'on' : 'off',
    diagnostics: fw.mqtt.diagnostics ? (fw.mqtt.diagnosticsSeconds ? `every ${fw.mqtt.diagnosticsSeconds} s` : 'after commands') : 'off',
    journal: fw.buffer.journal ? `${fw.buffer.journal} readings` : features.journal == 'never' ? 'off (it cannot fit)' : 'off'
  };
  const parts = Object.keys(FEATURES).map((k) => `${k} ${state[k]}`).concat(`discovery ${fw.mqtt.discovery ? 'on' : 'off'}`);
  const offHere = Object.keys(FEATURES).filter((k) => features[k] == 'off' && state[k] == 'off');
  const how = offHere.length ? ` (turn one on with ${offHere.map((k) => FEATURES[k]).join(' or ')} true in config.json, where the upload fits)` : '';
  return `features on ${board.id}: ${parts.join(', ')}${how}`;
}

/** The boards with every feature on, for a refusal to name, e.g. `"board": "esp8266-4mb" or "esp32"`. */
function biggerBoards(except) {
  return knownBoards().filter((b) => b != except && Object.values(boardFeatures(b)).every((v) => typeof v == 'object' || v == 'on')).map((b) => `"board": "${b}"`).join(' or ');
}

/** The MQTTWriter options for a firmware config, only those that differ from its defaults: each costs device RAM. */
function writerOptions({ mqtt: m, buffer }) {
  const o = { username: m.username, password: m.password, keepAlive: m.keepAlive, qos: m.qos, retain: m.retain, bufferSize: buffer.size, journal: buffer.journal };
  Object.assign(o, { maxBackoff: m.maxBackoffSeconds, base: m.base, format: m.format, maxPayload: m.maxPayload });
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === WRITER_DEFAULTS[k]) delete o[k];
  return o;
}

/** A copy of the firmware config that is safe to print: passwords and the TLS key shown as ***. */
export function redact(fw) {
  const copy = JSON.parse(JSON.stringify(fw));
  if (copy.wifi && copy.wifi.password) copy.wifi.password = '***';
  if (copy.mqtt && copy.mqtt.password) copy.mqtt.password = '***';
  if (copy.mqtt && copy.mqtt.tls && copy.mqtt.tls.key) copy.mqtt.tls.key = '***';
  return copy;
}
