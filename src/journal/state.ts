// The journal's state, kept on the writer while readings wait in flash or in the batch, and how a call makes it
// from what Storage holds.
import type { JournalHost } from './host';
import { SEGMENT_SIZE, FILE_HEADER, SEGMENT_PREFIX, FORMAT, FIRST_READING, READINGS_PER_MARK, UNWRITTEN, PER_READING, RESERVE } from './format';

/**
 * Where the journal is, as whole numbers. The build keeps it as an Int32Array, a slot per field in this order
 * (scripts/firmware/packed-state.mjs): an object with a field for each costs the device more variables.
 * @packed
 */
export interface JournalState {
  /** The oldest segment, where its next reading starts, readings read from it, and those of them acknowledged (or dropped). */
  oldest: number;
  readAt: number;
  read: number;
  acknowledged: number;
  /** The newest segment, and where its next batch goes; 0: no segment open for writing. */
  newest: number;
  writeAt: number;
  /** Readings in the batch (the writer's `_batch`, at most BATCH_SIZE, as the text they will be written as). */
  batched: number;
  /** How many of the oldest readings in flash were published before the outage: they may have arrived, so they are never dropped. */
  mayHaveArrived: number;
  /**
   * The writer's `sent` from which its acknowledgements are of readings from flash: those read and not yet
   * acknowledged (read - acknowledged) are the whole of the writer's buffer, in order.
   */
  sentMark: number;
  /**
   * What the console was told of this outage: 0 nothing (a boot with nothing in flash), 1 that readings wait in flash,
   * 2 that they are being sent; and the writer's `sent` and `dropped` when the state was made, for the line that
   * says the backlog went out.
   */
  told: number;
  sentBefore: number;
  droppedBefore: number;
}

/**
 * The journal as Storage holds it, made the writer's state: its segments, the readings waiting in them (every file
 * told apart by hand: see readingOf), and the most it may take, kept as the writer's option `journal`.
 */
export function openJournal(host: JournalHost): JournalState {
  var files = require('Storage').list(), first = 0, last = 0, text: string, end: number, at: number, count: number, k: number, segment: number;
  for (k = 0; k < files.length; k++) {
    segment = +files[k].slice(SEGMENT_PREFIX.length);
    if (files[k] != SEGMENT_PREFIX + (segment | 0) || segment < 1) continue;
    if (!first || segment < first) first = segment;
    if (segment > last) last = segment;
  }
  var state: JournalState = (host._journal = {
    oldest: first || 1,
    readAt: FIRST_READING,
    read: 0,
    acknowledged: 0,
    newest: last,
    writeAt: 0,
    batched: 0,
    mayHaveArrived: 0,
    sentMark: host.sent,
    told: 0,
    sentBefore: host.sent,
    droppedBefore: host.dropped
  });
  host._batch = '';
  host.journaled = 0;
  // readings in each segment, past the marks of the oldest; a segment missing between them is left out
  for (segment = first; first && segment <= last; segment++) {
    if (require('Storage').read(SEGMENT_PREFIX + segment, 0, 1) === undefined) continue;
    text = require('Storage').read(SEGMENT_PREFIX + segment, 0, SEGMENT_SIZE) as string;
    if (text[0] != FORMAT) {
      console.log('journal: ' + SEGMENT_PREFIX + segment + ' is not a journal segment: erased');
      require('Storage').erase(SEGMENT_PREFIX + segment);
      continue;
    }
    end = text.indexOf(UNWRITTEN, FIRST_READING);
    if (end < 0) end = SEGMENT_SIZE;
    // a reading cut off by a power cut (no line feed before unwritten flash) ends the segment
    if (text[end - 1] != '\n' && end > FIRST_READING) console.log('journal: ' + SEGMENT_PREFIX + segment + ' ends in a reading cut off by a power cut: it is left out');
    // counted in place: the segment's text stays in flash
    for (count = 0, at = text.indexOf('\n', FIRST_READING); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) count++;
    if (segment == first) {
      // the marks written: up to the first unwritten byte after the format's
      at = text.indexOf(UNWRITTEN, 1);
      state.acknowledged = Math.min(READINGS_PER_MARK * ((at < 0 || at > FIRST_READING ? FIRST_READING : at) - 1), count);
    }
    host.journaled += count - (segment == first ? state.acknowledged : 0);
  }
  // the most it takes: buffer.journal, and what Storage has room for beyond the firmware and the segments already
  // there
  var segments = Math.max(0, Math.floor(storageRoom() / (SEGMENT_SIZE + FILE_HEADER))) + (first ? last - first + 1 : 0);
  host._options.journal = Math.min(host._options.journal as number, Math.floor((segments * (SEGMENT_SIZE - FIRST_READING)) / PER_READING));
  return state;
}

/**
 * Bytes Storage has room for beyond RESERVE: its free space and its trash (erased files, which Espruino reclaims by
 * itself, compacting, when a new file needs their room). A number: the object Storage answers with is a dozen
 * variables, not to be kept over a write.
 */
export function storageRoom(): number {
  var stats = require('Storage').getStats();
  return stats.freeBytes + stats.trashBytes - RESERVE;
}
