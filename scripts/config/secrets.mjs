// Reading a config file: its JSON (a mistake reported without echoing secrets), with the sections of the secrets
// file it names merged in.
import fs from 'node:fs';
import { describeJsonMistake } from './json-error.mjs';
import { isObj } from '../lib/is-object.mjs';
import { ConfigError } from './error.mjs';
import { missingConfig, secretsFile } from './paths.mjs';

/** What `secrets` must be; validateConfig says the same of a config given to it directly. */
export const SECRETS_WANT = 'must be the name of a JSON file, e.g. "secrets.json"';

/**
 * Parses JSON text; a syntax error is reported with its line and column and that line, secret-looking values
 * shown as *** (every value with `allSecret`, for a secrets file), never with JSON.parse's own message, which
 * quotes the text around the mistake. A byte order mark (some Windows editors write one) is skipped.
 */
export function parseJson(text, file, { allSecret = false } = {}) {
  text = text.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch {
    throw new ConfigError(file, [describeJsonMistake(text, { allSecret }) || 'not valid JSON']);
  }
}

/**
 * Reads the config file; a missing one says how to make it. When it names a secrets file (`"secrets":
 * "secrets.json"`, relative to the config), that file's sections are merged in: the passwords can live apart.
 */
export function readConfigFile(file) {
  if (!fs.existsSync(file)) throw new ConfigError(file, [missingConfig(file)]);
  const raw = parseJson(fs.readFileSync(file, 'utf8'), file);
  if (raw && raw.secrets !== undefined) {
    if (typeof raw.secrets != 'string' || !raw.secrets) throw new ConfigError(file, [`secrets: ${SECRETS_WANT}`]);
    const sf = secretsFile(file, raw);
    if (!fs.existsSync(sf)) throw new ConfigError(file, [`secrets: file not found: ${sf} (create it with your passwords, e.g. { "wifi": { "password": "..." } })`]);
    const secrets = parseJson(fs.readFileSync(sf, 'utf8'), sf, { allSecret: true });
    if (!isObj(secrets)) throw new ConfigError(sf, ['must be a JSON object such as { "wifi": { "password": "..." } }']);
    for (const [k, v] of Object.entries(secrets)) raw[k] = isObj(v) && isObj(raw[k]) ? { ...raw[k], ...v } : v;
    delete raw.secrets;
  }
  return raw;
}
