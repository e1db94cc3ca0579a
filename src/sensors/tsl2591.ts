// TSL2591 ambient light sensor (ams), I2C address 0x29. Registers, gains and the lux equation from the datasheet:
// lux = (C0 − C1)(1 − C1/C0) / CPL, CPL = time·gain / (device factor · glass factor). Never waits in a loop:
// an integration is waited for with a timer. Fields starting with `_` are the driver's own: the build shortens them.
import { constructorOf } from '../runtime/constructor';

export interface Tsl2591Options {
  /** I2C bus, already set up; the board's by default. */
  bus?: I2C;
  /** The bus's name, for messages. */
  busName?: string;
  /** 'auto' (default), or a fixed AGAIN index 0..3 (low, med, high, max). */
  gain?: number | string;
  /** Integration time in ms: 100, 200, … 600. */
  integrationMs?: number;
  /** The lux equation's device factor (53) and glass attenuation factor (7.7): lux scales with their product. */
  deviceFactor?: number;
  glassFactor?: number;
  /** Power the sensor down between readings. */
  powerSave?: boolean;
  /** A saturated reading at a fixed gain: 'skip' it (default; a transient error), or 'null' (NaN, JSON null). */
  onSaturated?: string;
}

type Done = (err: any, lux?: number) => void;

export interface Tsl2591 {
  /** The constructor, as on an instance of a class. */
  constructor: Function;
  sensorId: string;
  _bus: I2C;
  /** Kept only when given: the default's name is written where it is printed. */
  _busName?: string;
  /** AGAIN index in use, 0..3; its multiplier is 1, 25, 428 or 9876. */
  gain: number;
  /** 1: fixed gain, else auto. (Flags are 1 or 0 on the device: a boolean field takes a variable more.) */
  _fixed?: number;
  /** Integration time, ms. */
  _time: number;
  /** Device factor × glass factor. */
  _factor: number;
  /** 1: powered down between readings. */
  _powerSave?: number;
  /** Saturated readings give NaN (JSON null) instead of a transient error. */
  _nullOnSaturated: number;
  /** Raw counts of the last reading: full spectrum (C0), infrared (C1), visible (C0 − C1). */
  full?: number;
  ir?: number;
  visible?: number;
  /** Set once the ID was checked; cleared to check it and configure the sensor again. */
  _ready?: number;
  /** The timer of a reading waiting for its integration, or for being handed on; 0 when none waits. */
  _wait: any;
  /** A reading (or its error) that the step's own timer is about to hand on. */
  _out?: any;
  /** Changes gain ('auto' or 0..3), integrationMs or powerSave from the next reading; a bad value throws naming it. */
  set(o: Tsl2591Options): void;
  /** Takes a reading: `done(err, lux)` once the integration is over. */
  sample(done: Done): void;
  /** Stops: a reading waiting for its integration is dropped, and the sensor is powered down. */
  close(): void;
}

export var Tsl2591 = constructorOf<{ new (sensorId: string, o?: Tsl2591Options): Tsl2591; prototype: Tsl2591 }>(function (sensorId, o) {
  var self = this;
  self.sensorId = sensorId;
  self.gain = 1;
  self._time = 100;
  self._wait = 0;
  o = o || {};
  self._bus = o.bus || BOARD_I2C;
  if (o.busName) self._busName = o.busName;
  self._factor = (o.deviceFactor || DEFAULTS.sensor.deviceFactor) * (o.glassFactor || DEFAULTS.sensor.glassFactor);
  self._nullOnSaturated = o.onSaturated == 'null' ? 1 : 0;
  self.set(o);
});

Tsl2591.prototype = {
  // kept, as a class keeps it (Espruino adds it at the first `new` anyway)
  constructor: Tsl2591 as Function,
  set: function (o: Tsl2591Options) {
    var s = this, g = o.gain, i = [0, 1, 2, 3].indexOf(g as number), t = o.integrationMs, p = o.powerSave,
      bad =
        g !== undefined && g != 'auto' && i < 0 ? 'gain'
        : t !== undefined && !((t as number) % 100 == 0 && (t as number) > 0 && (t as number) < 700) ? 'integrationMs'
        : p !== undefined && p !== !!p ? 'powerSave'
        : '';
    if (bad) throw new Error('TSL2591 ' + bad + ' cannot be ' + (o as any)[bad]);
    if (g !== undefined) s._fixed = i >= 0 ? 1 : 0;
    if (i >= 0) s.gain = i;
    if (t) s._time = t;
    if (p !== undefined) s._powerSave = p ? 1 : 0;
    s._ready = 0;
  },

  sample: function (done: Done) {
    if (this._wait) return; // the reading in progress reports when its integration is done
    if (this._powerSave) this._ready = 0; // powered down since the last reading
    step(this, done, 0);
  },

  close: function () {
    clearTimeout(this._wait);
    this._wait = 0;
    this._ready = 0;
    try {
      this._bus.writeTo(0x29, [0xa0, 0]); // ENABLE: power down
    } catch (e) {
      // a sensor that does not answer is as off as it gets
    }
  }
} as Tsl2591;

/**
 * One step of sensor `s`'s reading (n steps so far): calls done(error) or done(0, lux), or waits an integration with
 * a timer and takes the next step. Every error is transient: the stream goes on and resumes by itself. A top-level
 * function with all it needs in its arguments, so the timer calls it directly: a function made here would keep all
 * of this step's variables alive while it waits, and a method would need another function for the timer to call.
 * Without `n`, it hands on the reading (or error) the last step left in `_out`, from a timer that close() cancels.
 */
function step(s: Tsl2591, done: Done, n?: any) {
  // before this step's variables exist (Espruino makes a variable where its `var` runs): the reading goes through
  // the graph, the writer and, during an outage, the journal without them
  if (n === undefined) {
    n = s._out;
    delete s._out;
    s._wait = 0;
    return typeof n == 'number' ? done(0, n) : done(n);
  }
  // G: the gain multipliers of AGAIN 0..3, made per reading so that no array stays in device RAM
  var G = [1, 25, 428, 9876], b = s._bus, d: any, c0 = 0, c1 = 0, g = s.gain, k = g, t = s._time, m = t > 100 ? 65535 : 36863, cf = !s._ready, wait = 1, lux: any, p = 1e4, err;
  s._wait = 0;
  try {
    if (cf) {
      // command byte 0xa0 | register: command bit, normal transaction (auto-increment)
      d = (b.writeTo(0x29, 0xb2), b.readFrom(0x29, 1))[0]; // ID
      if (d != 0x50) throw 'wrong ID ' + d;
      s._ready = 1;
    } else {
      d = (b.writeTo(0x29, 0xb3), b.readFrom(0x29, 5)); // STATUS, C0 low/high, C1 low/high in one block read
      // AVALID set, and not a bus floating high (0xff): one complete integration
      if ((d[0] & 0xc1) == 1) {
        c0 = d[1] | (d[2] << 8);
        c1 = d[3] | (d[4] << 8);
        // auto gain: saturated, one step down; below half scale even one step up, up. The gap between the
        // two (a factor of 2 at least) keeps the gain from oscillating.
        if (!s._fixed) {
          if (c0 >= m || c1 >= m) k = g && g - 1;
          else while (k < 3 && c0 * G[k + 1] < (m / 2) * G[g]) k++;
        }
        if (k != g) {
          s.gain = k; // retaken at the new gain before anything is published
          cf = true;
        } else {
          wait = 0;
          if (s._powerSave) b.writeTo(0x29, [0xa0, 0]); // ENABLE: power down
        }
      }
      if (wait && n > 8) throw 'no data';
    }
    // a fresh integration: ENABLE PON only (clears AVALID) and CONTROL in one write, then ENABLE PON | AEN
    if (cf) {
      b.writeTo(0x29, [0xa0, 1, (s.gain << 4) | (t / 100 - 1)]);
      b.writeTo(0x29, [0xa0, 3]);
    }
  } catch (e) {
    s._ready = 0;
    err = 'at 0x29 on ' + (s._busName || 'I2C') + ': ' + ((e as any).message || e);
  }
  if (!err) {
    if (wait) {
      s._wait = setTimeout(step, t * 1.1, s, done, n + 1);
      return;
    }
    s.full = c0;
    s.ir = c1;
    s.visible = c0 - c1;
    if (c0 >= m || c1 >= m) {
      lux = NaN;
      // the advice: a fixed gain can be lowered; auto gain saturates only at the lowest gain, past ~80 000 lux
      if (!s._nullOnSaturated) err = 'saturated at gain ' + g + (s._fixed ? ': too bright for this gain, send a lower gain or "auto"' : ': brighter than the sensor can read');
    } else {
      lux = c0 > c1 ? ((c0 - c1) * (1 - c1 / c0) * s._factor) / (t * G[g]) : 0;
      // 4 decimals, and at least 4 significant digits below 0.1 lux
      while (lux * p < 1e3 && p < 1e9) p *= 10;
      lux = Math.round(lux * p) / p;
    }
  }
  if (err) {
    lux = new Error('TSL2591 ' + err);
    lux.transient = 1;
  }
  // handed on once this step has returned (its variables, about 30 device variables, gone by then), by a timer that
  // close() cancels: nothing arrives from a sensor after it was closed
  s._out = lux;
  s._wait = setTimeout(step, 0, s, done);
}
