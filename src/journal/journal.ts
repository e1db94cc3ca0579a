// The journal: readings taken while the broker is away, or beyond the writer's RAM buffer, wait in flash (Storage),
// oldest first, and go back into the buffer, in order, as the broker acknowledges what is there. The build makes
// src/journal a module of its own, the Storage file `lgjournal`. The writer require()s it only for a moment, when
// there is work: at boot, for each reading while the broker is away (or the buffer is full), when the buffer has
// room for more readings from flash, before a reset; the module lets go of itself as each call begins (the call
// holds it to its end). What lasts in between is its state on the writer (`_journal`, see state.ts, and the batch),
// and only while readings wait. The format in flash: format.ts.
//
// Device RAM: the module costs the device for every function it makes while loaded, and a call for each frame under
// it, about ten variables (docs/device-ram.md). The build makes the module's functions one function, each a step of
// it (scripts/firmware/fuse-steps.mjs), and writes a step whose call is marked /*@__INLINE__*/ in place of that call
// (inline-steps.mjs), where its frame would be under a flash write or read: the walk into the buffer, the marks, the
// end of an outage. The state's fields are slots of an Int32Array on the device (packed-state.mjs).
import type { JournalHost, JournalWork } from './host';
import type { JournalState } from './state';
import type { Reading } from '../net/reading-ring';
import { readingAt } from '../net/reading-ring';
import { SEGMENT_SIZE, SEGMENT_PREFIX, FIRST_READING, READINGS_PER_MARK, UNWRITTEN, readingOf } from './format';
import { openJournal } from './state';
import { addToBatch } from './batch';
import { walk } from './walk';

/** The module's name in Storage, which each call takes out of require's cache. */
const JOURNAL_MODULE = 'lgjournal';
/** What a mark is written as (any byte but the unwritten one). */
const MARK = 'A';

/**
 * How a call goes on, once begun: the work asked for, or 'enter' (an outage's first reading goes to flash, the
 * buffer's readings first), 'mark' (the acknowledged readings are marked in flash, and the state stays), 'done'
 * (flash holds nothing more: the state goes).
 */
type Course = JournalWork | 'enter' | 'mark' | 'done';

/**
 * The journal's work, one call at a time:
 * - `boot`: says what the journal has room for; its state stays on the writer only when readings wait in flash.
 * - `add`: the readings the writer set aside (`_incoming`) go to the batch: the broker is away, the buffer had no
 *   room for them, or they must wait behind readings in flash; the first time, the buffer's readings go to flash
 *   ahead of them, so that a power cut loses at most one batch.
 * - `fill`: the same, then acknowledged readings from flash are marked there, and the buffer is filled up from
 *   flash, then from the batch; the state goes once flash holds nothing more.
 * - `keep`: before a reset, load() or LuxGraph.stop(): the buffer's readings that are not in flash yet, the readings
 *   set aside, and the batch, written there for the next start.
 */
export default function journal(host: JournalHost, work: JournalWork): void {
  // out of require's cache at once, rather than at the end: the call holds the module until it returns, and the
  // cache's entry is not under the walk
  Modules.removeCached(JOURNAL_MODULE);
  var course: Course = work;
  try {
    if (!host._journal) course = begin(host, work);
    var state = host._journal as JournalState, inBuffer = acknowledge(host, state);
    if (course == 'keep' || course == 'enter') {
      // the buffer's readings not in flash (those after the ones from flash), then the batch; entering, the whole
      // buffer, so that a power cut loses at most one batch, the readings published at its head too: they are never
      // dropped
      if (course == 'enter') state.mayHaveArrived = host._published;
      for (var at = inBuffer; at < host.queued; at++) {
        var reading = /*@__INLINE__*/ readingAt(host, at);
        addToBatch(host, reading);
      }
      while (course == 'enter' && host.queued) host._drop(0);
      host.inFlight = host._published = 0;
    }
    // the newest readings, after those of the buffer; before a reset, the batch goes to flash as it is
    for (; host._incoming && host._incoming.length; host._incoming.shift()) addToBatch(host, host._incoming[0]);
    delete host._incoming;
    if (course == 'keep') addToBatch(host);
    if (course == 'fill') course = /*@__INLINE__*/ refill(host, state, inBuffer);
    if (course == 'done') /*@__INLINE__*/ finish(host, state);
    else {
      /*@__INLINE__*/ writeMarks(state);
      // before a reset: the readings wait in flash for the next start
      if (course == 'keep') {
        host._journal = 0;
        delete host._batch;
      }
    }
  } catch (e) {
    /*@__INLINE__*/ turnOff(host, e);
  }
}

/**
 * A call with no state yet: the state, made from what Storage holds, and what is said of it. Returns how the call
 * goes on: at boot, 'done' when nothing waits in flash; for the first readings of an outage, 'enter', or 'done' when
 * Storage has no room for a segment.
 */
function begin(host: JournalHost, work: JournalWork): Course {
  var state = /*@__INLINE__*/ openJournal(host);
  if (work == 'boot') {
    console.log('journal: room for ' + host._options.journal + ' readings in flash (' + require('Storage').getStats().freeBytes + ' bytes of Storage free)' + (host.journaled ? ', ' + host.journaled + ' waiting from before' : ''));
    if (!host.journaled) return 'done';
    state.told = 1;
  }
  if (work != 'add') return work;
  if (!host._options.journal) {
    console.log('journal: no room in Storage: off until the next boot');
    return 'done';
  }
  console.log('journal: ' + (host.queued < host._size ? 'the broker is away' : 'the RAM buffer is full') + ': readings go to flash until the broker has them');
  state.told = 1;
  return 'enter';
}

/**
 * Counts the readings from flash the broker acknowledged since the last call (see sentMark); returns how many of
 * them are still in the buffer. After a reboot, readings acknowledged before it are read again, and skipped.
 */
function acknowledge(host: JournalHost, state: JournalState): number {
  var unacknowledged = Math.max(state.read - state.acknowledged, 0), acknowledged = Math.max(Math.min(host.sent - state.sentMark, unacknowledged), 0);
  state.acknowledged += acknowledged;
  host.journaled -= acknowledged;
  state.sentMark = host.queued == unacknowledged - acknowledged ? host.sent : state.sentMark + acknowledged;
  return unacknowledged - acknowledged;
}

/**
 * The buffer filled up from flash, once all it holds came from there (see sentMark), and from the batch once flash
 * holds no more. Says, once per outage, how much there is as the backlog starts going out. Returns how the call goes
 * on: 'done' once the walk left room in the buffer and nothing in flash or in the batch, else 'mark'.
 */
function refill(host: JournalHost, state: JournalState, inBuffer: number): Course {
  if (host.client.connected && state.told == 1) {
    console.log('journal: ' + host.journaled + ' readings wait in flash: sending them, oldest first');
    state.told = 2;
  }
  if (host.client.connected && host.queued == inBuffer)
    for (;;) {
      /*@__INLINE__*/ walk(host, 0);
      if (!(host.queued < host._size && state.read <= state.acknowledged)) return 'mark';
      if (!state.batched) return 'done';
      // flash holds no more: the batch, never written, goes to the buffer if it has room, else to flash, and the walk
      // goes on from there
      if (state.batched <= host._size - host.queued) {
        batchToBuffer(host, state);
        return host.queued < host._size ? 'done' : 'mark';
      }
      addToBatch(host);
    }
  else return 'mark';
}

/** The batch's readings, never written to flash, into the buffer. */
function batchToBuffer(host: JournalHost, state: JournalState): void {
  var batch = host._batch as string, end: number;
  for (; state.batched; state.batched--) {
    end = batch.indexOf('\n');
    host._put(readingOf(batch.slice(0, end)) as Reading);
    host._batch = batch = batch.slice(end + 1);
    host.journaled--;
  }
}

/**
 * The marks of the readings acknowledged, in one write after those the oldest segment has (its bytes up to the first
 * unwritten one): read back rather than remembered, so that no variable of the call is under the walk.
 */
function writeMarks(state: JournalState): void {
  var marks = Math.min((state.acknowledged / READINGS_PER_MARK) | 0, FIRST_READING - 1),
    written = marks && state.oldest <= state.newest ? (require('Storage').read(SEGMENT_PREFIX + state.oldest, 1, FIRST_READING - 1) || '').indexOf(UNWRITTEN) : -1;
  if (marks > written && written >= 0) require('Storage').write(SEGMENT_PREFIX + state.oldest, new Array(marks - written + 1).join(MARK), written + 1, SEGMENT_SIZE);
}

/** Nothing more in flash: says how the backlog went out, erases the segments, and lets go of the state; readings wait in the buffer again. */
function finish(host: JournalHost, state: JournalState): void {
  if (state.told)
    console.log('journal: backlog out of flash: ' + (host.sent - state.sentBefore) + ' readings sent, ' + (host.dropped - state.droppedBefore) + ' dropped, ' + host.queued + ' in the RAM buffer');
  for (; state.oldest <= state.newest; state.oldest++) require('Storage').erase(SEGMENT_PREFIX + state.oldest);
  host._journal = host.journaled = 0;
  delete host._batch;
}

/**
 * A fault of Storage: the journal is off until the next boot, and says so. The batch, not in flash, is lost with it,
 * counted as dropped; the readings set aside go to the buffer now.
 */
function turnOff(host: JournalHost, e: unknown): void {
  var lost = host._journal ? host._journal.batched : 0;
  console.log('journal: ' + ((e as Error).message || e) + '; off until the next boot' + (lost ? ', ' + lost + ' readings not yet in flash dropped' : ''));
  host.dropped += lost;
  host.journaled -= lost;
  host._options.journal = host._journal = 0;
  delete host._batch;
  for (; host._incoming && host._incoming.length; host._incoming.shift()) host._put(host._incoming[0]);
  delete host._incoming;
}
