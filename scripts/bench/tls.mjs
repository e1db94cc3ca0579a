// What the broker over TLS (mqtt.tls) costs the ESP32 profile, the one board that has it: Storage, from the
// example config built for it without TLS, with mqtt.ca, and with a client certificate too (RSA 2048 certificates
// openssl makes for the run); and variables on the TLS interpreter (ESPRUINO_TLS, with the certificate check),
// the same firmware flashed there against aedes without TLS and over TLS. That interpreter is a 64-bit Linux build,
// where mbed TLS takes its buffers out of Espruino's variables: its count over TLS includes them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, validateConfig, loadBoard } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { storageFiles, storageUse } from '../device/storage.mjs';
import { sentMqttModule } from '../firmware/mqtt-module.mjs';
import { makeCertificates, opensslSkip } from '../lib/certificates.mjs';
import { memorySkip, workspace, firmwareUpload, flashed } from '../espruino/espruino-rig.mjs';
import { shownPath } from '../lib/paths.mjs';
import { startBroker } from '../sim/broker.mjs';
import { measureRun } from './memory.mjs';

const BOARD = 'esp32';

/** The esp32 upload of the example config with `mqtt` added: .bootcde's bytes, and the Storage all its files take. */
async function storageOf(mqtt) {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));
  const config = validateConfig({ ...example, board: BOARD, mqtt: { ...example.mqtt, ...mqtt } }, { file: 'config.example.json' });
  const built = await buildFirmware(config);
  const mod = await sentMqttModule(undefined, config.firmware);
  const modules = [...built.modules.map((m) => ({ name: m.name, bytes: m.code.length })), ...(mod.missing ? [] : [{ name: 'MQTT', bytes: mod.code.length }])];
  return { bootcde: built.code.length, storage: storageUse(storageFiles(built.code.length, modules), loadBoard(BOARD)).used, withMqtt: !mod.missing };
}

/** One flashed run on `bin` against its own aedes (over TLS with `certificate`), connected and publishing: its variables. */
async function ramOf(bin, ws, { mqtt, certificate }) {
  const broker = await startBroker({ tls: certificate });
  const upload = flashed((await firmwareUpload(ws, broker.port, { mqtt, more: { board: BOARD } })).flash);
  const run = await measureRun({ bin, upload, broker, offline: false });
  return { startup: run.startup, connected: run.connected, peak: run.peak, errors: run.errors };
}

/** The TLS section of the bench: { storage, ram } or what was skipped, and why. */
export async function measureTls({ bin = process.env.ESPRUINO_TLS } = {}) {
  const noOpenssl = opensslSkip();
  if (noOpenssl) return { skipped: noOpenssl };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-tls-'));
  try {
    const certs = makeCertificates(dir);
    const storage = {
      off: await storageOf({}),
      ca: await storageOf({ tls: true, ca: certs.ca }),
      client: await storageOf({ tls: true, ca: certs.ca, cert: certs.device.cert, key: certs.device.key })
    };
    const why = bin ? memorySkip({ ...process.env, ESPRUINO: bin }) : 'ESPRUINO_TLS is not set: it names the TLS interpreter (npm run espruino:build makes it)';
    if (why) return { storage, ram: { skipped: why } };
    const ws = workspace();
    try {
      const plain = await ramOf(bin, ws, { mqtt: {} });
      const tls = await ramOf(bin, ws, { mqtt: { tls: true, ca: certs.ca }, certificate: certs.server });
      return { storage, ram: { interpreter: shownPath(path.resolve(bin)), plain, tls } };
    } finally {
      fs.rmSync(ws.dir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
