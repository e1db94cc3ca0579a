import { joinItems } from '../runtime/format';
import { Backoff } from './backoff';
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
/** Readings published per event-loop turn, and at most unacknowledged at once, so a backlog never floods the link. */
var PER_TURN = 8;

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
  /** Buffer, oldest first: payloads, or `topic\npayload` when the topic names the sensor id. */
  q: string[] = [];
  /** How many at the head of q are published on this connection and wait for the broker's PUBACK (QoS 1). */
  w = 0;
  /**
   * How many at the head of q were published at least once (QoS 1). They may have reached the broker, so they
   * are sent again rather than dropped: a drop is only ever a reading that never left.
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
  b!: Backoff;
  /** False while the network is down (or stopped): no attempts are made. */
  on = true;

  constructor(clientId: string, host: string, port: number, public topic: string, opts?: WriterOptions) {
    var self = this, m: MQTTClient, o: WriterOptions, where = host + ':' + port;
    o = self.o = opts || {};
    self.b = new Backoff(o.maxBackoff || 60);
    m = self.m = require('MQTT').create(host, {
      client_id: clientId,
      port: port,
      keep_alive: o.keepAlive,
      username: o.username,
      password: o.password
    });
    if (o.base)
      m.mqttConnect = function () {
        return connectPacket(clientId, o.keepAlive || 60, o.base + '/status', 'offline', o.username, o.password);
      };
    m.on('connected', function () {
      clearTimeout(self.t);
      self.c = self.t = self.w = 0;
      self.b.reset();
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
      self.q.shift();
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
    var self = this, wait = self.b.next();
    clearTimeout(self.t);
    self.c = self.w = 0;
    self.m.disconnect();
    self.reconnects++;
    console.log('MQTT: retrying in ' + wait.toFixed(1) + ' s');
    self.t = setTimeout(function () {
      self.connect();
    }, wait * 1000);
  }

  /** The network is gone: stop trying until connect() is called again; readings keep buffering. */
  pause() {
    this.on = false;
    this.c = this.w = 0;
    clearTimeout(this.t);
    this.m.disconnect();
  }

  /** Publishes now if connected (status, diagnostics); nothing is buffered. */
  pub(topic: string, msg: string, retain?: boolean) {
    if (this.m.connected) this.m.publish(topic, msg, { qos: 0, retain: retain });
  }

  onNext(x: any) {
    var self = this, o = self.o, q = self.q, p = payload(x, o.format == 'object'), t = self.topic, i;
    self.n++;
    if (p.length > (o.maxPayload || 256)) {
      console.log('MQTT: payload of ' + p.length + ' bytes refused, over mqtt.maxPayload');
      self.dropped++;
      return;
    }
    if (q.length >= (o.bufferSize || 32)) {
      // the oldest reading that never left; only a buffer smaller than the window has none
      i = self.a < q.length ? self.a : 0;
      if (!i && self.a) {
        self.a--;
        if (self.w) self.w--;
      }
      q.splice(i, 1);
      self.dropped++;
      self.unreported++;
    }
    q.push(t.indexOf('{id}') < 0 ? p : t.replace('{id}', x[0]) + '\n' + p);
    self.flush();
  }

  /** Sends what waits, in order, a few per turn; at QoS 1 only a window of them waits for its PUBACK at once. */
  flush() {
    var self = this, m = self.m, q = self.q, k = 0, e, i, qos = self.o.qos === undefined ? 1 : self.o.qos,
      // the window leaves room in the buffer for readings that never left, the only ones ever dropped
      lim = Math.min(PER_TURN, (self.o.bufferSize || 32) >> 1) || 1;
    if (self.unreported && m.connected) {
      console.log('MQTT: buffer full while offline, ' + self.unreported + ' oldest readings dropped');
      self.unreported = 0;
    }
    while (m.connected && self.w < q.length && self.w < lim && k++ < PER_TURN) {
      e = q[self.w];
      i = e.indexOf('\n');
      m.publish(i < 0 ? self.topic : e.slice(0, i), e.slice(i + 1), { qos: qos, retain: self.o.retain });
      // the module drops the connection when a write fails: the reading stays for the next connection
      if (!m.connected) break;
      if (qos) {
        self.w++;
        if (self.a < self.w) self.a = self.w;
      } else {
        q.shift();
        self.sent++;
      }
    }
    if (m.connected && self.w < q.length && !self.f && (!qos || self.w < lim))
      self.f = setTimeout(function () {
        self.f = 0;
        self.flush();
      }, 10);
  }

  onError(e: any) {
    console.log('MQTT: upstream error: ' + (e && e.message ? e.message : e));
  }

  /** Disconnects for good (the firmware restarting), saying `offline` first. */
  stop() {
    var self = this;
    if (self.o.base) self.pub(self.o.base + '/status', 'offline', true);
    self.pause();
    clearTimeout(self.f);
  }
}
