// A power cut during an outage, on the Espruino interpreter (ESPRUINO names one: Espruino's Linux port, whose Storage
// is ./espruino.flash in its working folder) against a real mosquitto: the flashed firmware journals its readings
// while the broker is gone, the interpreter is killed (SIGKILL: nothing runs, as when the power goes), mosquitto
// comes back, and the interpreter starts again over the same folder: every reading it wrote to flash arrives, in
// order, after the next boot. Skipped, with the reason, without ESPRUINO, the MQTT module in modules/, or mosquitto.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mosquittoSkip, startMosquitto, subscriber, subscribeAgain, waitFor } from './helpers.mjs';
import { memorySkip, workspace, firmwareUpload, flashed } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';

const skip = memorySkip() ?? mosquittoSkip() ?? false;
// the upload typed more slowly than the bench does: the interpreter drops console input on a busy machine, and a
// garbled upload is no test of the journal
process.env.PACE_GAP = process.env.PACE_GAP || '20';
const BATCH = 8; // readings the journal writes at once (src/journal/journal.ts): a power cut can take fewer than that

/** The readings the journal holds in an Espruino flash file, oldest first: its lines `time in ms,lux`. */
function journaledIn(flashFile) {
  const text = fs.readFileSync(flashFile, 'latin1');
  return [...text.matchAll(/(?<=[\nA\xff])(\d{13}),([\d.]+)\n/g)].map((m) => ['lux-1', m[1] / 1000, +m[2]]);
}

/** A timestamp as the broker got it, to the millisecond: Espruino writes fractions with more digits than they hold. */
const ms = (text) => Math.round(JSON.parse(text)[1] * 1000);

test('Espruino killed during an outage and started again over the same flash: every journaled reading reaches mosquitto in order', { skip, timeout: 120000 }, async () => {
  let mosq = await startMosquitto();
  const port = mosq.port;
  let sub = await subscriber({ port, topic: 'test-topic' });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-journal-'));
  // readings every 0.5 s (millisecond timestamps: each its own), a buffer of 4, so the journal takes over in seconds
  const upload = await firmwareUpload(workspace(), port, { sensor: { intervalSeconds: 0.5 }, more: { board: 'esp8266-4mb', buffer: { size: 4 } } });
  const lines = [];
  let esp;
  try {
    esp = startEspruino({ bin: process.env.ESPRUINO, upload: flashed(upload.flash), cwd, timeoutMs: 100000, onLine: (l) => lines.push(l) });
    await waitFor(() => sub.messages.length >= 3, { timeout: 20000, what: 'readings at mosquitto', then: () => lines.join('\n') });
    await mosq.stop();
    const from = lines.length;
    const offline = () => lines.slice(from).filter((l) => l.startsWith("('lux-1'")).length;
    await waitFor(() => offline() >= 30, { timeout: 30000, what: '30 readings while mosquitto is down' });
    await esp.stop(); // SIGKILL: a power cut
    const before = lines.slice(0, lines.length);
    const journaled = journaledIn(path.join(cwd, 'espruino.flash'));
    assert.ok(journaled.length >= 30 - BATCH, `readings in flash at the cut: ${journaled.length}`);

    mosq = await startMosquitto({ port });
    // subscribed again before the device is back (a reconnecting subscriber could miss what it sends first)
    sub = await subscribeAgain({ port }, sub);
    const after = [];
    esp = startEspruino({ bin: process.env.ESPRUINO, cwd, timeoutMs: 60000, onLine: (l) => after.push(l) });
    let exit = null;
    esp.exited.then((e) => (exit = e));
    const last = journaled.at(-1);
    await waitFor(() => sub.messages.some((m) => Math.abs(ms(m.text) - last[1] * 1000) <= 1), { timeout: 40000, what: 'the newest journaled reading at mosquitto', then: () => `${JSON.stringify(exit)} ${JSON.stringify(last)} ${sub.messages.map((m) => m.text).join(' ')}\n${after.join('\n')}` });
    await waitFor(() => after.some((l) => /^journal: room for/.test(l)), { what: 'the boot line' });
    assert.deepEqual(after.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), [], after.join('\n'));
    assert.ok(after.some((l) => new RegExp(`^journal: room for \\d+ readings in flash \\(\\d+ bytes of Storage free\\), ${journaled.length} waiting from before$`).test(l)), after.join('\n'));
    // every journaled reading, in order, each after the one before (a reading may come twice after a crash)
    const stamps = [];
    for (const m of sub.messages) if (!stamps.includes(ms(m.text))) stamps.push(ms(m.text));
    const at = journaled.map((r) => stamps.findIndex((t) => Math.abs(t - r[1] * 1000) <= 1));
    assert.ok(!at.includes(-1), `every journaled reading arrived: missing ${journaled.filter((r, i) => at[i] < 0).map((r) => r[1])} among ${stamps}`);
    assert.ok(at.every((v, i) => !i || v > at[i - 1]), 'in order');
    assert.ok(stamps.every((v, i) => !i || v > stamps[i - 1]), 'everything at the broker in time order');
    assert.ok(before.length > 0);
  } finally {
    if (esp) await esp.stop();
    await sub.close();
    await mosq.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});

/** A console line's reading as [time in ms, to the millisecond], or null for a line that is not one. */
function printedStamp(line) {
  const m = /^\('lux-1', ([\d.]+), /.exec(line);
  return m ? Math.round(+m[1] * 1000) : null;
}

test('Espruino killed 30 s into an outage at 1 s, started again while the broker is still away: every reading it printed before the cut but at most 8 reaches mosquitto, in order, none twice', { skip, timeout: 180000 }, async (t) => {
  let mosq = await startMosquitto();
  const port = mosq.port;
  let sub = await subscriber({ port, topic: 'test-topic' });
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-journal-'));
  // the default RAM buffer (32): before, a cut this early in an outage lost every reading of it
  const upload = await firmwareUpload(workspace(), port, { sensor: { intervalSeconds: 1 }, more: { board: 'esp8266-4mb' } });
  const lines = [];
  let esp;
  try {
    esp = startEspruino({ bin: process.env.ESPRUINO, upload: flashed(upload.flash), cwd, timeoutMs: 160000, onLine: (l) => lines.push(l) });
    await waitFor(() => sub.messages.length >= 3, { timeout: 30000, what: 'readings at mosquitto', then: () => lines.join('\n') });
    await mosq.stop();
    const from = lines.length;
    const offline = () => lines.slice(from).filter((l) => printedStamp(l) !== null).length;
    await waitFor(() => offline() >= 30, { timeout: 45000, what: '30 readings while mosquitto is down' });
    await esp.stop(); // SIGKILL: a power cut
    const printed = lines.map(printedStamp).filter((s) => s !== null);
    assert.ok(lines.some((l) => /^journal: the broker is away: readings go to flash until the broker has them$/.test(l)), lines.join('\n'));

    // started again over the same folder, the broker still away for a while; two seconds on, so that no reading of
    // the new start has a time one before the cut had (they are stamped on whole seconds)
    await new Promise((r) => setTimeout(r, 2000));
    const after = [];
    esp = startEspruino({ bin: process.env.ESPRUINO, cwd, timeoutMs: 90000, onLine: (l) => after.push(l) });
    await waitFor(() => after.filter((l) => printedStamp(l) !== null).length >= 5, { timeout: 30000, what: 'readings after the start again', then: () => after.join('\n') });
    mosq = await startMosquitto({ port });
    // subscribed again before the device reaches it (a reconnecting subscriber could miss what it sends first)
    sub = await subscribeAgain({ port }, sub);
    const newest = () => after.map(printedStamp).filter((s) => s !== null).at(-1);
    const stamps = () => sub.messages.map((m) => ms(m.text));
    // everything printed since the start again, up to now, at the broker: the backlog has gone out before it
    const until = newest();
    await waitFor(() => stamps().some((s) => Math.abs(s - until) <= 1), { timeout: 60000, what: 'the readings of the start again at mosquitto', then: () => `${stamps().length} at mosquitto\n${after.join('\n')}` });
    assert.deepEqual(after.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), [], after.join('\n'));
    const got = stamps();
    const arrived = (s) => got.some((g) => Math.abs(g - s) <= 1);
    const lost = printed.filter((s) => !arrived(s));
    t.diagnostic(`${printed.length} readings printed before the cut, ${lost.length} lost`);
    assert.ok(lost.length <= BATCH, `at most one batch lost: ${lost.length} of ${printed.length}`);
    assert.deepEqual(lost, printed.slice(printed.length - lost.length), 'the lost ones are the newest, never written');
    assert.ok(got.every((v, i) => !i || v > got[i - 1]), 'in time order, none twice');
  } finally {
    if (esp) await esp.stop();
    await sub.close();
    await mosq.stop();
    fs.rmSync(cwd, { recursive: true, force: true });
  }
});
