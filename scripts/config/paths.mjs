// Where a config's files are: the secrets file it names, what to do about a missing one, and whether git tracks
// files that hold passwords.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { holdsPasswords } from './placeholders.mjs';

/** What to do about a config file that is not there: make the default one, or check a path given by hand. */
export function missingConfig(file) {
  if (path.basename(file) == 'config.json') return 'file not found: copy config.example.json to config.json and set your WiFi and broker';
  return 'file not found: check the path given to --config (without it, the build reads config.json)';
}

/** The secrets file a parsed config names, as a path, or null. */
export function secretsFile(configFile, raw) {
  return raw && typeof raw.secrets == 'string' && raw.secrets ? path.resolve(path.dirname(configFile), raw.secrets) : null;
}

/** True when git tracks `file` (false outside a git work tree or without git). */
export function trackedByGit(file) {
  const r = spawnSync('git', ['ls-files', '--error-unmatch', path.basename(file)], { cwd: path.dirname(file), stdio: 'ignore' });
  return r.status === 0;
}

/**
 * Warnings for a config (and the secrets file it names) that git tracks while it holds passwords of the user's own
 * (the example's placeholder is none), and for the TLS client key it names (mqtt.key) that git tracks, each file
 * named as the user would type it: relative to the current folder.
 */
export function configTrackedWarnings(file) {
  const read = (f) => {
    try {
      return JSON.parse(fs.readFileSync(f, 'utf8'));
    } catch {
      return null; // a missing or unreadable file is reported by readConfigFile
    }
  };
  const raw = read(file), files = [file];
  const sf = secretsFile(file, raw);
  if (sf) files.push(sf);
  const shown = (f) => (path.relative(process.cwd(), f).startsWith('..') ? f : path.relative(process.cwd(), f));
  const warn = (f, what) => `warning: ${shown(f)} is tracked by git but holds ${what}: untrack it with git rm --cached ${shown(f)} (it stays on disk)`;
  const warnings = files.filter((f) => holdsPasswords(read(f)) && trackedByGit(f)).map((f) => warn(f, 'your passwords'));
  // the key, from the config or its secrets file (relative to the config, as validation reads it)
  const key = files.map((f) => read(f)).map((r) => r && r.mqtt && r.mqtt.key).filter((k) => typeof k == 'string' && k).pop();
  const keyFile = key && path.resolve(path.dirname(file), key);
  if (keyFile && fs.existsSync(keyFile) && trackedByGit(keyFile)) warnings.push(warn(keyFile, "the device's private key (mqtt.key)"));
  return warnings;
}
