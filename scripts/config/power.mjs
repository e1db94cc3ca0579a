// The `power` section: deep sleep between readings (src/power). Each wake takes one reading and keeps it in flash;
// every sendEvery-th wake joins WiFi and sends them all. What cannot work asleep is refused here, with the reason:
// a period too short to be worth a wake or too long for the board's sleep call, filters whose state a wake loses,
// a board that cannot keep readings in flash, readings sent without acknowledgement.
import { DEFAULTS as D } from '../lib/defaults.mjs';
import { FILTERS } from './filters.mjs';

/** The shortest deep-sleep period, seconds: below it a wake's boot costs more than the sleep saves (docs/battery.md). */
export const MIN_SLEEP_SECONDS = 10;

/**
 * The filters whose output depends on the reading alone. The others keep state from one reading to the next (a
 * window, the last value passed, a timer, a count), which a deep-sleep wake, a reset, loses.
 */
export const STATELESS_FILTERS = ['clamp', 'range', 'round'];

/**
 * Checks the raw `power` section against the rest of the validated firmware config `fw` and board profile `board`
 * (null when the board is unknown) with its `features` (boardFeatures in rules.mjs); `bad(field, want)` gets each problem. Returns the firmware's `power` section:
 * { deepSleep, sendEvery, sendTimeoutSeconds, stayAwakePin, call, minSeconds, maxSeconds } (with deepSleep: the
 * board's sleep call, and the wake periods a command may set).
 */
export function powerSection(power, { fw, raw, board, boardName, features, num, flag, bad }) {
  const out = {
    deepSleep: flag(power, 'deepSleep', 'power.deepSleep', D.power.deepSleep),
    sendEvery: num(power, 'sendEvery', 'power.sendEvery', { def: D.power.sendEvery, min: 1, max: 100 }),
    sendTimeoutSeconds: num(power, 'sendTimeoutSeconds', 'power.sendTimeoutSeconds', { def: D.power.sendTimeoutSeconds, min: 3, max: 120, integer: false }),
    stayAwakePin: undefined,
    call: undefined,
    minSeconds: undefined,
    maxSeconds: undefined
  };
  const profile = board && board.deepSleep;
  const pins = (profile && profile.stayAwakePins) || [];
  const pin = power.stayAwakePin;
  if (pin !== undefined && !(typeof pin == 'string' && (!board || pins.includes(pin))))
    bad('power.stayAwakePin', `must be one of ${pins.join(', ') || 'the board\'s free pins'} on the ${boardName} board (a pin with a pull-up that the board's boot and the sensor leave alone), got ${JSON.stringify(pin)}`);
  else out.stayAwakePin = pin;
  if (!out.deepSleep) return out;
  if (!profile) {
    if (board) bad('power.deepSleep', `the ${boardName} board's profile names no sleep call (board/${boardName}.json, deepSleep)`);
    return out;
  }
  Object.assign(out, { call: profile.call, minSeconds: MIN_SLEEP_SECONDS, maxSeconds: profile.maxSeconds });
  const period = fw.sensor.intervalSeconds, why = 'is the wake period with power.deepSleep';
  if (typeof period == 'number' && period < MIN_SLEEP_SECONDS)
    bad('sensor.intervalSeconds', `${why}: ${period} s is under ${MIN_SLEEP_SECONDS} s, too short for a deep sleep to be worth it (every wake boots the firmware again, about as long as a reading, at the current of a board awake): sample every ${MIN_SLEEP_SECONDS} s or more, or leave power.deepSleep out`);
  if (typeof period == 'number' && period > profile.maxSeconds)
    bad('sensor.intervalSeconds', `${why}: ${period} s is over the ${profile.maxSeconds} s that ${profile.call} can sleep (Espruino takes the sleep as whole microseconds in a 32-bit integer): use ${profile.maxSeconds} s or less`);
  const filters = raw.sensor && Array.isArray(raw.sensor.filters) ? raw.sensor.filters : [];
  filters.forEach((f, i) => {
    const name = f && typeof f == 'object' && !Array.isArray(f) && Object.keys(f).length == 1 ? Object.keys(f)[0] : null;
    if (name && Object.hasOwn(FILTERS, name) && !STATELESS_FILTERS.includes(name))
      bad(`sensor.filters[${i}].${name}`, `keeps state from one reading to the next, which every deep-sleep wake loses (the wake is a reset): with power.deepSleep the filters may be ${STATELESS_FILTERS.join(', ')}`);
  });
  if (features.journal == 'never')
    bad('power.deepSleep', `keeps the readings a send could not deliver in the journal, which cannot work on the ${boardName} board: ${features.why.journal}. Use a board with more flash`);
  else if (!(fw.buffer.journal > 0))
    bad('power.deepSleep', `keeps the readings a send could not deliver in the journal, which is off (buffer.journal is 0${raw.buffer && raw.buffer.journal !== undefined ? '' : ` by default on the ${boardName} board`}): set buffer.journal above 0`);
  if (fw.mqtt.qos !== 1) bad('mqtt.qos', 'must be 1 with power.deepSleep: a reading leaves flash only once the broker has acknowledged it');
  return out;
}
