// require("MQTT") for the simulator: the API and the event behaviour of Espruino's MQTT module as the upload sends
// it (create, connect, disconnect, publish, subscribe; 'connected', 'disconnected', 'error', 'publish',
// 'message'), carried by the npm mqtt client to a real broker. Where the module behaves oddly, this does too:
// - A refused CONNECT (CONNACK return code 1 to 5: a wrong password, a client id refused) is an 'error'
//   `Connection refused, NOT_AUTHORIZED`, with the module's name for the code, and nothing else: the module says
//   nothing when the broker then closes the socket, as it was never connected. (The module as published reads the
//   return code past the packet's end and takes every refusal for a success; the upload sends it corrected, see
//   scripts/firmware/mqtt-connack.mjs.)
// - A TCP connection that fails (refused, unreachable, a host DNS cannot find) depends on the board's network
//   code. The ESP8266 resolves and connects in the background, and the module listens to the socket only once it
//   is connected: it says nothing, and only the firmware's own timeout notices. The ESP32 (and Espruino's Linux
//   port) resolve and connect before net.connect() returns, which throws; the module catches that and emits
//   'error' ("Unable to create socket", or "Unable to locate host") and 'disconnected', within connect(). With
//   `connectBlocks` this adapter does the same, once Node's socket has failed (a moment later, not within
//   connect()); without it, it is silent.
// - connect(socket) takes a socket already connected by require("net") (scripts/sim/net.mjs), as the module does:
//   the CONNECT goes out on it at once. A program that opens its own socket hears of a failed connection from it.
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { EspruinoEvents } from './events.mjs';

const CONNECT_TIMEOUT = 10000; // the module's wait for CONNACK once TCP is up

/** The module's names for the CONNACK return codes that refuse a connection (its RETURN_CODES). */
const RETURN_CODES = { 1: 'UNACCEPTABLE_PROTOCOL_VERSION', 2: 'IDENTIFIER_REJECTED', 3: 'SERVER_UNAVAILABLE', 4: 'BAD_USER_NAME_OR_PASSWORD', 5: 'NOT_AUTHORIZED' };

class MQTTSim extends EspruinoEvents {
  constructor(mod, server, options = {}) {
    super();
    this.mod = mod;
    this.server = server;
    this.port = options.port || 1883;
    this.client_id = options.client_id || Math.random().toString(16).slice(2, 14);
    this.keep_alive = options.keep_alive || 60;
    this.username = options.username;
    this.password = options.password;
    this.client = false;
    this.connected = false;
  }

  /**
   * What the CONNECT packet says. The module sends `this.mqttConnect()`, which a program may supply, on the client
   * or on the module's prototype (to add a last will, say): the bytes it returns are parsed here and become the
   * real client's options. Without one, the module's own fields.
   */
  connectOptions() {
    const own = { clientId: this.client_id, clean: true, keepalive: this.keep_alive, username: this.username, password: this.password };
    if (typeof this.mqttConnect != 'function') return own;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    let packet = null;
    parser.on('packet', (p) => (packet = p));
    parser.on('error', (e) => {
      throw new Error('MQTT sim: the CONNECT packet from mqttConnect() is malformed: ' + e.message);
    });
    parser.parse(Buffer.from(this.mqttConnect(this.client_id), 'latin1'));
    if (!packet || packet.cmd != 'connect') throw new Error('MQTT sim: mqttConnect() did not return a whole CONNECT packet');
    return {
      clientId: packet.clientId,
      clean: packet.clean,
      keepalive: packet.keepalive,
      username: packet.username,
      password: packet.password,
      will: packet.will && { topic: packet.will.topic, payload: packet.will.payload, qos: packet.will.qos, retain: packet.will.retain }
    };
  }

  connect(socket) {
    const target = this.mod.resolve(this.server, this.port);
    const options = {
      ...this.connectOptions(),
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 24 * 3600 * 1000, // the CONNACK wait is modelled below, as the module does it
      queueQoSZero: false
    };
    const client = socket ? new mqtt.MqttClient(() => socket.stream, options) : mqtt.connect({ host: target.host, port: target.port, ...options });
    this.mod.sockets.add(client);
    let ctimo = null;
    const closed = () => {
      if (ctimo) this.mod.timers.clearTimeout(ctimo);
      ctimo = null;
      this.mod.sockets.delete(client);
      if (this.client === client) this.client = false;
      if (this.connected && this.current === client) {
        this.connected = false;
        this.emit('disconnected');
        this.emit('close');
      }
    };
    this.current = client;
    let tcpUp = false;
    const unableTo = (what) => {
      // what the module's catch around net.connect() does, on a board whose connect blocks
      if (this.current !== client) return;
      this.client = false;
      this.emit('error', what);
      this.emit('disconnected');
    };
    client.stream.on('error', (e) => {
      if (this.mod.connectBlocks && !tcpUp) unableTo(/ENOTFOUND|EAI_AGAIN/.test(e.code) ? 'Unable to locate host' : 'Unable to create socket');
    });
    const tcpConnected = () => {
      tcpUp = true;
      if (!this.mod.networkUp()) return client.end(true);
      this.client = client;
      ctimo = this.mod.timers.setTimeout(() => {
        ctimo = null;
        this.emit('disconnected');
        this.disconnect();
      }, CONNECT_TIMEOUT);
    };
    if (socket) tcpConnected();
    else client.stream.on('connect', tcpConnected);
    client.on('connect', () => {
      if (ctimo) this.mod.timers.clearTimeout(ctimo);
      ctimo = null;
      this.connected = true;
      this.emit('connected');
      this.emit('connect');
    });
    client.on('error', (e) => {
      if (typeof e.code == 'number' && e.code > 0 && this.current === client) {
        // a refused CONNECT (see the top of this file); mqtt.js has already closed the socket, and the module is
        // not connected: its 'close' says nothing
        if (ctimo) this.mod.timers.clearTimeout(ctimo);
        ctimo = null;
        this.emit('error', 'Connection refused, ' + (RETURN_CODES[e.code] || 'unknown return code: ' + e.code + '.'));
      }
      // socket-level errors: the Espruino module never hears of them either
    });
    client.on('close', closed);
    client.on('message', (topic, message, packet) => {
      const msg = { topic, message: message.toString('latin1'), dup: packet.dup ? 1 : 0, qos: packet.qos, retain: packet.retain ? 1 : 0 };
      this.emit('publish', msg);
      this.emit('message', msg.topic, msg.message);
    });
    if (!socket && !this.mod.networkUp())
      this.mod.timers.setTimeout(() => {
        client.end(true);
        if (this.mod.connectBlocks) unableTo('Unable to create socket');
      }, 0);
  }

  disconnect() {
    if (!this.client) return;
    const c = this.client;
    this.client = false;
    c.end();
  }

  /**
   * What the module runs when its socket ends (its _scktClosed), which the firmware also calls for a link gone
   * silent: not connected any more, 'disconnected' and 'close' told; the socket is left to whoever holds it.
   */
  _scktClosed() {
    if (!this.connected) return;
    this.connected = false;
    this.client = false;
    this.emit('disconnected');
    this.emit('close');
  }

  /** Writes now or fails now, like a socket write on the device; a dead socket ends the session. */
  writable() {
    if (!this.client) return false;
    if (this.client.connected && this.mod.networkUp()) return true;
    this.client.end(true);
    this.client = false;
    if (this.connected) {
      this.connected = false;
      this.emit('disconnected');
      this.emit('close');
    }
    return false;
  }

  publish(topic, message, opts = {}) {
    if (!this.writable()) return;
    const client = this.client;
    client.publish(topic, String(message), { qos: opts.qos || 0, retain: !!opts.retain, dup: !!opts.dup }, (err, packet) => {
      // the module emits 'puback' with the packet id when the broker acknowledges a QoS 1 message
      if (!err && opts.qos && this.client === client) this.emit('puback', packet && packet.messageId);
    });
  }

  subscribe(topics, opts = {}) {
    if (!this.writable()) return;
    const list = typeof topics == 'string' ? [topics] : topics;
    this.client.subscribe(list, { qos: opts.qos || 0 }, (err, granted) => {
      if (err || granted.some((g) => g.qos == 0x80)) this.emit('subscribed_fail');
      else this.emit('subscribed');
    });
  }

  unsubscribe(topic) {
    if (!this.writable()) return;
    this.client.unsubscribe(topic, () => this.emit('unsubscribed'));
  }

  ping() {}
}

/**
 * The module object. resolve(host, port) picks the real broker address (the simulator points the
 * firmware's configured broker at the embedded one); networkUp() says whether WiFi is up; connectBlocks, whether
 * the board's connect blocks, so that a failed one is reported (ESP32) or not (ESP8266).
 */
export function createMQTTModule({ timers, resolve = (host, port) => ({ host, port }), networkUp = () => true, connectBlocks = false }) {
  const mod = {
    timers,
    resolve,
    networkUp,
    connectBlocks,
    sockets: new Set(),
    clients: [],
    create(server, options) {
      const c = new MQTTSim(mod, server, options);
      mod.clients.push(c);
      return c;
    },
    connect(options) {
      const c = mod.create(options.host, options);
      c.connect();
      return c;
    },
    /** The link went down: every socket dies, as on the device. */
    cutAll() {
      for (const s of mod.sockets) s.end(true);
    },
    closeAll() {
      for (const c of mod.clients) c.current && c.current.end(true);
      mod.cutAll();
    }
  };
  return mod;
}
