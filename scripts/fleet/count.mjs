// Counting what reaches a broker from every fleet: the subscriber of `npm run fleet:count`, for fleets on several
// hosts against one broker or cluster. Each reading is counted once per device (a QoS 1 resend counts as a repeat),
// and the fleets' own reports (npm run fleet -- --out file) can be checked against it: for every device, readings
// counted here + readings it dropped = readings it sampled.
import fs from 'node:fs';
import { readingKey } from './ledger.mjs';

export class Counter {
  constructor() {
    this.devices = new Map(); // id → { prefix, keys: Set of readings seen }
    this.readings = 0;
    this.repeats = 0;
    this.malformed = 0;
    this.lastAt = 0;
  }

  /** A reading from parseReading(), arrived at `at` (ms). */
  add(r, at) {
    this.lastAt = at;
    if (r.bad) return void this.malformed++;
    let d = this.devices.get(r.id);
    if (!d) this.devices.set(r.id, (d = { prefix: r.prefix, keys: new Set() }));
    const key = readingKey(r.ts, r.lux);
    if (d.keys.has(key)) return void this.repeats++;
    d.keys.add(key);
    this.readings++;
  }

  count(id) {
    const d = this.devices.get(id);
    return d ? d.keys.size : 0;
  }

  /** Devices and readings by fleet prefix. */
  byPrefix() {
    const out = {};
    for (const d of this.devices.values()) {
      const p = (out[d.prefix] = out[d.prefix] || { devices: 0, readings: 0 });
      p.devices++;
      p.readings += d.keys.size;
    }
    return out;
  }

  /**
   * Checks a fleet's report (the JSON of npm run fleet -- --out): each of its devices must have readings counted
   * here + dropped there = sampled there. Readings are told apart by timestamp and lux, so two the firmware made
   * from one integration (twins, which the fleet counts) are one here. Returns
   * { file, devices, accounted, mismatches: [{ id, sampled, dropped, twins, counted }] }.
   */
  check(file) {
    let report;
    try {
      report = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`--check ${file}: cannot read a fleet report there (${e.message}); write one with npm run fleet -- --out ${file}`);
    }
    if (!Array.isArray(report.devices)) throw new Error(`--check ${file}: not a fleet report (no "devices"); write one with npm run fleet -- --out ${file}`);
    const mismatches = [];
    for (const d of report.devices) {
      const counted = this.count(d.id);
      if (counted + d.dropped + d.twins != d.sampled) mismatches.push({ id: d.id, sampled: d.sampled, dropped: d.dropped, twins: d.twins, counted });
    }
    return { file, devices: report.devices.length, accounted: report.devices.length - mismatches.length, mismatches };
  }
}

/** The counter's result as table rows (the bench's format). */
export function countRows(counter, { broker, seconds, checks = [] }) {
  const out = [];
  const row = (section, measure, value, target = '', verdict = '') => out.push({ section, measure, value: String(value), target, verdict });
  row('count', 'broker, listening for', `${broker}, ${Math.round(seconds)} s`);
  row('count', 'devices seen / readings / arrived twice', `${counter.devices.size} / ${counter.readings} / ${counter.repeats}`);
  for (const [prefix, p] of Object.entries(counter.byPrefix()).sort()) row('count', `fleet ${prefix}: devices / readings`, `${p.devices} / ${p.readings}`);
  if (counter.malformed) row('count', 'messages that are no reading', counter.malformed, '0', 'over');
  for (const c of checks) {
    const first = c.mismatches[0];
    const detail = first ? `; first: ${first.id} sampled ${first.sampled}, dropped ${first.dropped}, twins ${first.twins}, counted here ${first.counted}` : '';
    row('check', `${c.file}: counted here + dropped = sampled`, `${c.accounted} of ${c.devices} devices${detail}`, 'every device', c.accounted == c.devices ? 'ok' : 'over');
  }
  return out;
}
