import { joinItems } from '../runtime/format';
import { connectPacket } from './connect-packet';

export interface WriterOptions {
  username?: string;
  password?: string;
  keepAlive?: number;
  /** 0: fire and forget. 1 (default): a reading leaves the buffer only when the broker acknowledges it. */
  qos?: number;
  retain?: boolean;
  /** How many readings wait while offline; beyond it the oldest is dropped and counted. */
  bufferSize?: number;
  /** Longest pause between reconnect attempts, seconds. */
  maxBackoff?: number;
  /** Base topic: the writer announces itself `online` on `<base>/status` and leaves `offline` there as its will. */
  base?: string;
  /** 'object' publishes {"id":..,"ts":..,"lux":..} instead of the tutorial's ["lux-1", 624, 284.1312]. */
  format?: string;
  /** Largest payload accepted, in bytes; a larger one is refused, reported and counted as dropped. */
  maxPayload?: number;
  /** Wait for connect() (called when WiFi is up) instead of connecting at once. */
  lazy?: boolean;
  /** Runs on every (re)connection, after the birth message: subscriptions, discovery. */
  onUp?: () => void;
}

/** Seconds to wait for CONNACK before giving the attempt up: the MQTT module reports nothing when TCP fails. */
var CONNECT_WAIT = 15;
/**
 * Readings published per event-loop turn, and at most unacknowledged at once, so a backlog never floods the link
 * (nor the device's RAM with packets waiting in the socket).
 */
var PER_TURN = 2;

/** Event → payload: an array as the tutorial's JSON `["lux-1", 624, 284.1312]` (or an object), else JSON. */
export function payload(x: any, obj?: boolean): string {
  return x instanceof Array
    ? obj
      ? JSON.stringify({ id: x[0], ts: x[1], lux: x[2] })
      : joinItems(x, '[', ']', JSON.stringify)
    : JSON.stringify(x);
}

/**
 * Publishes each event to an MQTT broker through Espruino's MQTT module. Events wait in a bounded buffer until
 * the broker has them; the client reconnects by itself with exponential backoff and jitter, one client for life.
 */
export class MQTTWriter {
  m!: MQTTClient;
  o!: WriterOptions;
  /**
   * The buffer: a ring of bufferSize slots, `len` of them in use from slot `h`, oldest first. An event
   * [id, ts, value] of the first sensor id seen (`i`) is kept as two whole numbers in `d` (ts, value × 10⁴): the
   * whole buffer is one block of device RAM, where each reading as JSON text would take six variables. Any other
   * event is kept as itself in `x`, by slot.
   */
  d!: Int32Array;
  x: any[] = [];
  i: any;
  h = 0;
  len = 0;
  /** How many at the head of the buffer are published on this connection and wait for their PUBACK (QoS 1). */
  w = 0;
  /**
   * How many at the head of the buffer were published at least once (QoS 1). They may have reached the broker, so
   * they are sent again rather than dropped: a drop is only ever a reading that never left.
   */
  a = 0;
  /** Readings received, sent (acknowledged at QoS 1), dropped; reconnect attempts. */
  n = 0;
  sent = 0;
  dropped = 0;
  reconnects = 0;
  /** Drops not yet reported on the console. */
  unreported = 0;
  /** The pending timer: the CONNACK watchdog during an attempt, or the pause before the next one. */
  t: any = 0;
  /** 1 while a connect attempt is under way. */
  c = 0;
  /** Pending flush timer. */
  f: any = 0;
  /** The reconnect backoff step, seconds. */
  s = 1;
  /** False while the network is down (or stopped): no attempts are made. */
  on = true;

  constructor(clientId: string, host: string, port: number, public topic: string, opts?: WriterOptions) {
    var self = this, m: MQTTClient, o: WriterOptions, where = host + ':' + port;
    o = self.o = opts || {};
    self.d = new Int32Array(2 * (o.bufferSize || 32));
    m = self.m = require('MQTT').create(host, {
      client_id: clientId,
      port: port,
      keep_alive: o.keepAlive,
      username: o.username,
      password: o.password
    });
    if (o.base)
      m.mqttConnect = function () {
        return connectPacket(clientId, o);
      };
    m.on('connected', function () {
      clearTimeout(self.t);
      self.c = self.t = self.w = 0;
      self.s = 1;
      console.log('MQTT: connected to ' + where);
      if (o.base) self.pub(o.base + '/status', 'online', true);
      if (o.onUp) o.onUp();
      self.flush();
    });
    // a drop while connected (no timer pending) or during an attempt ends it; one after fail() is already handled
    m.on('disconnected', function () {
      if (!self.on || !(self.c || !self.t)) return;
      if (!self.c) console.log('MQTT: lost ' + where);
      self.fail();
    });
    m.on('error', function (e) {
      console.log('MQTT: ' + e);
      if (self.c) self.fail();
    });
    m.on('puback', function () {
      if (!self.w) return;
      self.w--;
      self.a--;
      self.drop(0);
      self.sent++;
      self.flush();
    });
    if (!o.lazy) self.connect();
  }

  /** Starts an attempt now unless connected; one already under way (say, from before WiFi was up) is abandoned. */
  connect() {
    var self = this;
    self.on = true;
    if (self.m.connected) return;
    clearTimeout(self.t);
    if (self.c) self.m.disconnect();
    self.c = 1;
    self.t = setTimeout(function () {
      self.fail();
    }, CONNECT_WAIT * 1000);
    self.m.connect();
  }

  /** Gives up the current connection or attempt and plans the next one; unacknowledged readings go again. */
  fail() {
    // exponential backoff with jitter: half to all of the step, which doubles up to maxBackoff
    var self = this, wait = self.s * (0.5 + Math.random() / 2);
    self.s = Math.min(self.s * 2, self.o.maxBackoff || 60);
    clearTimeout(self.t);
    self.c = self.w = 0;
    self.m.disconnect();
    self.reconnects++;
    console.log('MQTT: retrying in ' + wait.toFixed(1) + ' s');
    self.t = setTimeout(function () {
      self.connect();
    }, wait * 1000);
  }

  /** Publishes now if connected (status, diagnostics); nothing is buffered. */
  pub(topic: string, msg: string, retain?: boolean) {
    if (this.m.connected) this.m.publish(topic, msg, { qos: 0, retain: retain });
  }

  onNext(x: any) {
    var self = this, o = self.o, p = payload(x, o.format == 'object').length, i, k;
    self.n++;
    if (p > (o.maxPayload || 256)) {
      console.log('MQTT: payload of ' + p + ' bytes refused, over mqtt.maxPayload');
      self.dropped++;
      return;
    }
    if (self.len >= self.d.length >> 1) {
      // the oldest reading that never left; only a buffer smaller than the window has none
      i = self.a < self.len ? self.a : 0;
      if (!i && self.a) {
        self.a--;
        if (self.w) self.w--;
      }
      self.drop(i);
      self.dropped++;
      self.unreported++;
    }
    // at the end of the buffer, as numbers only where they give the same event back
    i = (self.h + self.len++) % (self.d.length >> 1);
    if (x instanceof Array && self.i === undefined) self.i = x[0];
    k = x instanceof Array && x[0] === self.i && x[1] === (x[1] | 0) && x[1] >= 0 ? Math.round(x[2] * 1e4) : 0.5;
    if (k / 1e4 === x[2] && k === (k | 0)) {
      self.d[2 * i] = x[1];
      self.d[2 * i + 1] = k;
      delete self.x[i];
    } else self.x[i] = x;
    self.flush();
  }

  /** Takes the event at position n out of the buffer, moving the older ones up a slot. */
  drop(n: number) {
    var s = this, d = s.d, size = d.length >> 1, j, p;
    for (; n > 0; n--) {
      j = (s.h + n) % size;
      p = (j + size - 1) % size;
      d[2 * j] = d[2 * p];
      d[2 * j + 1] = d[2 * p + 1];
      if (s.x[p] !== undefined) s.x[j] = s.x[p];
      else delete s.x[j];
    }
    delete s.x[s.h];
    s.h = (s.h + 1) % size;
    s.len--;
  }

  /** Sends what waits, in order, a few per turn; at QoS 1 only a window of them waits for its PUBACK at once. */
  flush() {
    var self = this, o = self.o, m = self.m, k = 0, e, j, qos = o.qos === undefined ? 1 : o.qos,
      // the window leaves room in the buffer for readings that never left, the only ones ever dropped
      lim = Math.min(PER_TURN, (o.bufferSize || 32) >> 1) || 1;
    if (self.unreported && m.connected) {
      console.log('MQTT: buffer full while offline, ' + self.unreported + ' oldest readings dropped');
      self.unreported = 0;
    }
    while (m.connected && self.w < self.len && self.w < lim && k++ < PER_TURN) {
      // the event at position w of the buffer
      j = (self.h + self.w) % (self.d.length >> 1);
      e = self.x[j] !== undefined ? self.x[j] : [self.i, self.d[2 * j], self.d[2 * j + 1] / 1e4];
      // the payload is made again here, not kept from onNext: the buffer holds numbers, not text
      m.publish(self.topic.replace('{id}', e[0]), payload(e, o.format == 'object'), { qos: qos, retain: o.retain });
      // the module drops the connection when a write fails: the reading stays for the next connection
      if (!m.connected) break;
      if (qos) {
        self.w++;
        if (self.a < self.w) self.a = self.w;
      } else {
        self.drop(0);
        self.sent++;
      }
    }
    if (m.connected && self.w < self.len && !self.f && (!qos || self.w < lim))
      self.f = setTimeout(function () {
        self.f = 0;
        self.flush();
      }, 10);
  }

  /**
   * Disconnects and stops trying until connect() is called again (the network is gone); readings keep buffering.
   * `bye`, for the firmware stopping for good, says `offline` first.
   */
  stop(bye?: boolean) {
    var self = this;
    if (bye && self.o.base) self.pub(self.o.base + '/status', 'offline', true);
    self.on = false;
    self.c = self.w = 0;
    clearTimeout(self.t);
    clearTimeout(self.f);
    self.f = 0;
    self.m.disconnect();
  }
}
