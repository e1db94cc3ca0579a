// require("tls") for the simulator: connect() over Node's tls, behaving as an Espruino with
// scripts/espruino/patches/tls-verify.patch does (checksCertificates true). Given a `ca`, the server's certificate
// must be signed by it and made out to the host the firmware named; without one nothing is checked. A handshake
// that fails is an 'error' event { code: -13, message: 'SSL handshake failed' } on the socket, and the reason is
// printed as that Espruino prints it, a warning: `WARNING: TLS: the server's certificate was refused: …`. The
// certificates come as the firmware has them, DER bytes one per character.
import net from 'node:net';
import tls from 'node:tls';
import crypto from 'node:crypto';
import { SocketSim, socketError } from './net.mjs';

/** Espruino's error for a failed TLS handshake (libs/network/socketerrors.c). */
const HANDSHAKE_FAILED = [-13, 'SSL handshake failed'];

/** mbed TLS's words for why a certificate was refused, by the error code of Node's check. */
const REFUSALS = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'The certificate Common Name (CN) does not match with the expected CN',
  CERT_HAS_EXPIRED: 'The certificate validity has expired',
  CERT_NOT_YET_VALID: 'The certificate validity starts in the future'
};
const NOT_TRUSTED = 'The certificate is not correctly signed by the trusted CA';

/** DER bytes (one per character) as the PEM text Node's tls takes. */
export function pem(der, label) {
  const base64 = Buffer.from(der, 'latin1').toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${base64}-----END ${label}-----\n`;
}

/** A private key's DER bytes (PKCS#8, PKCS#1 or SEC1, as mbed TLS reads them) as PEM. */
export function keyPem(der) {
  const key = Buffer.from(der, 'latin1');
  for (const type of ['pkcs8', 'pkcs1', 'sec1'])
    try {
      return crypto.createPrivateKey({ key, format: 'der', type }).export({ format: 'pem', type: 'pkcs8' });
    } catch {}
  return pem(der, 'PRIVATE KEY');
}

/**
 * The module object. resolve(host, port) picks the real address, as for net (scripts/sim/net.mjs); networkUp()
 * says whether WiFi is up; say(line) prints on the device's console.
 */
export function createTlsModule({ resolve, networkUp, say }) {
  const sockets = new Set();
  return {
    checksCertificates: true,
    /** The link went down: every socket dies, as on the device. */
    cutAll() {
      for (const s of sockets) s.destroy();
    },
    connect(options, onConnect) {
      const target = resolve(options.host, options.port);
      const stream = tls.connect({
        host: target.host,
        port: target.port,
        // the name checked is the one the firmware connects to, wherever the simulator sends the connection
        servername: net.isIP(options.host) ? undefined : options.host,
        checkServerIdentity: (host, cert) => tls.checkServerIdentity(options.host, cert),
        rejectUnauthorized: !!options.ca,
        ca: options.ca ? pem(options.ca, 'CERTIFICATE') : undefined,
        cert: options.cert ? pem(options.cert, 'CERTIFICATE') : undefined,
        key: options.key ? keyPem(options.key) : undefined,
        // all that Espruino's mbed TLS speaks
        maxVersion: 'TLSv1.2'
      });
      let secured = false;
      const socket = new SocketSim(stream, (e) => {
        if (secured || e.syscall) return socketError(e);
        say(`WARNING: TLS: ${e.code in REFUSALS || /CERT|SIGNATURE|ISSUER/.test(e.code) ? `the server's certificate was refused: ${REFUSALS[e.code] || NOT_TRUSTED}` : `mbedtls_ssl_handshake returned ${e.message}`}`);
        return HANDSHAKE_FAILED;
      });
      sockets.add(stream);
      stream.on('close', () => sockets.delete(stream));
      stream.on('secureConnect', () => {
        secured = true;
        if (!networkUp()) return stream.destroy(Object.assign(new Error('no network'), { code: 'EHOSTUNREACH', syscall: 'connect' }));
        if (onConnect) onConnect.call(socket, socket);
      });
      return socket;
    }
  };
}
