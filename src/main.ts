// Firmware entry: the tutorial's graph, built from the config baked in by the build, started at load and on boot.
import { Publisher } from './runtime/publisher';
import { SensorPub } from './runtime/sensor-pub';
import { Scheduler } from './runtime/scheduler';
import { Output } from './runtime/output';
import { Tsl2591 } from './sensors/tsl2591';
import { MQTTWriter } from './net/mqtt-writer';
import { joinWifi } from './net/wifi';

var writer: MQTTWriter | null = null, cancel: (() => void) | null = null, running = false;

/** Stops sampling and publishing: the REPL's way to take over, and what happens before save() or reset(). */
function stop() {
  if (cancel) cancel();
  if (writer) writer.stop();
  cancel = writer = null;
  running = false;
}

/** (Re)starts the whole firmware. */
function start() {
  var c = CONFIG, m = c.mqtt, sensor;
  stop();
  running = true;
  BOARD_I2C.setup({ sda: BOARD_SDA, scl: BOARD_SCL, bitrate: 100000 });
  sensor = new SensorPub(new Tsl2591(c.sensor.id, c.sensor));
  sensor.subscribe(new Output());
  writer = new MQTTWriter(m.clientId, m.host, m.port, m.topic, {
    username: m.username,
    password: m.password,
    keepAlive: m.keepAlive,
    qos: m.qos,
    retain: m.retain,
    bufferSize: c.buffer.size
  });
  sensor.subscribe(writer);
  cancel = new Scheduler().schedulePeriodic(sensor, c.sensor.intervalSeconds);
  joinWifi(c.wifi.ssid, c.wifi.password, function () {
    if (writer) writer.connect();
  });
}

// The runtime stays reachable from the REPL, to build graphs by hand as in the tutorial.
var g: any = global;
g.Publisher = Publisher;
g.SensorPub = SensorPub;
g.Scheduler = Scheduler;
g.Output = Output;
g.Tsl2591 = Tsl2591;
g.MQTTWriter = MQTTWriter;
g.LuxGraph = { start: start, stop: stop, writer: function () { return writer; } };

// Runs at load. save() first fires 'kill' (so nothing half-open is saved), and a boot then fires 'init'; when the
// code itself runs at boot from flash it has already started, and 'init' finds it running.
start();
E.on('kill', stop);
E.on('init', function () {
  if (!running) start();
});
