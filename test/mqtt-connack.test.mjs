// The MQTT module's CONNACK read, corrected in what the upload sends (scripts/firmware/mqtt-connack.mjs): one read
// changed and nothing else, and a module that reads it some other way stops the upload, saying what to look at.
// What the corrected module then does with a refusal, on Espruino itself: test/sim-mqtt.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import { findMqttModule } from '../scripts/firmware/mqtt-module.mjs';
import { withConnackFixed } from '../scripts/firmware/mqtt-connack.mjs';
import { minifyModule } from '../scripts/firmware/modules.mjs';

const published = findMqttModule();

test('the module as published: its one read of the return code moves to the byte after the flags, nothing else changes', { skip: published.missing || false }, async () => {
  const before = published.code.split('\n'), after = withConnackFixed(published.code).split('\n');
  assert.equal(after.length, before.length);
  const changed = before.map((line, i) => [line, after[i]]).filter(([a, b]) => a != b);
  assert.deepEqual(changed, [['    var returnCode = 0|pData.charCodeAt(3);', '    var returnCode = 0|pData.charCodeAt(1);']]);
  assert.equal(withConnackFixed(withConnackFixed(published.code)), withConnackFixed(published.code), 'a module that reads it there already is left as it is');
  // what the upload sends, for the firmware and for other code alike
  assert.match(await minifyModule(published.code, 'MQTT'), /=0\|\w+\.charCodeAt\(1\);/);
});

test('a module that reads the return code some other way is refused, saying what to look at; a stand-in with no CONNACK read is left as it is', () => {
  const refused = /^the MQTT module no longer reads the CONNACK's return code as `var returnCode = 0\|pData\.charCodeAt\(3\)` \((.*)\): see whether it reads the right byte now, and change or drop scripts\/firmware\/mqtt-connack\.mjs to suit$/;
  const cases = [
    // upstream fixed it by reading the whole packet: the right byte, which the build must not move
    ['function h(data, pData) { var returnCode = 0|data.charCodeAt(3); }', 'it reads it another way'],
    ['function h(pData) { var returnCode = pData.charCodeAt(3); }', 'it reads it another way'],
    ['function h(pData) { var returnCode = 0|pData.charCodeAt(3); } function g(pData) { var returnCode = 0|pData.charCodeAt(3); }', '2 reads of returnCode']
  ];
  for (const [code, why] of cases) {
    assert.throws(() => withConnackFixed(code), (e) => refused.test(e.message) && refused.exec(e.message)[1] == why, code);
  }
  const standIn = 'exports.create = function (host) { return { host: host }; };';
  assert.equal(withConnackFixed(standIn), standIn);
});
