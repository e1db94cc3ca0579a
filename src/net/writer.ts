// The MQTT writer: its options and state, the client's events, and what it does with a reading. The connection
// (connection.ts), the buffer (reading-buffer.ts) and the QoS 1 window (qos-window.ts) add their methods to its
// prototype; mqtt-writer.ts puts them together.
import { constructorOf } from '../runtime/constructor';
import { AdaptedClient, REFUSED, adaptClient, refusal } from './mqtt-adapter';
import { TLS_HANDSHAKE_FAILED } from './tls';
import type { JournalHost } from '../journal/host';
import type { JournalState } from '../journal/state';
import type { Reading } from './reading-ring';

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
  /** Wait for connect() (called when WiFi is up) instead of connecting at once; 1 or true. */
  lazy?: boolean | number;
  /**
   * Told of the writer's events (WriterEvents), as onEvent(event, argument). One function for all of them: the
   * firmware's control() (src/control/control.ts), which takes them as actions of its own.
   */
  onEvent?: <E extends keyof WriterEvents>(event: E, ...arg: Parameters<WriterEvents[E]>) => void;
  /**
   * Readings kept in flash (Storage) beyond the buffer, by the module `lgjournal` (src/journal), which the writer
   * require()s for a moment when it has work (a function kept here for it would cost device RAM for good); 0 or
   * none: off. At boot the journal lowers it to what Storage has room for. Only in a build whose config has a
   * journal (buffer.journal): one without it ships no lgjournal and leaves out the writer's journal steps.
   */
  journal?: number;
}

/** What the writer tells its onEvent, each event with its argument. */
export interface WriterEvents {
  /** On every (re)connection, after the birth message (subscriptions, discovery). */
  mqttUp(): void;
  /** Each message the broker sends on a subscribed topic. */
  mqttMessage(msg: MQTTMessage): void;
}

/**
 * Seconds a published reading waits for its PUBACK (QoS 1) before the link counts as dead: a broker or a link that
 * vanished without a word (the power of its machine, a cable pulled between) leaves the connection looking open,
 * and the MQTT module never notices (it pings, but misses no answer). The same wait as a CONNACK's (connection.ts).
 */
var ANSWER_WAIT = 15;
/** A wait for a PUBACK longer than this, in seconds (three years), is SNTP having set the clock meanwhile, from seconds since boot to Unix time. */
var CLOCK_SET = 1e8;

/** Client ids of the writers that exist, to warn when two would keep knocking each other off the broker. */
var clientIds: string[] = [];

/** A socket of the writer's: it knows its writer, for hear. */
export interface WriterSocket extends NetSocket {
  _writer: MQTTWriter;
}

/**
 * What a writer hears, `this` being who speaks, one function for every writer and both speakers (each kept function
 * costs device RAM, and a function made per writer or per attempt would keep its maker's variables alive):
 * - its MQTT client, as the client's `emit` (mqtt-adapter.ts): every event, then the listeners a user added;
 * - the socket of its latest attempt (connection.ts), which the writer opens itself (mqtt-adapter.ts says why):
 *   connected (the argument is the socket itself), and the module takes it over and sends the CONNECT; or an error
 *   (refused, unreachable), and the attempt has failed at once rather than after CONNECT_WAIT.
 */
export function hear(this: AdaptedClient | WriterSocket, event: MQTTEvent | WriterSocket | NetSocketError, arg?: string | number | MQTTMessage) {
  var self = this._writer, o = self._options, client = self.client;
  if (this != client) {
    if (self._socket !== this || !self._connecting) return;
    if (event === this) return client.connect(this);
    // an ESP8266 reports a refused connection (the host answered, nothing listens on that port) as a reset (-9):
    // named as what it is, before the connection was ever made; so is a failed TLS handshake (-13)
    var error = event as NetSocketError;
    console.log('MQTT: cannot reach ' + client.server + ':' + client.port + ': ' + (error && error.code == -9 ? 'connection refused (no broker on that port?)' : CONFIG.mqtt.tls && error && error.code == -13 ? TLS_HANDSHAKE_FAILED : (error && error.message) || error));
    return self._close(1);
  }
  if (event == 'connected') {
    // an attempt that was under way when the writer stopped: not wanted any more
    if (!self._running) client.disconnect();
    else {
      clearTimeout(self._timer);
      self._connecting = self._timer = self.inFlight = 0;
      console.log('MQTT: connected to ' + client.server + ':' + client.port);
      if (o.base) client.publish(o.base + '/status', 'online', { qos: 0, retain: true });
      if (o.onEvent) o.onEvent('mqttUp');
      self._flush();
    }
  } else if (event == 'disconnected') {
    // a drop while connected (no timer pending) or during an attempt ends it; one after _close(1) is already handled
    if (self._running && (self._connecting || !self._timer)) {
      if (!self._connecting) {
        // it was connected: the next attempt comes after the shortest wait
        self.backoff = 1;
        console.log('MQTT: lost ' + client.server + ':' + client.port);
      }
      self._close(1);
    }
  } else if (event == 'error') {
    // a refused CONNECT (mqtt-adapter.ts) is said as what the broker said, and the attempt has failed
    console.log('MQTT: ' + ((arg as string).indexOf(REFUSED) ? arg : client.server + ':' + client.port + ' ' + /*@__INLINE__*/ refusal(arg as string)));
    if (self._connecting) self._close(1);
  } else if (event == 'puback') {
    if (self.inFlight) {
      self._heardAt = getTime();
      self.inFlight--;
      self._published--;
      self._drop(0);
      self.sent++;
      self._flush();
    }
  } else if (event == 'publish' && o.onEvent) o.onEvent('mqttMessage', arg as MQTTMessage);
  // then the module's own emit, the listeners'
  (this as AdaptedClient).__proto__.emit.apply(this, arguments as unknown as Parameters<MQTTClient['emit']>);
}

/**
 * Where a writer connects, `host:port`, for its console lines: made from its client's own fields when a line is
 * printed rather than kept (callers mark the call `@__INLINE__`, as with jitter(): the build puts it in place).
 * The build puts a function in place only once in each function: hear, which names the broker in four lines,
 * writes it out instead.
 */
export function where(w: MQTTWriter): string {
  return w.client.server + ':' + w.client.port;
}

/** Event → payload: an array as the tutorial's JSON `["lux-1", 624, 284.1312]` (or an object), else JSON. */
export function payload(x: Reading, obj?: boolean): string {
  return x instanceof Array
    ? obj
      ? JSON.stringify({ id: x[0], ts: x[1], lux: x[2] })
      : '[' + x.map(JSON.stringify as (v: unknown) => string).join(', ') + ']'
    : JSON.stringify(x);
}

/**
 * Publishes each event to an MQTT broker through Espruino's MQTT module. Events wait in a bounded buffer until
 * the broker has them; the client reconnects by itself with exponential backoff and jitter, one client for life.
 * It is the journal's host (src/journal/host.ts): what the journal may see and do of it.
 */
export interface MQTTWriter extends JournalHost {
  /** The constructor, as on an instance of a class. */
  constructor: Function;
  /** Where readings go; `{id}` stands for the sensor id. */
  topic: string;
  /** Espruino's MQTT client, adapted (mqtt-adapter.ts). */
  client: AdaptedClient;
  /** Readings received, sent (acknowledged at QoS 1), dropped, waiting (in the buffer, in flash); connection attempts that failed. */
  sampled: number;
  sent: number;
  dropped: number;
  queued: number;
  journaled: number;
  reconnects: number;
  _options: WriterOptions;
  /**
   * The buffer: a ring of bufferSize slots, `queued` of them in use from slot `_head`, oldest first. An event
   * [id, ts, value] of the first sensor id seen (`_id`) is kept as two whole numbers in `_numbers` (ts, value ×
   * 10⁴): the whole buffer is one block of device RAM, where each reading as JSON text would take six variables.
   * Any other event is kept as itself in `_others`, by slot.
   */
  _numbers: Int32Array;
  /**
   * The buffer's slots (half of _numbers' length, kept: asking a typed array its length makes Espruino build the
   * prototype of every typed array, ArrayBufferView, which then stays in RAM).
   */
  _size: number;
  _others: Reading[];
  /** (undefined until the first reading) */
  _id: string;
  /** Whole seconds the buffer's timestamps count from, in milliseconds: readings at intervals under 1 s keep theirs. */
  _since: number;
  /**
   * The journal's state while readings wait in flash or in its batch (more than the buffer holds), else 0: its
   * whole numbers, which the build keeps in one Int32Array (src/journal/state.ts).
   */
  _journal: JournalState | 0;
  /** The journal's batch: readings not yet written to flash, as the text they will be written as; absent without a journal state. */
  _batch?: string;
  /**
   * Readings on their way to flash, set aside by onNext for the journal's next turn (_flush's timer); absent when
   * none (a field costs device RAM even when it holds 0).
   */
  _incoming?: Reading[];
  _head: number;
  /** How many at the head of the buffer are published on this connection and wait for their PUBACK (QoS 1). */
  inFlight: number;
  /**
   * When the broker was last heard to take a reading (getTime()): the last PUBACK, or the publish that started the
   * wait for one. Set once the first reading is published.
   */
  _heardAt?: number;
  /**
   * How many at the head of the buffer were published at least once (QoS 1). They may have reached the broker, so
   * they are sent again rather than dropped: a drop is only ever a reading that never left.
   */
  _published: number;
  /** Drops not yet reported on the console; absent when none (a field costs device RAM even when it holds 0). */
  _unreported?: number;
  /** The socket of the latest attempt: the writer's until it is connected, then the module's; 0 for none. */
  _socket: WriterSocket | 0;
  /** The pending timer: the CONNACK watchdog during an attempt, or the pause before the next one. */
  _timer: TimerId;
  /** 1 while a connect attempt is under way. */
  _connecting: number;
  /** The pending timer of a _flush(1): the next turn's sending. */
  _flushTimer: TimerId;
  /** The reconnect backoff step, seconds. */
  backoff: number;
  /**
   * 0 while the network is down (or stopped): no attempts are made. (A flag the device keeps is 1 or 0: a boolean
   * field takes a variable more than a small whole number.)
   */
  _running: number;
  /** Starts an attempt now unless connected; one already under way (say, from before WiFi was up) is abandoned. */
  connect(): void;
  /**
   * Closes the connection, or the socket of an attempt still connecting; with `retry`, gives it up as failed and
   * plans the next attempt (unacknowledged readings go again).
   */
  _close(retry?: number): void;
  /** Buffers a reading and sends what it can. */
  onNext(x: Reading): void;
  /** Puts a reading at the end of the buffer, dropping the oldest that never left when it is full. */
  _put(x: Reading): void;
  /** Takes the event at position n out of the buffer, moving the older ones up a slot. */
  _drop(n: number): void;
  /**
   * Sends what waits, in order, a few per turn; at QoS 1 only a window of them waits for its PUBACK at once. `timer`:
   * called by its own timer.
   */
  _flush(timer?: number): void;
  /**
   * Disconnects and stops trying until connect() is called again (the network is gone); readings keep buffering.
   * `bye`, for a writer stopping for good, says `offline` first and frees its client id.
   */
  stop(bye?: boolean): void;
}

export var MQTTWriter = constructorOf<{ new (clientId: string, host: string, port: number, topic: string, opts?: WriterOptions): MQTTWriter; prototype: MQTTWriter }>(function (clientId, host, port, topic, opts) {
  var self = this, o: WriterOptions;
  self.topic = topic;
  self.sampled = 0;
  self.sent = 0;
  self.dropped = 0;
  self.queued = 0;
  self.journaled = 0;
  self._journal = 0;
  self.reconnects = 0;
  self._others = [];
  self._head = 0;
  self.inFlight = 0;
  self._published = 0;
  self._timer = self._socket = 0;
  self._connecting = 0;
  self._flushTimer = 0;
  self.backoff = 1;
  self._running = 1;
  o = self._options = opts || {};
  self._size = o.bufferSize || DEFAULTS.buffer.size;
  self._numbers = new Int32Array(2 * self._size);
  if (clientIds.indexOf(clientId) >= 0)
    console.log("MQTT: client id '" + clientId + "' is already used by another writer: the broker keeps only one of them connected; give this one its own id");
  clientIds.push(clientId);
  self.client = require('MQTT').create(host, {
    client_id: clientId,
    port: port,
    keep_alive: o.keepAlive || DEFAULTS.mqtt.keepAlive,
    username: o.username,
    password: o.password
  }) as AdaptedClient;
  /*@__INLINE__*/ adaptClient(self.client, self, o, hear);
  // readings left in flash before a reboot go first. A build whose config has no journal (buffer.journal 0) ships
  // no lgjournal: the journal's steps are left out of it, here and below
  if (CONFIG.buffer.journal && o.journal)
    try {
      require('lgjournal')(self, 'boot');
    } catch (e) {
      console.log('journal: ' + ((e as Error).message || e) + '; off until the next boot');
      o.journal = 0;
    }
  if (!o.lazy) self.connect();
});

MQTTWriter.prototype = {
  // kept, as a class keeps it (Espruino adds it at the first `new` anyway)
  constructor: MQTTWriter as Function,
  onNext: function (x) {
    var self = this, o = self._options, p = payload(x, o.format == 'object').length, waited;
    self.sampled++;
    // readings wait for a PUBACK longer than a broker takes: the link is dead. It is dropped as the module drops it
    // when its socket ends (mqtt-adapter.ts), so that this reading and the next go to flash (below), and the writer
    // connects again. A wait of decades is SNTP setting the clock meanwhile: the wait starts again from now
    if (self.inFlight && (waited = getTime() - (self._heardAt as number)) > ANSWER_WAIT) {
      if (waited > CLOCK_SET) (self._heardAt as number) += waited;
      else {
        // (the module's 'disconnected' that follows says `MQTT: lost <host:port>`)
        console.log('MQTT: no answer in ' + ANSWER_WAIT + ' s');
        self.client._scktClosed();
      }
    }
    if (p > (o.maxPayload || DEFAULTS.mqtt.maxPayload)) {
      console.log('MQTT: payload of ' + p + ' bytes refused, over mqtt.maxPayload');
      self.dropped++;
      return;
    }
    // a reading goes to flash after readings already there, beyond the buffer, and while the broker is away, from
    // the outage's first reading on (so that a power cut finds at most one batch in RAM alone): set aside here, and
    // written by the journal from _flush's own timer, on a stack of its own rather than under the graph that
    // delivered it. The broker is away once the writer has lost it or failed an attempt (`reconnects`), or while the
    // network is gone (stop()); not before its first attempt has had an answer: a writer just made is handed
    // readings before it connects (deep sleep's send wake hands it those it kept in flash), and these wait in RAM
    if (CONFIG.buffer.journal && (self._journal || self._incoming || self.queued >= self._size || (!self.client.connected && (self.reconnects || !self._running))) && o.journal)
      (self._incoming = self._incoming || []).push(x);
    else self._put(x);
    self._flush();
  },

  stop: function (bye?: boolean) {
    var self = this, i = clientIds.indexOf(self.client.client_id);
    if (bye && self._options.base && self.client.connected) self.client.publish(self._options.base + '/status', 'offline', { qos: 0, retain: true });
    // a reset or load() is coming: what waits in RAM goes to flash, to be sent after it
    if (CONFIG.buffer.journal && bye && self._options.journal && (self.queued || self._journal || self._incoming)) require('lgjournal')(self, 'keep');
    if (bye && i >= 0) clientIds.splice(i, 1);
    self._running = 0;
    self._connecting = self.inFlight = 0;
    clearTimeout(self._timer);
    clearTimeout(self._flushTimer);
    self._flushTimer = 0;
    self._close();
  }
} as MQTTWriter;
