// WiFi, kept joined: the Storage module `lgwifi`, whose actions control() runs on WiFi's events (control.ts, which
// also makes each attempt: its action wifiJoin). Retries back off exponentially with jitter; the backoff's state is
// kept on LuxGraph, as this module's variables go when it is let go.
import { jitter } from '../net/backoff';
import type { LuxGraph, Control } from './state';

/**
 * What WiFi says (control.ts's onWifi): its 'connected' and 'disconnected' events' details, or what the join's
 * callback says (null: joined; else what went wrong).
 */
export type WifiNews = WifiDetails | string | null | undefined;

/** The upload this module came with (scripts/firmware/build.mjs). */
export var build = BUILD_ID;

/** The link is up: the backoff starts over, the clock is set (SNTP, where the platform offers it), the writer connects. */
export function wifiUp(L: LuxGraph) {
  var wifi = require('Wifi');
  clearTimeout(L._wifiTimer);
  L._wifiStep = 1;
  console.log('WiFi: connected, IP ' + wifi.getIP().ip);
  if (CONFIG.wifi.ntp && wifi.setSNTP) wifi.setSNTP(CONFIG.wifi.ntp, 0);
  if (L.writer) L.writer.connect();
}

/**
 * The link is down: `why` is the 'disconnected' event's details (the link is lost: no connection attempts until it
 * is back), or what the join's callback says (null: joined, and 'connected' does the rest; else what went wrong).
 * Joins again after the next backoff wait.
 */
export function wifiDown(L: LuxGraph, why: WifiNews, control: Control) {
  var w;
  if (why === null) return;
  // no network, lost or never joined (at boot): no attempts, and the writer's readings go to flash until it is back
  if (L.writer) L.writer.stop();
  if (why === undefined || typeof why == 'object') why = 'lost';
  clearTimeout(L._wifiTimer);
  // exponential backoff with jitter, as the MQTT writer's: the step doubles
  w = L._wifiStep * /*@__INLINE__*/ jitter();
  L._wifiStep = Math.min(L._wifiStep * 2, CONFIG.wifi.maxBackoffSeconds);
  console.log('WiFi: ' + why + ', retrying in ' + w.toFixed(1) + ' s');
  L._wifiTimer = setTimeout(control, w * 1000, 'wifiJoin');
}
