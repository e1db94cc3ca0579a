// Espruino's MQTT module is not ours and never committed: `npm run modules:fetch` puts its locked source in the
// git-ignored modules/ folder, as MQTT.js, which is where the upload reads it before minifying it (minifyModule in
// scripts/firmware/modules.mjs). The bench measures that same minified code.
import fs from 'node:fs';
import path from 'node:path';
import { modulePaths, moduleFile, minifyModule } from './modules.mjs';

/** The MQTT module's source in modules/ as { file, code }, or { missing: why }. */
export function findMqttModule(dir = modulePaths().dir) {
  const file = moduleFile(dir, 'MQTT');
  if (fs.existsSync(file)) return { file, code: fs.readFileSync(file, 'utf8') };
  return { missing: `no MQTT.js in ${path.relative(process.cwd(), dir) || dir}/ (npm run modules:fetch gets it)` };
}

/**
 * The MQTT module as the upload of `firmware` (a validated config's; the example's commands on when none) sends it:
 * { file (its source), code (minified) }, or { missing: why }.
 */
export async function sentMqttModule(dir, firmware) {
  const mod = findMqttModule(dir);
  return mod.missing ? mod : { file: mod.file, code: await minifyModule(mod.code, 'MQTT', firmware) };
}
