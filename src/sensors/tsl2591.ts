// TSL2591 ambient light sensor (ams). Registers, gains and the lux equation from the datasheet:
// lux = (C0 − C1)(1 − C1/C0) / CPL, CPL = time·gain / (device factor · glass factor). Never waits in a loop:
// an integration is waited for with a timer. Fields starting with `_` are the driver's own: the build shortens them.
// The constants below are written in where they are used by the build: none of them is a variable on the device.
import { constructorOf } from '../runtime/constructor';
import type { SensorDone, SensorFault } from '../runtime/sensor-pub';

/** The sensor's I2C address (fixed: the TSL2591 has no address pin). */
const ADDRESS = 0x29;

// The command byte that starts every transaction: COMMAND_BIT, the transaction type, and a register in the low bits.
const COMMAND_BIT = 0x80;
/** Transaction type "normal operation": a block read or write goes on to the next register after each byte. */
const NORMAL_OP = 0x20;

// The registers used here.
const REGISTER_ENABLE = 0x00;
// CONTROL, gain (AGAIN, bits 5:4) and integration time (ATIME, bits 2:0), is the register after ENABLE: it is
// written in the same block write as ENABLE.
const REGISTER_ID = 0x12;
const REGISTER_STATUS = 0x13;
/** The counts: channel 0 (full spectrum) and channel 1 (infrared), low byte first, right after STATUS. */
const REGISTER_C0DATAL = 0x14;
const REGISTER_C0DATAH = 0x15;
const REGISTER_C1DATAL = 0x16;
const REGISTER_C1DATAH = 0x17;

// ENABLE's bits: the oscillator on (PON), the light sensor's integrations on (AEN); none: powered down.
const ENABLE_POWEROFF = 0x00;
const ENABLE_POWERON = 0x01;
const ENABLE_AEN = 0x02;

/** Where AGAIN starts in CONTROL. */
const CONTROL_AGAIN_SHIFT = 4;

/** What ID reads on a TSL2591. */
const DEVICE_ID = 0x50;

/** STATUS: an integration has completed since AEN was set. */
const STATUS_AVALID = 0x01;
/** STATUS bits 7:6, reserved, read as 0: set when nothing drives the bus (it floats high and reads 0xff). */
const STATUS_RESERVED = 0xc0;

// The gain multipliers of AGAIN 0..3 (low, medium, high, maximum).
const GAIN_LOW = 1;
const GAIN_MED = 25;
const GAIN_HIGH = 428;
const GAIN_MAX = 9876;
const MAX_GAIN_INDEX = 3;

// Integration times are 100 ms (ATIME 0) to 600 ms (ATIME 5) in steps of 100 ms.
const INTEGRATION_STEP_MS = 100;
const INTEGRATION_MAX_MS = 600;
/** A channel's largest count: 0x8fff at 100 ms, 0xffff from 200 ms on. A count this high is saturated. */
const MAX_COUNT_100MS = 36863;
const MAX_COUNT = 65535;

/** A timer waits the integration time and this much more, for an oscillator a little slower than nominal. */
const WAIT_MARGIN = 1.1;
/** Integrations waited for without a complete one before the reading gives up. */
const MAX_WAITS = 8;

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

/** A fault of this sensor: an Error, `transient` (1) for those that skip one reading only. */
type Fault = Error & { transient?: number };

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
  _wait: TimerId;
  /** A reading (or its error) that the step's own timer is about to hand on. */
  _out?: number | Fault;
  /** Changes gain ('auto' or 0..3), integrationMs or powerSave from the next reading; a bad value throws naming it. */
  set(o: Tsl2591Options): void;
  /** Takes a reading: `done(err, lux)` once the integration is over. */
  sample(done: SensorDone): undefined;
  /** Stops: a reading waiting for its integration is dropped, and the sensor is powered down. */
  close(): void;
}

export var Tsl2591 = constructorOf<{ new (sensorId: string, o?: Tsl2591Options): Tsl2591; prototype: Tsl2591 }>(function (sensorId, o) {
  var self = this;
  self.sensorId = sensorId;
  self.gain = 1; // medium: auto gain starts there
  self._time = INTEGRATION_STEP_MS;
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
    var s = this;
    var gain = o.gain;
    var fixedGain = [0, 1, 2, 3].indexOf(gain as number); // its AGAIN index, or -1 for 'auto' or none given
    var time = o.integrationMs;
    var powerSave = o.powerSave;
    var bad = // the option that has a bad value, or ''
      gain !== undefined && gain != 'auto' && fixedGain < 0 ? 'gain'
      : time !== undefined && !((time as number) % INTEGRATION_STEP_MS == 0 && (time as number) > 0 && (time as number) <= INTEGRATION_MAX_MS) ? 'integrationMs'
      : powerSave !== undefined && powerSave !== !!powerSave ? 'powerSave'
      : '';
    if (bad) throw new Error('TSL2591 ' + bad + ' cannot be ' + o[bad as keyof Tsl2591Options]);
    if (gain !== undefined) s._fixed = fixedGain >= 0 ? 1 : 0;
    if (fixedGain >= 0) s.gain = fixedGain;
    if (time) s._time = time;
    if (powerSave !== undefined) s._powerSave = powerSave ? 1 : 0;
    s._ready = 0;
  },

  sample: function (done) {
    if (this._wait) return; // the reading in progress reports when its integration is done
    if (this._powerSave) this._ready = 0; // powered down since the last reading
    step(this, done, 0);
  },

  close: function () {
    clearTimeout(this._wait);
    this._wait = 0;
    this._ready = 0;
    try {
      this._bus.writeTo(ADDRESS, [/*@__INLINE__*/ command(REGISTER_ENABLE), ENABLE_POWEROFF]);
    } catch (e) {
      // a sensor that does not answer is as off as it gets
    }
  }
} as Tsl2591;

/** The command byte that selects `register` for a normal transaction. Callers mark it `@__INLINE__`. */
function command(register: number) {
  return COMMAND_BIT | NORMAL_OP | register;
}

/**
 * One step of sensor `s`'s reading (n steps so far): calls done(error) or done(0, lux), or waits an integration with
 * a timer and takes the next step. Every error is transient: the stream goes on and resumes by itself. A top-level
 * function with all it needs in its arguments, so the timer calls it directly: a function made here would keep all
 * of this step's variables alive while it waits, and a method would need another function for the timer to call.
 * Without `n`, it hands on the reading (or error) the last step left in `_out`, from a timer that close() cancels
 * (nothing arrives from a sensor after it was closed), before this step's variables exist (Espruino makes a
 * variable where its `var` runs): the reading goes through the graph, the writer and, during an outage, the
 * journal without them.
 * Auto gain: a saturated reading steps the gain down one; one below half scale even one step up steps it up. The
 * gap between the two (a factor of 2 at least) keeps the gain from oscillating. A new gain is retaken before
 * anything is published.
 */
function step(s: Tsl2591, done: SensorDone, n?: number | Fault) {
  if (n === undefined) {
    n = s._out; // (n: the reading or the fault now, one variable for both)
    delete s._out;
    s._wait = 0;
    return typeof n == 'number' ? done(0, n) : done(n as SensorFault);
  }
  var multipliers = [GAIN_LOW, GAIN_MED, GAIN_HIGH, GAIN_MAX]; // made per reading: no array stays in device RAM
  var bus = s._bus;
  var answer: Uint8Array; // what the sensor answered: its ID, or the bytes of STATUS and the counts
  var full = 0; // the counts: full spectrum (C0)
  var ir = 0; // and infrared (C1)
  var gain = s.gain; // the gain of the integration read here
  var nextGain = gain;
  var time = s._time;
  var maxCount = time > INTEGRATION_STEP_MS ? MAX_COUNT : MAX_COUNT_100MS;
  var configure: number | boolean = !s._ready; // (re)configure the sensor and start a fresh integration
  var waiting = 1; // no reading yet: wait for an integration
  var lux: number | Fault;
  var scale = 1e4; // lux is rounded to 1 / scale
  var err;
  s._wait = 0;
  try {
    if (configure) {
      answer = (bus.writeTo(ADDRESS, /*@__INLINE__*/ command(REGISTER_ID)), bus.readFrom(ADDRESS, 1));
      if (answer[0] != DEVICE_ID) throw 'wrong ID ' + answer[0];
      s._ready = 1;
    } else {
      // STATUS and the counts in one block read; then AVALID set, and not a bus floating high: a complete integration
      answer = (bus.writeTo(ADDRESS, /*@__INLINE__*/ command(REGISTER_STATUS)), bus.readFrom(ADDRESS, REGISTER_C1DATAH - REGISTER_STATUS + 1));
      if ((answer[0] & (STATUS_RESERVED | STATUS_AVALID)) == STATUS_AVALID) {
        full = answer[REGISTER_C0DATAL - REGISTER_STATUS] | (answer[REGISTER_C0DATAH - REGISTER_STATUS] << 8);
        ir = answer[REGISTER_C1DATAL - REGISTER_STATUS] | (answer[REGISTER_C1DATAH - REGISTER_STATUS] << 8);
        if (!s._fixed) {
          if (full >= maxCount || ir >= maxCount) nextGain = gain && gain - 1;
          else while (nextGain < MAX_GAIN_INDEX && full * multipliers[nextGain + 1] < (maxCount / 2) * multipliers[gain]) nextGain++;
        }
        if (nextGain != gain) {
          s.gain = nextGain;
          configure = 1;
        } else {
          waiting = 0;
          if (s._powerSave) bus.writeTo(ADDRESS, [/*@__INLINE__*/ command(REGISTER_ENABLE), ENABLE_POWEROFF]);
        }
      }
      if (waiting && (n as number) > MAX_WAITS) throw 'no data';
    }
    if (configure) {
      // a fresh integration: ENABLE with PON only (clears AVALID) and CONTROL in one write, then ENABLE PON | AEN
      bus.writeTo(ADDRESS, [/*@__INLINE__*/ command(REGISTER_ENABLE), ENABLE_POWERON, (s.gain << CONTROL_AGAIN_SHIFT) | (time / INTEGRATION_STEP_MS - 1)]);
      bus.writeTo(ADDRESS, [/*@__INLINE__*/ command(REGISTER_ENABLE), ENABLE_POWERON | ENABLE_AEN]);
    }
  } catch (e) {
    s._ready = 0;
    err = 'at 0x29 on ' + (s._busName || 'I2C') + ': ' + ((e as Error).message || e);
  }
  if (!err) {
    if (waiting) {
      s._wait = setTimeout(step, time * WAIT_MARGIN, s, done, (n as number) + 1);
      return;
    }
    s.full = full;
    s.ir = ir;
    s.visible = full - ir;
    if (full >= maxCount || ir >= maxCount) {
      lux = NaN; // the advice: a fixed gain can be lowered; auto gain saturates only at its lowest, past ~80 000 lux
      if (!s._nullOnSaturated) err = 'saturated at gain ' + gain + (s._fixed ? ': too bright for this gain, send a lower gain or "auto"' : ': brighter than the sensor can read');
    } else {
      lux = full > ir ? ((full - ir) * (1 - ir / full) * s._factor) / (time * multipliers[gain]) : 0;
      while (lux * scale < 1e3 && scale < 1e9) scale *= 10; // 4 decimals, at least 4 significant digits below 0.1 lux
      lux = Math.round(lux * scale) / scale;
    }
  }
  if (err) {
    lux = new Error('TSL2591 ' + err) as Fault;
    lux.transient = 1;
  }
  s._out = lux!; // handed on once this step has returned, by a timer (set on every path that gets here)
  s._wait = setTimeout(step, 0, s, done);
}
