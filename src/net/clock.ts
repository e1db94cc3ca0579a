/** The clock counts seconds since boot until SNTP sets it; after that getTime() is Unix time. */
export function clockSet() {
  return getTime() > 1e9;
}

/** Asks the platform to keep the clock from an SNTP server, where it offers that (ESP8266, ESP32). */
export function syncClock(server: string) {
  var w = require('Wifi');
  if (server && w.setSNTP) w.setSNTP(server, 0);
}
