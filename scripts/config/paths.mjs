// Where a config's files are: the secrets file it names, what to do about a missing one, and whether git tracks
// files that hold passwords.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../lib/paths.mjs';

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

/** Warnings for a config (and the secrets file it names) that git tracks: they hold passwords. */
export function configTrackedWarnings(file) {
  const files = [file];
  try {
    const sf = secretsFile(file, JSON.parse(fs.readFileSync(file, 'utf8')));
    if (sf) files.push(sf);
  } catch {
    // an unreadable config is reported by readConfigFile
  }
  return files
    .filter((f) => f != path.join(ROOT, 'config.example.json')) // the example holds placeholders only
    .filter((f) => fs.existsSync(f) && trackedByGit(f))
    .map((f) => `warning: ${path.basename(f)} is tracked by git but holds your passwords: untrack it with git rm --cached ${path.basename(f)} (it stays on disk)`);
}
