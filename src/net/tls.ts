// The broker over TLS (mqtt.tls): the socket the writer opens to it, and what the firmware says at boot of what that
// TLS protects. Every use is under `if (CONFIG.mqtt.tls)`, which the build folds away when the config has no TLS:
// such a build has none of this.
//
// Espruino 2v29 as released encrypts a TLS link but checks no certificate (libs/network/network.c sets
// MBEDTLS_SSL_VERIFY_NONE and names every server "mbed TLS Server 1"), so the `ca` it is given changes nothing. A
// build with scripts/espruino/patches/tls-verify.patch checks the server's certificate against the `ca` and the
// host connected to, and says so as require('tls').checksCertificates. docs/network.md says what each protects.

/** What the writer says when a TLS handshake fails (the error code -13 of Espruino's sockets). */
export var TLS_HANDSHAKE_FAILED =
  "the TLS handshake failed: the broker's certificate was refused (Espruino's warning above says why), or the broker refused the device's (mqtt.cert), or it speaks no TLS on that port";

/**
 * Opens the TLS socket to the broker at host:port with the build's certificates, calling `onConnect` once it is
 * connected. Espruino reads the certificates as it makes the socket, and keeps the options on it for the
 * connection's life: they are taken off again, so that the certificates are not kept in RAM.
 */
export function tlsSocket(host: string, port: number, onConnect: (this: NetSocket, socket: NetSocket) => void): NetSocket {
  var options = CONFIG.mqtt.tls as TlsOptions, socket: NetSocket;
  options.host = host;
  options.port = port;
  socket = require('tls').connect(options, onConnect);
  delete options.ca;
  delete options.cert;
  delete options.key;
  return socket;
}

/**
 * Says, once at boot, what the link's TLS protects on this interpreter: the traffic is encrypted either way, but
 * only an Espruino that checks certificates makes mqtt.ca keep an impostor out.
 */
export function sayWhatTlsProtects() {
  var checks = false, to = 'MQTT: TLS to ' + CONFIG.mqtt.host + ':' + CONFIG.mqtt.port + ': the traffic is encrypted, ';
  try {
    checks = require('tls').checksCertificates === true;
  } catch (e) {}
  if (!(CONFIG.mqtt.tls as TlsCertificates).ca) console.log(to + 'but without mqtt.ca nothing checks that the other end is your broker');
  else if (checks) console.log(to + "and the broker's certificate is checked: signed by mqtt.ca's CA and made out to " + CONFIG.mqtt.host + ', or the connection is refused');
  else
    console.log(
      to + "but this Espruino does not check the broker's certificate (Espruino 2v29 checks none, mqtt.ca or not): whoever gets between the board and the broker can pose as it and read what is sent, the MQTT password too. docs/network.md, TLS, says how to build an Espruino that checks"
    );
}
