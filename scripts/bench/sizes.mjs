// Bundle sizes: the firmware built from config.example.json, what each part adds, and the MQTT module apart.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, validateConfig } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { partSizes } from '../firmware/part-sizes.mjs';
import { sentMqttModule } from '../firmware/mqtt-module.mjs';
import { knownBoards, loadBoard } from '../config/index.mjs';
import { storageFiles, storageUse } from '../device/storage.mjs';

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
  // what an upload takes in each board profile's Storage: the example built for that board as .bootcde, and its own
  // modules (the journal's where the board's defaults turn it on) and the MQTT module, each a file of its own
  const storage = [];
  for (const id of knownBoards()) {
    const b = loadBoard(id);
    const config = validateConfig(example, { file: 'config.example.json', board: id });
    const forBoard = await buildFirmware(config);
    // the MQTT module as that board's upload sends it (without subscribe where commands are off)
    const boardMqtt = mqtt.available && (await sentMqttModule(undefined, config.firmware)).code.length;
    const modules = [...forBoard.modules.map((m) => ({ name: m.name, bytes: m.code.length })), ...(mqtt.available ? [{ name: 'MQTT', bytes: boardMqtt }] : [])];
    const { used, total, fits } = storageUse(storageFiles(forBoard.code.length, modules), b);
    storage.push({ board: id, espruinoBoard: b.espruinoBoard, used, total, fits, files: ['.bootcde', ...modules.map((m) => m.name)] });
  }
  // the firmware's own modules, as the example's upload sends them
  const own = built.modules.map((m) => ({ name: m.name, bytes: m.code.length }));
  return { firmware: built.sizes, parts, own, mqtt, storage };
}
