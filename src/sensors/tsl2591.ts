// TSL2591 ambient light sensor (ams), I2C address 0x29. Register map and lux equation from the datasheet
// and the widely used Adafruit/ESPHome drivers: lux = (C0 - C1)(1 - C1/C0) / CPL, CPL = ATIME·AGAIN / DGF.

var ADDR = 0x29;
var CMD = 0xa0; // command bit + normal (auto-increment) transaction
var ENABLE = 0x00, CONTROL = 0x01, ID = 0x12, STATUS = 0x13;
var PON_AEN = 0x03;
/** Gain multipliers for AGAIN 0..3 (low, med, high, max), datasheet typical values. */
export var GAINS = [1, 25, 428, 9876];
/** Device factor × glass attenuation of the lux equation for the open sensor (53 × 7.7). */
var DGF = 408;

export interface Tsl2591Options {
  /** I2C bus, already set up; the board's bus by default. */
  bus?: I2C;
  /** AGAIN index: 0 low (1×), 1 med (25×), 2 high (428×), 3 max (9876×). */
  gain?: number;
  /** Integration time in ms: 100, 200, … 600. */
  integrationMs?: number;
}

export class Tsl2591 {
  bus: I2C;
  gain: number;
  /** ATIME field: integration time / 100 ms − 1. */
  atime: number;
  /** Set once the ID has been checked and the sensor configured; cleared when the bus fails. */
  ready = false;
  /** Raw counts of the last reading: C0 (full spectrum) and C1 (infrared). */
  full = 0;
  ir = 0;

  constructor(public sensorId: string, opts?: Tsl2591Options) {
    opts = opts || {};
    this.bus = opts.bus || BOARD_I2C;
    this.gain = opts.gain === undefined ? 1 : opts.gain;
    this.atime = ((opts.integrationMs || 100) / 100 - 1) | 0;
  }

  read(reg: number, n: number): Uint8Array {
    this.bus.writeTo(ADDR, CMD | reg);
    return this.bus.readFrom(ADDR, n);
  }

  write(reg: number, v: number) {
    this.bus.writeTo(ADDR, [CMD | reg, v]);
  }

  /** Checks the ID and powers the ADC on with the configured gain and integration time. */
  init() {
    var id = this.read(ID, 1)[0];
    if (id != 0x50) throw new Error('TSL2591 not found at 0x29: ID register reads ' + id + ', expected 80 (0x50)');
    this.write(CONTROL, (this.gain << 4) | this.atime);
    this.write(ENABLE, PON_AEN);
    this.ready = true;
  }

  /** Lux from the last complete integration; waits with a timer (never a busy loop) when none is ready yet. */
  sample(done: (err: any, lux?: number) => void): number | undefined {
    var self = this, d, c0, c1, cpl, lux;
    try {
      if (!self.ready) self.init();
      d = self.read(STATUS, 5); // status, C0 low/high, C1 low/high in one block read
    } catch (e) {
      self.ready = false;
      throw transient('TSL2591 at 0x29 on the I2C bus does not answer: ' + ((e as any).message || e));
    }
    if (!(d[0] & 1)) {
      // no valid integration yet (just powered on): look again after one integration time
      setTimeout(function () {
        try {
          var v = self.sample(done);
          if (v !== undefined) done(0, v);
        } catch (e) {
          done(e);
        }
      }, (self.atime + 1) * 100 + 5);
      return undefined;
    }
    c0 = d[1] | (d[2] << 8);
    c1 = d[3] | (d[4] << 8);
    self.full = c0;
    self.ir = c1;
    if (c0 >= (self.atime ? 65535 : 36863) || c1 >= (self.atime ? 65535 : 36863)) throw transient('TSL2591 saturated: too bright for this gain');
    if (!c0) return 0;
    cpl = ((self.atime + 1) * 100 * GAINS[self.gain]) / DGF;
    lux = ((c0 - c1) * (1 - c1 / c0)) / cpl;
    return Math.round(lux * 1e4) / 1e4;
  }
}

function transient(message: string) {
  var e: any = new Error(message);
  e.transient = true;
  return e;
}
