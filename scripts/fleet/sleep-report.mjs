// A sleeping fleet's run as one table, in the form of the fleet's table (report.mjs): section, measure, value,
// target, verdict. Times of the devices (awake, a reading's wait for its send) are on the board's clock; the bursts'
// peaks and lengths are real, as the broker lived them.
import { percentile, round } from '../bench/stats.mjs';
import { MEANINGFUL_FROM, summarize } from './summary.mjs';

const verdict = (ok) => (ok ? 'ok' : 'over');
const MB = (bytes) => `${round(bytes / 1048576, 2)} MB`;

/** A duration in milliseconds as a reader takes it in: ms, s or min. */
export function duration(x) {
  if (!Number.isFinite(x)) return 'n/a';
  if (x < 1000) return `${round(x, 0)} ms`;
  if (x < 120e3) return `${round(x / 1000, 1)} s`;
  return `${round(x / 60e3, 1)} min`;
}

/** The median and most of a list of milliseconds, with how many: "110 ms / 220 ms (330 wakes)". */
const medianMax = (list, what) => (list.length ? `${duration(percentile(list, 50))} / ${duration(Math.max(...list))} (${list.length} ${what})` : `none (0 ${what})`);

export function sleepRows(r) {
  const o = r.options, s = summarize(r), z = r.sleep, n = s.devices, out = [];
  const row = (section, measure, value, target = '', v = '') => out.push({ section, measure, value: String(value), target, verdict: v });
  const cycleHours = round((o.interval * o.sendEvery) / 3600, 2);
  row('fleet', 'devices × wakes, broker', `${n} sleeping, a wake every ${o.interval} s, a send every ${o.sendEvery} wakes (${cycleHours} h), ${o.embedded ? 'embedded aedes' : o.broker}`);
  const started = o.startSpread ? `first booted over ${o.startSpread} s of board time, each at a random moment` : 'all first booted together (flashed and powered at once)';
  row('fleet', 'the run', `${started}; ${o.cycles} send cycle${o.cycles == 1 ? '' : 's'} after the first boot's send: ${round(z.boardHours, 2)} h of board time in ${round(z.wallSeconds, 1)} s`);
  const c = z.clock;
  row('fleet', "the shared clock: board time in real time / timer to timer / jumped, all asleep", `${round(c.realSeconds, 1)} s / ${round(c.quietSeconds, 1)} s / ${round(c.asleepSeconds / 3600, 2)} h`);

  row('readings', 'fleet: sampled / delivered / dropped', `${s.sampled} / ${s.delivered} / ${s.dropped}${s.queued ? ` (${s.queued} still in flash)` : ''}`);
  if (s.worst) row('readings', `worst device (${s.worst.id}): sampled / delivered / dropped`, `${s.worst.sampled} / ${s.worst.delivered} / ${s.worst.dropped}${s.worst.queued ? ` (${s.worst.queued} still in flash)` : ''}`);
  row('readings', 'delivered + dropped = sampled, per device', `${s.accountedDevices} of ${n} devices`, 'every device', verdict(s.accountedDevices == n));
  row('readings', 'dropped', s.dropped, '0', verdict(s.dropped == 0));
  row('readings', 'arrived but never sampled by that device', s.unknown, '0', verdict(s.unknown == 0));
  row('readings', 'arrived twice (QoS 1 resent after a reconnect)', s.repeats);
  if (r.strays.foreign || r.strays.malformed) row('readings', 'not ours / not a reading', `${r.strays.foreign} / ${r.strays.malformed}`, '0 / 0', 'over');

  const l = s.latency, where = o.embedded ? 'broker' : 'fleet subscriber';
  row('latency', `sample → ${where}, board time, kept in flash until the send, p50 / p99 (${l.buffered.samples})`, `${duration(l.buffered.p50Ms)} / ${duration(l.buffered.p99Ms)}`);
  row('latency', `sample → ${where}, board time, read in a send or the first boot, p50 / p99 (${l.connected.samples})`, `${duration(l.connected.p50Ms)} / ${duration(l.connected.p99Ms)}`);

  const counted = z.connectsCountedAt ? 'connections' : 'connections not counted (your broker)';
  for (const b of z.bursts) {
    const name = b.cycle == 0 ? 'send 0 (first boot)' : `send ${b.cycle}`;
    const connections = z.connectsCountedAt ? `${b.connections} connections, peak ${b.connectionsPeak}/s` : counted;
    const value = `${connections}; ${b.readings} readings, peak ${b.readingsPeak}/s; ${round(b.seconds, 1)} s first to last`;
    if (z.connectsCountedAt) row('bursts', `${name} at the broker: connections, readings, length`, value, `≤ ${n} connections (one a device)`, verdict(b.connections <= n && b.connectionsPeak <= n));
    else row('bursts', `${name} at the fleet subscriber: readings, length`, value);
  }

  const sends = r.devices.reduce((x, d) => x + d.sends, 0), gaveUp = r.devices.reduce((x, d) => x + d.gaveUp, 0);
  const gaveUpDevices = r.devices.filter((d) => d.gaveUp).length;
  row('bursts', `sends that gave up after power.sendTimeoutSeconds (${o.sendTimeout} s), their readings kept for the next`, `${gaveUp} of ${sends} send wakes${gaveUp ? ` (${gaveUpDevices} devices)` : ''}`, '0', verdict(!gaveUp));
  if (z.connectsCountedAt) {
    const again = r.devices.filter((d) => d.connections > d.connectingWakes);
    const extra = again.reduce((x, d) => x + d.connections - d.connectingWakes, 0);
    const said = again.find((d) => d.mqttSaid.first);
    const value = again.length ? `${again.length} devices, ${extra} connections more${said ? `; the firmware said: ${said.mqttSaid.first}` : ''}` : 'none';
    row('bursts', 'connected more than once in a wake', value, 'none', verdict(!again.length));
  }

  const a = z.awake;
  row('awake', 'a wake that only samples, board time: median / most', medianMax(a.sample, 'wakes'));
  row('awake', 'a send wake, board time: median / most', medianMax(a.send, 'wakes'));
  row('awake', 'the first boot (30 s at least, then to its first send), board time: median / most', medianMax(a['first boot'], 'boots'));

  const starts = r.devices.reduce((x, d) => x + d.starts, 0);
  const cpuSeconds = r.cpu.fraction * z.wallSeconds;
  row('host', `CPU${o.embedded ? ', fleet + embedded broker' : ''} (the clock runs as fast as the host lets it)`, `${round(100 * r.cpu.fraction, 1)} % of one core for ${round(z.wallSeconds, 1)} s; ${round((1000 * cpuSeconds) / Math.max(1, starts), 1)} ms per start of a device (${starts} starts)`);
  if (n < MEANINGFUL_FROM.memory)
    row('host', 'memory per virtual device: peak RSS / heap', `not measured below ${MEANINGFUL_FROM.memory} devices, where the process's own noise outweighs them (RSS ${MB(r.memory.rss)} at most)`);
  else row('host', 'memory per virtual device: peak RSS / heap', `${MB(r.memory.rssPerDevice)} / ${MB(r.memory.heapPerDevice)} (RSS ${MB(r.memory.rss)} at most)`);
  return out;
}
