// The writer's connection: an attempt on a socket of its own, the CONNACK watchdog, and the backoff with jitter
// between attempts. Methods of MQTTWriter's prototype.
import { MQTTWriter } from './writer';
import { jitter } from './backoff';

/**
 * Seconds to wait for CONNACK (half to all of it) before giving an attempt up: for a broker that takes the TCP
 * connection and then says nothing. A connection that fails is heard of at once, from the writer's own socket.
 */
var CONNECT_WAIT = 15;
/**
 * What the socket of a writer's attempt says, `this` being the socket: connected (the argument is the socket
 * itself), and the module takes it over and sends the CONNECT; or an error, the connection failed (refused,
 * unreachable). The module listens to a socket only once it is connected, and an ESP8266 reports a failure only on
 * the socket, so without this an attempt would wait out CONNECT_WAIT. One function for both, shared by every
 * socket: a function made per attempt would keep the connect method's variables alive with the socket.
 */
function onSocket(this: any, e: any) {
  var w = this._writer;
  if (w._socket !== this || !w.connecting) return;
  if (e === this) return w.client.connect(this);
  console.log('MQTT: cannot reach ' + w._where + ': ' + ((e && e.message) || e));
  w._fail();
}

MQTTWriter.prototype.connect = function () {
  var self = this, c = self.client, sock: any;
  self._running = true;
  if (c.connected) return;
  clearTimeout(self._timer);
  if (self.connecting) self._close();
  self.connecting = 1;
  // with jitter too: against a broker that takes connections and never answers, every attempt of a houseful of
  // devices would otherwise end at the same moment and come back together
  self._timer = setTimeout(function () {
    self._fail();
  }, CONNECT_WAIT * /*@__INLINE__*/ jitter() * 1000);
  // the socket is opened here, not by the module, so that its failure is heard (see onSocket)
  try {
    sock = self._socket = require('net').connect({ host: c.server, port: c.port }, onSocket);
    sock._writer = self;
    sock.on('error', onSocket);
  } catch (e) {
    // a board whose connect blocks (ESP32) throws for a broker it cannot reach
    console.log('MQTT: cannot reach ' + self._where + ': ' + ((e as any).message || e));
    self._fail();
  }
};

MQTTWriter.prototype._close = function () {
  var sock = this._socket;
  this._socket = 0;
  this.client.disconnect();
  if (sock) sock.end();
};

MQTTWriter.prototype._fail = function () {
  // exponential backoff with jitter: half to all of the step, which doubles up to maxBackoff
  var self = this, step = self.backoff, wait = step * /*@__INLINE__*/ jitter();
  self.backoff = Math.min(step * 2, self._options.maxBackoff || DEFAULTS.mqtt.maxBackoffSeconds);
  clearTimeout(self._timer);
  self.connecting = self.inFlight = 0;
  self._close();
  self.reconnects++;
  console.log('MQTT: retrying in ' + wait.toFixed(1) + ' s');
  self._timer = setTimeout(function () {
    self.connect();
  }, wait * 1000);
};
