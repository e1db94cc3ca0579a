import { jittered } from './backoff';

/** step: the backoff step, seconds. */
var wired = false, timer: any = 0, onUp: () => void, onDown: () => void, step = 1;

/** Joins now, or with `why` (what went wrong) after the next backoff wait. */
function attempt(why?: string) {
  var w;
  clearTimeout(timer);
  if (why) {
    // exponential backoff with jitter, as the MQTT writer's: the step doubles
    w = jittered(step);
    step = Math.min(step * 2, CONFIG.wifi.maxBackoffSeconds);
    console.log('WiFi: ' + why + ', retrying in ' + w.toFixed(1) + ' s');
    timer = setTimeout(attempt, w * 1000);
    return;
  }
  console.log("WiFi: connecting to '" + CONFIG.wifi.ssid + "'");
  require('Wifi').connect(CONFIG.wifi.ssid, { password: CONFIG.wifi.password }, function (err) {
    if (err) attempt(String(err));
  });
}

/** The link is up: the backoff starts over. */
function connected() {
  clearTimeout(timer);
  step = 1;
  console.log('WiFi: connected, IP ' + require('Wifi').getIP().ip);
  onUp();
}

/** The link is lost: join again after a backoff wait. */
function disconnected() {
  onDown();
  attempt('lost');
}

/**
 * Joins the configured network and keeps it joined, retrying with backoff and jitter. `up` runs each time the
 * link is up, `down` each time it is lost. The event handlers are registered once per heap: a second call (boot
 * after save()) only restarts the attempt with the new callbacks.
 */
export function joinWifi(up: () => void, down: () => void) {
  var wifi = require('Wifi');
  onUp = up;
  onDown = down;
  step = 1;
  if (!wired) {
    wired = true;
    wifi.on('connected', connected);
    wifi.on('disconnected', disconnected);
  }
  attempt();
}
