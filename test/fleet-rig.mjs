// What the fleet tests share: a fleet run's report, and the checks every run must pass.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { runNodeAsync } from './helpers.mjs';
import { MEANINGFUL_FROM } from '../scripts/fleet/summary.mjs';

export const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-'));

/** A fleet run's JSON report; fails with its output when the command fails. */
export async function fleet(args) {
  const r = await runNodeAsync(['scripts/fleet.mjs', '--json', '--quiet', ...args]);
  assert.equal(r.status, 0, r.all);
  return JSON.parse(r.stdout);
}

/** What every fleet run must show: all readings of every device accounted for, none dropped, all back in time. */
export function checkAccounts(report, n) {
  assert.equal(report.devices.length, n);
  for (const d of report.devices) {
    assert.equal(d.delivered + d.dropped, d.sampled, `${d.id}: delivered ${d.delivered} + dropped ${d.dropped} = sampled ${d.sampled}`);
    assert.equal(d.queued, 0, `${d.id}: nothing left waiting`);
    assert.equal(d.dropped, 0, `${d.id}: the buffer outlasted the outage`);
    assert.ok(d.sampled >= 8, `${d.id} sampled through the run: ${d.sampled}`);
    assert.ok(d.connections >= 2, `${d.id} connected again after the outage: ${d.connections} connections`);
    assert.ok(d.accounted);
  }
  assert.equal(report.summary.accountedDevices, n);
  assert.deepEqual(report.strays, { foreign: 0, malformed: 0 });
  const row = (re) => report.rows.find((r) => re.test(r.measure));
  assert.equal(row(/^delivered \+ dropped = sampled/).verdict, 'ok');
  // every device back, each no later than its own backoff allowed from where it was when the outage ended
  assert.deepEqual(report.recovery.slow, [], 'every device reconnected within its backoff bound');
  assert.equal(row(/^reconnected within the backoff bound/).value.split(';')[0], `${n} of ${n}`);
  return row;
}

/** The herd: one successful attempt per device once the broker is reachable again, and the peak as measured. */
export function checkHerd(report, n, row) {
  const h = report.recovery.herd;
  assert.equal(h.attempts, n, `one connection attempt per device during the recovery, no retry storm (counted at the ${report.recovery.countedAt})`);
  assert.equal(h.perSecond.reduce((a, b) => a + b, 0), h.attempts);
  assert.ok(h.peakPerSecond >= Math.max(...h.perSecond) && h.peakPerSecond <= n, JSON.stringify(h));
  const herdRow = row(/^connection attempts per second/);
  // below MEANINGFUL_FROM.herd devices the peak is printed without a verdict, saying why
  if (n < MEANINGFUL_FROM.herd) {
    assert.equal(herdRow.value, `${h.peakPerSecond}/s: no verdict below ${MEANINGFUL_FROM.herd} devices, where one second's jitter decides it`);
    assert.equal(herdRow.verdict, '');
    return;
  }
  assert.equal(herdRow.value, `${h.peakPerSecond}/s`);
  assert.equal(herdRow.target, `≤ ${n / 5}/s (N/5)`);
  assert.equal(herdRow.verdict, h.peakPerSecond <= n / 5 ? 'ok' : 'over');
}
