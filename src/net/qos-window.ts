// The writer's QoS 1 window: what waits goes out in order, a few per turn, and at most a window of it waits for
// its PUBACK at once. A method of MQTTWriter's prototype.
import { MQTTWriter, payload } from './writer';

/**
 * Readings published per event-loop turn, and at most unacknowledged at once, so a backlog never floods the link
 * (nor the device's RAM with packets waiting in the socket).
 */
var PER_TURN = 2;
MQTTWriter.prototype._flush = function (timer?: number) {
  if (timer) this._flushTimer = 0;
  // while readings wait in flash, the journal's work runs from a timer of its own, on a stack of its own: not under
  // the MQTT module's handling of an acknowledgement, or of a reading, whose variables would add to the journal's
  else if (CONFIG.buffer.journal && (this._journal || this._incoming)) {
    if (!this._flushTimer) this._flushTimer = setTimeout(this._flush.bind(this, 1), 0);
    return;
  }
  // the journal's work, one load of its module for all of it: readings set aside for flash (see onNext) go there,
  // into a journal of their own when it holds nothing yet ('add'); acknowledged readings from flash are marked
  // there, every 8 (acknowledgements come at most PER_TURN between two calls) and once the buffer has nothing more
  // to send, when it takes the next ones ('fill'). Before this call's own variables exist (Espruino makes a variable
  // when its `var` runs), so that they do not add to the journal's. A build whose config has no journal
  // (buffer.journal 0) ships no lgjournal and leaves this out, as the writer's other journal steps
  if (CONFIG.buffer.journal && (this._incoming || (this._journal && this.client.connected && (this.queued <= this.inFlight || this.sent % 8 < PER_TURN))))
    require('lgjournal')(this, this._journal ? 'fill' : 'add');
  var self = this, o = self._options, c = self.client, size = self._size, k = 0, e, j,
    qos = o.qos === undefined ? DEFAULTS.mqtt.qos : o.qos,
    // the window leaves room in the buffer for readings that never left, the only ones ever dropped
    lim = Math.min(PER_TURN, size >> 1) || 1;
  if (self._unreported && c.connected) {
    console.log('MQTT: buffer full while offline, ' + self._unreported + ' oldest readings dropped');
    delete self._unreported;
  }
  while (c.connected && self.inFlight < self.queued && self.inFlight < lim && k++ < PER_TURN) {
    // the event at position inFlight of the buffer: reading-ring.ts's readingAt, written out here (a function kept
    // for it would cost device RAM for good, and the minifier's putting it in place costs a variable more)
    j = (self._head + self.inFlight) % size;
    e = self._others[j] !== undefined ? self._others[j] : [self._id, self._since + self._numbers[2 * j] / 1e3, self._numbers[2 * j + 1] / 1e4];
    // the payload is made again here, not kept from onNext: the buffer holds numbers, not text
    c.publish(self.topic.replace('{id}', (e as [string, number, number])[0]), payload(e, o.format == 'object'), { qos: qos, retain: o.retain });
    // the module drops the connection when a write fails: the reading stays for the next connection
    if (!c.connected) break;
    if (qos) {
      // the wait for an answer starts with the first reading that waits for one (see ANSWER_WAIT in writer.ts)
      if (!self.inFlight) self._heardAt = getTime();
      self.inFlight++;
      if (self._published < self.inFlight) self._published = self.inFlight;
    } else {
      self._drop(0);
      self.sent++;
    }
  }
  if (c.connected && self.inFlight < self.queued && !self._flushTimer && (!qos || self.inFlight < lim))
    // a bound function rather than one made here, which would keep this call's variables alive until it runs
    self._flushTimer = setTimeout(self._flush.bind(self, 1), 10);
};
