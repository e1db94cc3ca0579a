// One virtual device of the fleet: the simulator's device (its own vm context, clock, TSL2591, WiFi and MQTT
// module) running the fleet's firmware under its own id, with what the fleet measures hooked on from outside:
// each reading sampled (and when), each MQTT connection attempt, each connection made, each backoff wait.
import { performance } from 'node:perf_hooks';
import { createDevice } from '../sim/device.mjs';
import { Ledger } from './ledger.mjs';

/** Light for device k: a level of its own between 20 and 2000 lux, spread over the fleet, and ±2 % noise per read. */
export function lightOf(k) {
  const base = 20 * Math.pow(100, ((k * 0.6180339887) % 1)); // golden-ratio spread: neighbours differ
  return { base, irRatio: 0.2 + ((k * 0.37) % 0.2), noise: 0.02 };
}

export class Member {
  /** k: 1-based index; id: its client and sensor id; code: its firmware, modules its Storage modules; broker: where its MQTT really goes. */
  constructor({ k, id, code, modules, board, broker }) {
    this.k = k;
    this.id = id;
    this.code = code;
    this.ledger = new Ledger(); // its readings, sampled to arrived
    this.attempts = []; // times of MQTT connection attempts (performance.now())
    this.connects = []; // times of MQTT connections made
    this.wifiWaitUntil = 0; // when the WiFi backoff pause last announced on the console ends
    this.writer = null;
    this.lastSampleAt = 0; // wall clock: when in the period this device samples
    const light = lightOf(k);
    this.device = createDevice({ board, broker, modules, light: { lux: light.base, irRatio: light.irRatio }, log: (line) => this.onLine(line) });
    // each read of the simulated sensor sees the device's own light with its own noise
    const sensor = this.device.sensor;
    Object.defineProperty(sensor, 'lux', { get: () => light.base * (1 + light.noise * (2 * Math.random() - 1)), set() {} });
    this.watchMQTT();
  }

  /** Hooks the MQTT module's client (created by the firmware at start) to see attempts and connections. */
  watchMQTT() {
    const mod = this.device.mqtt, create = mod.create;
    mod.create = (server, options) => {
      const client = create.call(mod, server, options);
      const connect = client.connect;
      client.connect = (...a) => {
        this.attempts.push(performance.now());
        return connect.apply(client, a);
      };
      client.on('connected', () => this.connects.push(performance.now()));
      return client;
    };
  }

  /** The firmware's console: only WiFi's backoff pauses matter here (`WiFi: lost, retrying in 1.6 s`). */
  onLine(line) {
    if (line.charCodeAt(0) != 87 || !line.startsWith('WiFi:')) return;
    const m = /retrying in ([\d.]+) s$/.exec(line);
    if (m) this.wifiWaitUntil = performance.now() + 1000 * +m[1];
  }

  /** Boots the firmware and starts recording what it samples. */
  start() {
    this.device.load(this.code, `firmware-${this.id}.js`);
    this.code = null; // loaded: the device holds its own functions now
    this.writer = this.device.eval('LuxGraph.writer');
    const writer = this.writer;
    this.device.eval('LuxGraph.source').subscribe({
      onNext: (x) => {
        this.lastSampleAt = Date.now();
        this.ledger.sample(x[1], x[2], performance.now(), writer.client.connected);
      }
    });
  }

  get connected() {
    return !!(this.writer && this.writer.client.connected);
  }

  /** Stops sampling: what waits in the buffer still goes out. */
  stopSampling() {
    this.device.eval('LuxGraph.source.complete()');
  }

  /** The firmware's own counters. */
  counters() {
    const w = this.writer;
    return { sampled: w.sampled, sent: w.sent, dropped: w.dropped, queued: w.queued, reconnects: w.reconnects };
  }

  /** Accounted for: every reading it sampled arrived or was counted dropped, none still waiting. */
  get settled() {
    const w = this.writer;
    return w.queued == 0 && this.ledger.delivered + w.dropped == w.sampled;
  }

  stop() {
    this.device.stop();
  }
}
