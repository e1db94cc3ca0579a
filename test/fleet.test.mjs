// npm run fleet: 50 virtual devices running the built firmware against real brokers, with an outage. Every
// device's readings are accounted for (delivered at the broker + dropped by the firmware = sampled), every device
// comes back within its documented backoff, and the reconnect herd is measured where it happens: CONNECTs at the
// embedded broker, connection attempts at the devices for an external one. Against mosquitto, as two processes
// counted by npm run fleet:count: test/fleet-mosquitto.test.mjs.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { runNode, runNodeAsync, unwrapTable } from './helpers.mjs';
import { tmp, fleet, checkAccounts, checkHerd } from './fleet-rig.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';
import { peakPerSecond, phaseSpread } from '../scripts/fleet/herd.mjs';
import { Ledger } from '../scripts/fleet/ledger.mjs';

test('a fleet of 50 against the embedded aedes, stopped for 5 s: every reading accounted for, every device back within its backoff', async () => {
  // the firmware of each device starts up to 1 s after it boots, so the devices sample at different moments
  const report = await fleet(['--devices', '50', '--interval', '1', '--outage', '3:8', '--seconds', '10', '--max-backoff', '2', '--start-spread', '1']);
  assert.equal(report.options.embedded, true);
  assert.ok(report.summary.spreadMs >= 300, `the samples span ${report.summary.spreadMs} ms of each 1 s period`);
  const row = checkAccounts(report, 50);
  assert.equal(report.recovery.countedAt, 'broker');
  checkHerd(report, 50, row);
  // the writer hears a refused connection from its socket at once, so each device was at most one pause of its
  // step (--max-backoff 2) from trying again when the broker came back, and then needs a moment to connect
  const back = report.recovery.herd;
  assert.ok(back.seconds <= 2 + 1, `the herd lasted ${back.seconds} s`);
  assert.ok(report.devices.every((d) => d.delivered == d.sampled));
});

test('fleet and fleet:count refuse bad options, naming the option and what it takes', () => {
  const cases = [
    [['scripts/fleet.mjs'], /--devices is missing: say how many virtual devices to run/],
    [['scripts/fleet.mjs', '--devices', '0'], /--devices 0: must be a whole number from 1 to 5000/],
    [['scripts/fleet.mjs', '--devices', '5', '--outage', '9:4'], /--outage 9:4: use A:B, seconds into the run with A before B/],
    [['scripts/fleet.mjs', '--devices', '5', '--outage', '10:30', '--seconds', '20'], /ends after --seconds 20/],
    [['scripts/fleet.mjs', '--devices', '5', '--prefix', 'host/A'], /--prefix host\/A: use letters, digits, - and _ only/],
    [['scripts/fleet.mjs', '--devices', '500', '--prefix', 'a-very-long-host-name'], /client id a-very-long-host-name-500 is over MQTT's 23 characters/],
    [['scripts/fleet.mjs', '--devices', '5', '--broker', 'http://x'], /--broker http:\/\/x: only mqtt:\/\//],
    [['scripts/fleet.mjs', '--devices', '5', '--colour'], /unknown option --colour/],
    [['scripts/fleet-count.mjs'], /--broker is missing/],
    [['scripts/fleet-count.mjs', '--broker', 'mqtt://127.0.0.1:1', '--idle', '-1'], /--idle -1: must be a number of seconds above 0/]
  ];
  for (const [args, re] of cases) {
    const r = runNode(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.match(r.stderr, /usage: npm run fleet/);
  }
});

test('the herd and phase measures: attempts in the busiest second, and how much of a period the samples span', () => {
  assert.equal(peakPerSecond([0, 100, 900, 999, 1000, 2500]), 4);
  assert.equal(peakPerSecond([0, 1000, 2000]), 1);
  assert.equal(phaseSpread([10_000, 10_050, 12_020], 2000), 50);
  assert.equal(phaseSpread([10_000, 11_000], 2000), 1000);
  assert.equal(phaseSpread([11_990, 12_010], 2000), 20, 'across the end of the period');
});

test("a device's ledger: each reading delivered once, a resend apart, twins both delivered, an unknown reading caught", () => {
  const l = new Ledger();
  l.sample(100, 284.1312, 1000, true);
  l.sample(102, 281.5, 3000, false); // while offline: it waits in the buffer
  l.sample(102, 281.5, 3030, false); // a twin: the same integration read again
  l.arrived(100, 284.1312, 1000.5);
  l.arrived(100, 284.1312, 9000); // resent after a reconnect
  l.arrived(102, 281.5, 9001);
  assert.deepEqual([l.sampled, l.delivered, l.twins, l.repeats, l.unknown, l.pending.size], [3, 2, 1, 1, 0, 1], 'one twin still on its way');
  l.arrived(102, 281.5, 9002);
  l.arrived(104, 280, 9003); // never sampled
  assert.deepEqual([l.delivered, l.repeats, l.unknown, l.pending.size], [3, 1, 1, 0]);
  assert.deepEqual(l.latencies, [0.5]);
  assert.deepEqual(l.backlogLatencies, [6001, 5972]);
});

test('fleet:count names a device whose readings did not all arrive, and exits 1', async () => {
  const broker = await startBroker();
  const dir = tmp();
  const report = path.join(dir, 'hostZ.json');
  try {
    const subscribed = new Promise((resolve) => broker.aedes.once('subscribe', resolve));
    const counting = runNodeAsync(['scripts/fleet-count.mjs', '--broker', broker.url, '--check', report, '--seconds', '30', '--quiet']);
    await subscribed;
    const pub = await mqtt.connectAsync(broker.url);
    // hostZ-1 sampled three readings, dropped none; two arrive, one of them twice
    for (const ts of [100, 102, 102]) await pub.publishAsync('fleet/hostZ/hostZ-1/lux', JSON.stringify(['hostZ-1', ts, 284.1312]), { qos: 1 });
    await pub.endAsync();
    const device = { id: 'hostZ-1', sampled: 3, dropped: 0, twins: 0 };
    fs.writeFileSync(report, JSON.stringify({ devices: [device, { ...device, id: 'hostZ-2', sampled: 0 }] }));
    const r = await counting;
    assert.equal(r.status, 1, r.all);
    const table = unwrapTable(r.stdout);
    assert.match(table, /devices seen \/ readings \/ arrived twice \| 1 \/ 2 \/ 1 \|/);
    assert.match(table, /hostZ\.json: counted here \+ dropped = sampled \| 1 of 2 devices; first: hostZ-1 sampled 3, dropped 0, twins 0, counted here 2 \| every device \| over/);
  } finally {
    await broker.close();
  }
});
