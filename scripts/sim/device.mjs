// A simulated Espruino device: a Node vm context with the globals and modules the firmware is allowed to
// touch (docs/architecture.md, "The hardware contract"), wired to a simulated TSL2591, WiFi and a real broker.
import vm from 'node:vm';
import util from 'node:util';
import { I2CBus } from './i2c.mjs';
import { Tsl2591Sim } from './tsl2591.mjs';
import { WifiSim } from './wifi.mjs';
import { createMQTTModule } from './mqtt.mjs';
import { createNetModule } from './net.mjs';
import { createTlsModule } from './tls.mjs';
import { EspruinoEvents } from './events.mjs';
import { StorageSim } from './storage.mjs';

/**
 * Bytes of Espruino's MQTT module as the example config's upload sends it (minified, the fields and methods the
 * firmware does not use left out): the simulator's own stands in, the space is the real one's
 * (test/sim-storage.test.mjs checks it against the upload).
 */
export const MQTT_MODULE_BYTES = 4397;

/** Node's own timers, and the wall clock. */
export const realTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (id) => clearInterval(id),
  now: () => Date.now()
};

/** Espruino prints objects in its own JS-like notation; util.inspect is close enough for a console. */
function format(args) {
  return args.map((a) => (typeof a == 'string' ? a : util.inspect(a, { depth: 4, breakLength: Infinity }))).join(' ');
}

/**
 * Creates a device. Options: board (profile from board/), broker {host, port} that every MQTT connection
 * really goes to (default: wherever the firmware points), light {lux, irRatio}, timers, log(line), telnet (false:
 * a build without the TelnetServer module, as the 512 KB ESP8266), storage (a StorageSim: the board's flash, kept across
 * a reset or power cut by handing it to the next device; a new one of the board's size by default), modules (name →
 * code: the project's own modules, which load() writes to Storage as flash does, where require() finds them).
 * Deep sleep (scripts/sim/sleeper.mjs runs a device through its wakes): `start`, why this start happened
 * ({ reason: 'power on' | 'deep sleep' | 'reset pin', radio: false after an ESP8266 sleep with option 4 }),
 * `clockZero`, where getTime() counts from in the fake clock's milliseconds (by default now: the clock starts at 0;
 * an ESP32 waking passes its clock on), `pins` (a pin name → the level digitalRead() gives; 1 by default, as a pull-up
 * holds it) and `onDeepSleep({ micros, option })`, told when the firmware sleeps: the device is then off.
 */
export function createDevice({ board, broker, light = {}, timers = realTimers, log = (line) => console.log(line), telnet = true, storage, modules: stored = {}, start = { reason: 'power on' }, clockZero, pins = {}, onDeepSleep } = {}) {
  storage = storage || new StorageSim({ bytes: board.storageBytes });
  const lines = [];
  const bootAt = timers.now();
  // getTime() is (now - zero) / 1000: seconds since boot until setTime() or SNTP set it
  let zero = clockZero === undefined ? bootAt : clockZero;
  let off = false;
  const sensor = new Tsl2591Sim({ ...light, now: timers.now });
  const bus = new I2CBus(board.i2c);
  bus.attach(sensor);
  const wifi = new WifiSim({ timers, radio: start.radio !== false });
  // SNTP sets the clock to Unix time, as setTime() does
  wifi.onClockSet = () => (zero = 0);
  if (clockZero === 0) wifi.clockSet = true;
  const resolve = (host, port) => (broker ? { host: broker.host, port: broker.port } : { host, port });
  const mqtt = createMQTTModule({
    timers,
    resolve,
    networkUp: () => wifi.up,
    // the ESP8266 (either build) connects in the background; the ESP32's connect blocks, so a refused one is
    // reported at once
    connectBlocks: !/^ESP8266/.test(board.espruinoBoard)
  });
  const netModule = createNetModule({ resolve, networkUp: () => wifi.up });
  // on a board whose Espruino build has it (ESP32), checking certificates as a patched Espruino does
  const tlsModule = createTlsModule({ resolve, networkUp: () => wifi.up, say: (line) => sandbox.console.log(line) });
  wifi.onChange = (up) => {
    if (!up) {
      mqtt.cutAll();
      netModule.cutAll();
      tlsModule.cutAll();
    }
  };
  const E = new EspruinoEvents();
  E.getErrorFlags = () => [];
  const handles = new Set();
  const track = (set, clear, repeats) => ({
    // extra arguments go to fn, as Espruino's setTimeout and setInterval pass them
    set: (fn, ms, ...args) => {
      if (off) return 0; // powered off: nothing runs any more
      const h = set(() => {
        if (!repeats) handles.delete(h);
        fn(...args);
      }, Math.max(0, ms || 0));
      handles.add(h);
      return h;
    },
    clear: (h) => {
      handles.delete(h);
      clear(h);
    }
  });
  const cleared = (kind, args) => {
    if (args.length && args[0] === undefined) throw new Error(`clear${kind}(undefined) not allowed. Use clear${kind}() instead`);
    return args[0];
  };
  const timeout = track(timers.setTimeout, timers.clearTimeout);
  const interval = track(timers.setInterval, timers.clearInterval, true);
  const modules = { Wifi: wifi, MQTT: mqtt, net: netModule, Storage: storage };
  if ((board.builtinModules || []).includes('tls')) modules.tls = tlsModule;
  // Espruino's module cache: require() of a Storage file runs it once, Modules.removeCached() lets it go
  const cached = new Map();
  const Modules = {
    // as Espruino: a name not in the cache is an error
    removeCached: (name) => {
      if (!cached.delete(name)) throw new Error(`Module "${name}" not found`);
    },
    getCached: () => [...cached.keys()],
    addCached: (name, fn) => cached.set(name, runModule(fn))
  };
  const runModule = (fn) => {
    const module = { exports: {} };
    fn(module.exports, module);
    return module.exports;
  };
  // the telnet console's switch, on at boot as on the ESP8266 4 MB and ESP32 builds; `mode` is what the firmware set
  if (telnet) modules.TelnetServer = { mode: 'on', setOptions: (o) => (modules.TelnetServer.mode = o.mode) };
  const sandbox = {
    console: {
      log: (...args) => {
        if (off) return;
        const line = format(args);
        lines.push(line);
        log(line);
      }
    },
    setTimeout: timeout.set,
    // as on the device: clearTimeout(undefined) throws, clearTimeout(0) does nothing
    clearTimeout: (...a) => cleared('Timeout', a) && timeout.clear(a[0]),
    setInterval: interval.set,
    clearInterval: (...a) => cleared('Interval', a) && interval.clear(a[0]),
    // seconds since boot until SNTP or setTime() sets the clock, Unix time after (a test may set wifi.clockSet itself)
    getTime: () => (timers.now() - (wifi.clockSet ? 0 : zero)) / 1000,
    setTime: (seconds) => {
      wifi.clockSet = false;
      zero = timers.now() - seconds * 1000;
    },
    pinMode: () => {},
    digitalRead: (pin) => (String(pin) in pins ? pins[String(pin)] : 1),
    require: (name) => {
      if (name in modules) return modules[name];
      if (cached.has(name)) return cached.get(name);
      const code = storage.read(name);
      if (code === undefined) throw new Error(`Module "${name}" not found`);
      // as Espruino: a module whose code throws is cached all the same, with the exports it made
      const module = { exports: {} };
      try {
        vm.runInContext(`(function (exports, module) {${code}\n})`, context, { filename: name })(module.exports, module);
      } finally {
        cached.set(name, module.exports);
      }
      return module.exports;
    },
    Modules,
    E,
    process: { memory: () => ({ free: 1700, usage: 0, total: 1700 }), env: { VERSION: 'sim', BOARD: board.espruinoBoard } }
  };
  sandbox[board.i2c] = bus;
  // the chip's own functions, deep sleep among them: the call turns the device off and says so
  const sleep = (micros, option) => {
    if (off) return;
    // as Espruino: whole microseconds in a 32-bit integer, or the call throws
    if (!Number.isInteger(micros) || micros < -2147483648 || micros > 2147483647) throw new Error('Invalid microseconds');
    device.stop();
    if (onDeepSleep) onDeepSleep({ micros, option });
  };
  if (/^ESP8266/.test(board.espruinoBoard)) sandbox.ESP8266 = { deepSleep: (micros, option) => sleep(micros, option), getResetInfo: () => ({ reason: start.reason }) };
  if (/^ESP32/.test(board.espruinoBoard)) sandbox.ESP32 = { deepSleep: (us) => sleep(us), getWakeupCause: () => (start.reason == 'deep sleep' ? 4 : 0) };
  for (let i = 0; i < 41; i++) sandbox['D' + i] = { pin: i, toString: () => 'D' + i };
  const context = vm.createContext(sandbox);
  context.global = context;

  const device = {
    context,
    sensor,
    bus,
    wifi,
    mqtt,
    E,
    lines,
    /** The TelnetServer module (its `mode`), or undefined on a build without it. */
    telnet: modules.TelnetServer,
    storage,
    /** The modules require() has loaded and not let go. */
    cachedModules: () => [...cached.keys()],
    timers,
    /** How many timers and intervals the firmware has pending: a leak shows here. */
    pendingTimers: () => handles.size,
    /**
     * Loads code as espruino-cli would send it; the bundle starts itself. `code` may be a build ({ code, modules }):
     * its own modules then go to Storage too, as flash sends them.
     */
    load(code, filename = 'firmware.js') {
      const own = typeof code == 'string' ? {} : Object.fromEntries((code.modules || []).map((m) => [m.name, m.code]));
      if (typeof code != 'string') code = code.code;
      // what an upload leaves in Storage (Espruino skips writing a file that is already there, byte for byte); one that
      // would not fit the board (npm run flash refuses it) still runs here, from RAM
      try {
        storage.write('.bootcde', code);
        if (!storage.find('MQTT')) storage.write('MQTT', ' '.repeat(MQTT_MODULE_BYTES));
      } catch (e) {}
      for (const [name, text] of Object.entries({ ...stored, ...own })) storage.write(name, text);
      vm.runInContext(code, context, { filename });
    },
    /**
     * Starts from flash as a board does at boot: runs `.bootcde`, the firmware an earlier load() left in Storage, then
     * fires 'init' as Espruino does once the boot code has run.
     */
    run() {
      vm.runInContext(storage.read('.bootcde'), context, { filename: '.bootcde' });
      if (!off) E.emit('init');
    },
    /** The clock's zero in the fake clock's milliseconds (0 once it is Unix time): what a waking ESP32 keeps. */
    clockZero: () => (wifi.clockSet ? 0 : zero),
    /** Whether the device is off (stopped, or asleep). */
    isOff: () => off,
    eval(code) {
      return vm.runInContext(code, context, { filename: 'repl' });
    },
    /** save(): Espruino fires 'kill' first, then stores the heap. */
    save() {
      E.emit('kill');
    },
    /** Power cycle of a saved heap: state stays, sockets and links are gone, then 'init' fires. */
    boot() {
      wifi.up = false;
      mqtt.closeAll();
      E.emit('init');
    },
    /** Power off: every timer and socket ends. */
    stop() {
      off = true;
      for (const h of handles) {
        timers.clearTimeout(h);
        timers.clearInterval(h);
      }
      handles.clear();
      mqtt.closeAll();
      if (wifi.pending) timers.clearTimeout(wifi.pending);
    }
  };
  return device;
}
