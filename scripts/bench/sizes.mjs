// Bundle sizes: the firmware built from config.example.json, what each part adds, and the MQTT module apart.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, validateConfig } from '../config.mjs';
import { buildFirmware, partSizes } from '../build.mjs';
import { sentMqttModule } from '../lib/mqtt-module.mjs';
import { knownBoards, loadBoard } from '../config.mjs';
import { storageFiles, storageUse } from '../storage.mjs';

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
  // what an upload takes in each board profile's Storage: the firmware as .bootcde, the module as its own file
  const modules = mqtt.available ? [{ name: 'MQTT', bytes: mqtt.minified }] : [];
  const storage = knownBoards().map((id) => {
    const b = loadBoard(id);
    const { used, total, fits } = storageUse(storageFiles(built.code.length, modules), b);
    return { board: id, espruinoBoard: b.espruinoBoard, used, total, fits, withModule: modules.length > 0 };
  });
  return { firmware: built.sizes, parts, mqtt, storage };
}
