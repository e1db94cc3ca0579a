// The fleet table at small N: a figure that means nothing there (memory per device, the herd's verdict) is not
// printed as one; the table says from how many devices it does.
import test from 'node:test';
import assert from 'node:assert/strict';
import { rows } from '../scripts/fleet/report.mjs';
import { MEANINGFUL_FROM } from '../scripts/fleet/summary.mjs';

/** A fleet run's results as run.mjs gives them, for n devices, with the memory and herd of a run at 20. */
function results(n) {
  const device = (i) => ({ id: `lux-${i}`, sampled: 10, delivered: 10, dropped: 0, queued: 0, repeats: 0, unknown: 0, twins: 0, accounted: true, latencies: [1, 2], backlogLatencies: [] });
  const devices = Array.from({ length: n }, (_, i) => device(i + 1));
  return {
    options: { interval: 2, seconds: 60, embedded: true, bufferSize: 32, maxBackoff: 60, connectWait: 15, outage: { from: 10, to: 30 } },
    devices,
    spreadMs: 3,
    strays: { foreign: 0, malformed: 0 },
    allConnectedSeconds: 1,
    loadSeconds: 1,
    drainSeconds: 1,
    cpu: { fraction: 0.1, beforeOutage: null },
    memory: { rssPerDevice: -2.56 * 1048576, heapPerDevice: -1.42 * 1048576, rss: 90 * 1048576 },
    recovery: { devices: devices.map((d) => ({ id: d.id, seconds: 1, bound: 2, within: true })), herd: { peakPerSecond: 8, attempts: n, seconds: 2, perSecond: [8] }, countedAt: 'broker' }
  };
}

const find = (list, re) => list.find((r) => re.test(r.measure));

test('at 20 devices: no memory per device and no herd verdict, said why; from the threshold on, both', () => {
  let list = rows(results(20));
  const memory = find(list, /^memory per virtual device/);
  assert.equal(memory.value, `not measured below ${MEANINGFUL_FROM.memory} devices, where the process's own noise outweighs them (RSS 90 MB in all)`);
  assert.doesNotMatch(memory.value, /-\d/, 'no negative figure');
  const herd = find(list, /^connection attempts per second/);
  assert.equal(herd.value, `8/s: no verdict below ${MEANINGFUL_FROM.herd} devices, where one second's jitter decides it`);
  assert.equal(herd.verdict, '');

  list = rows({ ...results(MEANINGFUL_FROM.memory), memory: { rssPerDevice: 1048576, heapPerDevice: 524288, rss: 200 * 1048576 } });
  assert.equal(find(list, /^memory per virtual device/).value, '1 MB / 0.5 MB (RSS 200 MB in all)');
  assert.equal(find(list, /^connection attempts per second/).verdict, 'ok');
});
