// The flashed firmware on a real Espruino interpreter, where ESPRUINO names one (your own build of Espruino's Linux
// port, as for the bench) and the MQTT module is in modules/: what the Node simulator cannot show, such as a for-in
// Espruino refuses, shows here. Commands, diagnostics, discovery, the topic template and the object payload,
// against a real broker on 127.0.0.1. Skipped, with the reason, elsewhere.
import test from 'node:test';
import assert from 'node:assert/strict';
import { memorySkip, workspace, firmwareUpload, flashed } from '../scripts/espruino/espruino-rig.mjs';
import { startEspruino } from '../scripts/espruino/espruino.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

test('on Espruino: commands, diagnostics, discovery, topic template and object payload work with no uncaught error', { skip: memorySkip() ?? false, timeout: 60000 }, async () => {
  const broker = await startBroker();
  const got = [];
  broker.aedes.on('publish', (p, client) => client && got.push({ topic: p.topic, text: p.payload.toString(), retain: p.retain }));
  const upload = await firmwareUpload(workspace(), broker.port, { mqtt: { clientId: 'hall', topic: 'sensors/{id}', format: 'object', discovery: true }, more: { board: 'esp8266-4mb' } });
  const lines = [];
  const send = (text) => broker.aedes.publish({ topic: 'hall/set', payload: Buffer.from(text), qos: 0, retain: false }, () => {});
  const esp = startEspruino({
    bin: process.env.ESPRUINO,
    upload: flashed(upload.flash),
    timeoutMs: 8000,
    onLine: (l) => {
      lines.push(l);
      if (l.startsWith('MQTT: connected')) {
        setTimeout(() => send('{"interval":0.5,"gain":"high"}'), 500);
        setTimeout(() => send('{"colour":1}'), 1500);
      }
    }
  });
  await esp.exited;
  await broker.close();
  const on = (topic) => got.filter((m) => m.topic == topic);
  assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), [], lines.join('\n'));
  assert.ok(lines.includes('command {"interval":0.5,"gain":"high"} applied'), lines.join('\n'));
  assert.ok(lines.includes('command {"colour":1} refused: unknown command key colour: use interval, gain, powerSave or reset'));
  assert.deepEqual(on('hall/status').map((m) => [m.text, m.retain]).slice(0, 1), [['online', true]]);
  const config = JSON.parse(on('homeassistant/sensor/hall_lux-1/config')[0].text);
  assert.equal(config.stat_t, 'sensors/lux-1');
  assert.equal(config.val_tpl, '{{ value_json.lux }}');
  const reading = JSON.parse(on('sensors/lux-1')[0].text);
  assert.deepEqual(Object.keys(reading), ['id', 'ts', 'lux']);
  const diag = on('hall/diag').map((m) => JSON.parse(m.text));
  assert.ok(diag.length >= 2 && diag.every((d) => d.sampled >= 1 && d.clock == 'unix'), JSON.stringify(diag));
  assert.ok(diag.some((d) => /unknown command key colour/.test(d.error)), 'the refusal on <base>/diag');
});

test('on Espruino: a control module missing from Storage is said once, naming it and the fix, and the firmware runs on', { skip: memorySkip() ?? false, timeout: 60000 }, async () => {
  const broker = await startBroker();
  let readings = 0;
  broker.aedes.on('publish', (p, client) => client && p.topic == 'test-topic' && readings++);
  const upload = await firmwareUpload(workspace(), broker.port, { mqtt: { clientId: 'hall', diagnosticsSeconds: 1 }, more: { board: 'esp8266-4mb' } });
  // the upload without its Storage file lgdiag (an older upload's Storage, say): the report's timer finds it missing
  const sent = upload.flash.split('\n').filter((l) => !l.startsWith('require("Storage").write("lgdiag",'));
  assert.ok(sent.length < upload.flash.split('\n').length, 'the upload wrote lgdiag');
  const lines = [];
  const esp = startEspruino({ bin: process.env.ESPRUINO, upload: flashed(sent.join('\n')), timeoutMs: 6000, onLine: (l) => lines.push(l) });
  await esp.exited;
  await broker.close();
  assert.deepEqual(lines.filter((l) => /Uncaught|OUT OF MEMORY/.test(l)), [], lines.join('\n'));
  assert.deepEqual(lines.filter((l) => l.startsWith('luxgraph:')), ['luxgraph: the Storage file lgdiag is missing or from another upload: upload the firmware again with npm run flash']);
  assert.ok(readings >= 5, `readings still arrive (${readings})`);
});
