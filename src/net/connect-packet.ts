// Espruino's MQTT module has no last will, so the writer gives its client this CONNECT packet builder instead of
// the module's own: the module calls `client.mqttConnect(clientId)` when the socket opens. MQTT 3.1.1, section 3.1.

/** The fields of Espruino's MQTT client the packet is made from, and the will topic the writer adds. */
interface ConnectingClient {
  /** Always set: the writer gives it (src/defaults.json's when the config has none), and the module has its own. */
  keep_alive: number;
  username?: string;
  password?: string;
  will: string;
}

/**
 * The CONNECT packet for client `id`: clean session, keep-alive, credentials, and a retained last will `offline`
 * on the client's `will` topic that the broker publishes for us when the link dies without a DISCONNECT. Called
 * as a method of the client, so the writer needs no function of its own for it.
 */
export function connectPacket(this: ConnectingClient, id: string) {
  var chr = String.fromCharCode, user = this.username, pass = this.password, ka = this.keep_alive,
    // flags: clean session 0x02, will 0x04, will retain 0x20, user name 0x80, password 0x40
    body = chr(0, 4) + 'MQTT' + chr(4, 0x26 | (user ? 0x80 : 0) | (user && pass ? 0x40 : 0), ka >> 8, ka & 255),
    fields = [id, this.will, 'offline'],
    n = 0,
    len = '';
  if (user) fields.push(user);
  if (user && pass) fields.push(pass as string);
  // each field a length-prefixed string
  for (; n < fields.length; n++) body += chr(fields[n].length >> 8, fields[n].length & 255) + fields[n];
  n = body.length;
  // remaining length, 7 bits per byte
  do {
    len += chr((n & 127) | (n > 127 ? 128 : 0));
    n >>= 7;
  } while (n);
  return chr(0x10) + len + body;
}
