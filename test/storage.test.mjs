// The Storage an upload takes: each file's header and alignment counted, a board's capacity enforced.
import test from 'node:test';
import assert from 'node:assert/strict';
import { storedBytes, storageFiles, checkStorage } from '../scripts/device/storage.mjs';

test('a Storage file takes a 32-byte header and its data rounded up to 4 bytes', () => {
  assert.equal(storedBytes(0), 32);
  assert.equal(storedBytes(1), 36);
  assert.equal(storedBytes(4), 36);
  assert.equal(storedBytes(5), 40);
});

test('the files of an upload fit or are refused with every number a user needs', () => {
  const files = storageFiles(11000, [{ name: 'MQTT', bytes: 5016 }]);
  assert.deepEqual(files, [{ name: '.bootcde', bytes: 11000 }, { name: 'MQTT', bytes: 5016 }]);
  const fits = checkStorage(files, { storageBytes: 16384, espruinoBoard: 'ESP8266_BOARD' });
  assert.equal(fits.used, 32 + 11000 + 32 + 5016);
  assert.match(fits.line, /^Storage: \.bootcde 11000 \+ MQTT 5016 bytes = 16080 of 16384 with headers \(98 %, ESP8266_BOARD\)$/);
  assert.throws(
    () => checkStorage(storageFiles(12000, [{ name: 'MQTT', bytes: 5016 }]), { storageBytes: 16384, espruinoBoard: 'ESP8266_BOARD' }),
    /does not fit the board's Storage: \.bootcde 12000 \+ MQTT 5016 bytes take 17080 bytes with their headers, and ESP8266_BOARD has 16384/
  );
});
