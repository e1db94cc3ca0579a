// A separate MQTT client that watches a topic: what a user's subscriber would see.
import mqtt from 'mqtt';

/**
 * A separate MQTT client subscribed to `topic` (QoS 1), collecting every message as text. With clean: false and a
 * fixed clientId its session, and the messages queued for it, outlive a broker restart (with persistence).
 */
export async function subscriber({ host = '127.0.0.1', port, topic, username, password, clientId, clean = true }) {
  clientId = clientId || 'test-sub-' + Math.random().toString(16).slice(2);
  const client = mqtt.connect({ host, port, username, password, reconnectPeriod: 200, clientId, clean });
  await new Promise((resolve, reject) => {
    client.once('connect', resolve);
    client.once('error', reject);
  });
  const messages = [];
  client.on('message', (t, m, p) => messages.push({ topic: t, text: m.toString(), retain: p.retain }));
  await client.subscribeAsync(topic, { qos: 1 });
  return { client, messages, close: () => client.endAsync(true) };
}
