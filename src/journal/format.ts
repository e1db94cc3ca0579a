// The journal's format in flash, and a reading to and from its line there.
//
// Flash is written in segments, Storage files `lgj1`, `lgj2` … of SEGMENT_SIZE bytes, created at full size and
// filled in parts (a Storage file's bytes can each be written once, without an erase):
//   byte 0            'J' (the format)
//   bytes 1 … 63      marks: byte k written once 8·k readings of the segment are acknowledged by the broker
//   bytes 64 …        the readings, BATCH_SIZE at a time, each a line: `1764395000250,284.1312` for a reading of
//                     the firmware's sensor (its time in milliseconds, a whole number that comes back exactly:
//                     Espruino writes fractions with a rounding error; then its value, NaN for a saturated one),
//                     any other event as its JSON
// A segment is erased once all its readings are acknowledged. After a power cut, the readings of a segment past its
// marks are sent again (a reading may arrive twice, never not at all); a reading cut off by the cut ends the segment.
//
// (The build writes each constant in capitals into the code where it is used: a name kept costs device RAM.)
import type { Reading } from '../net/reading-ring';

/** A segment's bytes, and what Storage takes for a file beyond them (its header). */
export const SEGMENT_SIZE = 4064;
export const FILE_HEADER = 32;
/** The Storage file of segment n is SEGMENT_PREFIX + n. */
export const SEGMENT_PREFIX = 'lgj';
/** Byte 0 of a segment. */
export const FORMAT = 'J';
/** Where a segment's readings begin: the format byte and the marks come first. */
export const FIRST_READING = 64;
/** Readings acknowledged per mark. */
export const READINGS_PER_MARK = 8;
/** Readings written to flash at once while offline. */
export const BATCH_SIZE = 8;
/** What a segment's unwritten bytes read as. */
export const UNWRITTEN = '\xff';
/** Storage kept free for other files (commands that last), and what a reading takes at most on average, bytes. */
export const RESERVE = 1024;
export const PER_READING = 40;

/** A reading as its line in flash, line feed included. */
export function lineOf(reading: Reading): string {
  return (reading instanceof Array && reading[0] === CONFIG.sensor.id && typeof reading[2] == 'number' ? Math.round(reading[1] * 1e3) + ',' + reading[2] : JSON.stringify(reading)) + '\n';
}

/**
 * The reading a line of flash holds (without its line feed), or false when the line is damaged. Checked by hand, a
 * character at a time: the first regular expression the device runs makes Espruino build RegExp and its prototype,
 * which then stay in RAM for good.
 */
export function readingOf(line: string): Reading | false {
  if (line[0] == '[' || line[0] == '{')
    try {
      return JSON.parse(line);
    } catch (e) {}
  // digits, a comma, then a number's characters, or NaN
  var comma = line.indexOf(','), value = line.slice(comma + 1), at = 0;
  for (; at < line.length; at++) if ((at < comma ? '0123456789' : at == comma ? ',' : value == 'NaN' ? 'NaN' : '-0123456789.e+').indexOf(line[at]) < 0) return false;
  return comma > 0 && value != '' && [CONFIG.sensor.id, +line.slice(0, comma) / 1e3, +value];
}
