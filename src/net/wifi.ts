/** Longest pause between WiFi attempts, in seconds. */
var MAX_BACKOFF = 60;

var wired = false, onUp: () => void, ssid: string, password: string, timer: any, delay = 1;

function attempt() {
  clearTimeout(timer);
  console.log("WiFi: connecting to '" + ssid + "'");
  require('Wifi').connect(ssid, { password: password }, function (err) {
    if (err) retry(String(err));
  });
}

function retry(why: string) {
  clearTimeout(timer);
  console.log('WiFi: ' + why + ', retrying in ' + delay + ' s');
  timer = setTimeout(attempt, delay * 1000);
  delay = Math.min(delay * 2, MAX_BACKOFF);
}

/**
 * Joins the network and keeps trying with backoff; `up` runs each time it is connected. The event handlers are
 * registered once per heap: a second call (boot after save()) only restarts the attempt.
 */
export function joinWifi(network: string, pass: string, up: () => void) {
  var wifi = require('Wifi');
  ssid = network;
  password = pass;
  onUp = up;
  if (!wired) {
    wired = true;
    wifi.on('connected', function () {
      clearTimeout(timer);
      delay = 1;
      console.log('WiFi: connected, IP ' + wifi.getIP().ip);
      onUp();
    });
    wifi.on('disconnected', function () {
      retry('lost');
    });
  }
  attempt();
}
