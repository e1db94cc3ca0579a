// TSL2591 ambient light sensor (ams), I2C address 0x29. Registers, gains and the lux equation from the datasheet:
// lux = (C0 − C1)(1 − C1/C0) / CPL, CPL = time·gain / (device factor · glass factor). Never waits in a loop:
// an integration is waited for with a timer. Short property names keep the code small (names live in device RAM).


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

export class Tsl2591 {
  /** Bus and its name. */
  b: I2C;
  n: string;
  /** AGAIN index in use, 0..3; its multiplier is 1, 25, 428 or 9876. */
  gain = 1;
  /** Fixed gain (else auto). */
  x?: boolean;
  /** Integration time, ms. */
  t = 100;
  /** Device factor × glass factor. */
  f: number;
  /** Power saving. */
  p?: boolean;
  /** Saturated readings give NaN (JSON null) instead of a transient error. */
  z: boolean;
  /** Raw counts of the last reading: full spectrum (C0), infrared (C1), visible (C0 − C1). */
  full?: number;
  ir?: number;
  visible?: number;
  /** Set once the ID was checked; cleared to check it and configure the sensor again. */
  r?: number;
  /** Set while a reading waits for its integration. */
  w?: number;

  constructor(public sensorId: string, o?: Tsl2591Options) {
    o = o || {};
    this.b = o.bus || BOARD_I2C;
    this.n = o.busName || 'I2C';
    this.f = (o.deviceFactor || 53) * (o.glassFactor || 7.7);
    this.z = o.onSaturated == 'null';
    this.set(o);
  }

  /** Changes gain ('auto' or 0..3), integrationMs or powerSave from the next reading; a bad value throws naming it. */
  set(o: Tsl2591Options) {
    var s = this, g = o.gain, i = [0, 1, 2, 3].indexOf(g as number), t = o.integrationMs, p = o.powerSave,
      bad =
        g !== undefined && g != 'auto' && i < 0 ? 'gain'
        : t !== undefined && !((t as number) % 100 == 0 && (t as number) > 0 && (t as number) < 700) ? 'integrationMs'
        : p !== undefined && p !== !!p ? 'powerSave'
        : '';
    if (bad) throw new Error('TSL2591 ' + bad + ' cannot be ' + (o as any)[bad]);
    if (g !== undefined) s.x = i >= 0;
    if (i >= 0) s.gain = i;
    if (t) s.t = t;
    if (p !== undefined) s.p = p;
    s.r = 0;
  }

  sample(done: Done) {
    if (this.w) return; // the reading in progress reports when its integration is done
    if (this.p) this.r = 0; // powered down since the last reading
    this.get(done, 0);
  }

  /**
   * One step of a reading (n steps so far): calls done(error) or done(0, lux), or waits an integration with a
   * timer and takes the next step. Every error is transient: the stream goes on and resumes by itself.
   */
  get(done: Done, n: number) {
    // G: the gain multipliers of AGAIN 0..3, made per reading so that no array stays in device RAM
    var G = [1, 25, 428, 9876], s = this, b = s.b, d: any, c0 = 0, c1 = 0, g = s.gain, k = g, t = s.t, m = t > 100 ? 65535 : 36863, cf = !s.r, wait = 1, lux, p = 1e4, err;
    s.w = 0;
    try {
      if (cf) {
        // command byte 0xa0 | register: command bit, normal transaction (auto-increment)
        d = (b.writeTo(0x29, 0xb2), b.readFrom(0x29, 1))[0]; // ID
        if (d != 0x50) throw 'wrong ID ' + d;
        s.r = 1;
      } else {
        d = (b.writeTo(0x29, 0xb3), b.readFrom(0x29, 5)); // STATUS, C0 low/high, C1 low/high in one block read
        // AVALID set, and not a bus floating high (0xff): one complete integration
        if ((d[0] & 0xc1) == 1) {
          c0 = d[1] | (d[2] << 8);
          c1 = d[3] | (d[4] << 8);
          // auto gain: saturated, one step down; below half scale even one step up, up. The gap between the
          // two (a factor of 2 at least) keeps the gain from oscillating.
          if (!s.x) {
            if (c0 >= m || c1 >= m) k = g && g - 1;
            else while (k < 3 && c0 * G[k + 1] < (m / 2) * G[g]) k++;
          }
          if (k != g) {
            s.gain = k; // retaken at the new gain before anything is published
            cf = true;
          } else {
            wait = 0;
            if (s.p) b.writeTo(0x29, [0xa0, 0]); // ENABLE: power down
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
      s.r = 0;
      err = 'at 0x29 on ' + s.n + ': ' + ((e as any).message || e);
    }
    if (!err) {
      if (wait) {
        s.w = 1;
        setTimeout(function () {
          s.get(done, n + 1);
        }, t * 1.1);
        return;
      }
      s.full = c0;
      s.ir = c1;
      s.visible = c0 - c1;
      if (c0 >= m || c1 >= m) {
        if (s.z) return done(0, NaN);
        err = 'saturated at gain ' + g;
      }
    }
    if (err) {
      d = new Error('TSL2591 ' + err);
      d.transient = 1;
      return done(d);
    }
    lux = c0 > c1 ? ((c0 - c1) * (1 - c1 / c0) * s.f) / (t * G[g]) : 0;
    // 4 decimals, and at least 4 significant digits below 0.1 lux
    while (lux * p < 1e3 && p < 1e9) p *= 10;
    done(0, Math.round(lux * p) / p);
  }
}
