// Espruino's MQTT module has no last will, so the writer gives its client this CONNECT packet builder instead of
// the module's own (it calls `mqttConnect()` when the socket opens). MQTT 3.1.1, section 3.1.

var chr = String.fromCharCode;

/** A length-prefixed MQTT string. */
function str(s: string) {
  return chr(s.length >> 8, s.length & 255) + s;
}

/**
 * The CONNECT packet: clean session, keep-alive, credentials, and a retained last will `willMsg` on `willTopic`
 * that the broker publishes for us when the link dies without a DISCONNECT.
 */
export function connectPacket(id: string, keepAlive: number, willTopic: string, willMsg: string, user?: string, pass?: string) {
  // flags: clean session 0x02, will 0x04, will retain 0x20, user name 0x80, password 0x40
  var flags = 0x26 | (user ? 0x80 : 0) | (user && pass ? 0x40 : 0),
    body = str('MQTT') + chr(4, flags, keepAlive >> 8, keepAlive & 255) + str(id) + str(willTopic) + str(willMsg),
    n = 0,
    len = '';
  if (user) body += str(user);
  if (user && pass) body += str(pass as string);
  n = body.length;
  // remaining length, 7 bits per byte
  do {
    len += chr((n & 127) | (n > 127 ? 128 : 0));
    n >>= 7;
  } while (n);
  return chr(0x10) + len + body;
}
