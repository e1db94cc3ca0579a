// Bundle sizes: the firmware built from config.example.json, what each part adds, and the MQTT module apart.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, validateConfig } from '../config.mjs';
import { buildFirmware, partSizes } from '../build.mjs';
import { sentMqttModule } from './mqtt-module.mjs';

export async function measureSizes() {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));
  const { board, firmware } = validateConfig(example, { file: 'config.example.json' });
  const built = await buildFirmware({ board, firmware });
  const parts = await partSizes();
  // what the upload sends: the locked source minified by the same function
  const mod = await sentMqttModule();
  const mqtt = mod.missing
    ? { available: false, why: mod.missing }
    : { available: true, file: `${path.relative(ROOT, mod.file)} minified`, minified: mod.code.length, gzip: zlib.gzipSync(mod.code).length };
  return { firmware: built.sizes, parts, mqtt };
}
