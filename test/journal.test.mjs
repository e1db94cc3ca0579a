// The journal (src/journal/journal.ts): readings beyond the RAM buffer wait in the simulator's Storage model, with
// its page size, free space and write-once bytes, and reach a real broker in order when it is back, across resets
// and power cuts; corrupt and full Storage; delivered + dropped = sampled throughout. All on the fake clock.
import test from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { StorageSim } from '../scripts/sim/storage.mjs';
import { faultRig, journalSegments } from './fault-rig.mjs';

const BOARD = 'esp8266-4mb'; // 192 KB of Storage: the journal is on by default
const everyTwoSeconds = { board: BOARD, sensor: { id: 'lux-1', intervalSeconds: 2, gain: 'low', integrationMs: 100 } };

test('a one-hour outage at 2 s: 1800 readings wait in flash and all arrive in order, the module loaded only for a moment at a time', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, everyTwoSeconds);
  try {
    assert.ok(r.lines.some((l) => /^journal: room for 2000 readings in flash \(\d+ bytes of Storage free\)$/.test(l)), r.lines.join('\n'));
    assert.ok(!r.device.cachedModules().includes('lgjournal'), 'nothing in flash at boot: the module is let go');
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    r.device.wifi.drop();
    const before = r.device.storage.bytesWritten;
    await r.run(3600 * 1000, { step: 2000 });
    const w = r.writer();
    assert.ok(w.journaled >= 1790, `readings in flash: ${w.journaled}`);
    assert.equal(w.queued, 0, 'the buffer went to flash too');
    // the module is loaded only for each piece of work (a reading, a batch), never between them
    assert.ok(!r.device.cachedModules().includes('lgjournal'), 'the module let go between readings during the outage');
    const written = r.device.storage.bytesWritten - before;
    assert.ok(written < 1800 * 60, `bytes written for 1800 readings: ${written}`);
    assert.ok(journalSegments(r.device.storage).length > 5, 'several segments');
    r.device.wifi.restore();
    await r.run(60000, { step: 100, until: () => r.writer().sent >= r.sampled.length - 2 });
    r.stopSampling();
    await r.run(60000, { step: 100, until: () => r.writer().queued == 0 && r.writer().journaled == 0 });
    await waitFor(() => r.received().length >= r.sampled.length, { what: 'the backlog at the subscriber' });
    const a = r.checkAccounts();
    assert.equal(a.dropped, 0);
    assert.equal(r.writer().journaled, 0);
    assert.deepEqual(journalSegments(r.device.storage), [], 'every segment erased once sent');
    assert.ok(!r.device.cachedModules().includes('lgjournal'), 'the module let go once flash is empty');
    // what became of the readings is said, once each: to flash, how many wait, gone out
    const said = (re) => r.lines.filter((l) => re.test(l));
    assert.equal(said(/^journal: the broker is away: readings go to flash until the broker has them$/).length, 1, r.lines.join('\n'));
    const [waiting] = said(/^journal: \d+ readings wait in flash: sending them, oldest first$/);
    assert.ok(waiting && +/\d+/.exec(waiting)[0] >= 1790, r.lines.filter((l) => /^journal/.test(l)).join('\n'));
    const gone = said(/^journal: backlog out of flash: \d+ readings sent, 0 dropped, \d+ in the RAM buffer$/);
    assert.equal(gone.length, 1, r.lines.filter((l) => /^journal/.test(l)).join('\n'));
    assert.ok(+/(\d+) readings sent/.exec(gone[0])[1] >= 1790, gone[0]);
  } finally {
    await r.close();
    await broker.close();
  }
});

/** Makes every read of a journal segment in `storage` throw `flash fault`; returns what undoes it. */
function failReads(storage) {
  const read = storage.read;
  storage.read = (name, ...rest) => {
    if (/^lgj\d+$/.test(name)) throw new Error('flash fault');
    return read.call(storage, name, ...rest);
  };
  return () => (storage.read = read);
}

/** The lux of every reading the journal holds in `storage`, oldest first, read from its segments as they are in flash. */
function luxInFlash(storage) {
  const out = [];
  const names = journalSegments(storage).sort((a, b) => a.slice(3) - b.slice(3));
  for (const name of names) {
    const text = storage.read(name, 64);
    // a line: the time in ms, a comma, the lux
    for (const line of text.slice(0, text.indexOf('\xff') < 0 ? undefined : text.indexOf('\xff')).split('\n').slice(0, -1)) out.push(+line.split(',')[1]);
  }
  return out;
}

/** Unique lux values received, in arrival order. */
function receivedLux(sub) {
  const seen = new Set(), out = [];
  for (const m of sub.messages) {
    const lux = JSON.parse(m.text)[2];
    if (!seen.has(lux)) out.push(lux);
    seen.add(lux);
  }
  return out;
}

/** The firmware at 2 s, online for its first readings, then ten minutes with WiFi gone. */
async function tenMinutesOffline(broker) {
  const r1 = await faultRig(broker, everyTwoSeconds);
  await r1.run(20000, { step: 200, until: () => r1.sub.messages.length >= 3 });
  r1.device.wifi.drop();
  await r1.run(600 * 1000, { step: 2000 });
  return r1;
}

/**
 * A new firmware instance over `storage` (`r1`'s flash by default), heard by r1's subscriber: it samples until what
 * waited from before has gone out, then stops sampling until the broker has everything, the newest reading last.
 */
async function bootAgain(broker, r1, storage = r1.device.storage) {
  const r2 = await faultRig(broker, everyTwoSeconds, {}, { storage, sub: r1.sub, firstLux: 20000 });
  await r2.run(30000, { step: 100, until: () => r2.writer().journaled == 0 && r2.writer().sent > 5 });
  r2.stopSampling();
  await r2.run(30000, { step: 100, until: () => r2.writer().queued == 0 && r2.writer().journaled == 0 });
  await waitFor(() => receivedLux(r1.sub).includes(r2.sampled.at(-1)), { what: 'the readings at the subscriber' });
  return r2;
}

/** Ten minutes offline, then the device goes: `how` is 'reset' (Espruino fires 'kill' first) or 'power cut'. */
async function outageThen(broker, how) {
  const r1 = await tenMinutesOffline(broker);
  const w1 = r1.writer();
  if (how == 'reset') r1.device.E.emit('kill');
  r1.device.stop();
  const inFlash = luxInFlash(r1.device.storage);
  const r2 = await bootAgain(broker, r1);
  return { r1, r2, w1, inFlash, got: receivedLux(r1.sub) };
}

test('a reset in the middle of an outage: the new firmware sends every reading of the old one first, in order', async () => {
  const broker = await startBroker();
  const { r1, r2, w1, inFlash, got } = await outageThen(broker, 'reset');
  try {
    assert.ok(r2.lines.some((l) => /^journal: room for \d+ readings in flash \(\d+ bytes of Storage free\), 3\d\d waiting from before$/.test(l)), r2.lines.join('\n'));
    assert.ok(inFlash.length >= 295, `the buffer and the batch went to flash at the reset: ${inFlash.length}`);
    assert.deepEqual(got, [...r1.sampled, ...r2.sampled], 'every reading of both, in order, none twice');
    assert.equal(w1.dropped + r2.writer().dropped, 0);
    assert.deepEqual(journalSegments(r2.device.storage), []);
  } finally {
    await r2.close();
    await broker.close();
  }
});

test('a power cut in the middle of an outage: every reading in flash arrives after the next boot, in order; only the unwritten batch is lost', async () => {
  const broker = await startBroker();
  const { r1, r2, w1, inFlash, got } = await outageThen(broker, 'power cut');
  try {
    const lost = r1.sampled.filter((v) => !got.includes(v));
    assert.ok(lost.length < 8, `at most one batch lost: ${lost}`);
    assert.deepEqual(lost, r1.sampled.slice(r1.sampled.length - lost.length), 'the lost ones are the newest, never written');
    for (const v of inFlash) assert.ok(got.includes(v), `${v} was in flash and arrived`);
    assert.deepEqual(got, [...r1.sampled.slice(0, r1.sampled.length - lost.length), ...r2.sampled], 'in order');
    // delivered + dropped = sampled, across the cut: what the cut took was never counted, and is the batch in RAM
    assert.equal(got.length + w1.dropped + r2.writer().dropped + lost.length, r1.sampled.length + r2.sampled.length);
  } finally {
    await r2.close();
    await broker.close();
  }
});

test('a power cut while the backlog drains: after the next boot the rest arrives in order, at most 15 acknowledged readings twice', async () => {
  const broker = await startBroker();
  const r1 = await tenMinutesOffline(broker);
  const waiting = r1.writer().journaled, sent = r1.writer().sent;
  r1.device.wifi.restore();
  // acknowledgements are marked in flash by the journal's calls, 8 at a time: cut in the middle of the backlog
  await r1.run(120000, { step: 50, until: () => r1.writer().sent >= sent + 101 });
  const acknowledged = r1.writer().sent - sent;
  r1.device.stop();
  if (!(acknowledged > 100 && acknowledged < waiting - 50)) {
    await r1.close();
    await broker.close();
    assert.fail(`${acknowledged} of ${waiting} acknowledged at the cut`);
  }
  const r2 = await bootAgain(broker, r1);
  try {
    assert.ok(r2.lines.some((l) => /^journal: room for \d+ readings in flash \(\d+ bytes of Storage free\), \d+ waiting from before$/.test(l)), r2.lines.join('\n'));
    const got = receivedLux(r1.sub);
    // what the cut took: the batch of readings sampled during the backlog, never written
    const lost = r1.sampled.filter((v) => !got.includes(v));
    assert.ok(lost.length < 8, `at most one batch lost: ${lost}`);
    assert.deepEqual(lost, r1.sampled.slice(r1.sampled.length - lost.length), 'the lost ones are the newest, never written');
    assert.deepEqual(got, [...r1.sampled.slice(0, r1.sampled.length - lost.length), ...r2.sampled], 'in order');
    // sent twice: acknowledged readings whose marks were not written yet, and the two in flight at the cut
    const twice = r1.sub.messages.length - new Set(r1.sub.messages.map((m) => m.text)).size;
    assert.ok(twice <= 15 + 2, `readings that arrived twice: ${twice}`);
    assert.deepEqual(journalSegments(r2.device.storage), []);
  } finally {
    await r2.close();
    await broker.close();
  }
});

test('a corrupt journal: a damaged reading, one cut off by a power cut and a foreign file are each said once and skipped, the rest arrive', async () => {
  const broker = await startBroker();
  const r1 = await tenMinutesOffline(broker);
  r1.device.stop(); // a power cut
  const storage = r1.device.storage;
  const names = journalSegments(storage).sort((a, b) => a.slice(3) - b.slice(3));
  // bits flipped in the first reading of the second segment (flash bits only go to 0), and half a reading written
  // at the end of the last one, as a power cut during the write leaves it
  const damaged = +storage.read(names[1], 64, 80).split('\n')[0].split(',')[1]; // its lux
  const second = storage.find(names[1]).data;
  second[65] &= 0x20;
  const last = storage.find(names.at(-1));
  const end = last.data.indexOf(0xff, 64);
  last.data.write('1700009999999,1700', end, 'latin1');
  storage.write('lgj999', 'not a journal');
  const r2 = await bootAgain(broker, r1, storage);
  try {
    const said = (re) => r2.lines.filter((l) => re.test(l)).length;
    assert.equal(said(/^journal: lgj999 is not a journal segment: erased$/), 1, r2.lines.join('\n'));
    assert.equal(said(/^journal: lgj\d+ ends in a reading cut off by a power cut: it is left out$/), 1, r2.lines.join('\n'));
    assert.equal(said(/^journal: a corrupt reading in lgj\d+ dropped$/), 1, r2.lines.join('\n'));
    const got = receivedLux(r1.sub);
    assert.ok(!got.includes(damaged), 'the damaged reading is not sent');
    assert.ok(!got.includes(1700));
    assert.equal(r2.writer().dropped, 1, 'the damaged reading is counted as dropped');
    const order = got.map((v) => [...r1.sampled, ...r2.sampled].indexOf(v));
    assert.ok(!order.includes(-1) && order.every((v, i) => !i || v > order[i - 1]), 'in order');
    assert.ok(got.length >= r1.sampled.length + r2.sampled.length - 9, 'the rest arrive');
    assert.deepEqual(journalSegments(storage), []);
  } finally {
    await r2.close();
    await broker.close();
  }
});

test('Storage full: the journal takes what is left, drops its oldest readings and counts them, delivered + dropped = sampled', async () => {
  const broker = await startBroker();
  const storage = new StorageSim({ bytes: 196608 });
  storage.write('photos', ' '.repeat(196608 - 36000)); // another file: the upload (about 22 KB) leaves room for three segments
  const r = await faultRig(broker, everyTwoSeconds, {}, { storage });
  try {
    const room = /^journal: room for (\d+) readings in flash/.exec(r.lines.find((l) => l.startsWith('journal: room')));
    assert.ok(room && +room[1] >= 100 && +room[1] <= 400, r.lines.join('\n'));
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    r.device.wifi.drop();
    await r.run(1800 * 1000, { step: 2000 });
    assert.ok(r.writer().dropped > 400, `dropped: ${r.writer().dropped}`);
    assert.ok(r.lines.some((l) => /^journal: full, \d+ oldest readings dropped$/.test(l)));
    r.device.wifi.restore();
    r.stopSampling();
    await r.run(60000, { step: 100, until: () => r.writer().queued == 0 && r.writer().journaled == 0 });
    await waitFor(() => r.received().length + r.writer().dropped >= r.sampled.length, { what: 'the backlog at the subscriber' });
    const a = r.checkAccounts();
    assert.ok(a.received > 100);
    assert.ok(r.received().includes(r.sampled.at(-1)), 'the newest are kept');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('buffer.journal bounds the journal below what Storage has room for', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, { ...everyTwoSeconds, buffer: { journal: 100 } });
  try {
    assert.ok(r.lines.includes(r.lines.find((l) => /^journal: room for 100 readings in flash/.test(l))), r.lines.join('\n'));
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    r.device.wifi.drop();
    await r.run(600 * 1000, { step: 2000 });
    assert.ok(r.writer().journaled <= 100, `journaled: ${r.writer().journaled}`);
    r.device.wifi.restore();
    r.stopSampling();
    await r.run(60000, { step: 100, until: () => r.writer().queued == 0 && r.writer().journaled == 0 });
    await waitFor(() => r.received().length + r.writer().dropped >= r.sampled.length, { what: 'the backlog at the subscriber' });
    const a = r.checkAccounts();
    assert.ok(a.dropped >= 150 && a.received >= 90, JSON.stringify(a));
  } finally {
    await r.close();
    await broker.close();
  }
});

test('a Storage fault under the journal: it turns off with a line, the readings not yet in flash are counted as dropped, those in flash wait for the next boot', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, everyTwoSeconds);
  try {
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    r.device.wifi.drop();
    await r.run(300 * 1000, { step: 2000 });
    const storage = r.device.storage;
    // until the batch (readings counted as journaled, not yet written) holds some
    const unwritten = () => r.writer().journaled - luxInFlash(storage).length;
    for (let i = 0; i < 8 && !unwritten(); i++) await r.run(2000, { step: 2000 });
    const lost = unwritten(), inFlash = luxInFlash(storage).length;
    assert.ok(lost > 0 && inFlash > 100, `${lost} in the batch, ${inFlash} in flash`);
    const restore = failReads(storage);
    r.stopSampling();
    r.device.wifi.restore();
    await r.run(60000, { step: 100, until: () => r.writer().queued == 0 && r.lines.some((l) => l.startsWith('journal: flash fault')) });
    assert.ok(r.lines.includes(`journal: flash fault; off until the next boot, ${lost} readings not yet in flash dropped`), r.lines.join('\n'));
    restore();
    // each reading arrived, waits in flash or is counted as dropped (one published before the outage may do two)
    const accounted = () => new Set([...r.received(), ...luxInFlash(storage)]).size + r.writer().dropped;
    await waitFor(() => accounted() >= r.sampled.length, { what: 'every reading sent, dropped or in flash' });
    const w = r.writer();
    assert.equal(w.dropped, lost);
    assert.equal(w.journaled, inFlash, 'what flash holds waits there, counted');
    assert.equal(accounted(), r.sampled.length, 'delivered + dropped + in flash = sampled');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('a Storage fault while the journal is full and drops its oldest: it turns off with one line, and each reading is delivered, dropped or in flash', async () => {
  const broker = await startBroker();
  const r = await faultRig(broker, { ...everyTwoSeconds, buffer: { journal: 40 } });
  try {
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    r.device.wifi.drop();
    // past the buffer and the journal's 40: its oldest readings are dropped to make room, from flash
    await r.run(200 * 1000, { step: 2000 });
    assert.ok(r.writer().dropped > 0, `dropped: ${r.writer().dropped}`);
    const storage = r.device.storage;
    const restore = failReads(storage);
    // the next full batch needs room: the walk that drops the oldest reads flash, and fails
    await r.run(40 * 1000, { step: 2000, until: () => r.lines.some((l) => l.startsWith('journal: flash fault')) });
    restore();
    // one line says it, and nothing else goes wrong after it
    const faults = r.lines.filter((l) => l.startsWith('journal: ') && !/^journal: (room for|full, 8 oldest|the broker is away)/.test(l));
    assert.equal(faults.length, 1, faults.join('\n'));
    assert.match(faults[0], /^journal: flash fault; off until the next boot(, \d+ readings not yet in flash dropped)?$/);
    r.stopSampling();
    r.device.wifi.restore();
    await r.run(60000, { step: 100, until: () => r.writer().queued == 0 });
    // readings the journal dropped to make room stay in flash until their segment goes: those waiting are the
    // newest `journaled` there
    const w = r.writer();
    const accounted = () => new Set(r.received()).size + w.dropped + w.journaled;
    await waitFor(() => accounted() >= r.sampled.length, { what: 'every reading sent, dropped or in flash' });
    assert.equal(accounted(), r.sampled.length, 'delivered + dropped + waiting in flash = sampled');
    assert.equal(r.received().length, new Set(r.received()).size, 'none twice');
    const waiting = luxInFlash(storage).slice(-w.journaled);
    assert.ok(waiting.every((lux) => r.sampled.includes(lux) && !r.received().includes(lux)), 'those waiting in flash are readings not delivered');
  } finally {
    await r.close();
    await broker.close();
  }
});

test('Storage filled up after boot: the journal says it has no room and stays off, the readings use the RAM buffer, delivered + dropped = sampled', async () => {
  const broker = await startBroker();
  const storage = new StorageSim({ bytes: 196608 });
  const r = await faultRig(broker, everyTwoSeconds, {}, { storage });
  try {
    assert.ok(r.lines.some((l) => /^journal: room for 2000 readings in flash/.test(l)), r.lines.join('\n'));
    await r.run(20000, { step: 200, until: () => r.sub.messages.length >= 3 });
    // another file takes what was left: the journal's next start finds no room for a segment
    storage.write('photos', ' '.repeat(storage.getFree() - 200));
    r.device.wifi.drop();
    await r.run(120 * 1000, { step: 2000 });
    assert.equal(r.lines.filter((l) => l == 'journal: no room in Storage: off until the next boot').length, 1, r.lines.join('\n'));
    assert.deepEqual(journalSegments(storage), []);
    assert.equal(r.writer().journaled, 0);
    assert.ok(r.writer().dropped > 0, 'the RAM buffer overflowed, counted');
    r.device.wifi.restore();
    r.stopSampling();
    await r.run(60000, { step: 100, until: () => r.writer().queued == 0 });
    await waitFor(() => r.received().length + r.writer().dropped >= r.sampled.length, { what: 'the buffer at the subscriber' });
    r.checkAccounts();
  } finally {
    await r.close();
    await broker.close();
  }
});
