// Deep sleep's stand-in on Espruino's Linux port, which has none (scripts/espruino/espruino-sleep-rig.mjs, never flashed to
// a board). A boot file after the stand-in hardware: ESP8266.deepSleep prints the request (@@SLEEP micros option and
// the firmware's awake time in ms since this file ran) and keeps it in Storage as `.slept`; the harness then ends
// the process and starts the interpreter again over the same flash, as the wake's reset. At that start the request
// is found: ESP8266.getResetInfo() says "deep sleep", and the clock starts again at 0 as an ESP8266's does. The
// Linux port's setTime() does nothing, so getTime() and setTime() are the stand-in's: the system's time less an offset.
var sleepAsked = require('Storage').read('.slept'), getTime0 = getTime, sleepBoot = getTime0(), clockOffset = 0;
if (sleepAsked !== undefined) {
  require('Storage').erase('.slept');
  clockOffset = sleepBoot;
}
global.getTime = function () {
  return getTime0() - clockOffset;
};
global.setTime = function (t) {
  clockOffset = getTime0() - t;
};
global.ESP8266 = {
  getResetInfo: function () {
    return { reason: sleepAsked !== undefined ? 'deep sleep' : 'power on' };
  },
  deepSleep: function (micros, option) {
    // as Espruino: whole microseconds in a 32-bit integer
    if (typeof micros != 'number' || (micros | 0) !== micros) throw new Error('Invalid microseconds');
    require('Storage').write('.slept', String(option));
    print('@@SLEEP ' + micros + ' ' + option + ' ' + Math.round((getTime0() - sleepBoot) * 1000));
  }
};
