// One sleeping device of the fleet (power.deepSleep): the simulator's sleeping device (scripts/sim/sleeper.mjs), each
// wake a new start of the firmware from the same Storage, on the fleet's shared clock. What the fleet measures is
// hooked on at every start from outside: the reading the start samples (LuxGraph.source), what kind of wake it is,
// and, once it sleeps, how long it was awake and what its writer dropped.
import { sleepingDevice } from '../sim/sleeper.mjs';
import { Ledger } from './ledger.mjs';
import { lightOf } from './member.mjs';

/**
 * A reading's time as the broker gets it: a wake keeps its reading in flash with the time in whole milliseconds
 * (src/power/wake-file.ts), so the fleet knows every reading by its time to the millisecond.
 */
export const readingTime = (ts) => Math.round(ts * 1000) / 1000;

/** What a start is: the first boot (power on), a send wake (it makes the writer), or a wake that only samples. */
function kindOf(entry, writer) {
  if (entry.reason == 'power on') return 'first boot';
  return writer ? 'send' : 'sample';
}

/**
 * The TCP connections the firmware is opening on `device` (its writer opens its own socket, then hands it to the
 * MQTT module): a Set of the sockets not yet connected, nor closed.
 */
function watchOpening(device) {
  const opening = new Set(), net = device.eval("require('net')"), connect = net.connect;
  net.connect = (options, onConnect) => {
    const socket = connect.call(net, options, onConnect), stream = socket.stream;
    opening.add(stream);
    stream.once('connect', () => opening.delete(stream));
    stream.once('close', () => opening.delete(stream));
    return socket;
  };
  return opening;
}

export class SleepingMember {
  /** k: 1-based index; id: its client and sensor id; code and modules: its firmware; clock: the fleet's shared clock. */
  constructor({ k, id, code, modules, board, broker, clock }) {
    this.k = k;
    this.id = id;
    this.code = code;
    this.clock = clock;
    this.ledger = new Ledger(); // its readings, sampled to arrived, in board time
    this.dropped = 0; // readings its writers dropped (a full buffer), and readings a wake could not keep in flash
    this.sends = 0; // send wakes done (asleep after them), the first boot's send apart
    this.gaveUp = 0; // sends that gave up (power.sendTimeoutSeconds): their readings wait in flash for the next
    this.connections = 0; // its CONNECTs at the embedded broker
    this.mqttSaid = { first: null, lines: 0 }; // the firmware's MQTT lines other than "connected": a loss, a retry
    this.started = false;
    this.done = false; // powered off at the end of the run, after its last send
    this.current = null; // the start running or just ended: { entry, writer }
    const light = lightOf(k);
    this.sleeper = sleepingDevice({
      board,
      broker,
      timers: clock,
      modules,
      log: (line) => this.onLine(line),
      onStart: (device, entry) => this.onStart(device, entry, light)
    });
  }

  /** Powers it on: the firmware uploaded and run, as npm run flash leaves a board. */
  firstBoot() {
    this.started = true;
    this.sleeper.firstBoot(this.code);
    this.code = null; // in its flash now
  }

  /** A start: the last one closed, this one's kind noted, its light and its reading watched. */
  onStart(device, entry, light) {
    this.close();
    const writer = device.eval('LuxGraph.writer') || null;
    entry.kind = kindOf(entry, writer);
    this.current = { entry, writer, opening: watchOpening(device) };
    // each read of the simulated sensor sees the device's own light with its own noise
    Object.defineProperty(device.sensor, 'lux', { get: () => light.base * (1 + light.noise * (2 * Math.random() - 1)), set() {} });
    device.eval('LuxGraph.source').subscribe({
      // a reading of a send wake or the first boot goes out in the same wake; one of a wake that only samples waits in flash
      onNext: (x) => this.ledger.sample(readingTime(x[1]), x[2], this.clock.now(), entry.kind != 'sample')
    });
  }

  /** The firmware's console: a reading lost on its way to flash, a send that gave up, what it says of MQTT besides connecting. */
  onLine(line) {
    if (line.startsWith('power: the reading could not be kept in flash')) this.dropped++;
    else if (line.startsWith('power: the send gave up')) this.gaveUp++;
    else if (line.startsWith('MQTT: ') && !line.startsWith('MQTT: connected')) {
      this.mqttSaid.lines++;
      // the first that says why, rather than when it tries again
      if (!this.mqttSaid.first || (this.mqttSaid.first.startsWith('MQTT: retrying') && !line.startsWith('MQTT: retrying'))) this.mqttSaid.first = line;
    }
  }

  /** Closes the current start once it sleeps (or is cut): its writer's drops and its send counted. */
  close() {
    const c = this.current;
    if (!c) return;
    this.current = null;
    if (c.writer) this.dropped += c.writer.dropped;
    if (c.entry.kind == 'send' && c.entry.awakeMs !== undefined) this.sends++;
  }

  /** Awake now: its firmware runs (the fleet's clock then follows real time while it talks to the broker). */
  get awake() {
    return this.started && !this.done && !this.sleeper.asleep() && !this.sleeper.device.isOff();
  }

  /**
   * Awake with nothing on the wire: no writer (a wake that only samples), connected with nothing unanswered, or
   * between two connection attempts (its backoff's pause, on its own timer: no socket of its MQTT module open).
   */
  get quiet() {
    const w = this.current && this.current.writer;
    if (!w) return true;
    if (w.client.connected) return !w.inFlight && !w.queued && !w.journaled;
    return this.current.opening.size == 0 && this.sleeper.device.mqtt.sockets.size == 0;
  }

  /**
   * Called between the clock's steps: a start that ended is closed, and once `cycles` send wakes are done the
   * device is powered off asleep, so every reading it sampled has had its send.
   */
  settle(cycles) {
    if (this.done || !this.started || !this.sleeper.asleep()) return;
    this.close();
    if (this.sends >= cycles) this.finish();
  }

  /** Powered off (the end of the run). */
  finish() {
    this.close();
    this.sleeper.powerCut();
    this.done = true;
  }

  /** Its starts by kind, with the awake time of each that slept (board milliseconds). */
  awakeTimes() {
    const out = { 'first boot': [], send: [], sample: [] };
    for (const s of this.sleeper.starts) if (s.awakeMs !== undefined && out[s.kind]) out[s.kind].push(s.awakeMs);
    return out;
  }
}
