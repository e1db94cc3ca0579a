// The example's placeholder values (config.example.json: my_wifi_sid, 192.168.1.10 …): a config that still holds
// them builds, but the board would look for a network and a broker that are not the user's.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { isObj } from '../lib/is-object.mjs';

const EXAMPLE = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));

/** The settings the example fills with placeholders, by path, and their placeholder values. */
const PLACEHOLDERS = [['wifi', 'ssid'], ['wifi', 'password'], ['mqtt', 'host']].map(([s, k]) => [`${s}.${k}`, s, k, EXAMPLE[s][k]]);

/** The settings of a parsed config that still hold the example's value, by path ('wifi.ssid'). */
export function placeholdersIn(raw) {
  return PLACEHOLDERS.filter(([, s, k, value]) => isObj(raw) && isObj(raw[s]) && raw[s][k] === value).map(([p]) => p);
}

/** True when a parsed config (or secrets file) holds a password that is not the example's placeholder. */
export function holdsPasswords(raw) {
  return ['wifi', 'mqtt'].some((s) => isObj(raw) && isObj(raw[s]) && typeof raw[s].password == 'string' && raw[s].password !== '' && raw[s].password !== EXAMPLE.wifi.password);
}

/** The warning for a config still holding the example's values: it builds, but they are not the user's (values shown, passwords never). */
export function placeholderWarnings(raw) {
  const found = placeholdersIn(raw);
  if (!found.length) return [];
  const shown = found.map((p) => (p.endsWith('password') ? `${p} (the example's)` : `${p} ${JSON.stringify(raw[p.split('.')[0]][p.split('.')[1]])}`));
  return [`warning: ${shown.join(', ')}: these are config.example.json's placeholders, not your network or broker: the firmware builds, but set your own before it can connect`];
}
