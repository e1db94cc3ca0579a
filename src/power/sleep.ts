// The board's deep sleep, by the call its profile names (board/*.json deepSleep.call, written in by the build as
// CONFIG.power.call): the chip turns off, and wakes as a reset, the firmware starting from flash again.

/** Option of ESP8266.deepSleep: no radio after the wake, the lowest current (a wake that only samples). */
const RADIO_OFF = 4;
/** Option of ESP8266.deepSleep: the radio calibrated after the wake (a wake that joins WiFi). */
const RADIO_CALIBRATED = 1;
/** ESP32.getWakeupCause() after a wake by the sleep's timer. */
const ESP32_TIMER_WAKE = 4;

/**
 * Whether this start is a wake from the firmware's own deep sleep, by its timer; else a first boot: power on, the
 * reset button, a flash, a crash.
 */
export function wokeByTimer(): boolean {
  return CONFIG.power.call == 'ESP32.deepSleep' ? ESP32.getWakeupCause() == ESP32_TIMER_WAKE : ESP8266.getResetInfo().reason == 'deep sleep';
}

/**
 * Whether the clock starts again at 0 on a wake: the ESP8266's does (its RTC counter is reset); the ESP32's keeps
 * running through the sleep (Espruino's ESP32 build keeps time on the RTC timer).
 */
export function clockRestarts(): boolean {
  return CONFIG.power.call != 'ESP32.deepSleep';
}

/** Sleeps `ms` milliseconds; `radio`: the next wake joins WiFi (on the ESP32 the radio is always there). */
export function deepSleep(ms: number, radio: boolean) {
  // whole microseconds, a 32-bit integer: a fraction or more than 2147 s is refused by the call (the build keeps the
  // period within it; `| 0` makes the product an integer to Espruino, where ms * 1000 alone may be a double)
  var micros = Math.round(ms * 1000) | 0;
  if (CONFIG.power.call == 'ESP32.deepSleep') ESP32.deepSleep(micros);
  else ESP8266.deepSleep(micros, radio ? RADIO_CALIBRATED : RADIO_OFF);
}
