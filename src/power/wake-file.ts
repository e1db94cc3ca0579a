// The wake file: the readings of the wakes since the last send, one record a wake, in the Storage file `lgwake`.
// A deep sleep keeps nothing in RAM, so each wake appends its record to flash before it sleeps. The file is created
// once per send cycle at the size of sendEvery records and filled in place (a Storage file's bytes can each be
// written once without an erase: the next record goes at the first unwritten byte), then erased once its readings
// are delivered or handed to the journal. So a cycle of twelve wakes costs one file, not twelve; the flash wear that
// gives is in docs/battery.md.
//
// A record is one line, `t,v,a,n`:
//   t  the reading's time, in milliseconds (the time of the sleep when the wake got no reading)
//   v  the reading's value (lux; NaN for a saturated one), or nothing when the wake got no reading
//   a  the wake's awake time in milliseconds, from its clock's start to its sleep
//   n  milliseconds from t to the next wake's clock start, as planned: the next wake's clock is set from it
// A record cut off by a power cut is left out: the next record starts on a line of its own after it.

/** The Storage file of the wakes since the last send. */
export const WAKE_FILE = 'lgwake';
/** Room for one record, bytes: the largest is about 40 (13 digits of time, a value, the awake time, the sleep). */
const RECORD_BYTES = 48;

/** What the wake file holds: its records, their awake time, and when the wake after the last one starts (0: none). */
export interface Wakes {
  count: number;
  awakeMs: number;
  next: number;
}

/**
 * Reads the wake file: returns its records' count, total awake time and the next wake's start; `each(t, v)` gets
 * every reading, oldest first (not the wakes without one).
 */
export function readWakes(each?: (t: number, v: number) => void): Wakes {
  var text = require('Storage').read(WAKE_FILE) || '', out: Wakes = { count: 0, awakeMs: 0, next: 0 }, at = 0, end, fields;
  for (; (end = text.indexOf('\n', at)) >= 0 && text.slice(at, end).indexOf('\xff') < 0; at = end + 1) {
    fields = text.slice(at, end).split(',');
    if (fields.length != 4) continue; // cut off by a power cut
    out.count++;
    out.awakeMs += +fields[2];
    out.next = +fields[0] + +fields[3];
    if (each && fields[1] !== '') each(+fields[0], +fields[1]);
  }
  return out;
}

/** Appends a wake's record; the file is created the first time, with room for a send cycle's records. */
export function appendWake(t: number, v: number | undefined, awakeMs: number, nextMs: number) {
  var storage = require('Storage'), record = Math.round(t) + ',' + (v === undefined ? '' : v) + ',' + Math.round(awakeMs) + ',' + Math.round(nextMs) + '\n';
  var text = storage.read(WAKE_FILE), at = text === undefined ? 0 : text.indexOf('\xff');
  // after a record cut off by a power cut, on a line of its own
  if (at > 0 && text![at - 1] != '\n') record = '\n' + record;
  if (text === undefined) storage.write(WAKE_FILE, record, 0, (CONFIG.power.sendEvery + 1) * RECORD_BYTES);
  else if (at < 0 || at + record.length > text.length) throw new Error('the wake file is full');
  else storage.write(WAKE_FILE, record, at);
}

/** Erases the wake file: its readings have been delivered, or handed to the journal. */
export function eraseWakes() {
  require('Storage').erase(WAKE_FILE);
}
