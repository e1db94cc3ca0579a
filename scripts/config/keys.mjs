// Every setting config.json may have, so that a typo is refused instead of silently ignored:
// `sensor.inteval is not a setting: did you mean sensor.intervalSeconds?`
import { isObj } from '../lib/is-object.mjs';

/** The known settings, by section (the settings table of docs/configuration.md, and config.schema.json); a section's value is its own keys, a setting's is 1. */
export const SETTINGS = {
  board: 1,
  secrets: 1,
  wifi: { ssid: 1, password: 1, maxBackoffSeconds: 1, ntp: 1 },
  mqtt: {
    host: 1, port: 1, clientId: 1, topic: 1, username: 1, password: 1, keepAlive: 1, qos: 1, retain: 1, format: 1, base: 1,
    commands: 1, diagnostics: 1, diagnosticsSeconds: 1, discovery: 1, discoveryPrefix: 1, maxPayload: 1, maxBackoffSeconds: 1,
    tls: 1, ca: 1, cert: 1, key: 1
  },
  sensor: {
    id: 1, intervalSeconds: 1, gain: 1, integrationMs: 1, glassFactor: 1, deviceFactor: 1, powerSave: 1, onSaturated: 1,
    filters: 1, console: 1
  },
  buffer: { size: 1, journal: 1 },
  device: { port: 1, telnet: 1 },
  repl: { allOperators: 1 },
  power: { deepSleep: 1, sendEvery: 1, sendTimeoutSeconds: 1, stayAwakePin: 1 }
};

/** Edit distance (Levenshtein, with a swap of two neighbours counted as one edit), ignoring case. */
export function editDistance(a, b) {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

/**
 * How far `typo` is from `name`: the edit distance to the whole name, or one more than to its first or last
 * camelCase words (so `inteval` finds `intervalSeconds` before `id`).
 */
function closeness(typo, name) {
  const words = name.split(/(?=[A-Z])/);
  const parts = [];
  for (let i = 1; i < words.length; i++) parts.push(words.slice(0, i).join(''), words.slice(i).join(''));
  return Math.min(editDistance(typo, name), ...parts.map((p) => editDistance(typo, p) + 1));
}

/** The name among `names` nearest to `typo`, or undefined when none is near enough to be a likely typo. */
export function nearest(typo, names) {
  let best, score = Infinity;
  for (const n of names) {
    const s = closeness(typo, n);
    if (s < score) [best, score] = [n, s];
  }
  return score <= Math.max(2, Math.floor(typo.length / 3)) ? best : undefined;
}

/** Every setting's path, e.g. 'mqtt.host'. */
function allPaths(schema = SETTINGS, prefix = '') {
  return Object.entries(schema).flatMap(([k, v]) => [prefix + k, ...(isObj(v) ? allPaths(v, prefix + k + '.') : [])]);
}

/**
 * One problem for each key of `raw` that is not a setting, with the nearest known one (in the same section, or
 * the same name in another section), or the section's settings when nothing is near.
 */
export function unknownKeys(raw, schema = SETTINGS, prefix = '') {
  const problems = [];
  if (!isObj(raw)) return problems;
  for (const [k, v] of Object.entries(raw)) {
    if (k == '$schema' && !prefix) continue; // the editor's schema (config.schema.json), not a setting
    const known = schema[k];
    if (known && isObj(known)) problems.push(...unknownKeys(v, known, prefix + k + '.'));
    if (known) continue;
    const near = nearest(k, Object.keys(schema));
    const elsewhere = allPaths().find((p) => p.split('.').pop().toLowerCase() == k.toLowerCase() && p != prefix + k);
    const hint = near
      ? `did you mean ${prefix + near}?`
      : elsewhere
        ? `did you mean ${elsewhere}?`
        : `the settings ${prefix ? 'in ' + prefix.slice(0, -1) + ' ' : ''}are ${Object.keys(schema).join(', ')}`;
    problems.push(`${prefix + k} is not a setting: ${hint}`);
  }
  return problems;
}
