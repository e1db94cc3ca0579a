// Runs a sleeping fleet (a config with power.deepSleep): N devices through their wakes on one shared clock
// (shared-clock.mjs) against one broker, for whole send cycles, then the accounts, the bursts at the broker and the
// awake times. Returns the raw results; sleep-report.mjs turns them into the table.
import { performance } from 'node:perf_hooks';
import { FakeClock } from '../sim/clock.mjs';
import { buildFleetFirmware } from './firmware.mjs';
import { embeddedBroker, externalBroker } from './broker.mjs';
import { SleepingMember, readingTime } from './sleeping-member.mjs';
import { driveClock } from './shared-clock.mjs';
import { burstsOf } from './bursts.mjs';

/** Send cycles after the first boot's send when --hours is not given. */
export const DEFAULT_CYCLES = 2;
/** Send cycles past the last one after which a device that has not finished is cut off: it is then not accounted for. */
const GRACE_CYCLES = 2;

const cpuMs = (u) => (u.user + u.system) / 1000;

/** The send cycles a run of `hours` makes (whole ones, one at least), for cycles of `cycleMs`. */
export const cyclesOf = (hours, cycleMs) => (hours === undefined ? DEFAULT_CYCLES : Math.max(1, Math.round((hours * 3600e3) / cycleMs)));

/** Runs the sleeping fleet described by `o` (see options.mjs); progress(state) is called every real second. */
export async function runSleepingFleet(o, { progress = () => {} } = {}) {
  const clock = new FakeClock(Date.now());
  const members = [], byId = new Map();
  const connects = [], arrivals = []; // [board ms, real ms] of each CONNECT at the embedded broker, each reading that arrived
  const strays = { foreign: 0, malformed: 0 };
  const onReading = (r, at, clientId) => {
    arrivals.push([clock.now(), at]);
    const m = byId.get(r.id);
    if (!m || (clientId !== undefined && clientId != r.id)) strays.foreign++;
    else if (r.bad) strays.malformed++;
    else m.ledger.arrived(readingTime(r.ts), r.lux, clock.now());
  };
  const side = o.broker
    ? await externalBroker({ broker: o.broker, prefix: o.prefix, onReading })
    : await embeddedBroker({
        onReading,
        onAttempt: (t, clientId) => {
          connects.push([clock.now(), t]);
          const m = byId.get(clientId);
          if (m) m.connections++;
        }
      });
  const fw = await buildFleetFirmware({ configFile: o.config, broker: side.broker, prefix: o.prefix, interval: o.interval, maxBackoff: o.maxBackoff, buffer: o.buffer });
  const period = fw.firmware.sensor.intervalSeconds, sendEvery = fw.firmware.power.sendEvery;
  const cycleMs = period * sendEvery * 1000, cycles = cyclesOf(o.hours, cycleMs);

  const mem0 = process.memoryUsage(), cpu0 = process.cpuUsage(), t0 = performance.now(), start = clock.now();
  for (let k = 1; k <= o.devices; k++) {
    const id = `${o.prefix}-${k}`;
    const m = new SleepingMember({ k, id, code: fw.codeFor(id), modules: fw.modulesFor(id), board: fw.board, broker: side.broker, clock });
    members.push(m);
    byId.set(id, m);
    // flashed and powered together, or each a random moment of board time later (--start-spread)
    clock.setTimeout(() => m.firstBoot(), o.startSpread ? Math.random() * o.startSpread * 1000 : 0);
  }

  // the longest the run may take on the board's clock: a device not done by then is cut off, unaccounted
  const deadline = start + (o.startSpread || 0) * 1000 + (cycles + GRACE_CYCLES) * cycleMs;
  const state = { t0, start, clock, members, cycles, peakRss: 0 };
  const tick = setInterval(() => {
    state.peakRss = Math.max(state.peakRss, process.memoryUsage().rss);
    progress(state);
  }, 1000);
  const spent = await driveClock(clock, members, {
    until: () => members.every((m) => m.done) || clock.now() > deadline,
    between: () => {
      for (const m of members) m.settle(cycles);
    }
  });
  clearInterval(tick);
  for (const m of members) if (!m.done) m.finish();
  const wall = performance.now() - t0, cpu = cpuMs(process.cpuUsage(cpu0)), mem1 = process.memoryUsage();
  const peakRss = Math.max(state.peakRss, mem1.rss);

  const results = {
    options: { ...o, broker: side.broker.url, embedded: side.embedded, interval: period, sendEvery, sendTimeout: fw.firmware.power.sendTimeoutSeconds, cycles, bufferSize: fw.firmware.buffer.size },
    sleep: {
      boardHours: (clock.now() - start) / 3600e3,
      wallSeconds: wall / 1000,
      // board time by how the clock ran: in real time (talking to the broker), timer to timer, jumping (all asleep)
      clock: { realSeconds: spent.real / 1000, quietSeconds: spent.quiet / 1000, asleepSeconds: spent.asleep / 1000 },
      bursts: burstsOf({ connects, readings: arrivals }, { start, cycleMs }),
      connectsCountedAt: side.embedded ? 'broker' : null,
      awake: awakeOf(members)
    },
    strays,
    cpu: { fraction: cpu / wall, beforeOutage: null },
    memory: { rssPerDevice: (peakRss - mem0.rss) / o.devices, heapPerDevice: (mem1.heapUsed - mem0.heapUsed) / o.devices, rss: peakRss },
    devices: members.map((m) => deviceResult(m, cycles)),
    spreadMs: null,
    recovery: null
  };
  await side.close();
  return results;
}

/** Every device's awake times by kind of wake (board ms), pooled. */
function awakeOf(members) {
  const out = { 'first boot': [], send: [], sample: [] };
  for (const m of members) for (const [kind, list] of Object.entries(m.awakeTimes())) out[kind].push(...list);
  return out;
}

function deviceResult(m, cycles) {
  const l = m.ledger;
  const waiting = Math.max(0, l.sampled - l.delivered - m.dropped);
  return {
    id: m.id,
    sampled: l.sampled,
    delivered: l.delivered,
    dropped: m.dropped,
    // readings neither delivered nor dropped: still in its flash when the run ended (a send that gave up)
    queued: waiting,
    repeats: l.repeats,
    twins: l.twins,
    unknown: l.unknown,
    starts: m.sleeper.starts.length,
    sends: m.sends,
    gaveUp: m.gaveUp,
    // CONNECTs at the embedded broker, against the wakes that connect (the first boot and the send wakes)
    connections: m.connections,
    connectingWakes: m.sleeper.starts.filter((s) => s.kind == 'send' || s.kind == 'first boot').length,
    // what the firmware said of MQTT besides connecting: the first line that says why, and how many lines
    mqttSaid: m.mqttSaid,
    accounted: m.sends >= cycles && l.delivered + m.dropped == l.sampled && !l.unknown,
    latencies: l.latencies,
    backlogLatencies: l.backlogLatencies
  };
}
