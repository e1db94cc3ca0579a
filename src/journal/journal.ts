// The journal: readings that do not fit the writer's RAM buffer wait in flash (Storage), oldest first, and go back
// into the buffer, in order, as the broker acknowledges what is there. The build makes this file a module of its own,
// the Storage file `lgjournal`, which the writer require()s only while there is such work (an outage longer than the
// buffer, or readings in flash at boot) and lets go of afterwards: in between it costs the device no RAM.
//
// Flash is written in segments, Storage files `lgj1`, `lgj2` … of SEG bytes, created at full size and filled in
// parts (a Storage file's bytes can each be written once, without an erase):
//   byte 0            'J' (the format)
//   bytes 1 … 63      marks: a byte written for each EVERY readings of the segment the broker acknowledged
//   bytes 64 …        the readings, BATCH at a time, each a line: `1764395000250,284.1312` for a reading of the
//                     firmware's sensor (its time in milliseconds, a whole number that comes back exactly: Espruino
//                     writes fractions with a rounding error; then its value, NaN for a saturated one), any other
//                     event as its JSON
// A segment is erased once all its readings are acknowledged. After a power cut, the readings of a segment past its
// marks are sent again (a reading may arrive twice, never not at all); a reading cut off by the cut ends the segment.

var SEG = 4064, MARKS = 64, EVERY = 8, BATCH = 8, PREFIX = 'lgj';
/** Storage kept free for other files (commands that last), and what a reading takes at most on average, bytes. */
var RESERVE = 1024, PER_READING = 40;
var storage = require('Storage');

/** The journal's state, kept on the writer (`_journal`) while the module is loaded. */
interface Journal {
  /** Oldest segment, its read offset, readings read from it, readings of it acknowledged. */
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
  /** Readings of the writer's buffer that came from flash, not yet acknowledged. */
  _loaded: number;
  /** The oldest readings in flash were published before the outage: they may have arrived, so they are never dropped. */
  _maybe: number;
  /** The writer's `sent` when last looked at. */
  _sent: number;
  /** Readings the journal takes at most, and segments. */
  _limit: number;
  _segments: number;
}

/** The event at position n of the writer's buffer (as its _flush reads one). */
function eventAt(w: any, n: number) {
  var j = (w._head + n) % (w._numbers.length >> 1);
  return w._others[j] !== undefined ? w._others[j] : [w._id, w._since + w._numbers[2 * j] / 1e3, w._numbers[2 * j + 1] / 1e4];
}

/** A reading's record, without its line feed. */
function record(x: any) {
  return x instanceof Array && x[0] === CONFIG.sensor.id && typeof x[2] == 'number' ? Math.round(x[1] * 1e3) + ',' + x[2] : JSON.stringify(x);
}

/** A reading back from its record, or false when the record is damaged. */
function reading(t: string) {
  var x, i = t.indexOf(',');
  if (t[0] == '[' || t[0] == '{')
    try {
      return JSON.parse(t);
    } catch (e) {}
  x = [CONFIG.sensor.id, +t.slice(0, i) / 1e3, +t.slice(i + 1)];
  // (Espruino's regular expressions have no groups with alternatives: two of them)
  return (/^\d+,[-\d.e+]+$/.test(t) || /^\d+,NaN$/.test(t)) && x;
}

/** The next reading of the oldest segment as text, or '' at the end of what it holds. */
function nextRecord(j: Journal, w: any) {
  var t = storage.read(PREFIX + j._seg, j._pos, (w._options.maxPayload || 256) + 64) || '', i = t.indexOf('\n');
  // unwritten flash (0xFF) or a reading cut off by a power cut: the end
  if (i < 0 || t.slice(0, i).indexOf('\xff') >= 0) return '';
  j._pos += i + 1;
  j._read++;
  return t.slice(0, i);
}

/** One more reading of the oldest segment acknowledged (or dropped): a mark every EVERY of them. */
function acknowledged(j: Journal, w: any) {
  j._acked++;
  w.journaled--;
  if (j._acked % EVERY == 0) storage.write(PREFIX + j._seg, 'A', j._acked / EVERY, SEG);
}

/** Erases the oldest segment, all of it acknowledged, and moves on to the next. */
function nextSegment(j: Journal) {
  storage.erase(PREFIX + j._seg);
  if (j._seg == j._tail) j._end = 0;
  j._seg++;
  j._pos = MARKS;
  j._read = j._acked = 0;
}

/** Drops the oldest readings in flash, counted: up to `max` of them, or with 0 the rest of the oldest segment, which goes. */
function dropOldest(j: Journal, w: any, max: number) {
  var n = 0, s = j._seg, t, x;
  while ((max ? n < max : j._seg == s) && j._seg <= j._tail) {
    if ((t = nextRecord(j, w))) {
      if (j._read <= j._acked) continue;
      // one that may have arrived goes back to the buffer (empty while offline), to be sent again from there
      if (j._maybe && w.queued < w._numbers.length >> 1 && (x = reading(t))) {
        j._maybe--;
        acknowledged(j, w);
        w._put(x);
        continue;
      }
      acknowledged(j, w);
      w.dropped++;
      n++;
      // a segment goes only once every reading read from it is acknowledged or dropped (none waits in the buffer)
    } else if ((j._seg < j._tail || !j._end) && j._acked >= j._read) nextSegment(j);
    else break;
  }
  if (n) console.log('journal: full, ' + n + ' oldest readings dropped');
  return n;
}

/** Writes the batch to the newest segment, or a new one; when flash is full the oldest segment makes room. */
function writeBatch(j: Journal, w: any) {
  while (j._count) {
    try {
      if (!j._end || j._end + j._batch.length > SEG) {
        if (j._tail - j._seg + 1 >= j._segments) throw 0;
        storage.write(PREFIX + (j._tail + 1), 'J', 0, SEG);
        j._tail++;
        j._end = MARKS;
      }
      storage.write(PREFIX + j._tail, j._batch, j._end);
      j._end += j._batch.length;
      j._batch = '';
      j._count = 0;
    } catch (e) {
      // Storage full, or the journal's share of it: the oldest segment goes (unless it is the only one, or some of it
      // waits in the buffer), else the batch
      if (!dropOldest(j, w, 0)) {
        console.log('journal: Storage full, ' + j._count + ' readings dropped');
        w.dropped += j._count;
        w.journaled -= j._count;
        j._batch = '';
        j._count = 0;
      }
    }
  }
}

/** A reading to the batch, written once BATCH of them are there; the oldest in flash go first when it is full. */
function keepReading(j: Journal, w: any, x: any) {
  if (w.journaled >= j._limit && !dropOldest(j, w, BATCH)) {
    w.dropped++;
    return;
  }
  j._batch += record(x) + '\n';
  j._count++;
  w.journaled++;
  if (j._count >= BATCH) writeBatch(j, w);
}

/** The journal as Storage holds it: segments, readings waiting, and what it may take; loaded onto the writer. */
function open(w: any): Journal {
  var files = storage.list(/^lgj\d+$/), first = 0, last = 0, n, i, k, c, t;
  var j: Journal = { _seg: 1, _pos: MARKS, _read: 0, _acked: 0, _tail: 0, _end: 0, _batch: '', _count: 0, _loaded: 0, _maybe: 0, _sent: w.sent, _limit: 0, _segments: 0 };
  for (i = 0; i < files.length; i++) {
    n = +files[i].slice(PREFIX.length);
    if (!first || n < first) first = n;
    if (n > last) last = n;
  }
  w.journaled = 0;
  if (first) {
    j._seg = first;
    j._tail = last;
    // readings in each segment, past the marks of the oldest; a segment missing between them is left out
    for (n = first; n <= last; n++) {
      if (storage.read(PREFIX + n, 0, 1) === undefined) continue;
      t = storage.read(PREFIX + n, 0, SEG) as string;
      if (t[0] != 'J') {
        console.log('journal: ' + PREFIX + n + ' is not a journal segment: erased');
        storage.erase(PREFIX + n);
        continue;
      }
      i = t.indexOf('\xff', MARKS);
      if (i < 0) i = SEG;
      // a reading cut off by a power cut (no line feed before unwritten flash) ends the segment
      if (t[i - 1] != '\n' && i > MARKS) console.log('journal: ' + PREFIX + n + ' ends in a reading cut off by a power cut: it is left out');
      // counted in place: the segment's text stays in flash
      for (c = 0, k = t.indexOf('\n', MARKS); k >= 0 && k < i; k = t.indexOf('\n', k + 1)) c++;
      if (n == first) {
        // the marks written: up to the first unwritten byte after the format's
        k = t.indexOf('\xff', 1);
        j._acked = Math.min(EVERY * ((k < 0 || k > MARKS ? MARKS : k) - 1), c);
      }
      w.journaled += c - (n == first ? j._acked : 0);
    }
  }
  // what Storage has room for beyond the firmware and the segments already there: its free space and its trash
  // (erased files, which Espruino reclaims by itself, compacting, when a new file needs their room)
  n = storage.getStats();
  j._segments = Math.max(0, Math.floor((n.freeBytes + n.trashBytes - RESERVE) / (SEG + 32))) + (first ? j._tail - j._seg + 1 : 0);
  j._limit = Math.min(w._options.journal, Math.floor((j._segments * (SEG - MARKS)) / PER_READING));
  return (w._journal = j);
}

/** Lets go of the module once flash holds nothing more: its segments erased, its code out of RAM. */
function release(w: any) {
  var j: Journal = w._journal;
  while (j._seg <= j._tail) nextSegment(j);
  w._journal = w.journaled = 0;
  Modules.removeCached('lgjournal');
}

/** At boot: says what the journal has room for, and keeps the module only when readings wait in flash. */
export function boot(w: any) {
  var j = open(w);
  console.log('journal: room for ' + j._limit + ' readings in flash (' + storage.getStats().freeBytes + ' bytes of Storage free)' + (w.journaled ? ', ' + w.journaled + ' waiting from before' : ''));
  if (!w.journaled) release(w);
}

/**
 * A reading the buffer has no room for, or that must wait behind readings in flash. The first time, the buffer's
 * readings go to flash ahead of it, so that a power cut loses at most one batch.
 */
export function add(w: any, x: any) {
  var j: Journal = w._journal || open(w), empty = !j._loaded && !j._count && j._seg > j._tail;
  if (!j._limit) {
    console.log('journal: no room in Storage: off until the next boot');
    w._options.journal = 0;
  }
  // nothing in flash and room in the buffer again: the journal's work is done
  if (!j._limit || (empty && w.queued < w._numbers.length >> 1)) {
    release(w);
    return 0;
  }
  if (empty) {
    j._maybe = w._published;
    while (w.queued) {
      keepReading(j, w, eventAt(w, 0));
      w._drop(0);
    }
    w.inFlight = w._published = 0;
  }
  keepReading(j, w, x);
  return 1;
}

/** Acknowledged readings from flash marked there; the buffer filled up from flash, then from the batch. */
export function fill(w: any) {
  var j: Journal = w._journal, size = w._numbers.length >> 1, d = w.sent - j._sent, t, x;
  j._sent = w.sent;
  for (; d > 0 && j._loaded > 0; d--) {
    j._loaded--;
    acknowledged(j, w);
  }
  if (!w.client.connected) return;
  while (w.queued < size) {
    if (j._seg <= j._tail && (t = nextRecord(j, w))) {
      if (j._read <= j._acked) continue; // acknowledged before a reboot
      if ((x = reading(t))) {
        j._loaded++;
        w._put(x);
      } else {
        console.log('journal: a corrupt reading in ' + PREFIX + j._seg + ' dropped');
        acknowledged(j, w);
        w.dropped++;
      }
    } else if (j._seg <= j._tail && (j._seg < j._tail || !j._end)) {
      // the end of a closed segment: erased once all its readings are acknowledged
      if (j._acked < j._read) break;
      nextSegment(j);
    } else if (j._count) {
      // flash holds no more: the newest readings, never written
      t = j._batch.indexOf('\n');
      w._put(reading(j._batch.slice(0, t)));
      j._batch = j._batch.slice(t + 1);
      j._count--;
      w.journaled--;
    } else break;
  }
  if (!j._loaded && !j._count && j._acked >= j._read && !(j._seg < j._tail)) release(w);
}

/**
 * Before a reset, load() or LuxGraph.stop(): the buffer's readings that are not in flash yet, and the batch, written
 * there for the next start; the module is let go (its readings wait in flash).
 */
export function keep(w: any) {
  var j: Journal = w._journal || open(w), i;
  for (i = j._loaded; i < w.queued; i++) keepReading(j, w, eventAt(w, i));
  writeBatch(j, w);
  w._journal = 0;
  Modules.removeCached('lgjournal');
}
