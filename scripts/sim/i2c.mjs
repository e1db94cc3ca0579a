// An Espruino I2C bus object (setup/writeTo/readFrom) backed by simulated devices.

function bytesOf(data) {
  if (typeof data == 'number') return [data & 0xff];
  if (typeof data == 'string') return [...data].map((c) => c.charCodeAt(0) & 0xff);
  if (data && typeof data.length == 'number') return Array.from(data, (v) => v & 0xff);
  throw new Error('I2C.writeTo: unsupported data ' + data);
}

export class I2CBus {
  constructor(name) {
    this.name = name;
    this.devices = new Map();
    this.options = null;
  }
  attach(device) {
    this.devices.set(device.address, device);
  }
  device(addr) {
    if (!this.options) throw new Error(`${this.name} is not set up: call ${this.name}.setup({sda, scl}) first`);
    const d = this.devices.get(addr);
    if (!d) throw new Error('I2C got NACK');
    return d;
  }
  setup(options) {
    if (!options || options.sda === undefined || options.scl === undefined) throw new Error(`${this.name}.setup needs sda and scl pins`);
    this.options = options;
  }
  writeTo(addr, ...data) {
    const a = typeof addr == 'object' ? addr.address : addr;
    this.device(a).write(data.flatMap(bytesOf));
  }
  readFrom(addr, n) {
    const a = typeof addr == 'object' ? addr.address : addr;
    return this.device(a).read(n);
  }
}
