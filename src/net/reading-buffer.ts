// The writer's buffer: readings waiting for the broker, packed in a ring of whole numbers (see MQTTWriter's
// _numbers). Methods of MQTTWriter's prototype.
import { MQTTWriter } from './writer';

// x is typed as the sensor's reading, which it nearly always is: another event (any Reading) reads as undefined in
// each of its places below, and is kept as itself
MQTTWriter.prototype._put = function (x: [string, number, number]) {
  var self = this, size = self._size, i, k, t;
  if (self.queued >= size) {
    // the oldest reading that never left; only a buffer smaller than the window has none
    i = self._published < self.queued ? self._published : 0;
    if (!i && self._published) {
      self._published--;
      if (self.inFlight) self.inFlight--;
    }
    self._drop(i);
    self.dropped++;
    self._unreported = (self._unreported || 0) + 1;
  }
  // at the end of the buffer, as numbers only where they give the same event back: the time in ms from _since
  if (!self.queued && x[1] >= 0) self._since = Math.floor(x[1]);
  i = (self._head + self.queued++) % size;
  if (x instanceof Array && self._id === undefined) self._id = x[0];
  k = x instanceof Array && x[0] === self._id ? Math.round(x[2] * 1e4) : 0.5;
  t = Math.round((x[1] - self._since) * 1e3);
  if (k / 1e4 === x[2] && k === (k | 0) && t === (t | 0) && self._since + t / 1e3 === x[1]) {
    self._numbers[2 * i] = t;
    self._numbers[2 * i + 1] = k;
    delete self._others[i];
  } else self._others[i] = x;
};

MQTTWriter.prototype._drop = function (n: number) {
  var s = this, d = s._numbers, others = s._others, size = s._size, j, p;
  for (; n > 0; n--) {
    j = (s._head + n) % size;
    p = (j + size - 1) % size;
    d[2 * j] = d[2 * p];
    d[2 * j + 1] = d[2 * p + 1];
    if (others[p] !== undefined) others[j] = others[p];
    else delete others[j];
  }
  delete others[s._head];
  s._head = (s._head + 1) % size;
  s.queued--;
};
