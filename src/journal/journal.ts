// The journal: readings that do not fit the writer's RAM buffer wait in flash (Storage), oldest first, and go back
// into the buffer, in order, as the broker acknowledges what is there. The build makes this file a module of its own,
// the Storage file `lgjournal`. The writer require()s it only for a moment, when there is work: at boot, when an
// outage outlasts the buffer, when a batch of readings is to be written, when the buffer has room for more readings
// from flash, before a reset; the module lets go of itself as each call begins (the call holds it to its end). What
// lasts in between is its state on the writer (`_journal`, a dozen numbers and the batch), and only while readings
// wait.
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

// The journal's state, kept on the writer while readings wait in flash or in the batch: its whole numbers in one
// Int32Array (`_journal`), at these places (an object with a field for each costs the device 14 variables more),
// and the batch itself in `_batch`.
/** Oldest segment, its read offset, readings read from it, readings of it acknowledged (or dropped). */
const OLDEST = 0, POS = 1, READ = 2, ACKED = 3;
/** Newest segment and where its next batch goes; 0: no segment open for writing. */
const NEWEST = 4, END = 5;
/** Readings in the batch (`_batch`: at most BATCH, as the text they will be written as). */
const COUNT = 6;
/** The oldest readings in flash were published before the outage: they may have arrived, so they are never dropped. */
const MAYBE = 7;
/**
 * The writer's `sent` from which its acknowledgements are of readings from flash: those read and not yet
 * acknowledged (READ - ACKED) are the whole of the writer's buffer, in order.
 */
const SINCE = 8;
/**
 * What the console was told of this outage: 0 nothing (a boot with nothing in flash), 1 that readings wait in
 * flash, 2 that they are being sent; and the writer's `sent` and `dropped` when the state was made, for the line
 * that says the backlog went out.
 */
const SAID = 9, SENT_AT = 10, DROPPED_AT = 11;

/**
 * The journal's work, one call at a time (the module lets go of itself as the call begins):
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
  // (each step declares the variables it uses, under names of its own: Espruino makes a variable where its `var`
  // runs, so a call holds only those of its step; the minifier keeps one `var` of a name, and the build checks
  // that each is declared before it is used)
  var j: Int32Array = w._journal;
  if (what == 'parse') {
    // false when the record is damaged
    if (x[0] == '[' || x[0] == '{')
      try {
        return JSON.parse(x);
      } catch (e) {}
    // digits, a comma, then a number's characters or NaN; checked by hand, as the first regular expression the
    // device runs makes Espruino build RegExp and its prototype, which then stay in RAM for good
    var comma = x.indexOf(','), value = x.slice(comma + 1), ch = 0;
    for (; ch < x.length; ch++) if ((ch < comma ? '0123456789' : ch == comma ? ',' : value == 'NaN' ? 'NaN' : '-0123456789.e+').indexOf(x[ch]) < 0) return false;
    return comma > 0 && value != '' && [CONFIG.sensor.id, +x.slice(0, comma) / 1e3, +value];
  }
  if (what == 'batch') {
    // When the journal is full its oldest readings go first; when Storage is, its oldest segment (unless some of it
    // waits in the buffer), else the batch.
    if (x) {
      if (w.journaled >= w._options.journal && !journal(w, 'walk', BATCH)) {
        w.dropped++;
        return;
      }
      w._batch += (x instanceof Array && x[0] === CONFIG.sensor.id && typeof x[2] == 'number' ? Math.round(x[1] * 1e3) + ',' + x[2] : JSON.stringify(x)) + '\n';
      j[COUNT]++;
      w.journaled++;
    }
    // Offline, readings are written BATCH at a time; while the backlog drains (connected), each at once, so the batch
    // is never on top of the drain, the firmware's busiest moment for RAM.
    while (j[COUNT] >= (x && !(w.client && w.client.connected) ? BATCH : 1))
      try {
        if (!j[END] || j[END] + w._batch.length > SEG) {
          // (a number at once: the object Storage answers with is a dozen variables, not to be kept over the write)
          var room: any = require('Storage').getStats();
          room = room.freeBytes + room.trashBytes - RESERVE;
          if (room < SEG + 32) throw 0;
          require('Storage').write(PREFIX + (j[NEWEST] + 1), 'J', 0, SEG);
          j[NEWEST]++;
          j[END] = MARKS;
        }
        require('Storage').write(PREFIX + j[NEWEST], w._batch, j[END]);
        j[END] += w._batch.length;
        w._batch = '';
        j[COUNT] = 0;
      } catch (e) {
        if (!journal(w, 'walk', -1)) {
          console.log('journal: Storage full, ' + j[COUNT] + ' readings dropped');
          w.dropped += j[COUNT];
          w.journaled -= j[COUNT];
          w._batch = '';
          j[COUNT] = 0;
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
    // (every file, told apart by hand: see parse)
    var files = require('Storage').list(), first = 0, last = 0, count, at, text: any, k, seg: any;
    for (k = 0; k < files.length; k++) {
      seg = +files[k].slice(PREFIX.length);
      if (files[k] != PREFIX + (seg | 0) || seg < 1) continue;
      if (!first || seg < first) first = seg;
      if (seg > last) last = seg;
    }
    j = w._journal = new Int32Array(12);
    j[SENT_AT] = w.sent;
    j[DROPPED_AT] = w.dropped;
    j[OLDEST] = first || 1;
    j[POS] = MARKS;
    j[NEWEST] = last;
    j[SINCE] = w.sent;
    w._batch = '';
    w.journaled = 0;
    // readings in each segment, past the marks of the oldest; a segment missing between them is left out
    for (seg = first; first && seg <= last; seg++) {
      if (require('Storage').read(PREFIX + seg, 0, 1) === undefined) continue;
      text = require('Storage').read(PREFIX + seg, 0, SEG);
      if (text[0] != 'J') {
        console.log('journal: ' + PREFIX + seg + ' is not a journal segment: erased');
        require('Storage').erase(PREFIX + seg);
        continue;
      }
      k = text.indexOf('\xff', MARKS);
      if (k < 0) k = SEG;
      // a reading cut off by a power cut (no line feed before unwritten flash) ends the segment
      if (text[k - 1] != '\n' && k > MARKS) console.log('journal: ' + PREFIX + seg + ' ends in a reading cut off by a power cut: it is left out');
      // counted in place: the segment's text stays in flash
      for (count = 0, at = text.indexOf('\n', MARKS); at >= 0 && at < k; at = text.indexOf('\n', at + 1)) count++;
      if (seg == first) {
        // the marks written: up to the first unwritten byte after the format's
        at = text.indexOf('\xff', 1);
        j[ACKED] = Math.min(EVERY * ((at < 0 || at > MARKS ? MARKS : at) - 1), count);
      }
      w.journaled += count - (seg == first ? j[ACKED] : 0);
    }
    // the most it takes: buffer.journal, and what Storage has room for beyond the firmware and the segments already
    // there, its free space and its trash (erased files, which Espruino reclaims by itself, compacting, when a new
    // file needs their room); kept as the writer's option
    seg = require('Storage').getStats();
    seg = Math.max(0, Math.floor((seg.freeBytes + seg.trashBytes - RESERVE) / (SEG + 32))) + (first ? last - first + 1 : 0);
    w._options.journal = Math.min(w._options.journal, Math.floor((seg * (SEG - MARKS)) / PER_READING));
    return j;
  }
  // The rest is one frame: the main step, and the walk, a step of its own (called by `batch`) and the main step's
  // filling of the buffer (`fill`), inside the main step's frame. That frame is under the walk's flash reads, the
  // journal's peak, so it makes three variables, no more: `n`, `i` and `line` (in the walk, the readings dropped,
  // where the line ends, and the line). `x` holds the buffer's readings from flash; `what` becomes 'enter' (the
  // first readings to flash), 'mark' (no walk) or 'done' (the state goes at the end).
  var n: any, i: any, line: any;
  // out of require's cache at once, rather than at the end: the call holds the module until it returns, and the
  // cache's entry is not under the walk
  if (what != 'walk') Modules.removeCached('lgjournal');
  try {
    if (what != 'walk') {
      if (!j) {
        j = journal(w, 'open');
        if (what == 'boot') {
          console.log('journal: room for ' + w._options.journal + ' readings in flash (' + require('Storage').getStats().freeBytes + ' bytes of Storage free)' + (w.journaled ? ', ' + w.journaled + ' waiting from before' : ''));
          if (!w.journaled) what = 'done';
          else j[SAID] = 1;
        }
        if (what == 'add') {
          what = 'enter';
          if (!w._options.journal) {
            console.log('journal: no room in Storage: off until the next boot');
            what = 'done';
          } else {
            console.log('journal: the RAM buffer is full: readings go to flash until the broker has them');
            j[SAID] = 1;
          }
        }
      }
      // readings from flash the broker acknowledged since the last call (see SINCE), and those still in the buffer
      // (after a reboot, readings acknowledged before it are read again, and skipped)
      x = Math.max(j[READ] - j[ACKED], 0);
      n = Math.max(Math.min(w.sent - j[SINCE], x), 0);
      j[ACKED] += n;
      w.journaled -= n;
      x -= n;
      j[SINCE] = w.queued == x ? w.sent : j[SINCE] + n;
      if (what == 'keep' || what == 'enter') {
        // the buffer's readings not in flash (those after the ones from flash), then the batch; entering, the whole
        // buffer, so that a power cut loses at most one batch, the readings published at its head too: they are
        // never dropped
        if (what == 'enter') j[MAYBE] = w._published;
        for (i = x; i < w.queued; i++) {
          n = (w._head + i) % w._size;
          journal(w, 'batch', w._others[n] !== undefined ? w._others[n] : [w._id, w._since + w._numbers[2 * n] / 1e3, w._numbers[2 * n + 1] / 1e4]);
        }
        while (what == 'enter' && w.queued) w._drop(0);
        w.inFlight = w._published = 0;
      }
      // the newest readings, after those of the buffer (in this frame rather than the `incoming` step's: under the
      // drain, a frame fewer); before a reset, the batch goes to flash as it is
      for (; w._incoming && w._incoming.length; w._incoming.shift()) journal(w, 'batch', w._incoming[0]);
      delete w._incoming;
      if (what == 'keep') journal(w, 'batch');
      // once per outage, as the backlog starts going out: how much of it there is
      if (what == 'fill' && w.client.connected && j[SAID] == 1) {
        console.log('journal: ' + w.journaled + ' readings wait in flash: sending them, oldest first');
        j[SAID] = 2;
      }
      // the buffer takes more from flash once all it holds came from there (see SINCE)
      if (what == 'fill' && !(w.client.connected && w.queued == x)) what = 'mark';
    }
    while (what == 'walk' || what == 'fill') {
      // The walk: the oldest readings in flash, in order, into the writer's buffer while it has room (x 0, as `fill`
      // walks), or dropped and counted, up to x of them (-1: the rest of the oldest segment, which goes; its number
      // is then kept in x); those that may have arrived go to the buffer instead (it is empty while offline). A
      // closed segment goes once all its readings are acknowledged. As a step of its own, it returns how many
      // were dropped.
      n = 0;
      if (what == 'fill') x = 0;
      if (x < 0) x = -j[OLDEST];
      while (x ? (x < 0 ? j[OLDEST] == -x : n < x) : w.queued < w._size) {
        // (the reading before, already in the buffer, let go first)
        line = 0;
        line = (j[OLDEST] <= j[NEWEST] && require('Storage').read(PREFIX + j[OLDEST], j[POS], (w._options.maxPayload || 256) + 64)) || '';
        i = line.indexOf('\n');
        // unwritten flash (0xFF) or a reading cut off by a power cut: the end of the segment
        if (i < 0 || line.slice(0, i).indexOf('\xff') >= 0) {
          if (j[OLDEST] > j[NEWEST] || (j[OLDEST] == j[NEWEST] && j[END]) || j[ACKED] < j[READ]) break;
          require('Storage').erase(PREFIX + j[OLDEST]);
          j[OLDEST]++;
          j[POS] = MARKS;
          j[READ] = j[ACKED] = 0;
          continue;
        }
        j[POS] += i + 1;
        if (++j[READ] <= j[ACKED]) continue; // acknowledged before a reboot
        line = journal(w, 'parse', line.slice(0, i)); // the reading it holds
        if (line && (!x || (j[MAYBE] && w.queued < w._size))) {
          w._put(line);
          if (j[MAYBE]) j[MAYBE]--;
          // one that may have arrived is the buffer's now, sent again from there
          if (x) {
            j[ACKED]++;
            w.journaled--;
          }
          continue;
        }
        if (j[MAYBE]) j[MAYBE]--;
        if (!line) console.log('journal: a corrupt reading in ' + PREFIX + j[OLDEST] + ' dropped');
        j[ACKED]++;
        w.journaled--;
        w.dropped++;
        n++;
      }
      if (what == 'walk') {
        if (n && x) console.log('journal: full, ' + n + ' oldest readings dropped');
        return n;
      }
      // (the last reading, in the buffer now, let go before the writes below)
      line = 0;
      what = 'mark';
      // flash holds no more: the batch, never written, goes to the buffer if it has room, else to flash, and the
      // walk goes on from there
      if (w.queued < w._size && j[READ] <= j[ACKED] && j[COUNT]) {
        if (j[COUNT] > w._size - w.queued) {
          journal(w, 'batch');
          what = 'fill';
        } else
          for (; j[COUNT]; j[COUNT]--) {
            i = w._batch.indexOf('\n');
            w._put(journal(w, 'parse', w._batch.slice(0, i)));
            w._batch = w._batch.slice(i + 1);
            w.journaled--;
          }
      }
      if (what == 'mark' && w.queued < w._size && j[READ] <= j[ACKED] && !j[COUNT]) what = 'done';
    }
    if (what == 'done') {
      if (j[SAID])
        console.log('journal: backlog out of flash: ' + (w.sent - j[SENT_AT]) + ' readings sent, ' + (w.dropped - j[DROPPED_AT]) + ' dropped, ' + w.queued + ' in the RAM buffer');
      // nothing more in flash: its segments go, and the state; readings wait in the buffer again
      for (; j[OLDEST] <= j[NEWEST]; j[OLDEST]++) require('Storage').erase(PREFIX + j[OLDEST]);
      w._journal = w.journaled = 0;
      delete w._batch;
    } else {
      // the marks of the readings acknowledged, in one write after those the oldest segment has (its bytes up to the
      // first unwritten one): read back rather than remembered, so no variable of this call is under the walk
      n = Math.min((j[ACKED] / EVERY) | 0, MARKS - 1);
      i = n && j[OLDEST] <= j[NEWEST] ? (require('Storage').read(PREFIX + j[OLDEST], 1, MARKS - 1) || '').indexOf('\xff') : -1;
      if (n > i && i >= 0) require('Storage').write(PREFIX + j[OLDEST], new Array(n - i + 1).join('A'), i + 1, SEG);
      // before a reset: the readings wait in flash for the next start
      if (what == 'keep') {
        w._journal = 0;
        delete w._batch;
      }
    }
  } catch (e) {
    // the walk's callers (the batch, inside this step's own try) hear of its fault
    if (what == 'walk') throw e;
    // the batch, not in flash, is lost with the journal: counted as dropped
    n = j ? j[COUNT] : 0;
    console.log('journal: ' + ((e as any).message || e) + '; off until the next boot' + (n ? ', ' + n + ' readings not yet in flash dropped' : ''));
    w.dropped += n;
    w.journaled -= n;
    w._options.journal = w._journal = 0;
    delete w._batch;
    // the readings set aside, to the buffer now
    journal(w, 'incoming');
  }
}
