import { joinItems } from '../runtime/format';

export interface WriterOptions {
  username?: string;
  password?: string;
  keepAlive?: number;
  qos?: number;
  retain?: boolean;
  /** How many payloads wait while offline; the oldest is dropped (and counted) beyond it. */
  bufferSize?: number;
}

/** Seconds to wait for CONNACK before giving the attempt up: the MQTT module reports nothing when TCP fails. */
var CONNECT_WAIT = 15;
/** Longest pause between reconnect attempts, in seconds. */
var MAX_BACKOFF = 60;
/** Payloads sent per event-loop turn while flushing the buffer, so a long backlog never floods the socket. */
var PER_TURN = 8;

/** Event → payload: an array as the tutorial's JSON `["lux-1", 624, 284.1312]`, anything else as JSON. */
export function payload(x: any): string {
  return x instanceof Array ? joinItems(x, '[', ']', JSON.stringify) : JSON.stringify(x);
}

/**
 * Publishes each event to an MQTT broker through Espruino's MQTT module. Events wait in a bounded buffer until
 * the broker is reachable; the client reconnects by itself with exponential backoff and jitter.
 */
export class MQTTWriter {
  m!: MQTTClient;
  o!: WriterOptions;
  /** Buffer of payloads not yet handed to the broker, oldest first. */
  q: string[] = [];
  sent = 0;
  dropped = 0;
  /** Drops not yet reported on the console. */
  unreported = 0;
  reconnects = 0;
  /** The pending timer: the CONNACK watchdog during an attempt, or the pause before the next one. */
  t: any = 0;
  /** 1 while a connect attempt is under way. */
  c = 0;
  /** Current backoff, seconds. */
  b = 1;
  /** Pending flush timer. */
  f: any = 0;
  stopped = false;

  constructor(clientId: string, host: string, port: number, public topic: string, opts?: WriterOptions) {
    var self = this, m: MQTTClient, where = host + ':' + port;
    opts = self.o = opts || {};
    m = self.m = require('MQTT').create(host, {
      client_id: clientId,
      port: port,
      keep_alive: opts.keepAlive,
      username: opts.username,
      password: opts.password
    });
    m.on('connected', function () {
      clearTimeout(self.t);
      self.c = self.t = 0;
      self.b = 1;
      console.log('MQTT: connected to ' + where);
      self.flush();
    });
    m.on('disconnected', function () {
      if (self.stopped) return;
      console.log('MQTT: disconnected from ' + where);
      self.fail();
    });
    m.on('error', function (e) {
      console.log('MQTT: ' + e);
    });
    self.connect();
  }

  /** Starts an attempt now unless connected; one already under way (say, from before WiFi was up) is abandoned. */
  connect() {
    var self = this;
    if (self.stopped || self.m.connected) return;
    clearTimeout(self.t);
    if (self.c) self.m.disconnect();
    self.c = 1;
    self.t = setTimeout(function () {
      self.fail();
    }, CONNECT_WAIT * 1000);
    self.m.connect();
  }

  /** Gives up the current connection or attempt and plans the next one. */
  fail() {
    var self = this, wait = self.b * (0.5 + Math.random() / 2);
    clearTimeout(self.t);
    self.c = 0;
    self.m.disconnect();
    self.reconnects++;
    console.log('MQTT: retrying in ' + wait.toFixed(1) + ' s');
    self.t = setTimeout(function () {
      self.connect();
    }, wait * 1000);
    self.b = Math.min(self.b * 2, MAX_BACKOFF);
  }

  onNext(x: any) {
    var q = this.q;
    if (q.length >= (this.o.bufferSize || 32)) {
      q.shift();
      this.dropped++;
      this.unreported++;
    }
    q.push(payload(x));
    this.flush();
  }

  /** Sends what waits, in order, a few per turn. */
  flush() {
    var self = this, m = self.m, q = self.q, k = 0, msg;
    if (self.unreported && m.connected) {
      console.log('MQTT: buffer full while offline, ' + self.unreported + ' oldest readings dropped');
      self.unreported = 0;
    }
    while (m.connected && q.length && k++ < PER_TURN) {
      msg = q.shift() as string;
      m.publish(self.topic, msg, { qos: self.o.qos || 0, retain: self.o.retain });
      // the module drops the connection when a write fails: keep the payload for the next connection
      if (!m.connected) q.unshift(msg);
      else self.sent++;
    }
    if (m.connected && q.length && !self.f)
      self.f = setTimeout(function () {
        self.f = 0;
        self.flush();
      }, 10);
  }

  /** Disconnects for good (the firmware restarting). */
  stop() {
    this.stopped = true;
    clearTimeout(this.t);
    clearTimeout(this.f);
    this.m.disconnect();
  }
}
