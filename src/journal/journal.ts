// The journal: readings that do not fit the writer's RAM buffer wait in flash (Storage), oldest first, and go back
// into the buffer, in order, as the broker acknowledges what is there. The build makes this file a module of its own,
// the Storage file `lgjournal`. The writer require()s it only for a moment, when there is work: at boot, when an
// outage outlasts the buffer, when a batch of readings is to be written, when the buffer has room for more readings
// from flash, before a reset; the module lets go of itself at the end of each call. What lasts in between is its
// state on the writer (`_journal`, a dozen numbers and the batch), and only while readings wait.
//
// Loading the module costs device RAM for as long as it is loaded: every function it makes, every name at its top
// level. So it is one function and nothing else: its constants are written into the code by the build (top-level
// `const`s in capitals), Storage is require()d where it is used, and its helpers are the same function called again
// with another `what`. A call holds only the variables of what it does (Espruino makes a `var` when it runs it).
//
// Flash is written in segments, Storage files `lgj1`, `lgj2` … of SEG bytes, created at full size and filled in
// parts (a Storage file's bytes can each be written once, without an erase):
//   byte 0            'J' (the format)
//   bytes 1 … 63      marks: byte k written once 8·k readings of the segment are acknowledged by the broker
//   bytes 64 …        the readings, BATCH at a time, each a line: `1764395000250,284.1312` for a reading of the
//                     firmware's sensor (its time in milliseconds, a whole number that comes back exactly: Espruino
//                     writes fractions with a rounding error; then its value, NaN for a saturated one), any other
//                     event as its JSON
// A segment is erased once all its readings are acknowledged. After a power cut, the readings of a segment past its
// marks are sent again (a reading may arrive twice, never not at all); a reading cut off by the cut ends the segment.

const SEG = 4064, MARKS = 64, EVERY = 8, BATCH = 8, PREFIX = 'lgj';
/** Storage kept free for other files (commands that last), and what a reading takes at most on average, bytes. */
const RESERVE = 1024, PER_READING = 40;

/** The journal's state, kept on the writer (`_journal`) while readings wait in flash or in the batch. */
interface Journal {
  /** Oldest segment, its read offset, readings read from it, readings of it acknowledged (or dropped). */
  _seg: number;
  _pos: number;
  _read: number;
  _acked: number;
  /** Newest segment and where its next batch goes; 0: no segment open for writing. */
  _tail: number;
  _end: number;
  /** Readings not yet written (at most BATCH), as the text they will be written as, and how many. */
  _batch: string;
  _count: number;
  /** The oldest readings in flash were published before the outage: they may have arrived, so they are never dropped. */
  _maybe: number;
  /**
   * The writer's `sent` from which its acknowledgements are of readings from flash: those read and not yet
   * acknowledged (`_read - _acked`) are the whole of the writer's buffer, in order.
   */
  _sent: number;
}

/**
 * The journal's work, one call at a time (the module then lets go of itself):
 * - `boot`: says what the journal has room for; its state stays on the writer only when readings wait in flash.
 * - `add`: the readings the writer set aside (`_incoming`): the buffer had no room for them, or they must wait
 *   behind readings in flash; the first time, the buffer's readings go to flash ahead of them, so that a power cut
 *   loses at most one batch. With the journal off (no room in Storage), they go to the buffer after all.
 * - `fill`: the readings set aside to the batch (as `add` does), acknowledged readings from flash marked there, the
 *   buffer filled up from flash, then from the batch; the state goes once flash holds nothing more.
 * - `keep`: before a reset, load() or LuxGraph.stop(): the buffer's readings that are not in flash yet, the
 *   readings set aside, and the batch, written there for the next start.
 * Its own steps, the same function called again: `open` (the state, from what Storage holds), `batch` (a reading
 * `x` to the batch, written once full; without `x`, the batch as it is), `walk` (the oldest readings in flash to
 * the buffer, or `x` of them dropped), `parse` (a reading back from its record `x`), `incoming` (the readings set
 * aside to the batch, or to the buffer with the journal off).
 */
export default function journal(w: any, what: string, x?: any): any {
  var j: Journal = w._journal, n: any, i: any;
  if (what == 'parse') {
    // false when the record is damaged
    i = x.indexOf(',');
    if (x[0] == '[' || x[0] == '{')
      try {
        return JSON.parse(x);
      } catch (e) {}
    n = [CONFIG.sensor.id, +x.slice(0, i) / 1e3, +x.slice(i + 1)];
    // (Espruino's regular expressions have no groups with alternatives: two of them)
    return (/^\d+,[-\d.e+]+$/.test(x) || /^\d+,NaN$/.test(x)) && n;
  }
  if (what == 'walk') {
    // The oldest readings in flash, in order: into the writer's buffer while it has room (x 0), or dropped and
    // counted, up to x of them (-1: the rest of the oldest segment, which goes); those that may have arrived go to
    // the buffer instead (it is empty while offline). A closed segment goes once all its readings are acknowledged.
    // Returns how many were dropped.
    var start = j._seg, line: any;
    n = 0;
    while (x ? (x < 0 ? j._seg == start : n < x) : w.queued < w._size) {
      // (the reading before, already in the buffer, let go first)
      line = 0;
      line = (j._seg <= j._tail && require('Storage').read(PREFIX + j._seg, j._pos, (w._options.maxPayload || 256) + 64)) || '';
      i = line.indexOf('\n');
      // unwritten flash (0xFF) or a reading cut off by a power cut: the end of the segment
      if (i < 0 || line.slice(0, i).indexOf('\xff') >= 0) {
        if (j._seg > j._tail || (j._seg == j._tail && j._end) || j._acked < j._read) break;
        require('Storage').erase(PREFIX + j._seg);
        j._seg++;
        j._pos = MARKS;
        j._read = j._acked = 0;
        continue;
      }
      j._pos += i + 1;
      if (++j._read <= j._acked) continue; // acknowledged before a reboot
      line = journal(w, 'parse', line.slice(0, i)); // the reading it holds
      if (line && (!x || (j._maybe && w.queued < w._size))) {
        w._put(line);
        if (j._maybe) j._maybe--;
        // one that may have arrived is the buffer's now, sent again from there
        if (x) {
          j._acked++;
          w.journaled--;
        }
        continue;
      }
      if (j._maybe) j._maybe--;
      if (!line) console.log('journal: a corrupt reading in ' + PREFIX + j._seg + ' dropped');
      j._acked++;
      w.journaled--;
      w.dropped++;
      n++;
    }
    if (n && x) console.log('journal: full, ' + n + ' oldest readings dropped');
    return n;
  }
  if (what == 'batch') {
    // When the journal is full its oldest readings go first; when Storage is, its oldest segment (unless some of it
    // waits in the buffer), else the batch.
    if (x) {
      if (w.journaled >= w._options.journal && !journal(w, 'walk', BATCH)) {
        w.dropped++;
        return;
      }
      j._batch += (x instanceof Array && x[0] === CONFIG.sensor.id && typeof x[2] == 'number' ? Math.round(x[1] * 1e3) + ',' + x[2] : JSON.stringify(x)) + '\n';
      j._count++;
      w.journaled++;
    }
    while (j._count >= (x ? BATCH : 1))
      try {
        if (!j._end || j._end + j._batch.length > SEG) {
          n = require('Storage').getStats();
          if (n.freeBytes + n.trashBytes - RESERVE < SEG + 32) throw 0;
          require('Storage').write(PREFIX + (j._tail + 1), 'J', 0, SEG);
          j._tail++;
          j._end = MARKS;
        }
        require('Storage').write(PREFIX + j._tail, j._batch, j._end);
        j._end += j._batch.length;
        j._batch = '';
        j._count = 0;
      } catch (e) {
        if (!journal(w, 'walk', -1)) {
          console.log('journal: Storage full, ' + j._count + ' readings dropped');
          w.dropped += j._count;
          w.journaled -= j._count;
          j._batch = '';
          j._count = 0;
        }
      }
    return;
  }
  if (what == 'incoming') {
    for (; w._incoming && w._incoming.length; w._incoming.shift())
      if (w._options.journal) journal(w, 'batch', w._incoming[0]);
      else w._put(w._incoming[0]);
    delete w._incoming;
    return;
  }
  if (what == 'open') {
    // the journal as Storage holds it: its segments and the readings waiting in them
    var files = require('Storage').list(/^lgj\d+$/), first = 0, last = 0, count, at, text: any;
    for (i = 0; i < files.length; i++) {
      n = +files[i].slice(PREFIX.length);
      if (!first || n < first) first = n;
      if (n > last) last = n;
    }
    j = w._journal = { _seg: first || 1, _pos: MARKS, _read: 0, _acked: 0, _tail: last, _end: 0, _batch: '', _count: 0, _maybe: 0, _sent: w.sent };
    w.journaled = 0;
    // readings in each segment, past the marks of the oldest; a segment missing between them is left out
    for (n = first; first && n <= last; n++) {
      if (require('Storage').read(PREFIX + n, 0, 1) === undefined) continue;
      text = require('Storage').read(PREFIX + n, 0, SEG);
      if (text[0] != 'J') {
        console.log('journal: ' + PREFIX + n + ' is not a journal segment: erased');
        require('Storage').erase(PREFIX + n);
        continue;
      }
      i = text.indexOf('\xff', MARKS);
      if (i < 0) i = SEG;
      // a reading cut off by a power cut (no line feed before unwritten flash) ends the segment
      if (text[i - 1] != '\n' && i > MARKS) console.log('journal: ' + PREFIX + n + ' ends in a reading cut off by a power cut: it is left out');
      // counted in place: the segment's text stays in flash
      for (count = 0, at = text.indexOf('\n', MARKS); at >= 0 && at < i; at = text.indexOf('\n', at + 1)) count++;
      if (n == first) {
        // the marks written: up to the first unwritten byte after the format's
        at = text.indexOf('\xff', 1);
        j._acked = Math.min(EVERY * ((at < 0 || at > MARKS ? MARKS : at) - 1), count);
      }
      w.journaled += count - (n == first ? j._acked : 0);
    }
    // the most it takes: buffer.journal, and what Storage has room for beyond the firmware and the segments already
    // there, its free space and its trash (erased files, which Espruino reclaims by itself, compacting, when a new
    // file needs their room); kept as the writer's option
    n = require('Storage').getStats();
    n = Math.max(0, Math.floor((n.freeBytes + n.trashBytes - RESERVE) / (SEG + 32))) + (first ? last - first + 1 : 0);
    w._options.journal = Math.min(w._options.journal, Math.floor((n * (SEG - MARKS)) / PER_READING));
    return j;
  }
  // (each step has variables of its own names: Espruino makes a variable where its `var` runs, and the minifier
  // keeps one `var` of a name; the build checks that each is declared before it is used)
  var enter = 0, done = 0, seg, marks, loaded;
  try {
    if (!j) {
      j = journal(w, 'open');
      if (what == 'boot') {
        console.log('journal: room for ' + w._options.journal + ' readings in flash (' + require('Storage').getStats().freeBytes + ' bytes of Storage free)' + (w.journaled ? ', ' + w.journaled + ' waiting from before' : ''));
        done = w.journaled ? 0 : 1;
      }
      if (what == 'add' && !(enter = w._options.journal)) {
        console.log('journal: no room in Storage: off until the next boot');
        done = 1;
      }
    }
    seg = j._seg;
    marks = (j._acked / EVERY) | 0;
    // readings from flash the broker acknowledged since the last call (see _sent), and those still in the buffer
    // (after a reboot, readings acknowledged before it are read again, and skipped)
    loaded = Math.max(j._read - j._acked, 0);
    n = Math.max(Math.min(w.sent - j._sent, loaded), 0);
    j._acked += n;
    w.journaled -= n;
    loaded -= n;
    j._sent = w.queued == loaded ? w.sent : j._sent + n;
    if (what == 'keep' || enter) {
      // the buffer's readings not in flash (those after the ones from flash), then the batch; entering, the whole
      // buffer, so that a power cut loses at most one batch, the readings published at its head too: they are
      // never dropped
      if (enter) j._maybe = w._published;
      for (i = loaded; i < w.queued; i++) {
        n = (w._head + i) % w._size;
        journal(w, 'batch', w._others[n] !== undefined ? w._others[n] : [w._id, w._since + w._numbers[2 * n] / 1e3, w._numbers[2 * n + 1] / 1e4]);
      }
      while (enter && w.queued) w._drop(0);
      w.inFlight = w._published = 0;
    }
    // the newest readings, after those of the buffer; before a reset, the batch goes to flash as it is
    journal(w, 'incoming');
    if (what == 'keep') journal(w, 'batch');
    // the buffer takes more from flash once all it holds came from there (see _sent)
    if (what == 'fill' && w.client.connected && w.queued == loaded) {
      journal(w, 'walk', 0);
      // flash holds no more: the batch, never written, goes to the buffer if it has room, else to flash
      if (w.queued < w._size && j._read <= j._acked && j._count) {
        if (j._count > w._size - w.queued) {
          journal(w, 'batch');
          journal(w, 'walk', 0);
        } else
          for (; j._count; j._count--) {
            i = j._batch.indexOf('\n');
            w._put(journal(w, 'parse', j._batch.slice(0, i)));
            j._batch = j._batch.slice(i + 1);
            w.journaled--;
          }
      }
      done = w.queued < w._size && j._read <= j._acked && !j._count ? 1 : 0;
    }
    if (done) {
      // nothing more in flash: its segments go, and the state; readings wait in the buffer again
      for (; j._seg <= j._tail; j._seg++) require('Storage').erase(PREFIX + j._seg);
      w._journal = w.journaled = 0;
    } else {
      // the marks of the readings acknowledged, in one write
      n = Math.min((j._acked / EVERY) | 0, MARKS - 1);
      i = j._seg == seg ? marks : 0;
      if (j._seg <= j._tail && n > i) require('Storage').write(PREFIX + j._seg, new Array(n - i + 1).join('A'), i + 1, SEG);
      // before a reset: the readings wait in flash for the next start
      if (what == 'keep') w._journal = 0;
    }
  } catch (e) {
    console.log('journal: ' + ((e as any).message || e) + '; off until the next boot');
    w._options.journal = w._journal = 0;
    // the readings set aside, to the buffer now
    journal(w, 'incoming');
  }
  Modules.removeCached('lgjournal');
}
