import { Backoff } from './backoff';

var wired = false, timer: any = 0, ssid: string, password: string, onUp: () => void, onDown: () => void, back: Backoff;

function attempt() {
  clearTimeout(timer);
  console.log("WiFi: connecting to '" + ssid + "'");
  require('Wifi').connect(ssid, { password: password }, function (err) {
    if (err) retry(String(err));
  });
}

function retry(why: string) {
  var w = back.next();
  clearTimeout(timer);
  console.log('WiFi: ' + why + ', retrying in ' + w.toFixed(1) + ' s');
  timer = setTimeout(attempt, w * 1000);
}

/**
 * Joins the network and keeps it joined, retrying with backoff and jitter. `up` runs each time the link is up,
 * `down` each time it is lost. The event handlers are registered once per heap: a second call (boot after save())
 * only restarts the attempt with the new callbacks.
 */
export function joinWifi(network: string, pass: string, maxBackoff: number, up: () => void, down: () => void) {
  var wifi = require('Wifi');
  ssid = network;
  password = pass;
  onUp = up;
  onDown = down;
  back = new Backoff(maxBackoff);
  if (!wired) {
    wired = true;
    wifi.on('connected', function () {
      clearTimeout(timer);
      back.reset();
      console.log('WiFi: connected, IP ' + wifi.getIP().ip);
      onUp();
    });
    wifi.on('disconnected', function () {
      onDown();
      retry('lost');
    });
  }
  attempt();
}

/** Signal strength in dBm where the platform tells it. */
export function rssi(): number | undefined {
  var w = require('Wifi');
  return w.getDetails ? w.getDetails().rssi : undefined;
}
