// The embedded broker: aedes from npm on a loopback port; over TLS with `tls` ({ cert, key }: PEM files).
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { Aedes } from 'aedes';

export async function startBroker({ port = 0, host = '127.0.0.1', authenticate, tls: certificate } = {}) {
  const aedes = await Aedes.createBroker();
  if (authenticate) aedes.authenticate = authenticate;
  const server = certificate
    ? tls.createServer({ cert: fs.readFileSync(certificate.cert), key: fs.readFileSync(certificate.key) }, aedes.handle)
    : net.createServer(aedes.handle);
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  return {
    aedes,
    host,
    port: address.port,
    url: `mqtt://${host}:${address.port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(() => r()));
      await new Promise((r) => aedes.close(() => r()));
    }
  };
}
