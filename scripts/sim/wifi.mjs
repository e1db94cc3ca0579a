// The Wifi module as on ESP8266/ESP32: connect(ssid, {password}, cb), 'connected'/'disconnected' events,
// getIP(), getDetails(). The network it joins is the simulator's: tests can refuse or drop it.
import { EspruinoEvents } from './events.mjs';

export class WifiSim extends EspruinoEvents {
  /** `radio`: false after an ESP8266 deep sleep with option 4 (no RF after the wake): a join then never succeeds. */
  constructor({ timers, joinMs = 30, ip = '192.168.1.42', radio = true } = {}) {
    super();
    this.radio = radio;
    this.timers = timers;
    this.joinMs = joinMs;
    this.ip = ip;
    this.available = true; // is the access point there?
    this.up = false;
    this.ssid = null;
    this.attempts = 0;
    this.pending = null;
    this.onChange = () => {}; // the MQTT adapter listens here to cut sockets when the link drops
    this.sntp = null;
    this.clockSet = false; // until SNTP answers, the device clock counts from boot
  }
  connect(ssid, options, callback) {
    this.attempts++;
    this.ssid = ssid;
    this.password = options && options.password;
    if (this.pending) this.timers.clearTimeout(this.pending);
    this.pending = this.timers.setTimeout(() => {
      this.pending = null;
      if (!this.available || !this.radio) {
        if (callback) callback(this.radio ? 'no_ap_found' : 'radio off (woken from a deep sleep with option 4)');
        return;
      }
      this.up = true;
      this.onChange(true);
      this.emit('connected', { ip: this.ip });
      if (callback) callback(null);
    }, this.joinMs);
  }
  disconnect(callback) {
    this.drop('assoc_leave');
    if (callback) callback();
  }
  /** Fault injection: the link goes away (and the access point with it, until restore()). */
  drop(reason = 'beacon_timeout') {
    this.available = false;
    if (!this.up) return;
    this.up = false;
    this.onChange(false);
    this.emit('disconnected', { reason });
  }
  restore() {
    this.available = true;
  }
  getIP(callback) {
    const info = { ip: this.up ? this.ip : '0.0.0.0', netmask: '255.255.255.0', gw: '192.168.1.1', mac: '5c:cf:7f:00:00:01' };
    if (callback) callback(null, info);
    return info;
  }
  getDetails(callback) {
    const d = { status: this.up ? 'connected' : 'off', rssi: this.up ? -58 : 0, ssid: this.ssid };
    if (callback) callback(d);
    return d;
  }
  /** Sets the device clock to Unix time shortly after it is asked, while the link is up, as SNTP would. */
  setSNTP(server) {
    this.sntp = server;
    this.timers.setTimeout(() => {
      if (!this.up) return;
      this.clockSet = true;
      if (this.onClockSet) this.onClockSet();
    }, 50);
  }
}
