// require("net") for the simulator: connect() only, the part the firmware uses, with a real TCP socket underneath
// and the events of Espruino's sockets. A connection that fails fires 'error' ({ code, message } as Espruino's
// socket errors are), then 'end' and 'close'. On a board whose connect blocks (ESP32, Espruino's Linux port) the
// failure is a throw from connect() on the device; Node learns of it only a moment later, so it comes as 'error'
// then too: a caller must handle both.
import net from 'node:net';
import { EspruinoEvents } from './events.mjs';

/** Espruino's socket error codes and texts (libs/network/socketerrors.c) for the failures Node reports. */
const ERRORS = { ECONNREFUSED: [-9, 'connection reset'], ETIMEDOUT: [-3, 'timeout'], EHOSTUNREACH: [-4, 'no route'], ENOTFOUND: [-6, 'not found'] };

/** A Node socket error as Espruino's socket error: [code, message]. */
export const socketError = (e) => ERRORS[e.code] || [-10, 'unknown error'];

/** A socket as Espruino's: its events over a Node socket (`stream`); `errorOf` makes a Node error Espruino's [code, message]. */
export class SocketSim extends EspruinoEvents {
  constructor(stream, errorOf = socketError) {
    super();
    /** The Node socket: the MQTT shim runs its protocol client over it once the firmware hands the socket over. */
    this.stream = stream;
    this.ended = false;
    stream.on('error', (e) => {
      const [code, message] = errorOf(e);
      this.emit('error', { code, message });
    });
    stream.on('close', () => {
      if (!this.ended) {
        this.ended = true;
        this.emit('end');
      }
      this.emit('close');
    });
  }
  end() {
    this.ended = true;
    this.stream.end();
  }
}

/**
 * The module object. resolve(host, port) picks the real address (the simulator points the configured broker at the
 * embedded one); networkUp() says whether WiFi is up (a socket opened without it fails).
 */
export function createNetModule({ resolve, networkUp }) {
  const sockets = new Set();
  return {
    /** The link went down: every socket dies, as on the device. */
    cutAll() {
      for (const s of sockets) s.destroy();
    },
    connect(options, onConnect) {
      const target = resolve(options.host, options.port);
      const stream = net.connect({ host: target.host, port: target.port });
      const socket = new SocketSim(stream);
      sockets.add(stream);
      stream.on('close', () => sockets.delete(stream));
      stream.on('connect', () => {
        if (!networkUp()) return stream.destroy(Object.assign(new Error('no network'), { code: 'EHOSTUNREACH' }));
        if (onConnect) onConnect.call(socket, socket); // as Espruino calls it: on the socket, with the socket
      });
      return socket;
    }
  };
}
