// Firmware entry: the tutorial's graph, built from the config baked in by the build, started at load and on boot.
// The build writes each config field used below (CONFIG, then the path) into the code as its value.
// Device RAM: every function kept alive costs variables even with its code in flash, so the firmware keeps few:
// plain functions here, no closure made per start.
import { Publisher } from './runtime/publisher';
import { SensorPub } from './runtime/sensor-pub';
import { Scheduler } from './runtime/scheduler';
import { Output } from './runtime/output';
import { Tsl2591 } from './sensors/tsl2591';
import { MQTTWriter, WriterOptions } from './net/mqtt-writer';
import { joinWifi } from './net/wifi';
import { runCommand, SETTINGS_FILE } from './net/commands';
import { report } from './net/diagnostics';
import { pipeline, endPipeline } from 'luxgraph:pipeline';

/** What the REPL sees of the running firmware: start/stop, and its writer, sensor and SensorPub while running. */
var L: { start: () => void; stop: () => void; writer: MQTTWriter | null; sensor?: Tsl2591 | null; source?: SensorPub | null };
var cancel: (() => void) | null = null, diagTimer: any = 0, up = 0;

/** Stops sampling and publishing: the REPL's way to take over, and what happens before save() or reset(). */
function stop() {
  if (cancel) cancel();
  endPipeline();
  if (L.writer) L.writer.stop(true);
  if (L.sensor) L.sensor.close();
  clearInterval(diagTimer);
  // the REPL's graph after stop() is its own: the stopped parts are not kept alive
  cancel = L.writer = L.sensor = L.source = null;
}

/** (Re)starts sampling every `seconds`. */
function every(seconds: number) {
  if (cancel) cancel();
  // under a second apart, whole seconds would give readings the same timestamp
  (L.source as SensorPub)._perSecond = seconds < 1 ? 1000 : 1;
  cancel = new Scheduler().schedulePeriodic(L.source as SensorPub, seconds);
}

/** On every connection: listen for commands, and announce the sensor to Home Assistant. */
function onUp() {
  var w = L.writer as MQTTWriter;
  w.client.subscribe(CONFIG.mqtt.base + '/set');
  if (CONFIG.mqtt.discovery) w.pub(CONFIG.mqtt.discovery[0], CONFIG.mqtt.discovery[1], true);
}

/** A command on `<base>/set`: applied or refused, said on the console and in the health report. */
function onMessage(msg: MQTTMessage) {
  if (msg.topic != CONFIG.mqtt.base + '/set') return;
  var err = runCommand(msg.message, every, L.sensor as Tsl2591);
  report(L.writer, up, L.source as SensorPub, err && { error: err });
}

/** The health report's timer. */
function onDiagTimer() {
  up += CONFIG.mqtt.diagnosticsSeconds;
  report(L.writer, up, L.source as SensorPub);
}

/** WiFi is up: set the clock (the platform keeps it from SNTP where it offers that: ESP8266, ESP32), connect. */
function onWifiUp() {
  var wifi = require('Wifi');
  if (CONFIG.wifi.ntp && wifi.setSNTP) wifi.setSNTP(CONFIG.wifi.ntp, 0);
  if (L.writer) L.writer.connect();
}

/** WiFi is down: no connection attempts until it is back. */
function onWifiDown() {
  if (L.writer) L.writer.stop();
}

/** (Re)starts the whole firmware. */
function start() {
  var o: WriterOptions = CONFIG.mqtt.writer, pub: SensorPub;
  stop();
  up = 0;
  // the telnet console (port 23 on ESP8266 4 MB and ESP32 builds) has no password: open only when the config says
  // so; the module is then dropped from the cache (3 variables); a build without it (512 KB ESP8266) skips this
  try {
    require('TelnetServer').setOptions({ mode: CONFIG.device.telnet ? 'on' : 'off' });
    Modules.removeCached('TelnetServer');
  } catch (e) {}
  BOARD_I2C.setup({ sda: BOARD_SDA, scl: BOARD_SCL, bitrate: 100000 });
  L.sensor = new Tsl2591(CONFIG.sensor.id, CONFIG.sensor);
  pub = L.source = new SensorPub(L.sensor);
  (CONFIG.pipeline.console == 'filtered' ? pipeline(pub) : pub).subscribe(new Output());
  o.lazy = true;
  o.onUp = onUp;
  o.onMessage = onMessage;
  L.writer = new MQTTWriter(CONFIG.mqtt.clientId, CONFIG.mqtt.host, CONFIG.mqtt.port, CONFIG.mqtt.topic, o);
  pipeline(pub).subscribe(L.writer);
  every(CONFIG.sensor.intervalSeconds);
  // settings changed by commands before a reboot
  var saved = require('Storage').read(SETTINGS_FILE);
  if (saved) runCommand(saved, every, L.sensor, true);
  if (CONFIG.mqtt.diagnosticsSeconds) diagTimer = setInterval(onDiagTimer, CONFIG.mqtt.diagnosticsSeconds * 1000);
  joinWifi(onWifiUp, onWifiDown);
}

/** At boot from a saved heap: start unless the code, run from flash, has already started. */
function onInit() {
  if (!L.writer) start();
}

// Made only here, below the functions it names: Espruino (seen on its Linux port) had not hoisted them for an
// object literal written above them.
L = { start: start, stop: stop, writer: null };

// The runtime stays reachable from the REPL, to build graphs by hand as in the tutorial.
var g: any = global;
g.Publisher = Publisher;
g.SensorPub = SensorPub;
g.Scheduler = Scheduler;
g.Output = Output;
g.Tsl2591 = Tsl2591;
g.MQTTWriter = MQTTWriter;
g.LuxGraph = L;

// Runs at load. save() first fires 'kill' (so nothing half-open is saved), and a boot then fires 'init'; when the
// code itself runs at boot from flash it has already started, and 'init' finds it running.
start();
E.on('kill', stop);
E.on('init', onInit);
