// The runtime as the device runs it: scripts/bench/graph-entry.ts built to ES5 like the firmware and loaded into
// a simulated device (a vm context with Espruino's globals) on real timers.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, validateConfig } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { createDevice } from '../sim/device.mjs';

let built;

export async function runtimeDevice() {
  if (!built) {
    const { board, firmware } = validateConfig(JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8')));
    built = { board, ...(await buildFirmware({ board, firmware, entry: path.join(ROOT, 'scripts/bench/graph-entry.ts') })) };
  }
  const device = createDevice({ board: built.board, log: () => {} });
  device.load(built.code, 'runtime.js');
  return device;
}
