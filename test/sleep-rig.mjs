// A sleeping device (power.deepSleep) on a fake clock against a real broker, with what a test needs to check that
// nothing was lost across its wakes: every reading sampled at every start (each a distinct lux), every message the
// broker got, and each start's console lines, WiFi attempts and sleep.
import { buildWith, subscriber, waitFor } from './helpers.mjs';
import { sleepingDevice } from '../scripts/sim/sleeper.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';

/** The config of a board that wakes every 5 minutes and sends every `sendEvery` wakes, plus `more` sections. */
export function sleepingConfig(broker, { sendEvery = 12, ...more } = {}) {
  return {
    sensor: { id: 'lux-1', intervalSeconds: 300, gain: 'med', integrationMs: 100 },
    mqtt: { host: '127.0.0.1', port: broker.port, base: 'garden' },
    power: { deepSleep: true, sendEvery },
    ...more
  };
}

/**
 * Builds `config`, subscribes to everything on the broker, and starts a sleeping device (first boot) on a fake
 * clock; `rtcError` and `bootMs` as sleepingDevice takes them, `pins` the levels digitalRead() gives at every start
 * (change them while it runs). The device's broker (`target`) may change port while it runs (a broker down: a
 * port nothing listens on).
 */
export async function sleepRig(broker, config, { rtcError = 0, bootMs, board, pins = {} } = {}) {
  const built = await buildWith(board ? { ...config, board } : config);
  const sub = await subscriber({ host: broker.host, port: broker.port, topic: '#' });
  const clock = new FakeClock();
  const sampled = [], lines = [];
  const target = { host: broker.host, port: broker.port };
  let reads = 0;
  const sleeper = sleepingDevice({
    board: built.board,
    broker: target,
    timers: clock,
    rtcError,
    bootMs,
    pins,
    log: (l) => lines.push({ start: sleeper.starts.length - 1, at: clock.now(), line: l }),
    onStart: (device, entry) => {
      entry.device = device;
      // every read of the data registers sees a new light level: every reading is distinct and can be traced
      Object.defineProperty(device.sensor, 'data', {
        get() {
          this.lux = 100 + 2 * reads++;
          return this.counts();
        },
        set() {}
      });
      device.eval('LuxGraph.source').subscribe({ onNext: (x) => sampled.push({ lux: x[2], ts: x[1], at: clock.now() }) });
    }
  });
  /** How far the fake clock may move in one step: asleep, to the wake; awake, 20 ms while the broker may answer. */
  const quietFor = () => {
    if (sleeper.asleep()) return Infinity;
    const device = sleeper.device;
    if (device.isOff()) return Infinity; // powered off: nothing runs
    const w = device.eval('LuxGraph.writer');
    return !w || (w.client.connected && !w.inFlight && !w.queued) ? 1000 : 20;
  };
  sleeper.firstBoot(built);
  return {
    sleeper,
    sub,
    sampled,
    lines,
    /** Where the device reaches its broker: set port to one nothing listens on for a broker that is down. */
    target,
    pins,
    /**
     * Runs the fake clock forward by `ms` at most, until `until()` holds: in steps of 20 ms while the device talks
     * to the broker (each followed by a breath for the real sockets), up to a second while it waits on its own
     * timers alone, and asleep straight to its wake. (A machine under load gives the sockets less real time per
     * breath; the steps keep the fake time they take small.)
     */
    async run(ms, { until } = {}) {
      const end = clock.now() + ms;
      while (!(until && until()) && clock.now() < end) {
        const next = clock.next(Infinity), most = Math.min(quietFor(), end - clock.now());
        clock.advance(Math.max(1, next ? Math.min(next[1].at - clock.now(), most) : most));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    /** Runs until the device has started `n` times (the first boot counts) and sleeps again. */
    runToStart(n, ms = 3600e3 * 24) {
      return this.run(ms, { until: () => sleeper.starts.length >= n && sleeper.asleep() });
    },
    /** The readings at the broker: [lux, ts] by arrival, QoS 1 resends removed. */
    received() {
      const seen = new Set(), out = [];
      for (const m of sub.messages.filter((m) => m.topic == 'test-topic')) {
        const [, ts, lux] = JSON.parse(m.text);
        if (!seen.has(lux)) out.push({ lux, ts });
        seen.add(lux);
      }
      return out;
    },
    /** The health reports the broker got, parsed. */
    reports: () => sub.messages.filter((m) => m.topic == 'garden/diag').map((m) => JSON.parse(m.text)),
    /**
     * The health report of the send that made `sends` sends, once it reached the subscriber (the device sleeps as
     * its last message leaves, which the broker then passes on in real time).
     */
    async report(sends) {
      const find = () => this.reports().find((x) => x.sends == sends);
      await waitFor(find, { timeout: 5000, what: `the report of send ${sends}`, then: () => JSON.stringify(this.reports()) });
      return find();
    },
    /** The console lines of start `i`. */
    linesOf: (i) => lines.filter((l) => l.start == i).map((l) => l.line),
    async close() {
      sleeper.stop();
      await sub.close();
    }
  };
}
