// The 512 KB ESP8266's profile (board esp8266: commands, diagnostics and the journal off) flashed on a real Espruino
// interpreter, where ESPRUINO names one and the MQTT module is in modules/: it publishes readings to a real broker,
// subscribes to nothing, and loads no module it was built without. Skipped, with the reason, elsewhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import { memorySkip, workspace, firmwareUpload, flashed } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

test('on Espruino: the esp8266 profile, flashed, publishes readings with its feature set and no missing-module line', { skip: memorySkip() ?? false, timeout: 60000 }, async () => {
  const broker = await startBroker();
  const got = [], subscribed = [];
  broker.aedes.on('publish', (p, client) => client && got.push({ topic: p.topic, text: p.payload.toString() }));
  broker.aedes.on('subscribe', (subs) => subscribed.push(...subs.map((s) => s.topic)));
  // the rig's config sets diagnosticsSeconds for the bench; this profile has no health report: left out here
  const upload = await firmwareUpload(workspace(), broker.port, { mqtt: { clientId: 'hall', diagnosticsSeconds: undefined }, more: { board: 'esp8266' } });
  assert.doesNotMatch(upload.flash, /write\("lg(command|diag|journal)"/, 'only lgwifi of the own modules goes up');
  const lines = [];
  const esp = startEspruino({ bin: process.env.ESPRUINO, upload: flashed(upload.flash), timeoutMs: 8000, onLine: (l) => lines.push(l) });
  await esp.exited;
  await broker.close();
  const log = lines.join('\n');
  assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), [], log);
  assert.ok(lines.some((l) => l.startsWith('MQTT: connected')), log);
  assert.deepEqual(lines.filter((l) => l.startsWith('luxgraph:')), [], 'no module missing: the features that are off are not loaded');
  const readings = got.filter((m) => m.topic == 'test-topic').map((m) => JSON.parse(m.text));
  assert.ok(readings.length >= 2, log);
  assert.ok(readings.every((r) => r[0] == 'lux-1' && typeof r[2] == 'number'), JSON.stringify(readings));
  assert.deepEqual(got.filter((m) => m.topic == 'hall/status').map((m) => m.text).slice(0, 1), ['online']);
  assert.deepEqual(got.filter((m) => m.topic == 'hall/diag'), [], 'no health report');
  assert.deepEqual(subscribed, [], 'no subscription to hall/set');
});
