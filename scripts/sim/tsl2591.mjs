// A TSL2591 at register level, as the firmware sees it over I2C: command byte, auto-increment, ID 0x50,
// ENABLE/CONTROL, integration cycles that make data valid only when complete, channel counts from a light
// level with the real gain and time scaling, saturation at the real maximum counts, and injectable faults.

export const ADDRESS = 0x29;
export const GAIN_MULTIPLIERS = [1, 25, 428, 9876];
const DGF = 408;

export class Tsl2591Sim {
  /**
   * lux: the light level the sensor sees; irRatio: infrared share of channel 0 (C1/C0);
   * now: the clock in ms (the simulator's, so fake clocks work).
   */
  constructor({ lux = 284, irRatio = 0.3, now = () => Date.now() } = {}) {
    this.lux = lux;
    this.irRatio = irRatio;
    this.now = now;
    this.address = ADDRESS;
    this.regs = new Uint8Array(32);
    this.regs[0x12] = 0x50; // ID
    this.pointer = 0;
    this.writes = []; // every register write: { reg, value }
    this.transactions = 0;
    this.fault = null; // 'nack' | 'stuck' | null
    this.wrongId = null;
    this.cycleStart = null;
    this.latched = null;
  }

  get enable() {
    return this.regs[0x00];
  }
  get control() {
    return this.regs[0x01];
  }
  get integrationMs() {
    return ((this.control & 0x07) + 1) * 100;
  }
  get gain() {
    return GAIN_MULTIPLIERS[(this.control >> 4) & 0x03];
  }
  get maxCount() {
    return (this.control & 0x07) == 0 ? 36863 : 65535;
  }
  get running() {
    return (this.enable & 0x03) == 0x03;
  }

  /** Counts for the current light, gain and integration time, clamped at saturation. */
  counts() {
    const cpl = (this.integrationMs * this.gain) / DGF;
    const c0 = Math.round((this.lux * cpl) / Math.pow(1 - this.irRatio, 2));
    const c1 = Math.round(c0 * this.irRatio);
    return [Math.min(c0, this.maxCount), Math.min(c1, this.maxCount)];
  }

  /** How many integration cycles have completed since the ADC was (re)started. */
  cyclesDone() {
    if (!this.running || this.cycleStart === null) return 0;
    return Math.floor((this.now() - this.cycleStart) / this.integrationMs);
  }

  restartAdc() {
    this.cycleStart = this.running ? this.now() : null;
  }

  checkBus() {
    this.transactions++;
    if (this.fault == 'nack') throw new Error('I2C got NACK');
  }

  /** Master writes: a command byte, then register data (auto-incrementing). */
  write(bytes) {
    this.checkBus();
    if (this.fault == 'stuck') return;
    const [cmd, ...data] = bytes;
    if (!(cmd & 0x80)) throw new Error(`TSL2591 sim: command byte 0x${cmd.toString(16)} lacks the CMD bit (0x80)`);
    if ((cmd & 0x60) == 0x60) return; // special function (interrupt clear): nothing to model
    this.pointer = cmd & 0x1f;
    for (const value of data) {
      const reg = this.pointer++;
      this.writes.push({ reg, value });
      if (reg == 0x01 && value & 0x80) {
        this.regs.fill(0, 0, 2); // SRESET
        this.restartAdc();
        continue;
      }
      if (reg <= 0x01) {
        const wasRunning = this.running;
        this.regs[reg] = value;
        if (reg == 0x01 || this.running != wasRunning) this.restartAdc();
      }
    }
  }

  /** Master reads n bytes from the register pointer (auto-incrementing). */
  read(n) {
    this.checkBus();
    const out = new Uint8Array(n);
    if (this.fault == 'stuck') return out.fill(0xff);
    for (let i = 0; i < n; i++) out[i] = this.readRegister(this.pointer++);
    return out;
  }

  readRegister(reg) {
    const done = this.cyclesDone();
    if (reg == 0x12) return this.wrongId ?? 0x50;
    if (reg == 0x13) return done > 0 ? 0x01 : 0x00; // AVALID
    if (reg >= 0x14 && reg <= 0x17) {
      // reading C0DATAL latches all four data bytes, as the datasheet describes
      if (reg == 0x14 || !this.latched) {
        const [c0, c1] = done > 0 ? this.counts() : [0, 0];
        this.latched = [c0 & 0xff, c0 >> 8, c1 & 0xff, c1 >> 8];
      }
      return this.latched[reg - 0x14];
    }
    return this.regs[reg];
  }
}
