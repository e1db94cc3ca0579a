// The firmware's one way into its rarely-run code. Every function kept alive costs device RAM for good, even with
// its code in flash (docs/device-ram.md has the figures), so the timers, the writer's events and the WiFi events
// all come here, and what they run is in Storage modules of their own (wifi.ts, commands.ts, diagnostics.ts here,
// and src/power for deep sleep), loaded for one run and let go again: their functions cost RAM only while they run.
import { Scheduler } from '../runtime/scheduler';
import type { LuxGraph } from './state';
import type { WifiNews } from './wifi';
import type { Action, ActionArgs, ActionResult } from './actions';
import type { MQTTWriter } from '../net/mqtt-writer';
import type { SensorPub } from '../runtime/sensor-pub';
import { SEND_WAKE } from '../power/wake-kinds';
import { UNIX_TIME } from './unix-time';

/** `LuxGraph` at the REPL (main.ts adds start and stop), and the state the modules keep between their runs. */
// (start and stop are added by main.ts, which has them: until then LuxGraph is not whole)
export var L = { writer: null, sensor: null, source: null, _cancel: null, _diagTimer: 0, _up: 0, _clock: 0, _wifiTimer: 0, _wifiStep: 1 } as Omit<LuxGraph, 'start' | 'stop'> as LuxGraph;

/**
 * Runs the action `what` with its argument and returns what it gives back: the actions are in actions.ts, each
 * named as its handler. The few small ones are here: the writer's events (`mqttUp`: connected, `mqttMessage`: it got
 * one), `sampleEvery` and `wifiJoin`. Any other is a function of a Storage module: `wifiDown`, say, is lgwifi's
 * `wifiDown`, called as wifiDown(L, why, control). A module missing from Storage, or left there by another upload,
 * is said once on the console and its action skipped. Without `what`: Espruino's 'init' event.
 */
export function control(): void;
export function control<A extends Action>(what: A, ...arg: ActionArgs<A>): ActionResult<A>;
export function control(what?: Action, a?: unknown): unknown {
  var w = L.writer as MQTTWriter, wordLength, file: `lg${string}`, m: ControlModule, error;
  if (!what) {
    // Espruino's 'init' (a boot from a saved heap), which passes nothing: start unless the code, run from flash,
    // has already started (with deep sleep, a wake that only samples makes no writer: its sensor says it started)
    if (!(CONFIG.power.deepSleep ? L.source : w)) L.start();
  } else if (what == 'mqttUp') {
    // on every connection: listen for commands, announce the sensor to Home Assistant; and on the first since SNTP
    // set the clock (from seconds since boot to Unix time), the uptime's clock (lgdiag's clock) starts from there:
    // the seconds from boot to here are not counted (here rather than in lgdiag: no module loaded on a reconnect).
    // A feature the config turns off (mqtt.commands, mqtt.diagnostics) is left out of the build: no subscription,
    // no module to load
    if (CONFIG.mqtt.commands) w.client.subscribe(CONFIG.mqtt.base + '/set');
    if (CONFIG.mqtt.diagnostics && L._clock < UNIX_TIME && getTime() > UNIX_TIME) L._clock = getTime();
    if (CONFIG.mqtt.discovery) w.client.publish(CONFIG.mqtt.discovery[0], CONFIG.mqtt.discovery[1], { qos: 0, retain: true });
  } else if (what == 'mqttMessage') {
    // a command on <base>/set: applied or refused, said on the console and in the health report (where it is on)
    if (!CONFIG.mqtt.commands || (a as MQTTMessage).topic != CONFIG.mqtt.base + '/set') return;
    error = control('commandRun', (a as MQTTMessage).message);
    if (CONFIG.mqtt.diagnostics) control('diagReport', error ? { error: error } : undefined);
  } else if (what == 'sampleEvery') {
    if (L._cancel) L._cancel();
    // deep sleep: the period is the sleep's; a send wake takes its one reading and no more
    if (CONFIG.power.deepSleep) L._period = a as number;
    if (!(CONFIG.power.deepSleep && L._wake == SEND_WAKE)) L._cancel = new Scheduler().schedulePeriodic(L.source as SensorPub, a as number);
  } else if (what == 'wifiJoin') {
    clearTimeout(L._wifiTimer);
    console.log("WiFi: connecting to '" + CONFIG.wifi.ssid + "'");
    require('Wifi').connect(CONFIG.wifi.ssid, { password: CONFIG.wifi.password }, onWifi);
  } else {
    // the module is `lg` + the word the action's name starts with, up to its first capital: wifiDown, lgwifi
    wordLength = 0;
    while (what[wordLength] >= 'a') wordLength++;
    file = ('lg' + what.slice(0, wordLength)) as `lg${string}`;
    try {
      m = require(file);
      // each module carries the id of its upload (scripts/firmware/build.mjs): its internal names are that upload's
      if (m.build !== BUILD_ID) throw 0;
    } catch (e) {
      // a module whose code failed is cached all the same (a missing one is not: removeCached would throw)
      if (Modules.getCached().indexOf(file) >= 0) Modules.removeCached(file);
      if ((L._missing || '').indexOf(file + ' ') < 0) {
        L._missing = (L._missing || '') + file + ' ';
        console.log('luxgraph: the Storage file ' + file + ' is missing or from another upload: upload the firmware again with npm run flash');
      }
      return;
    }
    // (an action calls its own module's others directly, not through control(), which would let the module go under it)
    try {
      return (m[what] as ControlModuleAction)(L, a, control);
    } finally {
      Modules.removeCached(file);
    }
  }
}

/**
 * What WiFi says: its 'connected' event (details with the IP: up), its 'disconnected' event (details without), or
 * the join's callback (null when joined, else what went wrong). One function for all three: each kept function
 * costs RAM. ESP8266 and ESP32 both give 'connected' the address as `ip`.
 */
export function onWifi(why?: WifiNews) {
  control(why && (why as WifiDetails).ip ? 'wifiUp' : 'wifiDown', why);
}
