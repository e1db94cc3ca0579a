// Battery life with deep sleep (power.deepSleep), measured on the simulator's clock: the firmware itself wakes every
// 5 minutes and sends every 12th wake to a real broker (aedes), on a fake clock. From its wakes: the awake time of
// a wake that only samples and of a send wake; the flash wear of the wakes' records (the Storage calls of whole
// cycles, replayed on the simulator's Storage model for a year); and the battery life those times give with the
// currents below.
import { validateConfig } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { sleepingDevice } from '../sim/sleeper.mjs';
import { FakeClock } from '../sim/clock.mjs';
import { startBroker } from '../sim/broker.mjs';
import { lifeYears } from './flash-wear.mjs';
import { spread } from './stats.mjs';

/** The wake period and the wakes per send measured: 5-minute readings, sent hourly. */
export const PERIOD_S = 300;
export const SEND_EVERY = 12;

/**
 * The currents, in mA, and where each comes from. The ESP8266's are the typical figures of its datasheet
 * (Espressif, ESP8266EX datasheet, "Power Consumption": about 70 mA with the radio receiving, 15 mA in modem sleep,
 * the radio off, 20 µA in deep sleep); the TSL2591's are its datasheet's (ams, TSL2591: 0.275 mA typical, 0.4 mA
 * most, while active; 2.3 µA asleep). Those of the bare chip and sensor: a board's regulator and USB chip (a
 * Wemos D1 mini, a NodeMCU) draw more asleep.
 */
export const CURRENTS_MA = { awakeRadio: 70, awakeRadioOff: 15, asleep: 0.02, sensorIntegrating: 0.4, sensorAsleep: 0.0023 };

/**
 * What the measurement cannot see, in ms, named as assumptions: the ROM boot before the firmware's clock starts
 * (the ESP8266's boot loader, the SDK and Espruino's own start, loading from flash), and the WiFi join of a send
 * wake (scan, WPA2, DHCP), where the simulator's is 30 ms.
 */
export const ASSUMED_MS = { boot: 300, wifiJoin: 2000 };

/** Two AA cells, mAh. */
export const BATTERY_MAH = 2500;

/** Targets: a wake that only samples, a send after the WiFi join, the battery life, the flash life. */
export const BATTERY_TARGETS = { sampleWakeMs: 300, sendAfterJoinMs: 3000, batteryYears: 1, flashLifeYears: 10 };

/**
 * Runs the firmware through `cycles` send cycles after a first one, and returns { sampleWakeMs, sendWakeMs,
 * sendAfterJoinMs (each { median, max }), wear: { bytesPerDay, pagesPerDay, worstPageErasesPerDay, lifeYears },
 * energy: { mAhPerDay, days, years } }.
 */
export async function measureBattery({ cycles = 3, wearDays = 365, boardName = 'esp8266-4mb' } = {}) {
  const broker = await startBroker();
  const { board, firmware } = validateConfig({
    board: boardName,
    wifi: { ssid: 'bench', password: 'bench-password' },
    mqtt: { host: '127.0.0.1', port: broker.port, base: 'bench' },
    sensor: { id: 'lux-1', intervalSeconds: PERIOD_S, gain: 'low' },
    power: { deepSleep: true, sendEvery: SEND_EVERY }
  });
  const built = await buildFirmware({ board, firmware });
  const clock = new FakeClock();
  const lines = [];
  const sleeper = sleepingDevice({
    board, broker, timers: clock,
    log: (line) => lines.push({ start: sleeper.starts.length - 1, at: clock.now(), line })
  });
  const cycleStarts = (n) => 1 + n * SEND_EVERY;
  try {
    sleeper.firstBoot(built);
    await runWakes(clock, sleeper, cycleStarts(1));
    // the Storage calls of whole cycles, from a send's end to a send's end
    const storage = sleeper.storage, before = storage.clone(), calls = [];
    const write = storage.write, erase = storage.erase;
    storage.write = function (...args) {
      calls.push(['write', args]);
      return write.apply(this, args);
    };
    storage.erase = function (...args) {
      calls.push(['erase', args]);
      return erase.apply(this, args);
    };
    await runWakes(clock, sleeper, cycleStarts(1 + cycles));
    Object.assign(storage, { write, erase });
    const measured = sleeper.starts.slice(cycleStarts(1));
    const sends = measured.filter((s, i) => (i + 1) % SEND_EVERY == 0), samples = measured.filter((s, i) => (i + 1) % SEND_EVERY);
    const joined = sends.map((s) => s.at + s.awakeMs - lines.find((l) => sleeper.starts[l.start] === s && /^WiFi: connected/.test(l.line)).at);
    const result = {
      board: boardName,
      cycles,
      sampleWakeMs: spread(samples.map((s) => s.awakeMs)),
      sendWakeMs: spread(sends.map((s) => s.awakeMs)),
      sendAfterJoinMs: spread(joined),
      wear: replayWear(before, calls, cycles, wearDays)
    };
    result.energy = batteryLife(result);
    return result;
  } finally {
    sleeper.stop();
    await broker.close();
  }
}

/** Runs the fake clock until the device has started `n` times and sleeps: straight to each wake, in 20 ms steps awake. */
async function runWakes(clock, sleeper, n) {
  for (let guard = 0; !(sleeper.starts.length >= n && sleeper.asleep()); guard++) {
    if (guard > 1e6) throw new Error(`the device did not reach its start ${n}`);
    const next = sleeper.asleep() && clock.next(Infinity);
    clock.advance(next ? Math.max(1, next[1].at - clock.now()) : 20);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * The Storage calls of `cycles` send cycles, replayed on a copy of the Storage they started from until `days` have
 * passed (a day has 86400 / PERIOD_S / SEND_EVERY cycles): bytes written and pages erased a day, the most-erased
 * page's erases a day, and the flash life that gives (ERASE_CYCLES erases a page).
 */
function replayWear(start, calls, cycles, days) {
  const s = start.clone(), perDay = 86400 / PERIOD_S / SEND_EVERY, rounds = Math.ceil((days * perDay) / cycles);
  const from = { bytes: s.bytesWritten, erased: s.pagesErased, erases: [...s.pageErases] };
  for (let r = 0; r < rounds; r++) for (const [call, args] of calls) s[call](...args);
  const simulated = (rounds * cycles) / perDay;
  const worst = Math.max(...s.pageErases.map((e, i) => e - from.erases[i])) / simulated;
  return {
    days: Math.round(simulated),
    bytesPerDay: Math.round((s.bytesWritten - from.bytes) / simulated),
    pagesPerDay: Math.round(((s.pagesErased - from.erased) / simulated) * 100) / 100,
    compactions: s.compactions - start.compactions,
    worstPageErasesPerDay: Math.round(worst * 1000) / 1000,
    lifeYears: lifeYears(worst)
  };
}

/**
 * The charge a day, mAh, at PERIOD_S wakes and a send every SEND_EVERY: each wake's boot (ASSUMED_MS.boot) and its
 * measured awake time, at the ESP8266's current with the radio off (a wake that only samples) or on (a send wake,
 * with the assumed WiFi join); the sensor's integration of each wake; the rest of the day asleep. And how long
 * BATTERY_MAH lasts at that rate.
 */
export function batteryLife({ sampleWakeMs, sendAfterJoinMs }, { integrationMs = 100 } = {}) {
  const wakes = 86400 / PERIOD_S, sends = wakes / SEND_EVERY, c = CURRENTS_MA, hour = 3600e3;
  const sampleMs = ASSUMED_MS.boot + sampleWakeMs.median, sendMs = ASSUMED_MS.boot + ASSUMED_MS.wifiJoin + sendAfterJoinMs.median;
  const awakeMs = (wakes - sends) * sampleMs + sends * sendMs;
  const parts = {
    sampleWakes: ((wakes - sends) * sampleMs * c.awakeRadioOff) / hour,
    sendWakes: (sends * sendMs * c.awakeRadio) / hour,
    sensor: (wakes * integrationMs * c.sensorIntegrating) / hour,
    asleep: ((86400e3 - awakeMs) * (c.asleep + c.sensorAsleep)) / hour
  };
  const mAhPerDay = Object.values(parts).reduce((a, b) => a + b, 0);
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    sampleWakeMs: sampleMs,
    sendWakeMs: sendMs,
    parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, round(v)])),
    mAhPerDay: round(mAhPerDay),
    days: Math.round(BATTERY_MAH / mAhPerDay),
    years: Math.round((BATTERY_MAH / mAhPerDay / 365) * 10) / 10
  };
}
