// The health report: the Storage module `lgdiag`, run by control() on its timer and after each command.
import type { LuxGraph } from '../control/state';
import type { SensorPub } from '../runtime/sensor-pub';

/** The upload this module came with (scripts/build.mjs). */
export var build = BUILD_ID;

/** The report's timer: the uptime it counts, then the report. */
export function tick(L: LuxGraph) {
  L._up += CONFIG.mqtt.diagnosticsSeconds;
  report(L);
}

/**
 * Publishes the health report on `<base>/diag`, as JSON: uptime, free variables, readings sampled/sent/dropped/
 * queued, samples skipped (saturated or a sensor fault), reconnects, WiFi signal, and whether timestamps are
 * Unix time (`"clock":"unix"`, once SNTP has set the clock) or seconds since boot (`"uptime"`); `extra` adds
 * fields (an error from a command, say).
 */
export function report(L: LuxGraph, extra?: any) {
  var w = L.writer, wifi, d: any, k;
  if (!w) return; // nothing to publish with: spare the garbage collection that process.memory() runs
  wifi = require('Wifi');
  d = {
    up: Math.round(L._up),
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
    clock: getTime() > 1e9 ? 'unix' : 'uptime'
  };
  // Espruino refuses for-in over anything but an object, an array or a string
  if (extra) for (k in extra) d[k] = extra[k];
  if (w.client.connected) w.client.publish(CONFIG.mqtt.base + '/diag', JSON.stringify(d), { qos: 0 });
}
