// Deep sleep between readings (power.deepSleep): the Storage module `lgpower`, run by control() (src/control). Every
// wake is a reset, and the firmware starts from flash again (src/main.ts), which asks this module what the wake is:
// - a wake that only samples: one reading into the wake file (wake-file.ts), and to sleep again with the radio off;
//   no WiFi, no writer, no MQTT module;
// - every sendEvery-th wake, a send: the writer is made as on any start, the wake file's readings go to it and this
//   wake's reading after them, WiFi joins, and the watch (powerCheck) looks every LOOK_MS until everything is
//   acknowledged, then publishes the health report and sleeps; or gives up after sendTimeoutSeconds, and what waits
//   goes to the journal for the next send;
// - a first boot (power on, the reset button, a flash) runs as the firmware always does until its first send is
//   done, and for FIRST_BOOT_AWAKE_S at least (time to flash it, or stop it at the REPL), then sleeps;
// - kept awake (the stay-awake pin held low at a start, {"sleep":false}, LuxGraph.stop()): runs as the firmware
//   always does, and never sleeps.
import type { LuxGraph, Control } from '../control/state';
import type { MQTTWriter } from '../net/mqtt-writer';
import type { Publisher } from '../runtime/publisher';
import type { SensorPub, SensorEvent } from '../runtime/sensor-pub';
import type { Tsl2591 } from '../sensors/tsl2591';
import { readWakes, appendWake, eraseWakes } from './wake-file';
import { readCounters, writeCounters, PowerCounters } from './counters';
import { wokeByTimer, deepSleep } from './sleep';
import { setWakeClock, lookAtClock, learnClock, sleptSinceSync } from './clock';
import { FIRST_BOOT, SEND_WAKE, STAY_AWAKE } from './wake-kinds';
import { SETTINGS_FILE } from '../control/settings-file';

/** The upload this module came with (scripts/firmware/build.mjs). */
export var build = BUILD_ID;

/** How often the watch looks at a send, milliseconds. */
const LOOK_MS = 250;
/** After the last message of a send, before the sleep: for it to leave, and for a retained command to arrive. */
const SETTLE_MS = 300;
/** The shortest sleep asked for, milliseconds, however long the wake took. */
const SHORTEST_SLEEP_MS = 1000;
/**
 * How long a wake waits for its reading, in integration times: auto gain may retake it at each of its gains, and
 * the driver waits up to 8 integrations for one (src/sensors/tsl2591.ts).
 */
const READING_WAIT = 14;
/** The sleep of a wake that only restarts the chip with its radio on, milliseconds. */
const RADIO_WAKE_MS = 100;
/** A Storage file there only across that sleep: the wake after it has its radio. */
const RADIO_FILE = 'lgradio';
/** A first boot stays awake at least this long, seconds: after the reset button, time to flash the board. */
const FIRST_BOOT_AWAKE_S = 30;

/**
 * The wake period in seconds: a command's (interval: this wake's, or one a send wake heard and kept in Storage),
 * else the config's.
 */
function periodOf(L: LuxGraph) {
  var kept;
  if (!L._period && CONFIG.mqtt.commands) {
    kept = require('Storage').readJSON(SETTINGS_FILE, true) as { interval?: unknown } | undefined;
    if (kept && typeof kept.interval == 'number') L._period = kept.interval;
  }
  return L._period || CONFIG.sensor.intervalSeconds;
}

/** Whether the stay-awake pin (power.stayAwakePin) is held low, with the chip's pull-up on it; false without one. */
function pinHeldLow() {
  var pin = CONFIG.power.stayAwakePin && (global as unknown as { [name: string]: Pin | undefined })[CONFIG.power.stayAwakePin];
  if (!pin) return false;
  pinMode(pin, 'input_pullup', false);
  return !digitalRead(pin);
}

/** How long a wake waits for its reading, in seconds. */
function readingWait() {
  return (CONFIG.sensor.integrationMs * READING_WAIT) / 1000 + 0.5;
}

/**
 * At start, before the writer is made: what this wake is. A wake that only samples is done here, `readings` (the
 * readings as the writer would get them, through the filters) taking its reading to the wake file: returns 1, and
 * start() goes no further. Otherwise returns 0, with `_wake` saying what the rest of start() runs.
 */
export function powerWake(L: LuxGraph, readings: Publisher<SensorEvent>, control: Control) {
  var wakes = readWakes(), timer = wokeByTimer(), radio = require('Storage').read(RADIO_FILE) !== undefined;
  L._wokeAt = timer ? setWakeClock(wakes.count ? wakes.next : readCounters().next) : getTime();
  if (radio) require('Storage').erase(RADIO_FILE);
  if (/*@__INLINE__*/ pinHeldLow()) {
    // an ESP8266 woken without its radio (a wake that only samples) cannot join: it wakes again at once, with it
    // (the file says so to that wake)
    if (CONFIG.power.call == 'ESP8266.deepSleep' && timer && wakes.count + 1 < CONFIG.power.sendEvery && !radio) {
      console.log('power: ' + CONFIG.power.stayAwakePin + ' held low: waking again with the radio on, to stay awake');
      require('Storage').write(RADIO_FILE, '1');
      goToSleep(L, RADIO_WAKE_MS, true);
      return 1;
    }
    console.log('power: ' + CONFIG.power.stayAwakePin + ' held low: staying awake, reachable; a reset with it released sleeps again');
    L._wake = STAY_AWAKE;
    return 0;
  }
  if (!timer) {
    console.log('power: first boot: running as usual until the first send is done, and ' + FIRST_BOOT_AWAKE_S + ' s at least (to flash it, or keep it awake with LuxGraph.stop()), then sleeping ' + periodOf(L) + ' s between readings');
    L._wake = FIRST_BOOT;
    return 0;
  }
  if (wakes.count + 1 >= CONFIG.power.sendEvery) {
    console.log('power: wake ' + (wakes.count + 1) + ' of ' + CONFIG.power.sendEvery + ': sending');
    L._wake = SEND_WAKE;
    return 0;
  }
  console.log('power: wake ' + (wakes.count + 1) + ' of ' + CONFIG.power.sendEvery + ': one reading, kept in flash');
  readings.subscribe({
    onNext: function (x: SensorEvent) {
      control('powerKeep', x);
    }
  });
  // no reading (a sensor fault, a filter that passed nothing): the wake is kept without one
  L._watch = setTimeout(control, readingWait() * 1000, 'powerKeep');
  (L.source as SensorPub).sample();
  return 1;
}

/**
 * A wake that only samples, once its reading `x` is there (undefined: none came): the record to the wake file, and
 * to sleep, with the radio on when the next wake is a send.
 */
export function powerKeep(L: LuxGraph, x?: SensorEvent) {
  var c = readCounters(), now = getTime(), plan = planSleep(L, c), t = x ? x[1] * 1000 : now * 1000;
  clearTimeout(L._watch);
  try {
    appendWake(t, x ? x[2] : undefined, (now - (L._wokeAt as number)) * 1000, plan.next - t);
  } catch (e) {
    console.log('power: the reading could not be kept in flash (' + ((e as Error).message || e) + '): it is lost');
  }
  goToSleep(L, plan.sleepMs, readWakes().count + 1 >= CONFIG.power.sendEvery);
}

/**
 * At start, once the writer is made (a first boot or a send wake): the wake file's readings to the writer, oldest
 * first, and the watch on the send. A send wake takes its one reading now and returns 1: start() schedules no
 * sampling. A first boot returns 0 and samples as usual.
 */
export function powerSend(L: LuxGraph, nothing: void, control: Control) {
  var w = L.writer as MQTTWriter, kept = readWakes(function (t, v) {
    w.onNext([CONFIG.sensor.id, t / 1000, v]);
  });
  if (kept.count) console.log('power: ' + kept.count + ' wakes since the last send: their readings go first');
  L._fed = w.sampled;
  L._looked = getTime();
  L._watch = setInterval(control, LOOK_MS, 'powerCheck');
  if (L._wake != SEND_WAKE) return 0;
  (L.source as SensorPub).sample();
  return 1;
}

/**
 * The watch, every LOOK_MS: the clock (SNTP setting it), then whether the send is done (everything acknowledged,
 * this wake's reading among it, or on a first boot its first reading, FIRST_BOOT_AWAKE_S on) or, on a send wake,
 * out of time. Kept awake, the watch ends once what the wake file held is delivered, and the file with it.
 */
export function powerCheck(L: LuxGraph, nothing: void, control: Control) {
  var w = L.writer as MQTTWriter, since, sent;
  if (!w) return stayAwake(L, 'stopped at the REPL (LuxGraph.stop()): staying awake; LuxGraph.start() runs again and sleeps after its first send');
  lookAtClock(L, LOOK_MS / 1000, function () {
    return sleptSinceSync(readCounters(), readWakes(), periodOf(L) * 1000);
  });
  since = getTime() - (L._wokeAt as number);
  // SNTP on the ESP8266 asks once, 100 ms after setSNTP, then every 30 s, and a send is over in seconds: until it
  // has set the clock, it is asked again about once a second (every fourth look)
  if (CONFIG.wifi.ntp && L._synced === undefined && w.client.connected && L._wake == SEND_WAKE && Math.round(since * 1000 / LOOK_MS) % 4 == 0) require('Wifi').setSNTP!(CONFIG.wifi.ntp, 0);
  sent = w.client.connected && !w.queued && !w.journaled && !w._incoming;
  if (sent && L._wake == STAY_AWAKE) {
    clearInterval(L._watch);
    if (readWakes().count) eraseWakes();
  } else if (sent && (L._wake == SEND_WAKE ? w.sampled > (L._fed as number) || (L.source as SensorPub).skipped || since > readingWait() : w.sent && since > FIRST_BOOT_AWAKE_S))
    finish(L, 1, control);
  else if (L._wake == SEND_WAKE && since > CONFIG.power.sendTimeoutSeconds) finish(L, 0, control);
}

/**
 * {"sleep":false} (`stay` 1) keeps the board awake from now on: it samples as usual, and the watch only sees the
 * wake file's readings delivered; {"sleep":true} (0) lets it sleep again after its next send.
 */
export function powerAwake(L: LuxGraph, stay: number, control: Control) {
  if (stay) {
    if (L._wake == STAY_AWAKE) return;
    if (L._wake == SEND_WAKE) {
      // sampling as usual, where a send wake took one reading
      L._wake = STAY_AWAKE;
      control('sampleEvery', periodOf(L));
    }
    stayAwake(L, 'staying awake ({"sleep":false}), reachable; {"sleep":true} lets it sleep again');
    L._watch = setInterval(control, LOOK_MS, 'powerCheck');
  } else if (L._wake == STAY_AWAKE && L.writer) {
    console.log('power: sleeping again after the next send ({"sleep":true})');
    L._wake = FIRST_BOOT;
    clearInterval(L._watch);
    L._watch = setInterval(control, LOOK_MS, 'powerCheck');
  }
}

/** Kept awake from now on (said, `why`): no sleep planned. */
function stayAwake(L: LuxGraph, why: string) {
  // (a timer of the watch, or the one of the sleep after a send: the same call clears either)
  clearInterval(L._watch);
  L._wake = STAY_AWAKE;
  console.log('power: ' + why);
}

/**
 * A send is over: `delivered` everything, with the health report after it, or it gave up (said, with what waits);
 * the sleep follows once the last message had time to leave.
 */
function finish(L: LuxGraph, delivered: number, control: Control) {
  var w = L.writer as MQTTWriter, c = counted(L, delivered), why;
  clearInterval(L._watch);
  if (delivered) {
    console.log('power: everything sent (' + w.sent + (w.sent == 1 ? ' reading' : ' readings') + '), ' + Math.round(c.awakeMs - readCounters().awakeMs) + ' ms awake since the last send');
    if (CONFIG.mqtt.diagnostics) control('diagReport', { wakes: c.wakes, sends: c.sends, gaveUp: c.gaveUp, awakeMs: Math.round(c.awakeMs), sleepScale: Math.round(c.scale * 1e5) / 1e5 });
  } else {
    why = require('Wifi').getIP().ip == '0.0.0.0' ? 'WiFi not joined' : !w.client.connected ? 'the broker not reached' : 'not everything acknowledged';
    console.log('power: the send gave up after ' + CONFIG.power.sendTimeoutSeconds + ' s (' + why + '): ' + (w.queued + w.journaled + (w._incoming ? w._incoming.length : 0)) + ' readings kept in flash for the next send');
  }
  L._watch = setTimeout(control, delivered ? SETTLE_MS : 0, 'powerSleep', delivered);
}

/**
 * The end of a wake that ran the writer: what waits to the journal, the wake file erased, the counters kept, asleep.
 * Whatever fails on the way, the board sleeps: awake, it would empty the battery.
 */
export function powerSleep(L: LuxGraph, delivered: number) {
  var c = readCounters(), plan = planSleep(L, c);
  try {
    c = counted(L, delivered);
    plan = planSleep(L, c);
    if (L._cancel) L._cancel();
    L._cancel = null;
    clearInterval(L._diagTimer);
    // what waits in RAM goes to the journal before the wake file goes: a power cut between them sends twice, never not at all
    (L.writer as MQTTWriter).stop(true);
    if (readWakes().count) eraseWakes();
    c.next = plan.next;
    c.unsyncedMs += plan.sleepMs;
    writeCounters(c);
  } catch (e) {
    console.log('power: ' + ((e as Error).message || e));
  }
  goToSleep(L, plan.sleepMs, CONFIG.power.sendEvery == 1);
}

/** The counters with this wake counted (a send that `delivered` or gave up), the wakes of the wake file with it. */
function counted(L: LuxGraph, delivered: number): PowerCounters {
  var c = readCounters(), wakes = readWakes(), timerWakes = wakes.count + (L._wake == SEND_WAKE ? 1 : 0);
  c.wakes += timerWakes;
  c.sends += delivered ? 1 : 0;
  c.gaveUp += delivered ? 0 : 1;
  c.awakeMs += wakes.awakeMs + (getTime() - (L._wokeAt as number)) * 1000;
  learnClock(L, c, wakes, periodOf(L) * 1000);
  return c;
}

/**
 * The sleep that makes the next wake start one period after this one did, as long as a sleep really lasts (the
 * learned scale), and when the next wake's clock will start, in milliseconds on this clock.
 */
function planSleep(L: LuxGraph, c: PowerCounters) {
  var now = getTime() * 1000, sleepMs = Math.max(SHORTEST_SLEEP_MS, (periodOf(L) * 1000 - (now - (L._wokeAt as number) * 1000)) / c.scale);
  return { sleepMs: sleepMs, next: now + sleepMs * c.scale };
}

/** Powers the sensor down (it shares the board's supply) and sleeps. */
function goToSleep(L: LuxGraph, sleepMs: number, radio: boolean) {
  console.log('power: sleeping ' + (sleepMs / 1000).toFixed(1) + ' s' + (radio ? ', the next wake sends' : ', radio off'));
  (L.sensor as Tsl2591).close();
  deepSleep(sleepMs, radio);
}
