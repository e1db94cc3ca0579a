// `up` in <base>/diag is the time since start by the clock, in every report: a command's reply a minute in says
// about 60, with diagnosticsSeconds 0 too, and SNTP setting the clock (seconds since boot to Unix time) adds nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildWith, freePort, subscriber, waitFor } from './helpers.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { runClock } from './fault-rig.mjs';

test('a command 65 s after start gets a report with up near 65, without periodic reports', async () => {
  const port = await freePort();
  const broker = await startBroker({ port });
  const { code, board, modules } = await buildWith({ sensor: { id: 'lux-1', intervalSeconds: 1 }, mqtt: { clientId: 'hall', diagnosticsSeconds: 0 } });
  const clock = new FakeClock();
  const lines = [];
  const device = createDevice({ board, broker: { host: '127.0.0.1', port }, modules, timers: clock, log: (l) => lines.push(l) });
  const sub = await subscriber({ port, topic: 'hall/diag' });
  try {
    device.load({ code, modules });
    await runClock(clock, 65000, { step: 100 });
    assert.ok(device.wifi.clockSet, 'SNTP set the clock on the way');
    await sub.client.publishAsync('hall/set', '{"interval":2}');
    await runClock(clock, 2000, { until: () => sub.messages.length > 0 });
    await waitFor(() => sub.messages.length > 0, { what: `the report after the command (${lines.join('\n')})` });
    const { up } = JSON.parse(sub.messages[0].text);
    assert.ok(up >= 64 && up <= 67, `up ${up}, about 65`);
  } finally {
    device.stop();
    await sub.close();
    await broker.close();
  }
});
