// Espruino's MQTT module is not ours and never committed: `npm run modules:fetch` puts it in the git-ignored
// modules/ folder, where the bench looks for it.
import fs from 'node:fs';
import path from 'node:path';
import { modulePaths } from '../modules.mjs';

/** The MQTT module in modules/ (the minified file first), as { file, code }, or { missing: why }. */
export function findMqttModule(dir = modulePaths().dir) {
  for (const name of ['MQTT.min.js', 'MQTT.js']) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return { file, code: fs.readFileSync(file, 'utf8') };
  }
  return { missing: `no MQTT.min.js or MQTT.js in ${path.relative(process.cwd(), dir) || dir}/ (npm run modules:fetch gets it)` };
}
