// Firmware entry: the tutorial's graph, built from the config baked in by the build, started at load and on boot.
// The build writes each config field used below (CONFIG, then the path) into the code as its value.
// Device RAM: every function kept alive costs variables even with its code in flash, so the firmware keeps few:
// start and stop, and control() for everything else (src/control), whose rarely-run code is in Storage modules.
import { SensorPub } from './runtime/sensor-pub';
import { Scheduler } from './runtime/scheduler';
import { Output } from './runtime/output';
import { Tsl2591 } from './sensors/tsl2591';
import { MQTTWriter, WriterOptions } from './net/mqtt-writer';
import { L, control, onWifi } from './control/control';
import { sayWhatTlsProtects } from './net/tls';
import { pipeline, endPipeline } from 'luxgraph:pipeline';
import type { LuxGraph } from './control/state';

declare global {
  /** The firmware at the REPL: LuxGraph.stop(), LuxGraph.start(), and its writer, sensor and source. */
  var LuxGraph: LuxGraph;
}

/** Stops sampling and publishing: the REPL's way to take over, and what happens before save() or reset(). */
function stop() {
  // said only when something was running: start() calls stop() first
  if (L.writer) console.log('LuxGraph: stopped sampling and publishing; LuxGraph.start() starts again');
  if (L._cancel) L._cancel();
  endPipeline();
  if (L.writer) L.writer.stop(true);
  if (L.sensor) L.sensor.close();
  clearInterval(L._diagTimer);
  // the REPL's graph after stop() is its own: the stopped parts are not kept alive
  L._cancel = L.writer = L.sensor = L.source = null;
}

/** (Re)starts the whole firmware. */
function start() {
  var o: WriterOptions = CONFIG.mqtt.writer, pub: SensorPub;
  stop();
  L._up = 0;
  L._clock = getTime();
  // the telnet console (port 23 on ESP8266 4 MB and ESP32 builds) has no password: open only when the config says
  // so; the module is then dropped from the cache, where it would stay in RAM; a build without it (512 KB ESP8266)
  // skips this
  try {
    require('TelnetServer').setOptions({ mode: CONFIG.device.telnet ? 'on' : 'off' });
    Modules.removeCached('TelnetServer');
  } catch (e) {}
  BOARD_I2C.setup({ sda: BOARD_SDA, scl: BOARD_SCL, bitrate: 100000 });
  L.sensor = new Tsl2591(CONFIG.sensor.id, CONFIG.sensor);
  pub = L.source = new SensorPub(L.sensor);
  (CONFIG.pipeline.console == 'filtered' ? pipeline(pub) : pub).subscribe(new Output());
  // deep sleep (power.deepSleep, src/power): a wake that only samples keeps its reading in flash and sleeps again
  if (CONFIG.power.deepSleep && control('powerWake', pipeline(pub))) return;
  // over TLS, what it protects on this Espruino: said once, before the first attempt
  if (CONFIG.mqtt.tls) sayWhatTlsProtects();
  o.lazy = 1;
  o.onEvent = control;
  L.writer = new MQTTWriter(CONFIG.mqtt.clientId, CONFIG.mqtt.host, CONFIG.mqtt.port, CONFIG.mqtt.topic, o);
  // read by the constructor only; the writer keeps these options (each field kept costs device RAM)
  delete o.lazy;
  pipeline(pub).subscribe(L.writer);
  // deep sleep: a send wake takes its one reading and sends it with those kept since the last send (src/power)
  if (!(CONFIG.power.deepSleep && control('powerSend'))) control('sampleEvery', CONFIG.sensor.intervalSeconds);
  // settings changed by commands before a reboot
  if (CONFIG.mqtt.commands) control('commandBoot');
  if (CONFIG.mqtt.diagnostics && CONFIG.mqtt.diagnosticsSeconds) L._diagTimer = setInterval(control, CONFIG.mqtt.diagnosticsSeconds * 1000, 'diagTick');
  L._wifiStep = 1;
  control('wifiJoin');
}

L.start = start;
L.stop = stop;

// The runtime stays reachable from the REPL, to build graphs by hand as in the tutorial: its classes are the
// bundle's top-level variables Publisher, SensorPub, Scheduler, Output, Tsl2591 and MQTTWriter, which the build
// keeps by those names (REPL_NAMES in scripts/firmware/minify.mjs) and Espruino makes globals.
global.LuxGraph = L;

// WiFi's events, registered once per heap (a boot after save() keeps them), as E's below.
require('Wifi').on('connected', onWifi);
require('Wifi').on('disconnected', onWifi);

// Runs at load. save() first fires 'kill' (so nothing half-open is saved), and a boot then fires 'init'; when the
// code itself runs at boot from flash it has already started, and 'init' finds it running (control() without an
// action).
start();
E.on('kill', stop);
E.on('init', control);
