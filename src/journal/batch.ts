// The batch: the newest readings of the journal, gathered as the text they are written to flash as.
import type { JournalHost } from './host';
import type { JournalState } from './state';
import type { Reading } from '../net/reading-ring';
import { SEGMENT_SIZE, FILE_HEADER, SEGMENT_PREFIX, FORMAT, FIRST_READING, BATCH_SIZE, lineOf } from './format';
import { storageRoom } from './state';
import { walk, DROP_SEGMENT } from './walk';

/**
 * Adds a reading to the batch and writes the batch to flash once it is full; without a reading, writes the batch as
 * it is. When the journal is full its oldest readings go first; when Storage is, its oldest segment (unless some of
 * it waits in the buffer), else the batch.
 */
export function addToBatch(host: JournalHost, reading?: Reading): void {
  var state = host._journal as JournalState;
  if (reading) {
    if (host.journaled >= (host._options.journal as number) && !walk(host, BATCH_SIZE)) {
      host.dropped++;
      return;
    }
    host._batch += /*@__INLINE__*/ lineOf(reading);
    state.batched++;
    host.journaled++;
  }
  // Offline, readings are written BATCH_SIZE at a time; while the backlog drains (connected), each at once, so the
  // batch is never on top of the drain, the firmware's busiest moment for RAM.
  while (state.batched >= (reading && !(host.client && host.client.connected) ? BATCH_SIZE : 1))
    try {
      // a new segment when none is open or the batch does not fit the one that is
      if (!state.writeAt || state.writeAt + (host._batch as string).length > SEGMENT_SIZE) {
        if (storageRoom() < SEGMENT_SIZE + FILE_HEADER) throw 0;
        require('Storage').write(SEGMENT_PREFIX + (state.newest + 1), FORMAT, 0, SEGMENT_SIZE);
        state.newest++;
        state.writeAt = FIRST_READING;
      }
      require('Storage').write(SEGMENT_PREFIX + state.newest, host._batch as string, state.writeAt);
      state.writeAt += (host._batch as string).length;
      host._batch = '';
      state.batched = 0;
    } catch (e) {
      if (!walk(host, DROP_SEGMENT)) {
        console.log('journal: Storage full, ' + state.batched + ' readings dropped');
        host.dropped += state.batched;
        host.journaled -= state.batched;
        host._batch = '';
        state.batched = 0;
      }
    }
}
