// A TSL2591 at register level, as the firmware sees it over I2C, following the datasheet:
// - command byte: bit 7 CMD must be set; bits 6:5 TRANSACTION, 01 normal (register address in bits 4:0,
//   auto-incremented over block reads and writes) or 11 special function; 00 and 10 are reserved;
// - ENABLE 0x00 (PON bit 0, AEN bit 1), CONTROL 0x01 (SRESET bit 7, AGAIN bits 5:4, ATIME bits 2:0),
//   ID 0x12 = 0x50, STATUS 0x13 (AVALID bit 0), C0DATAL..C1DATAH 0x14..0x17;
// - the ADC integrates for (ATIME + 1) × 100 ms while PON and AEN are set; AVALID is set when a cycle completes
//   and cleared when AEN or PON is cleared, so powered down there is no valid data;
// - counts from the light level, IR ratio, gain and time, clamped at the maximum count: 36863 at 100 ms,
//   65535 for longer times; reading C0DATAL latches all four data bytes.
// Assumption where the datasheet is silent: a CONTROL write while integrating restarts the cycle at the new
// settings but leaves AVALID and the data of the last cycle (taken at the old settings) as they are, so a driver
// that wants data at the new settings has to clear AEN first. Faults: NACK, stuck bus, wrong ID.

export const ADDRESS = 0x29;
export const GAIN_MULTIPLIERS = [1, 25, 428, 9876];
/** Device factor × glass attenuation factor of the lux equation for the open sensor (53 × 7.7). */
export const LUX_FACTOR = 53 * 7.7;
export const ID = 0x50;

export class Tsl2591Sim {
  /**
   * lux: the light level in front of the sensor, or a function of the clock (ms) giving it; irRatio: infrared share of channel 0 (C1/C0, 0..1);
   * transmission: the share of light a window or cover in front lets through (1: open sensor);
   * now: the clock in ms (the simulator's, so fake clocks work).
   */
  constructor({ lux = 284, irRatio = 0.3, transmission = 1, now = () => Date.now() } = {}) {
    this.lux = lux;
    this.irRatio = irRatio;
    this.transmission = transmission;
    this.now = now;
    this.address = ADDRESS;
    this.regs = new Uint8Array(32);
    this.pointer = 0;
    this.writes = []; // every register write: { reg, value, at }
    this.reads = []; // every block read: { reg, n, at }
    this.transactions = 0;
    /** Injected fault: 'nack' (no acknowledge: unplugged), 'stuck' (SDA held low: writes lost, reads 0x00), or null. */
    this.fault = null;
    /** Injected ID register value (another chip at 0x29), or null for the real 0x50. */
    this.wrongId = null;
    this.cycleStart = null; // when the cycle in progress started, null while the ADC is off
    this.avalid = false;
    this.data = [0, 0]; // C0, C1 of the last completed cycle
    this.latched = [0, 0, 0, 0];
    this.cycles = 0; // completed cycles, for tests
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
  get gainIndex() {
    return (this.control >> 4) & 0x03;
  }
  get gain() {
    return GAIN_MULTIPLIERS[this.gainIndex];
  }
  get maxCount() {
    return (this.control & 0x07) == 0 ? 36863 : 65535;
  }
  get running() {
    return (this.enable & 0x03) == 0x03;
  }
  get poweredOn() {
    return (this.enable & 0x01) == 0x01;
  }

  /**
   * Counts for the current light, gain and integration time, clamped at saturation. The inverse of the lux
   * equation: lux = (C0 − C1)(1 − C1/C0) / CPL = C0 (1 − r)² / CPL with r = C1/C0, CPL = time × gain / LUX_FACTOR.
   */
  counts() {
    const cpl = (this.integrationMs * this.gain) / LUX_FACTOR;
    // a moving light (the simulator's --lux ramp or day) is a function of the clock
    const lux = typeof this.lux == 'function' ? this.lux(this.now()) : this.lux;
    const c0 = (lux * this.transmission * cpl) / Math.pow(1 - this.irRatio, 2);
    const c1 = c0 * this.irRatio;
    return [Math.min(Math.round(c0), this.maxCount), Math.min(Math.round(c1), this.maxCount)];
  }

  /** The lux a perfect driver computes from counts at the current settings (quantization included). */
  luxFrom([c0, c1]) {
    return c0 > c1 ? ((c0 - c1) * (1 - c1 / c0) * LUX_FACTOR) / (this.integrationMs * this.gain) : 0;
  }

  /** Brings the ADC up to now: completes every cycle whose time has come. */
  tick() {
    if (this.cycleStart === null) return;
    const done = Math.floor((this.now() - this.cycleStart) / this.integrationMs);
    if (done < 1) return;
    this.cycleStart += done * this.integrationMs;
    this.data = this.counts();
    this.avalid = true;
    this.cycles += done;
  }

  checkBus() {
    this.transactions++;
    if (this.fault == 'nack') throw new Error('I2C got NACK');
  }

  /** Master writes: a command byte, then register data (auto-incrementing). */
  write(bytes) {
    this.checkBus();
    if (this.fault == 'stuck') return;
    this.tick();
    const [cmd, ...data] = bytes;
    if (!(cmd & 0x80)) throw new Error(`TSL2591 sim: command byte 0x${cmd.toString(16)} lacks the CMD bit (0x80)`);
    const transaction = (cmd >> 5) & 0x03;
    if (transaction == 0x03) return; // special function (interrupt set/clear): nothing to model
    if (transaction != 0x01) throw new Error(`TSL2591 sim: command byte 0x${cmd.toString(16)} uses a reserved TRANSACTION field (${transaction})`);
    this.pointer = cmd & 0x1f;
    for (const value of data) {
      const reg = this.pointer++;
      this.writes.push({ reg, value, at: this.now() });
      if (reg == 0x01 && value & 0x80) {
        this.regs.fill(0, 0, 2); // SRESET: back to the power-on state
        this.adcChanged(false);
      } else if (reg == 0x00) {
        const was = this.running;
        this.regs[0] = value;
        if (this.running != was) this.adcChanged(this.running);
      } else if (reg == 0x01) {
        this.regs[1] = value;
        if (this.running) this.cycleStart = this.now(); // restarts the cycle; AVALID and the data stay
      }
      // the other registers (thresholds, persistence) are not modelled; ID, STATUS and data are read-only
    }
  }

  adcChanged(on) {
    this.cycleStart = on ? this.now() : null;
    this.avalid = false;
  }

  /** Master reads n bytes from the register pointer (auto-incrementing). */
  read(n) {
    this.checkBus();
    const out = new Uint8Array(n);
    if (this.fault == 'stuck') return out;
    this.tick();
    this.reads.push({ reg: this.pointer, n, at: this.now() });
    for (let i = 0; i < n; i++) out[i] = this.readRegister(this.pointer++);
    return out;
  }

  readRegister(reg) {
    if (reg == 0x12) return this.wrongId ?? ID;
    if (reg == 0x13) return this.avalid ? 0x01 : 0x00;
    if (reg >= 0x14 && reg <= 0x17) {
      // reading C0DATAL latches all four data bytes, as the datasheet describes
      if (reg == 0x14) {
        const [c0, c1] = this.data;
        this.latched = [c0 & 0xff, c0 >> 8, c1 & 0xff, c1 >> 8];
      }
      return this.latched[reg - 0x14];
    }
    return reg <= 0x01 ? this.regs[reg] : 0;
  }
}
