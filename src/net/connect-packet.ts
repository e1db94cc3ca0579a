// The CONNECT packet Espruino's MQTT module sends comes from `client.mqttConnect(clientId)`, called when the socket
// opens. The writer puts this builder in place of the module's own, on the module's prototype, so that every client
// has it (mqtt-adapter.ts): it adds the last will the module lacks, and the module's builder and its helper are left
// out of the upload.
// MQTT 3.1.1, section 3.1.

/** The fields of Espruino's MQTT client the packet is made from, and the will topic the writer adds. */
interface ConnectingClient {
  /** Always set: the writer gives it (src/defaults.json's when the config has none), and the module has its own. */
  keep_alive: number;
  username?: string;
  password?: string;
  /** The writer's clients have none, and a clean session: the build leaves the field out of the module (mqtt-adapter.ts). */
  clean_session?: boolean;
  /** Where the broker publishes a retained `offline` for this client when it vanishes; no will without it. */
  will?: string;
}

/**
 * The CONNECT packet for client `id`: clean session (unless the client says otherwise), keep-alive, credentials,
 * and, where the client has a `will` topic, a retained last will `offline` that the broker publishes for us when
 * the link dies without a DISCONNECT. Called as a method of the client, so the writer needs no function of its
 * own for it.
 */
export function connectPacket(this: ConnectingClient, id: string) {
  var chr = String.fromCharCode, user = this.username, pass = this.password, ka = this.keep_alive, will = this.will,
    // flags: clean session 0x02, will 0x04, will retain 0x20, user name 0x80, password 0x40
    body =
      chr(0, 4) +
      'MQTT' +
      chr(4, (this.clean_session === false ? 0 : 2) | (will ? 0x24 : 0) | (user ? 0x80 : 0) | (user && pass ? 0x40 : 0), ka >> 8, ka & 255),
    fields = [id],
    n = 0,
    len = '';
  if (will) fields.push(will, 'offline');
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
