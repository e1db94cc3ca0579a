// The broker over TLS: mqtt.tls, and the PEM files mqtt.ca, mqtt.cert and mqtt.key name, read at build time and
// baked into the firmware as DER bytes, the form Espruino's tls.connect takes (its mbed TLS reads no PEM: a PEM
// string fails with `mbedtls_x509_crt_parse of 'ca': Invalid format`). Every problem names the field and the fix;
// nothing of a key file's content is ever shown.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

/** The broker's port when mqtt.tls is on and mqtt.port is not given: MQTT over TLS's own. */
export const TLS_PORT = 8883;

/** A PEM block: its label (`CERTIFICATE`, `PRIVATE KEY` …), its headers and its base64 body. */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** The labels a private key's PEM block may have that Espruino's mbed TLS reads as DER, each with its encoding's name in Node. */
const KEY_TYPES = { 'PRIVATE KEY': 'pkcs8', 'RSA PRIVATE KEY': 'pkcs1', 'EC PRIVATE KEY': 'sec1' };

/** The kinds of key Espruino's mbed TLS (2.x) signs and checks with, as Node names them. */
const MBEDTLS_KEY_TYPES = ['rsa', 'ec'];

/** What each file setting holds, for its messages. */
const FILES = {
  ca: { what: "the CA certificate your broker's certificate is signed by", label: 'CERTIFICATE' },
  cert: { what: "the device's own certificate, for brokers that log clients in by certificate", label: 'CERTIFICATE' },
  key: { what: "the private key of the device's certificate (mqtt.cert)", label: 'PRIVATE KEY' }
};

/** The PEM blocks of a file's text: [{ label, headers, der }], `der` the decoded body (a Buffer). */
export function pemBlocks(text) {
  return [...text.matchAll(PEM_BLOCK)].map((m) => {
    const lines = m[2].split(/\r?\n/);
    const headers = lines.filter((l) => l.includes(':'));
    const body = lines.filter((l) => !l.includes(':')).join('').trim();
    return { label: m[1], headers, der: /^[A-Za-z0-9+/=\s]*$/.test(body) ? Buffer.from(body, 'base64') : null };
  });
}

/**
 * The TLS settings of the config's `mqtt` section, checked. `dir`: the folder the file paths are relative to (the
 * config file's); `board`: its profile, whose Espruino build must have require("tls"). Returns what the firmware
 * gets as mqtt.tls: 0 when off, else { ca, cert, key } (those given) as DER bytes in strings of one byte per
 * character; each problem goes to `bad(field, want)`.
 */
export function tlsSettings(mqtt, { dir, board, boardName }, bad) {
  const on = mqtt.tls === undefined ? false : mqtt.tls;
  if (typeof on != 'boolean') {
    bad('mqtt.tls', `must be true (the broker over TLS, port ${TLS_PORT} unless mqtt.port says otherwise) or false, got ${JSON.stringify(on)}`);
    return 0;
  }
  const given = Object.keys(FILES).filter((k) => mqtt[k] !== undefined);
  if (!on) {
    for (const k of given) bad(`mqtt.${k}`, 'is for the broker over TLS, which is off: set "tls": true with it, or leave it out');
    return 0;
  }
  if (board && !(board.builtinModules || []).includes('tls')) {
    bad('mqtt.tls', `the ${boardName} board cannot use TLS: Espruino's ${board.espruinoBoard} build has none (no require("tls") in it). Use "board": "esp32", or leave mqtt.tls out`);
    return 0;
  }
  if (mqtt.key !== undefined && mqtt.cert === undefined) bad('mqtt.key', 'is set without mqtt.cert: the key goes with its certificate: set both or neither');
  if (mqtt.cert !== undefined && mqtt.key === undefined) bad('mqtt.cert', 'is set without mqtt.key: the certificate is of no use without its private key: set both or neither');
  const blocks = {};
  for (const k of given) {
    const block = readPem(mqtt[k], `mqtt.${k}`, k, dir, bad);
    if (block) blocks[k] = block;
  }
  // a key that is not the certificate's would have the broker refuse the pair at every attempt
  if (blocks.cert && blocks.key && !new crypto.X509Certificate(blocks.cert.der).checkPrivateKey(privateKey(blocks.key)))
    bad('mqtt.key', `${mqtt.key} is not the private key of mqtt.cert's certificate (${mqtt.cert}): give the key that was made with it`);
  // one byte per character, as the firmware hands them to tls.connect
  return Object.fromEntries(Object.entries(blocks).map(([k, b]) => [k, b.der.toString('latin1')]));
}

/** The one PEM block ({ label, der }) the file `name` of setting `field` must hold, or null (said to `bad`). */
function readPem(name, field, kind, dir, bad) {
  const want = FILES[kind];
  if (typeof name != 'string' || !name.trim()) {
    bad(field, `must be the path of a PEM file holding ${want.what}, e.g. "certs/${kind}.pem", got ${JSON.stringify(name)}`);
    return null;
  }
  const file = path.resolve(dir, name);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    bad(field, `file not found: ${file} (${field} is the path, relative to the config file, of a PEM file holding ${want.what})`);
    return null;
  }
  const bytes = fs.readFileSync(file);
  const blocks = pemBlocks(bytes.toString('latin1'));
  const problem = blockProblem(blocks, bytes, name, kind);
  if (problem) {
    bad(field, problem);
    return null;
  }
  const block = blocks.find((b) => (kind == 'key' ? b.label in KEY_TYPES : b.label == want.label));
  const unreadable = kind == 'key' ? keyProblem(block) : certificateProblem(block.der);
  if (unreadable) {
    bad(field, `${name}: ${unreadable}: is the file whole? Make it again, or copy it again from where it was made`);
    return null;
  }
  const type = kind == 'key' ? privateKey(block).asymmetricKeyType : new crypto.X509Certificate(block.der).publicKey.asymmetricKeyType;
  if (!MBEDTLS_KEY_TYPES.includes(type)) {
    bad(field, `${name} holds an ${type} key, and Espruino's mbed TLS takes RSA or EC (ECDSA) keys: make the ${kind == 'ca' ? 'CA' : "device's"} key one of those, e.g. openssl genrsa 2048`);
    return null;
  }
  return block;
}

/** Why a file's PEM blocks are not the one `kind` wants, or null. The file's text is never quoted. */
function blockProblem(blocks, bytes, name, kind) {
  const want = FILES[kind];
  if (!blocks.length) {
    // DER starts with a SEQUENCE (0x30): the same thing, not yet in the text form the build reads
    const der = bytes[0] == 0x30;
    const convert = kind == 'key' ? `openssl pkey -inform der -in ${name} -out ${name}.pem` : `openssl x509 -inform der -in ${name} -out ${name}.pem`;
    return `${name} is not a PEM file (no -----BEGIN ${want.label}----- line)${der ? `; it looks like DER: convert it with ${convert}` : `: give ${want.what}, in PEM form`}`;
  }
  if (kind == 'key') {
    const encrypted = blocks.some((b) => b.label == 'ENCRYPTED PRIVATE KEY' || b.headers.some((h) => /^Proc-Type:.*ENCRYPTED/.test(h)));
    if (encrypted) return `${name} is encrypted with a passphrase, which the device has no way to give: write it without one, openssl pkey -in ${name} -out plain-${path.basename(name)}, and keep that file as private`;
    const keys = blocks.filter((b) => b.label in KEY_TYPES);
    if (!keys.length) return `${name} holds ${labels(blocks)}, not a private key (-----BEGIN PRIVATE KEY-----): give ${want.what}`;
    if (keys.length > 1) return `${name} holds ${keys.length} private keys: give the one of mqtt.cert's certificate, in a file of its own`;
    return null;
  }
  const certificates = blocks.filter((b) => b.label == 'CERTIFICATE');
  if (!certificates.length) return `${name} holds ${labels(blocks)}, not a certificate (-----BEGIN CERTIFICATE-----): give ${want.what}`;
  if (certificates.length > 1)
    return kind == 'ca'
      ? `${name} holds ${certificates.length} certificates, and Espruino's tls.connect takes one: put the CA certificate that signed your broker's certificate (of a chain, its root: usually the last) in a file of its own`
      : `${name} holds ${certificates.length} certificates, and Espruino's tls.connect takes one: give the device's own certificate alone`;
  return null;
}

/** The labels of a file's blocks as a reader names them: `a PRIVATE KEY`, `2 blocks (CERTIFICATE, PRIVATE KEY)`. */
const labels = (blocks) => (blocks.length == 1 ? `a ${blocks[0].label}` : `${blocks.length} blocks (${[...new Set(blocks.map((b) => b.label))].join(', ')})`);

/** Why DER bytes are not a certificate Node can read, or null. */
function certificateProblem(der) {
  if (!der) return 'its certificate is not base64';
  try {
    new crypto.X509Certificate(der);
    return null;
  } catch (e) {
    return `its certificate cannot be read (${e.message})`;
  }
}

/** A key's PEM block as Node's private key (throws when it is none). */
const privateKey = (block) => crypto.createPrivateKey({ key: block.der, format: 'der', type: KEY_TYPES[block.label] });

/** Why a key's PEM block is not a private key Node can read, or null (Node's error code names no part of the key). */
function keyProblem(block) {
  if (!block.der) return 'its key is not base64';
  try {
    privateKey(block);
    return null;
  } catch (e) {
    return `its key cannot be read (${e.code || 'not a private key'})`;
  }
}

/** How build and flash name the link to the broker after its address: ` over TLS (…)`, or nothing without TLS. */
export function tlsWords(tls) {
  if (!tls) return '';
  const parts = [tls.ca ? 'mqtt.ca, which only an Espruino that checks certificates uses: docs/network.md, TLS' : 'no mqtt.ca: nothing checks the broker', tls.cert && 'logged in by mqtt.cert'];
  return ` over TLS (${parts.filter(Boolean).join(', ')})`;
}
