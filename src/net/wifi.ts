import { backoff } from './backoff';

var wired = false, timer: any = 0, onUp: () => void, onDown: () => void,
  /** The backoff step, seconds. */
  step = { s: 1 };

/** Joins now, or with `why` (what went wrong) after the next backoff wait. */
function attempt(why?: string) {
  var w;
  clearTimeout(timer);
  if (why) {
    w = backoff(step, CONFIG.wifi.maxBackoffSeconds);
    console.log('WiFi: ' + why + ', retrying in ' + w.toFixed(1) + ' s');
    timer = setTimeout(attempt, w * 1000);
    return;
  }
  console.log("WiFi: connecting to '" + CONFIG.wifi.ssid + "'");
  require('Wifi').connect(CONFIG.wifi.ssid, { password: CONFIG.wifi.password }, function (err) {
    if (err) attempt(String(err));
  });
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
  step.s = 1;
  if (!wired) {
    wired = true;
    wifi.on('connected', function () {
      clearTimeout(timer);
      step.s = 1;
      console.log('WiFi: connected, IP ' + wifi.getIP().ip);
      onUp();
    });
    wifi.on('disconnected', function () {
      onDown();
      attempt('lost');
    });
  }
  attempt();
}
