// Firmware entry: the tutorial's graph, built from the config baked in by the build, started at load and on boot.
import { Publisher } from './runtime/publisher';
import { SensorPub } from './runtime/sensor-pub';
import { Scheduler } from './runtime/scheduler';
import { Output } from './runtime/output';
import { Tsl2591 } from './sensors/tsl2591';
import { MQTTWriter } from './net/mqtt-writer';
import { joinWifi } from './net/wifi';
import { syncClock } from './net/clock';
import { runCommand } from './net/commands';
import { diagnostics } from './net/diagnostics';

var writer: MQTTWriter | null = null, sensor: Tsl2591, pub: SensorPub, cancel: (() => void) | null = null,
  diag: any = 0, up = 0, running = false;

/** Stops sampling and publishing: the REPL's way to take over, and what happens before save() or reset(). */
function stop() {
  if (cancel) cancel();
  if (writer) writer.stop();
  clearInterval(diag);
  cancel = writer = null;
  running = false;
}

/** (Re)starts sampling every `seconds`. */
function every(seconds: number) {
  if (cancel) cancel();
  cancel = new Scheduler().schedulePeriodic(pub, seconds);
}

/** Publishes the health report on `<base>/diag`, with `extra` fields (an error from a command, say). */
function report(extra?: any) {
  var w = writer;
  if (w) w.pub(CONFIG.mqtt.base + '/diag', diagnostics(w, up, extra));
}

/** (Re)starts the whole firmware. */
function start() {
  var c = CONFIG, m = c.mqtt, s = c.sensor, w: MQTTWriter;
  stop();
  running = true;
  up = 0;
  BOARD_I2C.setup({ sda: BOARD_SDA, scl: BOARD_SCL, bitrate: 100000 });
  sensor = new Tsl2591(s.id, s);
  pub = new SensorPub(sensor);
  pub.subscribe(new Output());
  w = writer = new MQTTWriter(m.clientId, m.host, m.port, m.topic, {
    username: m.username,
    password: m.password,
    keepAlive: m.keepAlive,
    qos: m.qos,
    retain: m.retain,
    bufferSize: c.buffer.size,
    maxBackoff: m.maxBackoffSeconds,
    base: m.base,
    format: m.format,
    maxPayload: m.maxPayload,
    lazy: true,
    onUp: function () {
      w.m.subscribe(m.base + '/set');
      if (m.discovery) w.pub(m.discovery[0], m.discovery[1], true);
    }
  });
  w.m.on('publish', function (msg) {
    if (msg.topic != m.base + '/set') return;
    var err = runCommand(msg.message, {
      interval: every,
      sensor: function (o) {
        sensor.set(o);
      }
    });
    console.log('command ' + msg.message + (err ? ' refused: ' + err : ' applied'));
    report(err ? { error: err } : 0);
  });
  pub.subscribe(w);
  every(s.intervalSeconds);
  if (m.diagnosticsSeconds)
    diag = setInterval(function () {
      up += m.diagnosticsSeconds;
      report();
    }, m.diagnosticsSeconds * 1000);
  joinWifi(c.wifi.ssid, c.wifi.password, c.wifi.maxBackoffSeconds, function () {
    syncClock(c.wifi.ntp);
    w.connect();
  }, function () {
    w.pause();
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
g.LuxGraph = {
  start: start,
  stop: stop,
  writer: function () {
    return writer;
  },
  sensor: function () {
    return sensor;
  },
  /** The built-in graph's SensorPub, to hang more subscribers on. */
  source: function () {
    return pub;
  }
};

// Runs at load. save() first fires 'kill' (so nothing half-open is saved), and a boot then fires 'init'; when the
// code itself runs at boot from flash it has already started, and 'init' finds it running.
start();
E.on('kill', stop);
E.on('init', function () {
  if (!running) start();
});
