// Loaded before the firmware on Espruino's Linux port, which lacks what an ESP8266 has (memory bench only, never
// flashed to a board). Kept small: its own cost is measured in the same run and subtracted.
// 1) I2C1: the Linux port's bus does nothing, so this object stands in for a TSL2591 at 0x29. A write's first byte
//    is the command byte (0xA0 | register); further bytes are stored from that register on, and a read returns
//    bytes from the last register written, auto-incrementing. ID 0x12 = 0x50, STATUS 0x13 = AVALID, C0 = 2048,
//    C1 = 512 (a steady, unsaturated reading at any gain).
var I2C1 = {
  r: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 1, 0, 8, 0, 2],
  p: 0,
  setup: function () {},
  writeTo: function (a, d) {
    d = [].concat(d);
    this.p = d[0] & 31;
    for (var i = 1; i < d.length; i++) if (this.p + i - 1 < 18) this.r[this.p + i - 1] = d[i];
  },
  readFrom: function (a, n) {
    return new Uint8Array(this.r.slice(this.p, this.p + n));
  }
};
// 2) require("Wifi"): joins at once.
Modules.addCached('Wifi', function () {
  var ip = { ip: '127.0.0.1' };
  exports.connect = function (s, o, f) {
    setTimeout(f, 1, null);
    setTimeout(function () { exports.emit('connected', ip); }, 2);
  };
  exports.getIP = function () { return ip; };
  exports.getDetails = function () { return { rssi: -50 }; };
  exports.setSNTP = function () {};
});
// 3) Espruino throws on clearTimeout(undefined) (clearTimeout() with no argument clears every timer). A firmware
//    that does it stops where it did; this lets the bench go on and says each time it happened.
var clearTimeout0 = clearTimeout;
global.clearTimeout = function (t) {
  if (!arguments.length) clearTimeout0();
  else if (t === undefined) print('@@CLEAR_UNDEFINED');
  else clearTimeout0(t);
};
// 4) The firmware's own modules (lgwifi, lgjournal …) are loaded for a moment and let go: the 100 ms samples would
//    mostly miss them. A sample is also taken as each one is loaded, its functions in RAM, and at each Storage
//    read, write and erase (where the journal does its work, its frames and strings in RAM), so the peak counts
//    them; each such line names its moment. Such a sample is taken in a frame of the harness's own, which the
//    device does not have: its cost (the wrapper's scope and arguments; measured by calibrate() below, as the gap
//    between a caller's usage and the wrapper's own reading) comes off the number printed.
var require0 = require, storage0 = require0('Storage'), storage1 = {}, frames = [0, 0, 0, 0], emitted = 0, u;
function sampled(k) {
  return function () {
    u = process.memory().usage - arguments.length;
    if (frames[0]) print('@@MEM m ' + (u - frames[0]) + ' ' + k);
    return storage0[k].apply(storage0, arguments);
  };
}
['read', 'write', 'erase', 'list', 'getStats', 'getFree', 'readJSON', 'writeJSON'].forEach(function (k, i) {
  storage1[k] = i > 2 ? storage0[k] : sampled(k);
});
global.require = function (n) {
  if (n == 'Storage') return storage1;
  var m = require0(n);
  u = process.memory().usage;
  if (frames[1] && n.slice(0, 2) == 'lg') print('@@MEM m ' + (u - frames[1]) + ' ' + n);
  if (frames[2] && n == 'MQTT' && !emitted++) sampleEmits(m);
  return m;
};
// 5) Events: a sample as the MQTT module's client emits one (for each packet it reads, with its packet handler's
//    variables and the firmware's listener under it), taken off the wrapper's own frame as above. The wrapper goes
//    on the module's prototype as its first client is made (Object.prototype would do for every object, but a
//    property there shows in every for-in); what it adds there is said (`@@MEM late`), for the harness's count.
var emit0 = Object.prototype.emit;
function emitSampled() {
  u = process.memory().usage - arguments.length;
  if (frames[2]) print('@@MEM m ' + (u - frames[2]) + ' emit ' + arguments[0]);
  return emit0.apply(this, arguments);
}
function sampleEmits(m) {
  var create = m.create;
  // on the first client made, then as the module was
  m.create = function (server, options) {
    var c = create(server, options);
    m.create = create;
    Object.getPrototypeOf(c).emit = emitSampled;
    print('@@MEM late ' + frames[3]);
    return c;
  };
}
// 6) Where a connection is refused, the Linux port's net.connect throws at once (an InternalError), where an
//    ESP8266's reports it later as an event: made here, its constructor and prototype are the harness's.
new InternalError('');
// 7) The samples of 4) and 5) are printed once the wrappers' frames are measured, which the memory bench's sampler
//    asks for (calibrate()); loaded without it (as a boot file of the stand-in hardware alone), they print nothing.
function gap(f, a) {
  var before = process.memory().usage;
  f(a);
  return u - before;
}
function gapEmit(o, name) {
  var before = process.memory().usage;
  o.emit(name);
  return u - before;
}
function calibrate() {
  Modules.addCached('lgprobe', function () {
    exports.p = 1;
  });
  require0('lgprobe');
  frames = [gap(sampled('getFree')), gap(global.require, 'lgprobe'), gapEmit({ emit: emitSampled }, 'p'), 0];
  // what the wrapper's property costs an object (the module's prototype, later)
  var o = {}, before = process.memory().usage;
  o.emit = emitSampled;
  frames[3] = process.memory().usage - before;
  Modules.removeCached('lgprobe');
}
