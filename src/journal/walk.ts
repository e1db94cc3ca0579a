// The walk: the oldest readings in flash, in order, into the writer's buffer or dropped.
import type { JournalHost } from './host';
import type { JournalState } from './state';
import type { Reading } from '../net/reading-ring';
import { SEGMENT_PREFIX, FIRST_READING, UNWRITTEN, readingOf } from './format';

/** A walk's limit that drops the rest of the oldest segment, which then goes. */
export const DROP_SEGMENT = -1;
/** What a line in flash holds at most beyond its reading's payload (its time, a comma, the line feed). */
const LINE_BEYOND_PAYLOAD = 64;

/**
 * Takes the oldest readings from flash, in order: with `limit` 0 into the buffer while it has room; otherwise drops
 * and counts `limit` of them, or (DROP_SEGMENT) the rest of the oldest segment. Those that may have arrived go to the
 * buffer instead of being dropped (it is empty while offline). A closed segment is erased once all its readings are
 * acknowledged. Returns how many it dropped.
 */
export function walk(host: JournalHost, limit: number): number {
  // `next`: the oldest reading's line as read, then the reading it holds (one variable: under the flash reads, the
  // firmware's busiest moment, each costs the device one more)
  var state = host._journal as JournalState, dropped = 0, end: number, next: string | Reading | false;
  while (limit ? limit < 0 || dropped < limit : host.queued < host._size) {
    // (the reading before, in the buffer now, let go of first)
    next = '';
    next = (state.oldest <= state.newest && require('Storage').read(SEGMENT_PREFIX + state.oldest, state.readAt, (host._options.maxPayload || DEFAULTS.mqtt.maxPayload) + LINE_BEYOND_PAYLOAD)) || '';
    end = next.indexOf('\n');
    // unwritten flash, or a reading cut off by a power cut: the end of the segment
    if (end < 0 || next.slice(0, end).indexOf(UNWRITTEN) >= 0) {
      if (state.oldest > state.newest || (state.oldest == state.newest && state.writeAt) || state.acknowledged < state.read) break;
      require('Storage').erase(SEGMENT_PREFIX + state.oldest);
      state.oldest++;
      state.readAt = FIRST_READING;
      state.read = state.acknowledged = 0;
      if (limit == DROP_SEGMENT) break;
      continue;
    }
    state.readAt += end + 1;
    // acknowledged before a reboot
    if (++state.read <= state.acknowledged) continue;
    next = readingOf(next.slice(0, end));
    if (next && (!limit || (state.mayHaveArrived && host.queued < host._size))) {
      host._put(next);
      if (state.mayHaveArrived) state.mayHaveArrived--;
      // one that may have arrived is the buffer's now, sent again from there
      if (limit) {
        state.acknowledged++;
        host.journaled--;
      }
      continue;
    }
    if (state.mayHaveArrived) state.mayHaveArrived--;
    if (!next) console.log('journal: a corrupt reading in ' + SEGMENT_PREFIX + state.oldest + ' dropped');
    state.acknowledged++;
    host.journaled--;
    host.dropped++;
    dropped++;
  }
  if (dropped && limit) console.log('journal: full, ' + dropped + ' oldest readings dropped');
  // (the last reading, in the buffer now, let go of: where the walk is written in place of its call, its variables
  // last as long as that call)
  next = '';
  return dropped;
}
