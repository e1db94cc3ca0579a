/** Longest command accepted, in bytes: anything longer is refused before it is parsed (device RAM is small). */
var MAX_COMMAND = 200;

/**
 * Runs a command sent to `<base>/set`, e.g. {"interval":5,"gain":"high","powerSave":true}: `interval(seconds)`
 * changes the sampling period, `sensor.set()` the sensor's gain and power saving. Everything is checked before
 * anything changes. Says on the console what became of it, and returns the error text for a bad command, nothing
 * when it was applied.
 */
export function runCommand(text: string, interval: (seconds: number) => void, sensor: { set(o: any): void }): string | undefined {
  // made here, per command, not kept: a function kept for good costs device RAM
  function excerpt(text: string) {
    // at most 40 characters of what arrived: never the whole of a message from the network
    return text.length > 40 ? text.slice(0, 40) + '…' : text;
  }
  var err = check();
  console.log('command ' + excerpt(text) + (err ? ' refused: ' + err : ' applied'));
  return err;

  function check() {
    var c: any, k;
    if (text.length > MAX_COMMAND) return 'command of ' + text.length + ' bytes refused: at most ' + MAX_COMMAND;
    try {
      c = JSON.parse(text);
    } catch (e) {
      return 'command is not JSON: send e.g. {"interval":5}';
    }
    if (!c || typeof c != 'object' || c instanceof Array) return 'command must be an object, e.g. {"interval":5}';
    for (k in c) if (!/^(interval|gain|powerSave)$/.test(k)) return 'unknown command key ' + excerpt(k) + ': use interval, gain or powerSave';
    if (c.interval !== undefined && !(typeof c.interval == 'number' && c.interval >= 0.1 && c.interval <= 86400))
      return 'interval must be seconds from 0.1 to 86400';
    if (c.gain !== undefined || c.powerSave !== undefined) {
      // gains by name, as in the config
      k = DEFAULTS.gainNames.indexOf(c.gain);
      if (c.gain !== undefined && c.gain != 'auto' && k < 0) return 'gain must be auto, low, med, high or max';
      try {
        sensor.set({ gain: k < 0 ? c.gain : k, powerSave: c.powerSave });
      } catch (e) {
        return (e as any).message;
      }
    }
    if (c.interval) interval(c.interval);
  }
}
