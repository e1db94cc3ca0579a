// Declarations for the Espruino APIs the firmware uses that @types/espruino lacks.
// They describe the device's own globals and modules; nothing here is implemented by the project.

/** What setTimeout and setInterval give back, for clearTimeout and clearInterval (which also take 0, clearing nothing). */
type TimerId = number;
// the arguments after `ms` are passed to fn when it runs, and tsc checks them against fn's parameters
declare function setTimeout<A extends unknown[]>(fn: (...args: A) => void, ms?: number, ...args: A): TimerId;
declare function setInterval<A extends unknown[]>(fn: (...args: A) => void, ms?: number, ...args: A): TimerId;

declare var console: { log(...args: unknown[]): void };

declare var process: {
  memory(): { free: number; usage: number; total: number; history?: number; gc?: number; blocksize?: number };
  env: { VERSION?: string; BOARD?: string };
};

declare namespace E {
  function on(event: 'init' | 'kill', fn: () => void): void;
  function getErrorFlags(): string[];
}

/** Espruino's MQTT module (espruino.com/modules/MQTT), inlined by espruino-cli at upload. */
interface MQTTOptions {
  client_id?: string;
  port?: number;
  keep_alive?: number;
  clean_session?: boolean;
  username?: string;
  password?: string;
  protocol_name?: string;
  protocol_level?: number;
}
interface MQTTPublishOptions { qos?: number; retain?: boolean; dup?: boolean }
interface MQTTMessage { topic: string; message: string; qos: number; retain: number; dup: number }
/**
 * The events the module emits on a client: 'connected' and 'connect' when the broker accepted the CONNECT;
 * 'disconnected' and 'close' when a connection ends ('disconnected' alone when CONNACK never came); 'error' with a
 * text (a refused CONNECT, a socket that could not be made, a packet it does not know); 'publish' and 'message'
 * for a message on a subscribed topic; 'puback' and 'pubcomp' with the packet id; 'subscribed',
 * 'subscribed_fail' and 'unsubscribed' for SUBACK and UNSUBACK; 'ping_reply' for PINGRESP.
 */
type MQTTEvent =
  | 'connected'
  | 'connect'
  | 'disconnected'
  | 'close'
  | 'error'
  | 'publish'
  | 'message'
  | 'puback'
  | 'pubcomp'
  | 'subscribed'
  | 'subscribed_fail'
  | 'unsubscribed'
  | 'ping_reply';
interface MQTTClient {
  connected: boolean;
  /** The broker's host and port, as given to create(). */
  server: string;
  port: number;
  client_id: string;
  keep_alive: number;
  /** Set from create()'s options; present (undefined) when those had none. */
  username?: string;
  password?: string;
  /** Only the module's own CONNECT builder reads these. */
  clean_session?: boolean;
  protocol_name?: string;
  protocol_level?: string;
  /** Connects, on a socket of its own, or on `socket` (already connected) when given. */
  connect(socket?: NetSocket): void;
  disconnect(): void;
  /** What the module does when its socket ends: not connected, no more pings, 'disconnected' and 'close' told. */
  _scktClosed(): void;
  publish(topic: string, message: string, opts?: MQTTPublishOptions): void;
  subscribe(topics: string | string[], opts?: { qos?: number }): void;
  unsubscribe(topic: string): void;
  /** Builds the CONNECT packet; the module calls it when the socket opens, so a client may supply its own. */
  mqttConnect(clientId: string): string;
  /** Tells the listeners of `event` (Espruino's emit, on every object). */
  emit(event: MQTTEvent, ...args: unknown[]): void;
  on(event: 'connected' | 'connect' | 'disconnected' | 'close' | 'subscribed' | 'subscribed_fail' | 'unsubscribed' | 'ping_reply', fn: () => void): void;
  on(event: 'puback' | 'pubcomp', fn: (packetId: number) => void): void;
  on(event: 'error', fn: (message: string) => void): void;
  on(event: 'publish', fn: (msg: MQTTMessage) => void): void;
  on(event: 'message', fn: (topic: string, message: string) => void): void;
}
interface MQTTModule { create(server: string, options?: MQTTOptions): MQTTClient }

/** What the Wifi module's events pass: on 'connected', the address as `ip` (ESP8266 and ESP32 both). */
interface WifiDetails {
  ip?: string;
}

/** The Wifi module, as on ESP8266 and ESP32. */
interface WifiModule {
  connect(ssid: string, options: { password?: string }, callback?: (err: string | null) => void): void;
  disconnect(callback?: () => void): void;
  getIP(callback?: (err: unknown, ip: { ip: string }) => void): { ip: string };
  getDetails?(callback?: (details: { rssi?: number; status?: string }) => void): { rssi?: number; status?: string };
  on(event: 'connected' | 'disconnected', fn: (details?: WifiDetails) => void): void;
  setSNTP?(server: string, tzOffset: number): void;
}

/** A TCP socket of the net module: 'error' ({ code, message }) when a connection fails, then 'end' and 'close'. */
interface NetSocket {
  write(data: string): void;
  end(): void;
  on(event: 'error', fn: (this: NetSocket, error: NetSocketError) => void): void;
  /** Any other event ('data', 'end', 'close' …), with what it passes. */
  on(event: string, fn: Function): void;
}
/** What a socket's 'error' carries: on an ESP8266, code -9 for a connection the host refused. */
interface NetSocketError { code?: number; message?: string }
/** The net module: connect() calls back, on the socket, once it is connected; a board whose connect blocks may throw. */
interface NetModule { connect(options: { host: string; port: number }, onConnect?: (this: NetSocket, socket: NetSocket) => void): NetSocket }

/** Certificates for tls.connect: DER bytes, one per character (Espruino's mbed TLS reads no PEM). */
interface TlsCertificates {
  /** The CA the server's certificate must be signed by (checked only where checksCertificates is true). */
  ca?: string;
  /** The client's own certificate and its private key, for a server that logs clients in by certificate. */
  cert?: string;
  key?: string;
}
interface TlsOptions extends TlsCertificates {
  host: string;
  port: number;
}
/**
 * The tls module (ESP32 builds): connect() as the net module's, over TLS. Espruino 2v29 as released checks no
 * certificate; a build with scripts/espruino/patches/tls-verify.patch checks the server's when given `ca`, and has
 * checksCertificates true.
 */
interface TlsModule {
  connect(options: TlsOptions, onConnect?: (this: NetSocket, socket: NetSocket) => void): NetSocket;
  checksCertificates?: boolean;
}

declare function require(name: 'MQTT'): MQTTModule;
declare function require(name: 'tls'): TlsModule;
declare function require(name: 'net'): NetModule;
declare function require(name: 'Wifi'): WifiModule;

/**
 * The ESP8266's own functions (a global class on that chip only): deepSleep(micros, option) turns the chip off for
 * `micros` (a whole number in a 32-bit integer, or it throws "Invalid microseconds"), woken by GPIO16 wired to RST
 * as a reset; option 4: no radio after the wake, 1: the radio calibrated. getResetInfo().reason says why it started:
 * "deep sleep" after such a wake; "power on", "reset pin" … otherwise.
 */
declare var ESP8266: {
  deepSleep(micros: number, option?: number): void;
  getResetInfo(): { reason: string };
};

/** The ESP32's own functions: deepSleep(us) (its clock keeps running), getWakeupCause() 4 after a timer wake. */
declare var ESP32: {
  deepSleep(us: number): void;
  getWakeupCause(): number;
};
