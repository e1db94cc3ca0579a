// A link that goes silent, on the Espruino interpreter (ESPRUINO names one) with Espruino's own MQTT module: the
// flashed firmware talks to aedes through a proxy that stops passing anything, either way, without closing (as when
// the broker's machine loses its power). The connection looks open to the firmware and to the module; once a
// reading has waited 15 s for its PUBACK the firmware takes the link for lost, its readings go to flash, and when
// the proxy passes again every reading it printed reaches the broker, in order. Skipped, with the reason, without
// ESPRUINO or the MQTT module in modules/.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { silentProxy, subscriber, waitFor } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { memorySkip, workspace, firmwareUpload, flashed } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';

const skip = memorySkip() ?? false;
// the upload typed more slowly than the bench does: the interpreter drops console input on a busy machine
process.env.PACE_GAP = process.env.PACE_GAP || '20';

/** A timestamp to the millisecond: Espruino prints fractions with more digits than they hold. */
const ms = (t) => Math.round(t * 1000);

test('on Espruino: a link gone silent is taken for lost after 15 s without a PUBACK, its readings go to flash, and all arrive once it passes again', { skip, timeout: 150000 }, async () => {
  const broker = await startBroker();
  const link = await silentProxy(broker);
  const sub = await subscriber({ port: broker.port, topic: 'test-topic' });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-silent-'));
  const upload = await firmwareUpload(workspace(), link.port, { sensor: { intervalSeconds: 0.5 }, more: { board: 'esp8266-4mb' } });
  const lines = [];
  let esp;
  try {
    esp = startEspruino({ bin: process.env.ESPRUINO, upload: flashed(upload.flash), cwd, timeoutMs: 140000, onLine: (l) => lines.push(l) });
    const said = () => lines.filter((l) => /^(MQTT|journal):|Uncaught|OUT OF MEMORY/.test(l)).join('\n');
    await waitFor(() => sub.messages.length >= 3, { timeout: 20000, what: 'readings at the broker', then: said });
    link.freeze();
    const from = lines.length;
    await waitFor(() => lines.slice(from).includes('MQTT: no answer in 15 s'), { timeout: 30000, what: 'the firmware taking the link for lost', then: said });
    await waitFor(() => lines.slice(from).some((l) => l.startsWith('journal: the broker is away: readings go to flash')), { timeout: 5000, what: 'readings going to flash', then: said });
    assert.ok(lines.slice(from).some((l) => /^MQTT: lost 127\.0\.0\.1:\d+$/.test(l)), said());
    link.thaw();
    // every reading printed until now arrives, in order (QoS 1: one may come twice)
    const printed = lines.filter((l) => l.startsWith("('lux-1'")).map((l) => ms(+l.split(', ')[1]));
    const arrived = () => [...new Set(sub.messages.map((m) => ms(JSON.parse(m.text)[1])))];
    await waitFor(() => printed.every((t) => arrived().includes(t)), { timeout: 60000, what: 'every reading printed before the link passed again, at the broker', then: () => `${said()}\nmissing: ${printed.filter((t) => !arrived().includes(t))}` });
    const order = printed.map((t) => arrived().indexOf(t));
    assert.ok(order.every((v, i) => !i || v > order[i - 1]), 'in order');
    assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), []);
  } finally {
    if (esp) await esp.stop();
    await sub.close();
    await link.close();
    await broker.close();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
