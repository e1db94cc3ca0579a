// The smallest firmware doing the same job, as a yardstick for the memory bench (npm run bench): read a TSL2591
// over I2C1, join WiFi, publish the reading as ["lux-1", ts, lux] with Espruino's MQTT module every interval.
// No runtime, no reconnect, no offline buffer, no auto gain. The bench sets the broker's port and the interval.
var PORT = 1883, INTERVAL = 2;
I2C1.setup({ sda: D4, scl: D5 });
I2C1.writeTo(0x29, [0xa0, 1, 0x10]); // CONTROL: gain 25x, 100 ms
I2C1.writeTo(0x29, [0xa0, 0, 3]); // ENABLE: power on, ALS on
var mqtt = require('MQTT').create('127.0.0.1', { port: PORT, client_id: 'minimal' });
function read() {
  I2C1.writeTo(0x29, 0xb4); // C0 low, then C0 high, C1 low, C1 high
  var d = I2C1.readFrom(0x29, 4), c0 = d[0] | (d[1] << 8), c1 = d[2] | (d[3] << 8);
  // datasheet lux equation at gain 25, 100 ms: CPL = 100 * 25 / (7.7 * 53)
  var lux = c0 ? ((c0 - c1) * (1 - c1 / c0)) / 6.126 : 0;
  if (mqtt.connected) mqtt.publish('test-topic', JSON.stringify(['lux-1', Math.round(getTime()), lux]));
}
mqtt.on('connected', function () {
  setInterval(read, INTERVAL * 1000);
});
require('Wifi').connect('ssid', { password: 'password' }, function () {
  mqtt.connect();
});
