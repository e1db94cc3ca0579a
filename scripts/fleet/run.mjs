// Runs a fleet: N members in this process against one broker, an optional outage, then the accounts. Returns the
// raw results; report.mjs turns them into the table.
import { performance } from 'node:perf_hooks';
import { buildFleetFirmware, connectWaitSeconds } from './firmware.mjs';
import { embeddedBroker, externalBroker } from './broker.mjs';
import { Member } from './member.mjs';
import { herdOf, phaseSpread } from './herd.mjs';

/** A device's time to connect once its backoff lets it try: TCP, CONNECT, CONNACK and timer lateness under load. */
export const CONNECT_ALLOWANCE_S = 1;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (u) => (u.user + u.system) / 1000;

/** Runs the fleet described by `o` (see options.mjs); progress(state) is called every second. */
export async function runFleet(o, { progress = () => {} } = {}) {
  const connectWait = connectWaitSeconds();
  const members = [], byId = new Map();
  const brokerAttempts = []; // CONNECTs the embedded broker received
  const strays = { foreign: 0, malformed: 0 }; // readings of no device of ours, and payloads that are no reading
  const onReading = (r, at, clientId) => {
    const m = byId.get(r.id);
    if (!m || (clientId !== undefined && clientId != r.id)) strays.foreign++;
    else if (r.bad) strays.malformed++;
    else m.ledger.arrived(r.ts, r.lux, at);
  };
  const side = o.broker
    ? await externalBroker({ broker: o.broker, prefix: o.prefix, onReading })
    : await embeddedBroker({ onReading, onAttempt: (t) => brokerAttempts.push(t) });
  const fw = await buildFleetFirmware({ configFile: o.config, broker: side.broker, prefix: o.prefix, interval: o.interval, maxBackoff: o.maxBackoff, buffer: o.buffer });
  const maxBackoff = fw.firmware.mqtt.maxBackoffSeconds;

  const mem0 = process.memoryUsage();
  const loadStart = performance.now();
  for (let k = 1; k <= o.devices; k++) {
    const id = `${o.prefix}-${k}`;
    const m = new Member({ k, id, code: fw.codeFor(id), modules: fw.modulesFor(id), board: fw.board, broker: side.broker });
    members.push(m);
    byId.set(id, m);
    // booted now; the firmware starts at once, or a random moment later: where a device's schedule falls in each
    // period follows from when it started after boot (see docs/fleet.md)
    if (o.startSpread) setTimeout(() => m.start(), Math.random() * o.startSpread * 1000);
    else m.start();
    if (k % 5 == 0) await sleep(0); // let the devices already running have their timers and sockets
  }
  if (o.startSpread) await sleep(o.startSpread * 1000);
  const t0 = performance.now();
  const loadSeconds = (t0 - loadStart) / 1000;
  const cpu0 = process.cpuUsage();
  const at = (s) => t0 + s * 1000;
  const state = { t0, members, phase: 'running', allConnectedAt: null };

  // the outage: the embedded broker stops, or every device's WiFi goes
  const outage = o.outage && { ...o.outage, bounds: new Map(), cpuBefore: null };
  const timers = [];
  if (outage) {
    timers.push(
      setTimeout(async () => {
        outage.cpuBefore = { cpu: cpuMs(process.cpuUsage(cpu0)), wall: performance.now() - t0 };
        state.phase = side.embedded ? 'broker down' : 'WiFi down';
        if (side.embedded) await side.stop();
        else for (const m of members) m.device.wifi.drop();
      }, at(outage.from) - performance.now()),
      setTimeout(async () => {
        // how long each device may take, by the firmware's documented backoff, from what it is doing right now
        const now = performance.now();
        for (const m of members) outage.bounds.set(m, backoffBound(m, { embedded: side.embedded, now }));
        if (side.embedded) await side.start();
        else for (const m of members) m.device.wifi.restore();
        state.phase = 'recovering';
        outage.endedAt = now;
      }, at(outage.to) - performance.now())
    );
  }

  const backlog = []; // each second: the readings the devices hold waiting (RAM buffer and flash)
  const tick = setInterval(() => {
    if (state.allConnectedAt === null && members.every((m) => m.connected)) state.allConnectedAt = performance.now();
    let waiting = 0;
    for (const m of members) waiting += m.writer.queued + (m.writer.journaled || 0);
    backlog.push(waiting);
    for (const m of members) m.device.lines.length = 0; // the console is not kept: a long run would grow it
    progress(state);
  }, 1000);

  await sleep(at(o.seconds) - performance.now());
  const wall = performance.now() - t0;
  const cpu = cpuMs(process.cpuUsage(cpu0));
  const mem1 = process.memoryUsage();
  const spreadMs = phaseSpread(members.filter((m) => m.lastSampleAt).map((m) => m.lastSampleAt), o.interval * 1000);

  // the end: no more readings; what the devices hold still goes out, for at most the drain time
  state.phase = 'draining';
  for (const m of members) m.stopSampling();
  const drainMs = 1000 * (o.drain ?? connectWait + maxBackoff + 5);
  const drainEnd = performance.now() + drainMs;
  while (performance.now() < drainEnd && !members.every((m) => m.settled)) await sleep(100);
  const drainSeconds = (performance.now() - at(o.seconds)) / 1000;
  clearInterval(tick);
  for (const t of timers) clearTimeout(t);

  const results = {
    options: { ...o, broker: side.broker.url, embedded: side.embedded, maxBackoff, bufferSize: fw.firmware.buffer.size, connectWait },
    loadSeconds,
    allConnectedSeconds: state.allConnectedAt === null ? null : (state.allConnectedAt - t0) / 1000,
    drainSeconds,
    spreadMs,
    strays,
    cpu: { fraction: cpu / wall, beforeOutage: outage && outage.cpuBefore ? outage.cpuBefore.cpu / outage.cpuBefore.wall : null },
    memory: { rssPerDevice: (mem1.rss - mem0.rss) / o.devices, heapPerDevice: (mem1.heapUsed - mem0.heapUsed) / o.devices, rss: mem1.rss },
    devices: members.map((m) => deviceResult(m)),
    backlog,
    recovery: outage ? recovery(members, outage, side.embedded ? brokerAttempts : null, t0, performance.now()) : null
  };
  for (const m of members) m.stop();
  await side.close();
  return results;
}

/**
 * The longest device m may take to reconnect from `now`, when the broker (or WiFi) comes back, by its documented
 * backoff (docs/network.md, Reconnects): each pause is at most the current step. Broker down: the writer hears a
 * refused connection from its socket at once, so it is in a pause of at most its step, or connecting to the broker
 * that is back. WiFi down: the WiFi pause announced on the console runs out, then WiFi and MQTT connect.
 */
function backoffBound(m, { embedded, now }) {
  const w = m.writer;
  if (w.client.connected) return 0;
  if (embedded) return w.backoff;
  return Math.max(0, (m.wifiWaitUntil - now) / 1000);
}

function deviceResult(m) {
  const c = m.counters(), l = m.ledger;
  return {
    id: m.id,
    sampled: c.sampled,
    recorded: l.sampled, // the readings the fleet saw sampled: the same number, or the count is wrong
    sent: c.sent,
    delivered: l.delivered,
    dropped: c.dropped,
    queued: c.queued,
    repeats: l.repeats,
    twins: l.twins,
    unknown: l.unknown,
    reconnects: c.reconnects,
    connections: m.connects.length,
    accounted: c.queued == 0 && l.delivered + c.dropped == c.sampled && l.sampled == c.sampled && !l.unknown,
    latencies: l.latencies,
    backlogLatencies: l.backlogLatencies
  };
}

/** After the outage: when each device was back, against its bound, and the connection attempts meanwhile. */
function recovery(members, outage, brokerAttempts, t0, runEnd) {
  const end = outage.endedAt;
  const devices = members.map((m) => {
    const back = m.connects.find((t) => t >= end);
    const bound = outage.bounds.get(m);
    const seconds = back === undefined ? null : (back - end) / 1000;
    return { id: m.id, seconds, bound, within: seconds !== null && seconds <= bound + CONNECT_ALLOWANCE_S };
  });
  const lastBack = Math.max(end, ...members.map((m) => m.connects.find((t) => t >= end) ?? end));
  const fleetAttempts = members.flatMap((m) => m.attempts);
  const count = brokerAttempts ?? fleetAttempts;
  return {
    from: outage.from,
    to: outage.to,
    devices,
    allBack: devices.every((d) => d.seconds !== null),
    // counted at the broker for the embedded one, else where the devices' MQTT module opens its connections
    countedAt: brokerAttempts ? 'broker' : 'devices',
    herd: herdOf(count, end, Math.max(lastBack, end + 1000)),
    // the devices' own attempts through the whole run, by second from the start, for the JSON
    attemptsPerSecond: herdOf(fleetAttempts, t0, runEnd).perSecond
  };
}
