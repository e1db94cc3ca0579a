// The health report: the Storage module `lgdiag`, whose actions control() runs on its timer and after each command.
import type { LuxGraph } from './state';
import type { SensorPub } from '../runtime/sensor-pub';
import { UNIX_TIME } from './unix-time';

/** Fields a report adds to its own: a command's error, or, at the end of a deep-sleep send (src/power), its counters. */
export interface ReportFields {
  error?: string;
  /** Deep sleep: the timer wakes, the sends done and given up, the time awake in ms, and how long a sleep really lasts per second asked. */
  wakes?: number;
  sends?: number;
  gaveUp?: number;
  awakeMs?: number;
  sleepScale?: number;
}

/** The upload this module came with (scripts/firmware/build.mjs). */
export var build = BUILD_ID;

/** The report's timer. */
export function diagTick(L: LuxGraph) {
  diagReport(L);
}

/**
 * Seconds since start, by the clock: what it moved since its last look (`_clock`) is added to `_up`, except across
 * SNTP's setting it, from seconds since boot to Unix time, when when it happened is not known: control() starts the
 * clock again from Unix time on the first connection to the broker after it, so the seconds from boot to that
 * connection go uncounted.
 */
function clock(L: LuxGraph) {
  var now = getTime();
  if (now > L._clock && (now < UNIX_TIME || L._clock > UNIX_TIME)) L._up += now - L._clock;
  L._clock = now;
  return L._up;
}

/**
 * Publishes the health report on `<base>/diag`, as JSON: uptime, free variables, readings sampled/sent/dropped/
 * queued, samples skipped (saturated or a sensor fault), reconnects, WiFi signal, and whether timestamps are
 * Unix time (`"clock":"unix"`, once SNTP has set the clock) or seconds since boot (`"uptime"`); `extra` adds
 * fields (an error from a command, say).
 */
export function diagReport(L: LuxGraph, extra?: ReportFields) {
  var w = L.writer, wifi, d: { [field: string]: unknown }, k;
  if (!w) return; // nothing to publish with: spare the garbage collection that process.memory() runs
  wifi = require('Wifi');
  d = {
    up: Math.round(clock(L)),
    free: process.memory().free,
    sampled: w.sampled,
    sent: w.sent,
    dropped: w.dropped,
    queued: w.queued,
    journaled: w.journaled,
    storageFree: require('Storage').getFree(),
    skipped: (L.source as SensorPub).skipped,
    reconnects: w.reconnects,
    rssi: wifi.getDetails ? wifi.getDetails().rssi : undefined,
    clock: getTime() > UNIX_TIME ? 'unix' : 'uptime'
  };
  // Espruino refuses for-in over anything but an object, an array or a string
  if (extra) for (k in extra) d[k] = extra[k as keyof ReportFields];
  if (w.client.connected) w.client.publish(CONFIG.mqtt.base + '/diag', JSON.stringify(d), { qos: 0 });
}
