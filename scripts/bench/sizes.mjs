// Bundle sizes: the firmware built from config.example.json, what each part adds, and the MQTT module apart.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, validateConfig } from '../config.mjs';
import { buildFirmware, partSizes, minifyES5 } from '../build.mjs';
import { findMqttModule } from './mqtt-module.mjs';

export async function measureSizes() {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));
  const { board, firmware } = validateConfig(example, { file: 'config.example.json' });
  const built = await buildFirmware({ board, firmware });
  const parts = await partSizes();
  const mod = findMqttModule();
  let mqtt;
  if (mod.missing) mqtt = { available: false, why: mod.missing };
  else {
    // what the upload sends: the file as it is when already minified, else minified like the firmware
    const code = mod.file.endsWith('.min.js') ? mod.code : await minifyES5(mod.code, { internalNames: false });
    mqtt = { available: true, file: path.relative(ROOT, mod.file), minified: code.length, gzip: zlib.gzipSync(code).length };
  }
  return { firmware: built.sizes, parts, mqtt };
}
