// The journal from an outage's first reading (src/net/writer.ts's onNext): while the broker is away, readings go
// to flash in batches of 8 at once, not only once the RAM buffer is full, so a power cut at any moment of an outage
// loses at most the batch still in RAM; and a blip, over before a batch is full, writes at most one. A link that
// goes silent (no close, no answer) counts as away once a reading has waited 15 s for its acknowledgement. On the
// simulator's Storage model, with the broker itself stopped and started again (aedes on the same port), on the fake
// clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, subscribeAgain, silentProxy } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { faultRig, journalSegments } from './fault-rig.mjs';

const BOARD = 'esp8266-4mb'; // 192 KB of Storage: the journal is on by default
const everySecond = { board: BOARD, sensor: { id: 'lux-1', intervalSeconds: 1, gain: 'low', integrationMs: 100 } };
const BATCH = 8; // readings the journal writes to flash at once (src/journal/format.ts)


/** Lux values the console printed: the sensor's lines, `('lux-1', <time>, <lux>)`. */
const printedLux = (lines) => lines.filter((l) => l.startsWith("('lux-1'")).map((l) => +/([\d.]+)\)$/.exec(l)[1]);

/**
 * Waits (the device's clock standing still) until the subscriber has every reading sampled: the broker, stopped
 * abruptly, could otherwise take with it a message it acknowledged to the device on its way to the subscriber.
 */
async function quiet(r) {
  await waitFor(() => r.received().length == r.sampled.length, { what: 'every reading so far at the subscriber' });
}

/**
 * Counts the writes of readings into journal segments of `storage` (a segment's creation, at full size, is not
 * one): each is a batch.
 */
function countBatches(storage) {
  const write = storage.write, count = { batches: 0 };
  storage.write = function (name, data, offset, size) {
    if (/^lgj\d+$/.test(name) && offset >= 64 && size === undefined) count.batches++;
    return write.apply(this, arguments);
  };
  return count;
}

/**
 * After a power cut: `r2`, started over the same flash with the broker reachable, sends more than `sent` and drains
 * (its sampling then stopped) until the subscriber has its newest reading. Every reading `printed` before the cut
 * arrived but at most the batch still in RAM, the newest ones, everything in order, and every segment was erased
 * once sent. Returns { got, lost }: the lux values received, and those printed before the cut that never arrived.
 */
async function drainedAfterCut(t, { printed, inFlash, r2, sent }) {
  await r2.run(120000, { step: 100, until: () => r2.writer().journaled == 0 && r2.writer().sent > sent });
  r2.stopSampling();
  await r2.run(30000, { step: 100, until: () => r2.writer().queued == 0 && r2.writer().journaled == 0 });
  await waitFor(() => r2.received().includes(r2.sampled.at(-1)), { what: 'the newest reading at the subscriber' });
  const got = r2.received();
  const lost = printed.filter((v) => !got.includes(v));
  t.diagnostic(`${printed.length} readings printed before the cut, ${lost.length} lost (${inFlash} in flash at the cut)`);
  assert.ok(lost.length <= BATCH, `at most one batch lost: ${lost.length} of ${printed.length}: ${lost}`);
  assert.deepEqual(lost, printed.slice(printed.length - lost.length), 'the lost ones are the newest, never written');
  assert.deepEqual(got, [...printed.slice(0, printed.length - lost.length), ...r2.sampled], 'in order');
  assert.deepEqual(journalSegments(r2.device.storage), [], 'every segment erased once sent');
  return { got, lost };
}

test('a power cut 30 s into a 60 s outage at 1 s: every reading the console printed before the cut arrives, but at most 8, in order, none twice', async (t) => {
  let broker = await startBroker();
  const port = broker.port;
  const r1 = await faultRig(broker, everySecond);
  let sub = r1.sub, r2;
  try {
    await r1.run(20000, { step: 200, until: () => r1.sub.messages.length >= 5 });
    await quiet(r1);
    // the broker stopped: the device loses it at once (its connection closed) and retries with backoff
    await broker.close();
    await r1.run(30000, { step: 100 });
    const w1 = r1.writer();
    assert.ok(w1.journaled > 0, `readings in flash 30 s into the outage: ${w1.journaled}, ${w1.queued} in RAM`);
    assert.equal(w1.queued, 0, 'the RAM buffer went to flash at the outage\'s first reading');
    assert.ok(r1.lines.some((l) => l == 'journal: the broker is away: readings go to flash until the broker has them'), r1.lines.filter((l) => /^(journal|MQTT)/.test(l)).join('\n'));
    // the power cut: nothing runs, the RAM goes; the Storage model keeps what was written
    r1.device.stop();
    const printed = printedLux(r1.lines);
    assert.deepEqual(printed, r1.sampled, 'the console printed every reading the writer was given');
    // started again over the same flash while the broker is still away, for the rest of the outage
    r2 = await faultRig(broker, everySecond, {}, { storage: r1.device.storage, sub, firstLux: 20000 });
    assert.ok(r2.lines.some((l) => /^journal: room for \d+ readings in flash \(\d+ bytes of Storage free\), \d+ waiting from before$/.test(l)), r2.lines.join('\n'));
    await r2.run(30000, { step: 100 });
    broker = await startBroker({ port });
    sub = await subscribeAgain(broker, sub);
    r2.sub = sub;
    const { got, lost } = await drainedAfterCut(t, { printed, inFlash: w1.journaled, r2, sent: 35 });
    assert.equal(sub.messages.length, got.length, 'none twice');
    // delivered + dropped = sampled across the cut, the cut's loss aside
    assert.equal(got.length + w1.dropped + r2.writer().dropped + lost.length, r1.sampled.length + r2.sampled.length);
  } finally {
    if (r2) r2.device.stop();
    await r1.close();
    await sub.close();
    await broker.close();
  }
});

test('a blip (the broker gone 1 s) writes at most one batch, and every reading arrives once, in order', async (t) => {
  let broker = await startBroker();
  const port = broker.port;
  const r = await faultRig(broker, everySecond);
  const writes = countBatches(r.device.storage);
  try {
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 5 });
    await quiet(r);
    const before = r.device.storage.bytesWritten;
    await broker.close();
    await r.run(1000, { step: 50 });
    broker = await startBroker({ port });
    r.sub = await subscribeAgain(broker, r.sub);
    // back: a few readings more, then none, until everything has gone out
    await r.run(5000, { step: 50 });
    r.stopSampling();
    await r.run(20000, { step: 100, until: () => r.writer().queued == 0 && r.writer().journaled == 0 && !r.writer()._journal });
    await waitFor(() => r.received().includes(r.sampled.at(-1)), { what: 'the newest reading at the subscriber' });
    const journal = r.lines.filter((l) => /^journal: /.test(l));
    assert.ok(journal.some((l) => l.startsWith('journal: the broker is away')), `the blip's readings went to the journal:\n${r.lines.join('\n')}`);
    t.diagnostic(`batches written in the blip: ${writes.batches}`);
    assert.ok(writes.batches <= 1, `batches written: ${writes.batches}`);
    assert.ok(r.device.storage.bytesWritten - before <= 4096 + 64 + BATCH * 40, `bytes written: ${r.device.storage.bytesWritten - before}`);
    r.checkAccounts();
    assert.equal(r.sub.messages.length, r.received().length, 'none twice');
    assert.deepEqual(journalSegments(r.device.storage), []);
  } finally {
    await r.close();
    await broker.close();
  }
});

test('a link that goes silent: 15 s without an acknowledgement and it counts as lost, readings go to flash, a power cut then loses at most a batch', async (t) => {
  const broker = await startBroker();
  const link = await silentProxy(broker);
  const r1 = await faultRig(link, everySecond, { port: broker.port });
  let sub = r1.sub, r2;
  try {
    await r1.run(20000, { step: 200, until: () => r1.sub.messages.length >= 5 });
    await quiet(r1);
    link.freeze();
    // 10 s: readings wait for their acknowledgement in RAM, the connection looking open
    await r1.run(10000, { step: 100 });
    assert.ok(r1.writer().client.connected, 'still connected, as far as the device can tell');
    assert.equal(r1.writer().journaled, 0);
    // by 17 s the first reading after the freeze has waited 15 s: the link is lost, the RAM buffer goes to flash
    await r1.run(12000, { step: 100 });
    const said = r1.lines.filter((l) => /^(MQTT|journal):/.test(l));
    assert.ok(said.includes('MQTT: no answer in 15 s'), said.join('\n'));
    assert.ok(said.some((l) => /^MQTT: lost \S+:\d+$/.test(l)), said.join('\n'));
    assert.equal(said.filter((l) => l == 'MQTT: no answer in 15 s').length, 1, 'said once');
    assert.ok(said.includes('journal: the broker is away: readings go to flash until the broker has them'), said.join('\n'));
    const w1 = r1.writer();
    assert.equal(w1.queued, 0, 'nothing waits in RAM alone');
    assert.ok(w1.journaled >= 8, `readings in flash: ${w1.journaled}`);
    // the power cut, then a start over the same flash with the link working again
    r1.device.stop();
    const printed = printedLux(r1.lines);
    link.thaw();
    r2 = await faultRig(link, everySecond, { port: broker.port }, { storage: r1.device.storage, sub, firstLux: 20000 });
    await drainedAfterCut(t, { printed, inFlash: w1.journaled, r2, sent: 20 });
  } finally {
    if (r2) r2.device.stop();
    await r1.close();
    await sub.close();
    await link.close();
    await broker.close();
  }
});

test('no access point at boot: once the first join fails, readings go to flash, and all arrive once it is there', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, everySecond, {}, { beforeLoad: (device) => (device.wifi.available = false) });
  try {
    await r.run(30000, { step: 200 });
    const said = r.lines.filter((l) => /^(WiFi|MQTT|journal):/.test(l));
    assert.ok(said.some((l) => /^WiFi: no_ap_found, retrying in/.test(l)), said.join('\n'));
    assert.ok(said.includes('journal: the broker is away: readings go to flash until the broker has them'), said.join('\n'));
    const w = r.writer();
    assert.ok(w.sampled >= 25, `sampled ${w.sampled}`);
    assert.ok(w.queued <= 1, `at most the first join's reading waits in RAM: ${w.queued}`);
    assert.ok(w.journaled >= w.sampled - BATCH - 1, `in flash: ${w.journaled} of ${w.sampled}`);
    // (w is the writer itself: what it had sampled so far, kept)
    const offline = w.sampled;
    r.device.wifi.restore();
    await r.run(120000, { step: 200, until: () => r.writer().journaled == 0 && r.writer().sent > offline });
    r.stopSampling();
    await r.run(30000, { step: 100, until: () => r.writer().queued == 0 && r.writer().journaled == 0 });
    await waitFor(() => r.received().includes(r.sampled.at(-1)), { what: 'the newest reading at the subscriber' });
    r.checkAccounts();
    assert.equal(r.writer().dropped, 0);
    assert.deepEqual(journalSegments(r.device.storage), []);
  } finally {
    await r.close();
    await broker.close();
  }
});

test("SNTP setting the clock while a reading waits for its acknowledgement starts the 15 s wait again, rather than counting decades", async () => {
  const broker = await startBroker();
  const link = await silentProxy(broker);
  // no SNTP of its own: the clock counts seconds since boot until the test sets it
  const r = await faultRig(link, everySecond, { port: broker.port }, { beforeLoad: (device) => (device.wifi.setSNTP = () => {}) });
  try {
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    assert.ok(r.device.eval('getTime()') < 1e6, 'seconds since boot');
    link.freeze();
    await r.run(5000, { step: 100 });
    // the clock set: from seconds since boot to Unix time, decades on
    r.device.wifi.clockSet = true;
    r.device.wifi.onClockSet();
    assert.ok(r.device.eval('getTime()') > 1e9, 'Unix time');
    const from = r.lines.length;
    await r.run(8000, { step: 100 });
    assert.ok(!r.lines.slice(from).includes('MQTT: no answer in 15 s'), r.lines.slice(from).join('\n'));
    // and 15 s after the clock was set, the link counts as lost as it would have
    await r.run(10000, { step: 100 });
    assert.ok(r.lines.slice(from).includes('MQTT: no answer in 15 s'), r.lines.slice(from).join('\n'));
  } finally {
    await r.close();
    await link.close();
    await broker.close();
  }
});
