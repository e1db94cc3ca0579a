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
 * (the example's placeholder is none), each file named as the user would type it: relative to the current folder.
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
  return files
    .filter((f) => holdsPasswords(read(f)) && trackedByGit(f))
    .map((f) => (path.relative(process.cwd(), f).startsWith('..') ? f : path.relative(process.cwd(), f)))
    .map((f) => `warning: ${f} is tracked by git but holds your passwords: untrack it with git rm --cached ${f} (it stays on disk)`);
}
