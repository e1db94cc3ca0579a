// Commands on `<base>/set`: the Storage module `lgcommand`, whose actions control() runs for each command, and at
// start for the settings earlier commands kept in Storage.
import type { LuxGraph, Control } from './state';
import type { Tsl2591, Tsl2591Options } from '../sensors/tsl2591';
import { SETTINGS_FILE } from './settings-file';

/** A command as it arrived, parsed: each value is checked before it is used. */
type Command = { [key: string]: unknown };

/** Longest command accepted, in bytes: anything longer is refused before it is parsed (device RAM is small). */
var MAX_COMMAND = 200;

/** The upload this module came with (scripts/firmware/build.mjs). */
export var build = BUILD_ID;

/** At start: the settings changed by commands before a reboot, applied again. */
export function commandBoot(L: LuxGraph, nothing: void, control: Control) {
  var saved = require('Storage').read(SETTINGS_FILE);
  if (saved) commandRun(L, saved, control, true);
}

/**
 * Runs a command that arrived, e.g. {"interval":5,"gain":"high","powerSave":true}: `interval` changes the sampling period
 * (control's sampleEvery), `gain` and `powerSave` the sensor's (its set()). Everything is checked before anything
 * changes. Says on the console what became of it, and returns the error text for a bad command, nothing when it
 * was applied. What it changed is kept in Storage (SETTINGS_FILE) and comes back at boot (`stored`: the text is
 * that file's, which is then erased if it is no good); {"reset":true} goes back to the flashed config. With deep
 * sleep (power.deepSleep), {"sleep":false} keeps the board awake and {"sleep":true} lets it sleep again (the module
 * lgpower's 'awake').
 */
export function commandRun(L: LuxGraph, text: string, control: Control, stored?: boolean): string | void {
  // made here, per command, not kept: a function kept for good costs device RAM
  function excerpt(text: string) {
    // at most 40 characters of what arrived, its runs of spaces and line breaks as one space: never the whole of a
    // message from the network, nor its layout
    var s = text.slice(0, 80).replace(/\s+/g, ' ').trim();
    return s.length > 40 ? s.slice(0, 40) + '…' : s || '(empty)';
  }
  var storage = require('Storage'), sensor = L.sensor as Tsl2591, err = check();
  if (stored) {
    console.log('settings from Storage ' + excerpt(text) + (err ? ' ignored (' + err + '): erased' : ' applied'));
    if (err) storage.erase(SETTINGS_FILE);
  } else console.log('command ' + excerpt(text) + (err ? ' refused: ' + err : ' applied'));
  return err;

  function check() {
    var c: Command, k;
    // (the console line says `command … refused: `, so these do not say it again)
    if (text.length > MAX_COMMAND) return 'too long: ' + text.length + ' bytes, at most ' + MAX_COMMAND;
    if (!text) return 'empty: send e.g. {"interval":5}';
    try {
      c = JSON.parse(text) as Command;
    } catch (e) {
      return 'not JSON: send e.g. {"interval":5}';
    }
    if (!c || typeof c != 'object' || c instanceof Array) return 'not an object: send e.g. {"interval":5}';
    if (c.reset !== undefined) {
      if (c.reset !== true || Object.keys(c).length > 1) return 'reset goes alone, as {"reset":true}';
      storage.erase(SETTINGS_FILE);
      sensor.set({ gain: CONFIG.sensor.gain, powerSave: !!CONFIG.sensor.powerSave });
      // with deep sleep (power.deepSleep), sleeping between readings again
      if (CONFIG.power.deepSleep) control('powerAwake', 0);
      return control('sampleEvery', CONFIG.sensor.intervalSeconds);
    }
    // with deep sleep, `sleep` too: {"sleep":false} keeps the board awake, {"sleep":true} lets it sleep again
    for (k in c)
      if (!(CONFIG.power.deepSleep ? /^(interval|gain|powerSave|sleep)$/ : /^(interval|gain|powerSave)$/).test(k))
        return 'unknown command key ' + excerpt(k) + (CONFIG.power.deepSleep ? ': use interval, gain, powerSave, sleep or reset' : ': use interval, gain, powerSave or reset');
    // asleep between readings, the interval is the sleep's: within what the board's sleep call takes
    if (CONFIG.power.deepSleep && c.interval !== undefined && !(typeof c.interval == 'number' && c.interval >= CONFIG.power.minSeconds! && c.interval <= CONFIG.power.maxSeconds!))
      return 'interval must be seconds from ' + CONFIG.power.minSeconds + ' to ' + CONFIG.power.maxSeconds + ' while the board sleeps between readings';
    if (c.interval !== undefined && !(typeof c.interval == 'number' && c.interval >= 0.1 && c.interval <= 86400))
      return 'interval must be seconds from 0.1 to 86400';
    if (CONFIG.power.deepSleep && c.sleep !== undefined && typeof c.sleep != 'boolean') return 'sleep must be true or false';
    if (c.gain !== undefined || c.powerSave !== undefined) {
      // gains by name, as in the config
      k = DEFAULTS.gainNames.indexOf(c.gain as string);
      if (c.gain !== undefined && c.gain != 'auto' && k < 0) return 'gain must be auto, low, med, high or max';
      try {
        // (the sensor checks the values themselves, and says what is wrong)
        sensor.set({ gain: k < 0 ? (c.gain as Tsl2591Options['gain']) : k, powerSave: c.powerSave as boolean | undefined });
      } catch (e) {
        return (e as Error).message;
      }
    }
    if (c.interval) control('sampleEvery', c.interval as number);
    if (CONFIG.power.deepSleep && c.sleep !== undefined) control('powerAwake', c.sleep ? 0 : 1);
    if (!stored) keep(c);
  }

  /** The settings changed, merged into those kept from earlier commands; a full Storage only costs their keeping. */
  function keep(c: Command) {
    var old = storage.readJSON(SETTINGS_FILE, true) as Command | undefined, k;
    if (!old || typeof old != 'object') old = {};
    for (k in c) old[k] = c[k];
    try {
      storage.writeJSON(SETTINGS_FILE, old);
    } catch (e) {
      console.log('command applied but not kept for the next boot: ' + ((e as Error).message || e));
    }
  }
}
