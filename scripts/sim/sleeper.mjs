// A device that sleeps: the firmware's deep sleep (power.deepSleep) in the simulator. Its sleep call turns the device
// off; after the sleep, on the simulator's clock (a fake clock runs hours of wakes in seconds), the board boots
// again from the same Storage, as a deep-sleep wake is a reset: a new device runs `.bootcde`, its reset reason (or
// on an ESP32 its wake cause) saying so, its clock started again at 0 on an ESP8266 and kept on an ESP32, its radio
// off after an ESP8266 sleep with option 4. A power cut stops it, asleep or awake, keeping only the flash.
import { createDevice } from './device.mjs';
import { StorageSim } from './storage.mjs';

/** Milliseconds from a sleep's end to the new start of the firmware's clock: the chip's ROM boot, as a default. */
export const BOOT_MS = 120;

/**
 * A sleeping device. Options as createDevice's (board, broker, light, timers, log, modules, pins), with `storage` (the
 * flash; a new one of the board's size by default), `bootMs` (see BOOT_MS), `rtcError` (the sleep timer's error: a
 * sleep lasts its time × (1 + rtcError)) and `onStart(device, start)`, called at each start once its firmware runs
 * (to watch it: a subscriber to LuxGraph.source, a light). Returns { storage, starts, device (the latest), firstBoot(code),
 * powerCut(), powerOn(), asleep(), stop() }; `starts` has one entry per start: { reason, at, awakeMs, micros, option }
 * (awakeMs, micros and option once it slept).
 */
export function sleepingDevice({ board, broker, light, timers, log, modules, pins, storage, bootMs = BOOT_MS, rtcError = 0, onStart } = {}) {
  storage = storage || new StorageSim({ bytes: board.storageBytes });
  const starts = [];
  let device = null, pending = null;

  /** A start of the board (`how`: { reason, radio }), its clock counting from `clockZero` (undefined: from now). */
  function boot(how, clockZero, firmware) {
    const entry = { reason: how.reason, at: timers.now() };
    starts.push(entry);
    const d = createDevice({
      board, broker, light, timers, log, modules, pins, storage, start: how, clockZero,
      onDeepSleep: ({ micros, option }) => {
        Object.assign(entry, { awakeMs: timers.now() - entry.at, micros, option });
        // an ESP32 keeps its clock through the sleep; an ESP8266's starts again
        const kept = /^ESP32/.test(board.espruinoBoard) ? d.clockZero() : undefined;
        pending = timers.setTimeout(() => {
          pending = null;
          boot({ reason: 'deep sleep', radio: option != 4 }, kept);
        }, (micros / 1000) * (1 + rtcError) + bootMs);
      }
    });
    device = d;
    if (firmware) d.load(firmware);
    else d.run();
    if (onStart && !d.isOff()) onStart(d, entry);
    return d;
  }

  return {
    storage,
    starts,
    /** The device of the latest start (off while it sleeps). */
    get device() {
      return device;
    },
    /** The first start: power on, and the firmware `code` (a build) uploaded and run, as npm run flash leaves it. */
    firstBoot(code) {
      return boot({ reason: 'power on' }, undefined, code);
    },
    /** The battery out: whatever runs stops, a sleep never ends; the flash stays. */
    powerCut() {
      if (pending) timers.clearTimeout(pending);
      pending = null;
      if (device) device.stop();
    },
    /** The battery back: a start from power on, the firmware in flash. */
    powerOn() {
      return boot({ reason: 'power on' });
    },
    /** Whether it sleeps now, a wake planned. */
    asleep: () => !!pending,
    stop() {
      this.powerCut();
    }
  };
}
