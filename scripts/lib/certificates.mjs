// Throwaway certificates for a broker over TLS on 127.0.0.1, made with openssl in a folder of the caller's: a CA,
// the broker's certificate it signs, a device certificate it signs, a second CA that signed none of them, and a
// certificate the right CA signs for another host name. For the tests and the bench; never for a real broker.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** Why certificates cannot be made here, or null. */
export function opensslSkip() {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? null : 'openssl is not installed here (apt-get install openssl): it makes the test certificates';
}

function openssl(dir, args) {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed:\n${r.stderr}`);
}

/** A CA: its certificate `<name>.pem` and key `<name>.key`. */
function makeCa(dir, name, subject) {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', subject]);
}

/** A certificate `<name>.pem` with its key `<name>.key`, signed by the CA `ca`, with the extensions in `ext` (openssl's form). */
function makeSigned(dir, name, subject, ca, ext) {
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject]);
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext + '\n');
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`]);
}

/**
 * Makes the certificates in `dir`; returns their files' paths: { ca, wrongCa, server: { cert, key }, otherHost:
 * { cert, key }, device: { cert, key } }. The broker's names 127.0.0.1 as an IP address and as a DNS name: the mbed
 * TLS of Espruino checks a host name against DNS names only, Node against IP addresses for an IP.
 */
export function makeCertificates(dir) {
  fs.mkdirSync(dir, { recursive: true });
  makeCa(dir, 'ca', '/CN=luxgraph test CA');
  makeCa(dir, 'wrong-ca', '/CN=luxgraph test CA that signed nothing');
  makeSigned(dir, 'server', '/CN=127.0.0.1', 'ca', 'subjectAltName=IP:127.0.0.1,DNS:127.0.0.1');
  makeSigned(dir, 'other-host', '/CN=broker.example', 'ca', 'subjectAltName=DNS:broker.example');
  makeSigned(dir, 'device', '/CN=luxgraph test device', 'ca', 'extendedKeyUsage=clientAuth');
  const pair = (name) => ({ cert: path.join(dir, `${name}.pem`), key: path.join(dir, `${name}.key`) });
  return { ca: path.join(dir, 'ca.pem'), wrongCa: path.join(dir, 'wrong-ca.pem'), server: pair('server'), otherHost: pair('other-host'), device: pair('device') };
}
