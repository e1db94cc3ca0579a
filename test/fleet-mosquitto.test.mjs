// npm run fleet against mosquitto: the fleet runs as two processes with their own prefixes, as on two hosts, and
// npm run fleet:count, a separate subscriber, checks both (test/fleet.test.mjs has the fleet against aedes).
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { runNodeAsync, mosquittoSkip, startMosquitto } from './helpers.mjs';
import { tmp, fleet, checkAccounts, checkHerd } from './fleet-rig.mjs';

test('two fleets of 25 against mosquitto, WiFi cut for 5 s, counted by a separate subscriber: every reading arrived', { skip: mosquittoSkip() ?? false }, async () => {
  const mosq = await startMosquitto();
  const dir = tmp();
  const broker = `mqtt://127.0.0.1:${mosq.port}`;
  try {
    const counting = runNodeAsync(['scripts/fleet-count.mjs', '--broker', broker, '--seconds', '90', '--quiet', '--json',
      '--check', path.join(dir, 'hostA.json'), '--check', path.join(dir, 'hostB.json')]);
    await new Promise((r) => setTimeout(r, 1000)); // subscribed before the devices start
    const common = ['--devices', '25', '--broker', broker, '--interval', '1', '--outage', '3:8', '--seconds', '10', '--max-backoff', '2'];
    const [a, b] = await Promise.all(
      ['hostA', 'hostB'].map((p) => fleet([...common, '--prefix', p, '--out', path.join(dir, p + '.json')]))
    );
    for (const [report, prefix] of [[a, 'hostA'], [b, 'hostB']]) {
      assert.equal(report.options.embedded, false);
      assert.ok(report.devices.every((d) => d.id.startsWith(prefix + '-')), 'client ids carry the prefix');
      const row = checkAccounts(report, 25);
      assert.equal(report.recovery.countedAt, 'devices');
      checkHerd(report, 25, row);
    }
    const c = await counting;
    assert.equal(c.status, 0, c.all);
    const count = JSON.parse(c.stdout);
    assert.equal(Object.keys(count.devices).length, 50, 'the subscriber saw every device of both fleets');
    for (const check of count.checks) assert.deepEqual([check.accounted, check.devices, check.mismatches], [25, 25, []], check.file);
    // twins (one integration read twice, same timestamp and lux) are one reading to a subscriber
    for (const d of [...a.devices, ...b.devices]) assert.equal(count.devices[d.id], d.sampled - d.twins, `${d.id}: counted by the separate subscriber`);
    assert.ok(count.rows.some((r) => r.measure == 'fleet hostA: devices / readings' && r.value.startsWith('25 / ')));
  } finally {
    await mosq.stop();
  }
});
