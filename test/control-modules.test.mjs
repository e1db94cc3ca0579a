// The firmware's rarely-run code is in Storage modules that control() loads for one run (src/control/control.ts).
// One missing from Storage, left there by another upload, or damaged is said once on the console, naming the file
// and the fix, and the rest of the firmware runs on. The bundle in the simulator against the embedded aedes broker.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildWith, subscriber, waitFor } from './helpers.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

const CONFIG = { sensor: { id: 'lux-1', intervalSeconds: 0.2 }, mqtt: { clientId: 'hall', diagnosticsSeconds: 0.3 } };
const said = (file) => `luxgraph: the Storage file ${file} is missing or from another upload: upload the firmware again with npm run flash`;

/** The firmware with its modules as `change(modules)` leaves them, against a broker; runs until `until(r)`. */
async function run(change, until) {
  const broker = await startBroker();
  const built = await buildWith(CONFIG);
  const sub = await subscriber({ host: broker.host, port: broker.port, topic: ['hall/#', 'test-topic'] });
  const device = createDevice({ board: built.board, broker, log: () => {} });
  const r = { device, sub, on: (topic) => sub.messages.filter((m) => m.topic == topic), lines: device.lines };
  try {
    device.load({ code: built.code, modules: change(built.modules) });
    await until(r);
    return r;
  } finally {
    device.stop();
    await sub.close();
    await broker.close();
  }
}

test('with every module in Storage: nothing to say, reports and readings arrive, and no module stays loaded', async () => {
  const r = await run((modules) => modules, (r) => waitFor(() => r.on('hall/diag').length >= 2, { what: 'two health reports' }));
  assert.deepEqual(r.lines.filter((l) => l.startsWith('luxgraph:')), []);
  assert.ok(r.on('test-topic').length >= 1);
  assert.deepEqual(r.device.cachedModules(), [], 'every module let go after its run');
});

test('a missing module (the health report) is said once, naming the file and the fix; readings still arrive', async () => {
  const r = await run(
    (modules) => modules.filter((m) => m.name != 'lgdiag'),
    (r) => waitFor(() => r.on('test-topic').length >= 8, { what: 'readings over several report periods' })
  );
  assert.deepEqual(r.lines.filter((l) => l.startsWith('luxgraph:')), [said('lgdiag')], r.lines.join('\n'));
  assert.equal(r.on('hall/diag').length, 0);
});

test('a module from another upload or a damaged one is never run: said once, and the firmware runs on without commands', async () => {
  const other = (await buildWith({ ...CONFIG, mqtt: { ...CONFIG.mqtt, clientId: 'porch' } })).modules.find((m) => m.name == 'lgcommand');
  for (const swap of [() => other.code, (code) => code.slice(0, code.length >> 1)]) {
    const r = await run(
      (modules) => modules.map((m) => (m.name == 'lgcommand' ? { ...m, code: swap(m.code) } : m)),
      async (r) => {
        await waitFor(() => r.on('hall/status').length >= 1, { what: 'the firmware connected' });
        for (const cmd of ['{"interval":5}', '{"colour":1}']) await r.sub.client.publishAsync('hall/set', cmd);
        // every 0.2 s still: {"interval":5} was not applied
        const n = r.on('test-topic').length;
        await waitFor(() => r.on('test-topic').length >= n + 8, { what: 'readings after the commands, 0.2 s apart' });
      }
    );
    // the settings at start and both commands found it wanting: one line
    assert.deepEqual(r.lines.filter((l) => l.startsWith('luxgraph:')), [said('lgcommand')], r.lines.join('\n'));
    assert.deepEqual(r.lines.filter((l) => l.startsWith('command ')), [], 'no command ran');
    assert.ok(r.on('hall/diag').length >= 2 && r.on('hall/diag').every((m) => !('error' in JSON.parse(m.text))), 'reports, without a refusal');
  }
});
