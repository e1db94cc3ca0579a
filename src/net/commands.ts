/** What a command may change at run time, and how. */
export interface Controls {
  /** New sampling period, seconds. */
  interval(seconds: number): void;
  /** New sensor settings; throws an Error naming the bad field, having changed nothing. */
  sensor(opts: { gain?: any; powerSave?: any }): void;
}

var KEYS: any = { interval: 1, gain: 1, powerSave: 1 };

/**
 * Runs a command sent to `<base>/set`, e.g. {"interval":5,"gain":"high","powerSave":true}. Everything is checked
 * before anything changes; returns the error text for a bad command, nothing when it was applied.
 */
export function runCommand(text: string, ctl: Controls): string | undefined {
  var c: any, k;
  try {
    c = JSON.parse(text);
  } catch (e) {
    return 'command is not JSON: send e.g. {"interval":5}';
  }
  if (!c || typeof c != 'object' || c instanceof Array) return 'command must be an object, e.g. {"interval":5}';
  for (k in c) if (!KEYS[k]) return 'unknown command key ' + k + ': use interval, gain or powerSave';
  if (c.interval !== undefined && !(typeof c.interval == 'number' && c.interval >= 0.1 && c.interval <= 86400))
    return 'interval must be seconds from 0.1 to 86400';
  if (c.gain !== undefined || c.powerSave !== undefined) {
    try {
      // gains by name, as in the config
      k = ['low', 'med', 'high', 'max'].indexOf(c.gain);
      if (c.gain !== undefined && c.gain != 'auto' && k < 0) return 'gain must be auto, low, med, high or max';
      ctl.sensor({ gain: k < 0 ? c.gain : k, powerSave: c.powerSave });
    } catch (e) {
      return (e as any).message;
    }
  }
  if (c.interval) ctl.interval(c.interval);
}
