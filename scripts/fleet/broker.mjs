// The broker a fleet runs against: the embedded aedes (which the fleet can stop and start again, and which counts
// every CONNECT it receives and every reading that reaches it), or any MQTT 3.1.1 broker, where a subscriber of
// the fleet's own counts the readings that arrive.
import { performance } from 'node:perf_hooks';
import { startBroker } from '../sim/broker.mjs';
import { parseReading, subscribeReadings } from './readings.mjs';

/**
 * The embedded broker on a loopback port. onReading(reading, time, clientId) for each reading it receives,
 * onAttempt(time, clientId) for each CONNECT. stop() and start() make an outage: the port is closed meanwhile, so
 * connection attempts are refused as by a broker host whose broker is down.
 */
export async function embeddedBroker({ onReading, onAttempt }) {
  let broker = null, port = 0;
  const start = async () => {
    broker = await startBroker({ port });
    port = broker.port;
    broker.aedes.preConnect = (client, packet, done) => {
      onAttempt(performance.now(), packet.clientId);
      done(null, true);
    };
    broker.aedes.on('publish', (packet, client) => {
      if (!client) return; // the broker's own ($SYS, wills)
      const r = parseReading(packet.topic, packet.payload.toString());
      if (r) onReading(r, performance.now(), client.id);
    });
  };
  await start();
  return {
    embedded: true,
    broker: { host: broker.host, port, url: broker.url },
    start,
    async stop() {
      const b = broker;
      broker = null;
      if (b) await b.close();
    },
    close() {
      return this.stop();
    }
  };
}

/** Any broker, given as { host, port, url }: arrivals are what the fleet's subscriber to its readings receives. */
export async function externalBroker({ broker, prefix, onReading }) {
  const sub = await subscribeReadings({ broker, prefix, clientId: `${prefix}-fleet-${process.pid}`, onReading });
  return { embedded: false, broker, close: () => sub.close() };
}
