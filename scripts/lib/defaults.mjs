// Every default in one place, src/defaults.json: validation, the build (which writes each `DEFAULTS.a.b` of the
// device code as its value, as it does CONFIG), the simulator, the bench and config.schema.json (and so docs/configuration.md) all read it.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

export const DEFAULTS_FILE = path.join(ROOT, 'src/defaults.json');

/** The defaults, by config section as in config.json, and `gainNames`: the sensor's gains by AGAIN value (0..3). */
export const DEFAULTS = Object.freeze(JSON.parse(fs.readFileSync(DEFAULTS_FILE, 'utf8')));
