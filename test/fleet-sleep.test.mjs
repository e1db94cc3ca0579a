// npm run fleet with a config that sleeps (power.deepSleep): 20 devices through two send cycles on the fleet's
// shared clock against the embedded aedes, and 5 against a broker of the user's (--broker). Every reading of every
// wake reaches the broker, accounted for per device; each send cycle is one burst at the broker, one connection a
// device; the awake times are those of their wakes.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runNode } from './helpers.mjs';
import { tmp, fleet } from './fleet-rig.mjs';
import { burstsOf } from '../scripts/fleet/bursts.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

const DEVICES = 20, SEND_EVERY = 3, PERIOD_S = 60, CYCLES = 2;

/** examples/battery.json with a short cycle: a wake a minute, a send every third. */
function sleepingConfigFile() {
  const config = JSON.parse(fs.readFileSync('examples/battery.json', 'utf8'));
  config.sensor.intervalSeconds = PERIOD_S;
  config.power.sendEvery = SEND_EVERY;
  const file = path.join(tmp(), 'sleeping.json');
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

test(`a sleeping fleet of ${DEVICES}, ${CYCLES} send cycles: every reading at the broker, one burst a send cycle`, async () => {
  const report = await fleet(['--config', sleepingConfigFile(), '--devices', String(DEVICES)]);
  assert.equal(report.options.embedded, true);
  assert.equal(report.options.cycles, CYCLES, 'two send cycles after the first boot by default');
  // each device: the first boot's reading, then per cycle SEND_EVERY wakes of one reading each
  const perDevice = 1 + CYCLES * SEND_EVERY;
  for (const d of report.devices) {
    assert.equal(d.sampled, perDevice, `${d.id} sampled at every start`);
    assert.equal(d.delivered + d.dropped, d.sampled, `${d.id}: delivered ${d.delivered} + dropped ${d.dropped} = sampled ${d.sampled}`);
    assert.equal(d.dropped, 0, d.id);
    assert.equal(d.unknown, 0, `${d.id}: nothing arrived that it did not sample`);
    assert.equal(d.starts, perDevice, `${d.id}: one start a wake`);
    assert.equal(d.sends, CYCLES);
    assert.ok(d.accounted, d.id);
  }
  assert.deepEqual(report.strays, { foreign: 0, malformed: 0 });
  const row = (re) => report.rows.find((r) => re.test(r.measure));
  assert.equal(row(/^delivered \+ dropped = sampled/).value, `${DEVICES} of ${DEVICES} devices`);
  assert.equal(row(/^delivered \+ dropped = sampled/).verdict, 'ok');

  // the bursts: the first boot's send, then one a cycle, each one connection a device and its readings
  const bursts = report.sleep.bursts;
  assert.deepEqual(bursts.map((b) => b.cycle), [0, 1, 2]);
  assert.deepEqual(bursts.map((b) => b.readings), [DEVICES, DEVICES * SEND_EVERY, DEVICES * SEND_EVERY]);
  for (const b of bursts) {
    assert.equal(b.connections, DEVICES, `send ${b.cycle}: one connection a device, no retries`);
    assert.ok(b.connectionsPeak >= 1 && b.connectionsPeak <= DEVICES, JSON.stringify(b));
    assert.ok(b.readingsPeak >= 1 && b.readingsPeak <= b.readings, JSON.stringify(b));
    assert.ok(b.seconds < 30, `send ${b.cycle} lasted ${b.seconds} s at the broker`);
  }
  const burstRows = report.rows.filter((r) => r.section == 'bursts' && /^send \d/.test(r.measure));
  assert.deepEqual(burstRows.map((r) => r.measure.split(' at ')[0]), ['send 0 (first boot)', 'send 1', 'send 2']);
  assert.ok(burstRows.every((r) => r.verdict == 'ok'));
  assert.equal(row(/^connected more than once in a wake/).value, 'none');
  assert.equal(row(/^sends that gave up/).value, `0 of ${DEVICES * CYCLES} send wakes`);
  assert.ok(report.devices.every((d) => d.gaveUp == 0));
  assert.ok(report.devices.every((d) => d.connections == d.connectingWakes && d.connectingWakes == 1 + CYCLES), 'one connection a wake that sends');

  // the awake times, on the board's clock: a wake that only samples waits for one integration of 100 ms
  const awake = report.sleep.awake;
  assert.equal(awake.sample.length, DEVICES * CYCLES * (SEND_EVERY - 1));
  assert.equal(awake.send.length, DEVICES * CYCLES);
  assert.equal(awake['first boot'].length, DEVICES);
  assert.ok(awake.sample.every((ms) => ms >= 100 && ms < 1000), `sample-only wakes: ${awake.sample}`);
  assert.ok(awake.send.every((ms) => ms > 300 && ms < 10e3), `send wakes: ${awake.send}`);
  assert.ok(awake['first boot'].every((ms) => ms >= 30e3 && ms < 40e3), `first boots: ${awake['first boot']}`);
  // the readings kept in flash waited for their send: up to SEND_EVERY - 1 periods, on the board's clock
  const kept = report.summary.latency.buffered;
  assert.equal(kept.samples, DEVICES * CYCLES * (SEND_EVERY - 1));
  assert.ok(kept.p99Ms >= PERIOD_S * 1000 && kept.p99Ms < SEND_EVERY * PERIOD_S * 1000, JSON.stringify(kept));
});

test('a sleeping fleet against a broker of your own (--broker): every reading through it, connections not counted there', async () => {
  const broker = await startBroker();
  // what the broker itself saw: readings published by the devices, by client id
  const heard = {};
  broker.aedes.on('publish', (packet, client) => {
    if (client && /^lux-\d+$/.test(client.id) && packet.topic.endsWith('/lux')) heard[client.id] = (heard[client.id] || 0) + 1;
  });
  try {
    const n = 5;
    const report = await fleet(['--config', sleepingConfigFile(), '--devices', String(n), '--broker', broker.url]);
    assert.equal(report.options.embedded, false);
    assert.equal(report.options.broker, broker.url);
    const perDevice = 1 + CYCLES * SEND_EVERY;
    for (const d of report.devices) {
      assert.equal(d.sampled, perDevice, d.id);
      assert.equal(d.delivered, d.sampled, `${d.id}: every reading at the fleet's subscriber`);
      assert.ok(d.accounted, d.id);
      // QoS 1: a reading may reach the broker more than once, never less
      assert.ok(heard[d.id] >= d.sampled, `${d.id}: the broker saw ${heard[d.id]} of ${d.sampled}`);
    }
    assert.deepEqual(report.sleep.bursts.map((b) => b.readings), [n, n * SEND_EVERY, n * SEND_EVERY]);
    // the connections are the embedded broker's to count: with another broker the table says so instead of a number
    const bursts = report.rows.filter((r) => r.section == 'bursts' && /^send \d/.test(r.measure));
    assert.equal(bursts.length, 1 + CYCLES);
    assert.ok(bursts.every((r) => r.value.startsWith('connections not counted (your broker)')), JSON.stringify(bursts));
    assert.equal(report.rows.find((r) => /^sends that gave up/.test(r.measure)).value, `0 of ${n * CYCLES} send wakes`);
  } finally {
    await broker.close();
  }
});

test('a sleeping fleet refuses the options of one that stays awake, and the other way round', () => {
  const cases = [
    [['--config', 'examples/battery.json', '--seconds', '60'], /--seconds: not for a config that sleeps \(power.deepSleep in examples\/battery.json\); give its length with --hours/],
    [['--config', 'examples/battery.json', '--outage', '3:8'], /--outage: not for a config that sleeps/],
    [['--devices', '5', '--hours', '2'], /--hours: only for a config that sleeps \(power.deepSleep\); give the run's length with --seconds/]
  ];
  for (const [args, re] of cases) {
    const r = runNode(['scripts/fleet.mjs', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
  }
});

test('the bursts: each event in the send cycle nearest its board time, peaks and lengths in real time', () => {
  const cycleMs = 3600e3, start = 1e6;
  const connects = [[start + 5, 100], [start + 10, 400], [start + cycleMs - 1000, 9000], [start + cycleMs + 30e3, 9100]];
  const readings = [[start + 20, 500], [start + cycleMs + 31e3, 9200], [start + cycleMs + 31e3, 9250], [start + cycleMs + 32e3, 11_000]];
  assert.deepEqual(burstsOf({ connects, readings }, { start, cycleMs }), [
    { cycle: 0, connections: 2, connectionsPeak: 2, readings: 1, readingsPeak: 1, seconds: 0.4 },
    { cycle: 1, connections: 2, connectionsPeak: 2, readings: 3, readingsPeak: 2, seconds: 2 }
  ]);
});
