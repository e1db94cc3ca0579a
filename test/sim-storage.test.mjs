// The simulator's Storage model against the rules of Espruino's (src/jsflash.c, 2v29): files at full size, bytes
// written once, erased files as trash until a compaction (automatic when only the trash has room), free space at the
// end, a write that fails when full; and what it counts for flash wear.
import test from 'node:test';
import assert from 'node:assert/strict';
import { StorageSim } from '../scripts/sim/storage.mjs';
import { MQTT_MODULE_BYTES } from '../scripts/sim/device.mjs';
import { findMqttModule, sentMqttModule } from '../scripts/firmware/mqtt-module.mjs';
import { validateConfig } from '../scripts/config/index.mjs';
import { EXAMPLE } from './helpers.mjs';

test('a file is created at its size and filled in parts, each byte once', () => {
  const s = new StorageSim({ bytes: 16384, pageSize: 4096 });
  assert.equal(s.getFree(), 16384);
  s.write('log', 'J', 0, 100);
  assert.equal(s.getFree(), 16384 - 32 - 100);
  assert.equal(s.read('log', 0, 3), 'J\xff\xff');
  s.write('log', 'abc', 10);
  assert.equal(s.read('log', 9, 5), '\xffabc\xff');
  assert.throws(() => s.write('log', 'x', 11), /File already written with different data/);
  assert.throws(() => s.write('log', 'x', 100), /Too much data for file size/);
  assert.throws(() => s.write('nofile', 'x', 5), /Unable to find or create file/);
  assert.equal(s.bytesWritten, 32 + 1 + 3);
  assert.deepEqual(s.list(/^lo/), ['log']);
  assert.equal(s.read('nofile'), undefined);
});

test('rewriting a file at offset 0 erases the old one; the trash comes back by compaction, pages erased', () => {
  const s = new StorageSim({ bytes: 16384, pageSize: 4096 });
  s.write('a', 'x'.repeat(4000));
  s.write('b', 'y'.repeat(4000));
  s.write('a', 'z'.repeat(4000)); // a new 'a' at the end, the old one trash
  assert.equal(s.read('a', 0, 2), 'zz');
  assert.equal(s.getStats().trashCount, 1);
  assert.equal(s.getFree(), 16384 - 3 * 4032);
  assert.equal(s.pagesErased, 0, 'erasing a file erases no page');
  // only the trash has room for this one: Espruino compacts first
  s.write('c', 'w'.repeat(6000));
  assert.equal(s.compactions, 1);
  assert.ok(s.pagesErased >= 3, `pages erased: ${s.pagesErased}`);
  assert.deepEqual(s.list(), ['b', 'a', 'c']);
  assert.equal(s.read('b', 0, 1), 'y');
  // full: neither the free space nor the trash can take it
  assert.throws(() => s.write('d', 'v'.repeat(4000)), /Unable to find or create file/);
  assert.equal(s.readJSON('b', true), undefined, 'not JSON, without an exception');
});

test("the simulator keeps the MQTT module's room in Storage: the bytes the example's upload sends of it", { skip: findMqttModule().missing && `${findMqttModule().missing}: npm run modules:fetch` }, async () => {
  const sent = await sentMqttModule(undefined, validateConfig(EXAMPLE).firmware);
  assert.equal(MQTT_MODULE_BYTES, sent.code.length, `set MQTT_MODULE_BYTES in scripts/sim/device.mjs to ${sent.code.length}`);
});
