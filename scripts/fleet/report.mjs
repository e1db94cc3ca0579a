// A fleet run as one table (the bench's format: section, measure, value, target, verdict) and as JSON.
import os from 'node:os';
import { round } from '../bench/stats.mjs';
import { CONNECT_ALLOWANCE_S } from './run.mjs';
import { sleepRows } from './sleep-report.mjs';
import { MEANINGFUL_FROM, summarize } from './summary.mjs';

/** The targets of a fleet run, for n devices. */
export const targets = (n) => ({ cpuFraction: 0.5, herdPeak: n / 5, dropped: 0 });

const verdict = (ok) => (ok ? 'ok' : 'over');
const ms = (x) => (Number.isFinite(x) ? `${round(x, x < 10 ? 2 : 0)} ms` : 'n/a');
const MB = (bytes) => `${round(bytes / 1048576, 2)} MB`;

export function rows(r) {
  if (r.sleep) return sleepRows(r); // a sleeping fleet: sleeping.mjs's results
  const o = r.options, s = summarize(r), t = targets(s.devices), out = [];
  const row = (section, measure, value, target = '', v = '') => out.push({ section, measure, value: String(value), target, verdict: v });
  const outage = o.outage ? `, ${o.embedded ? 'broker stopped' : 'WiFi cut'} from ${o.outage.from} s to ${o.outage.to} s` : '';
  row('fleet', 'devices × interval, broker', `${s.devices} × every ${o.interval} s for ${o.seconds} s, ${o.embedded ? 'embedded aedes' : o.broker}${outage}`);
  row('fleet', 'firmware settings', `buffer.size ${o.bufferSize}, maxBackoffSeconds ${o.maxBackoff}, CONNACK wait ${o.connectWait} s${o.startSpread ? `, started over ${o.startSpread} s` : ''}`);
  const connected = r.allConnectedSeconds === null ? 'not all connected at once' : `all connected ${round(r.allConnectedSeconds, 1)} s later`;
  row('fleet', 'start-up', `loaded in ${round(r.loadSeconds, 1)} s, ${connected}; drained in ${round(r.drainSeconds, 1)} s`);

  row('fleet', 'every device samples within', `${ms(r.spreadMs)} of each ${o.interval} s period`);
  row('readings', 'fleet: sampled / delivered / dropped', `${s.sampled} / ${s.delivered} / ${s.dropped}${s.queued ? ` (${s.queued} still queued)` : ''}`);
  if (s.worst) row('readings', `worst device (${s.worst.id}): sampled / delivered / dropped`, `${s.worst.sampled} / ${s.worst.delivered} / ${s.worst.dropped}${s.worst.queued ? ` (${s.worst.queued} queued)` : ''}`);
  row('readings', 'delivered + dropped = sampled, per device', `${s.accountedDevices} of ${s.devices} devices`, 'every device', verdict(s.accountedDevices == s.devices));
  row('readings', 'dropped (buffer full while offline)', s.dropped, `${t.dropped}`, verdict(s.dropped <= t.dropped));
  row('readings', 'arrived twice (QoS 1 resent after a reconnect)', s.repeats);
  if (s.twins) row('readings', 'sampled twice from one integration (same timestamp and lux)', `${s.twins} (${r.devices.filter((x) => x.twins).length} devices)`);
  if (s.unknown) row('readings', 'arrived but never sampled by that device', s.unknown, '0', 'over');
  if (r.strays.foreign || r.strays.malformed) row('readings', 'not ours / not a reading', `${r.strays.foreign} / ${r.strays.malformed}`, '0 / 0', 'over');

  const where = o.embedded ? 'broker' : 'fleet subscriber';
  const l = s.latency;
  row('latency', `sample → ${where}, sampled while connected, p50 / p99 (${l.connected.samples})`, `${ms(l.connected.p50Ms)} / ${ms(l.connected.p99Ms)}`);
  if (l.buffered.samples) row('latency', `sample → ${where}, buffered while offline, p50 / p99 (${l.buffered.samples})`, `${ms(l.buffered.p50Ms)} / ${ms(l.buffered.p99Ms)}`);

  if (s.recovery) {
    const rc = s.recovery, w = rc.slowest;
    const slowest = w && (w.seconds === null ? `${w.id} never reconnected` : `slowest ${w.id} ${round(w.seconds, 1)} s after (its bound ${round(w.bound, 1)} s)`);
    row('recovery', `reconnected within the backoff bound (+ ${CONNECT_ALLOWANCE_S} s to connect)`, `${rc.within} of ${s.devices}; ${slowest}`, 'every device', verdict(rc.within == s.devices));
    const h = rc.herd;
    const herd = `connection attempts per second at the ${rc.countedAt == 'broker' ? 'broker' : 'devices (external broker)'}: peak`;
    if (s.devices < MEANINGFUL_FROM.herd) row('recovery', herd, `${h.peakPerSecond}/s: no verdict below ${MEANINGFUL_FROM.herd} devices, where one second's jitter decides it`);
    else row('recovery', herd, `${h.peakPerSecond}/s`, `≤ ${round(t.herdPeak, 1)}/s (N/5)`, verdict(h.peakPerSecond <= t.herdPeak));
    row('recovery', 'the herd: attempts, first to last', `${h.attempts} in ${round(h.seconds, 1)} s`);
  }

  const cpu = `${round(100 * r.cpu.fraction, 1)} % of one core${r.cpu.beforeOutage !== null ? ` (before the outage ${round(100 * r.cpu.beforeOutage, 1)} %)` : ''}`;
  row('host', `CPU while sampling${o.embedded ? ', fleet + embedded broker' : ''}`, `${cpu}; ${round((100 * r.cpu.fraction) / s.devices, 3)} % per device`, `< ${100 * t.cpuFraction} %`, verdict(r.cpu.fraction < t.cpuFraction));
  if (s.devices < MEANINGFUL_FROM.memory)
    row('host', 'memory per virtual device: RSS / heap', `not measured below ${MEANINGFUL_FROM.memory} devices, where the process's own noise outweighs them (RSS ${MB(r.memory.rss)} in all)`);
  else row('host', 'memory per virtual device: RSS / heap', `${MB(r.memory.rssPerDevice)} / ${MB(r.memory.heapPerDevice)} (RSS ${MB(r.memory.rss)} in all)`);
  return out;
}

/** The JSON report: options, summary, the table's rows, and each device's accounts (no latency samples). */
export function jsonReport(r) {
  return {
    date: new Date().toISOString(),
    host: `${os.cpus()[0]?.model || 'unknown CPU'} × ${os.cpus().length}, Node ${process.version}`,
    options: r.options,
    summary: summarize(r),
    rows: rows(r),
    cpu: r.cpu,
    memory: r.memory,
    strays: r.strays,
    // the readings waiting across the fleet, each second from the start: the picture of the herd is drawn from it
    backlog: r.backlog,
    recovery: r.recovery && { ...r.recovery, devices: undefined, slow: r.recovery.devices.filter((x) => !x.within) },
    // a sleeping fleet: its bursts, its clock, and every wake's awake time by kind (board ms)
    sleep: r.sleep,
    devices: r.devices.map(({ latencies, backlogLatencies, ...rest }) => rest)
  };
}
