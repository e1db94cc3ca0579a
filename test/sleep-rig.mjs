// A sleeping device (power.deepSleep) on a fake clock against a real broker, with what a test needs to check that
// nothing was lost across its wakes: every reading sampled at every start (each a distinct lux), every message the
// broker got, and each start's console lines, WiFi attempts and sleep.
import { buildWith, subscriber } from './helpers.mjs';
import { sleepingDevice } from '../scripts/sim/sleeper.mjs';
import { FakeClock } from '../scripts/sim/clock.mjs';
import { runClock } from './fault-rig.mjs';

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
 * clock; `rtcError` and `bootMs` as sleepingDevice takes them. `broker` may change port while it runs (a broker
 * down: a port nothing listens on).
 */
export async function sleepRig(broker, config, { rtcError = 0, bootMs, board } = {}) {
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
    modules: Object.fromEntries(built.modules.map((m) => [m.name, m.code])),
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
  sleeper.firstBoot(built);
  return {
    built,
    clock,
    sleeper,
    sub,
    sampled,
    lines,
    /** Where the device reaches its broker: set port to one nothing listens on for a broker that is down. */
    target,
    /** Runs the fake clock forward by `ms` at most, in steps, until `until()` holds. */
    run: (ms, { step = 200, until } = {}) => runClock(clock, ms, { step, until }),
    /**
     * Runs until the device has started `n` times (the first boot counts) and sleeps again: awake in steps of 20 ms
     * (each followed by a breath for the real sockets), asleep straight to its wake.
     */
    async runToStart(n, ms = 3600e3 * 24) {
      const end = clock.now() + ms;
      while (!(sleeper.starts.length >= n && sleeper.asleep()) && clock.now() < end) {
        const next = sleeper.asleep() && clock.next(Infinity);
        clock.advance(next ? Math.max(next[1].at - clock.now(), 1) : 20);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
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
    /** The console lines of start `i`. */
    linesOf: (i) => lines.filter((l) => l.start == i).map((l) => l.line),
    async close() {
      sleeper.stop();
      await sub.close();
    }
  };
}
