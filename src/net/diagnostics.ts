import { MQTTWriter } from './mqtt-writer';
import { clockSet } from './clock';
import { rssi } from './wifi';

/**
 * The periodic health report, as JSON: uptime, free variables, readings sampled/sent/dropped/queued, reconnects,
 * WiFi signal, and whether timestamps are Unix time (`"clock":"unix"`) or seconds since boot (`"uptime"`).
 */
export function diagnostics(w: MQTTWriter, up: number, extra?: any): string {
  var d: any = {
    up: Math.round(up),
    free: process.memory().free,
    sampled: w.n,
    sent: w.sent,
    dropped: w.dropped,
    queued: w.q.length,
    reconnects: w.reconnects,
    rssi: rssi(),
    clock: clockSet() ? 'unix' : 'uptime'
  }, k;
  for (k in extra) d[k] = extra[k];
  return JSON.stringify(d);
}
