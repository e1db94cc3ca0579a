// The writer's connection: an attempt on a socket of its own, the CONNACK watchdog, and the backoff with jitter
// between attempts. Methods of MQTTWriter's prototype.
import { MQTTWriter, WriterSocket, hear, where } from './writer';
import { jitter } from './backoff';
import { tlsSocket } from './tls';

/**
 * Seconds to wait for CONNACK (half to all of it) before giving an attempt up: for a broker that takes the TCP
 * connection and then says nothing. A connection that fails is heard of at once, from the writer's own socket.
 */
var CONNECT_WAIT = 15;
MQTTWriter.prototype.connect = function () {
  var self = this, c = self.client, sock: WriterSocket;
  self._running = 1;
  if (c.connected) return;
  clearTimeout(self._timer);
  if (self._connecting) self._close();
  self._connecting = 1;
  // with jitter too: against a broker that takes connections and never answers, every attempt of a houseful of
  // devices would otherwise end at the same moment and come back together
  self._timer = setTimeout(self._close.bind(self, 1), CONNECT_WAIT * /*@__INLINE__*/ jitter() * 1000);
  // the socket is opened here, not by the module, so that its failure is heard (see hear); over TLS where the
  // config says so, and then never in clear
  try {
    // hear is the socket's from here on: it gets its writer before it can call back
    sock = self._socket = (CONFIG.mqtt.tls ? tlsSocket(c.server, c.port, hear as (this: NetSocket, socket: NetSocket) => void) : require('net').connect({ host: c.server, port: c.port }, hear as (this: NetSocket, socket: NetSocket) => void)) as WriterSocket;
    sock._writer = self;
    sock.on('error', hear);
  } catch (e) {
    // a board whose connect blocks (ESP32) throws for a broker it cannot reach
    console.log('MQTT: cannot reach ' + /*@__INLINE__*/ where(self) + ': ' + ((e as Error).message || e));
    self._close(1);
  }
};

/**
 * Closes the connection, or the socket of an attempt still connecting; with `retry`, the attempt or connection
 * failed, and the next attempt is planned after the backoff: the same function for both, as each kept function
 * costs device RAM.
 */
MQTTWriter.prototype._close = function (retry?: number) {
  var self = this, sock = self._socket, step = self.backoff, wait, most = self._options.maxBackoff || DEFAULTS.mqtt.maxBackoffSeconds;
  if (retry) {
    // first, so that the 'disconnected' the module may send at once finds the failure already handled
    clearTimeout(self._timer);
    self._connecting = self.inFlight = 0;
  }
  self._socket = 0;
  self.client.disconnect();
  if (sock) sock.end();
  if (!retry) return;
  // exponential backoff with jitter: half to all of the step, which doubles up to maxBackoff
  wait = step * /*@__INLINE__*/ jitter();
  self.backoff = Math.min(step * 2, most);
  self.reconnects++;
  // with the reason: after a long outage the wait is long, and the broker can be back well before the next attempt
  console.log('MQTT: retrying in ' + wait.toFixed(1) + ' s (waits double after each failed attempt, up to ' + most + ' s)');
  // bound functions for timers, here and above: one made here would keep this call's variables alive while it waits
  self._timer = setTimeout(self.connect.bind(self), wait * 1000);
};
