import { MQTTWriter } from './mqtt-writer';
import { SensorPub } from '../runtime/sensor-pub';

/**
 * Publishes the health report on `<base>/diag`, as JSON: uptime, free variables, readings sampled/sent/dropped/
 * queued, samples skipped (saturated or a sensor fault), reconnects, WiFi signal, and whether timestamps are
 * Unix time (`"clock":"unix"`, once SNTP has set the clock) or seconds since boot (`"uptime"`); `extra` adds
 * fields (an error from a command, say).
 */
export function report(w: MQTTWriter | null, up: number, source: SensorPub, extra?: any) {
  if (!w) return; // nothing to publish with: spare the garbage collection that process.memory() runs
  var wifi = require('Wifi'),
    d: any = {
      up: Math.round(up),
      free: process.memory().free,
      sampled: w.sampled,
      sent: w.sent,
      dropped: w.dropped,
      queued: w.queued,
      journaled: w.journaled,
      storageFree: require('Storage').getFree(),
      skipped: source.skipped,
      reconnects: w.reconnects,
      rssi: wifi.getDetails ? wifi.getDetails().rssi : undefined,
      clock: getTime() > 1e9 ? 'unix' : 'uptime'
    },
    k;
  // Espruino refuses for-in over anything but an object, an array or a string
  if (extra) for (k in extra) d[k] = extra[k];
  w.pub(CONFIG.mqtt.base + '/diag', JSON.stringify(d));
}
