// Everything the firmware does to Espruino's MQTT module (modules/MQTT.js, which `npm run modules:fetch` puts there
// and the repository never holds), in one place, each with its reason. The firmware uses the module as it is, but for
// these changes.
//
// At build time, to the module's code as the upload sends it (minifyModule in scripts/firmware/modules.mjs):
// - The CONNACK's return code is read where the packet has it (scripts/firmware/mqtt-connack.mjs). The module reads
//   it past the packet's end, gets nothing, and takes that for 0, "accepted": a broker that refused the login (a
//   wrong password, a client id it rejects) looked like one that accepted it and hung up at once. Read where it
//   is, a refusal is the module's 'error' `Connection refused, NOT_AUTHORIZED`, never 'connected', and refusal()
//   below says it to the user.
// - The methods the firmware never runs are left out (unusedMethods in scripts/firmware/modules.mjs): the CONNECT
//   builder mqttConnect and its helper createFlagsForConnection, which connectPacket replaces (adaptClient, below),
//   and in a firmware without commands subscribe and unsubscribe, which only commands use. They would take Storage.
// - So are the fields of a client that only that builder read (unusedFields in scripts/firmware/modules.mjs):
//   clean_session, protocol_name and protocol_level. The client never makes them, where each long name would cost
//   the device RAM for as long as the client lives (docs/device-ram.md).
// - The module keeps its constants on every client as `C` (MQTT.prototype.C): the build never gives that short name
//   to a field of ours (RESERVED_NAMES in scripts/firmware/minify.mjs), which would hide them.
//
// At run time:
// - Each client, as the writer makes it, is adapted by adaptClient (below).
// - A link that died without a word: the module pings the broker but never misses an answer, so the connection
//   looks open for as long as nothing is written to it fails. The writer calls the module's own _scktClosed (what
//   it runs when its socket ends) once a reading has waited ANSWER_WAIT seconds for its PUBACK (writer.ts); the
//   build leaves that name as it is (RESERVED_NAMES in scripts/firmware/minify.mjs).
// - The writer opens each attempt's socket itself and hands it, connected, to the module's connect(socket)
//   (connection.ts): the module listens to a socket only once it is connected, and an ESP8266 tells of a failed
//   connection only on the socket, so an unreachable broker would otherwise be heard of only from a timeout.
import type { MQTTWriter, WriterOptions, hear } from './writer';
import { connectPacket } from './connect-packet';

/** A client of the module as adaptClient leaves it: it knows its writer, and its will for connectPacket. */
export interface AdaptedClient extends MQTTClient {
  /** The writer whose client this is, for hear. */
  _writer: MQTTWriter;
  /** The topic of the last will, which connectPacket reads; none without a base topic. */
  will?: string;
  /** The module's prototype, whose emit (Espruino's own) tells the listeners a user added. */
  __proto__: MQTTClient;
}

/**
 * Adapts a client the writer has just made, before it connects; `listener` is the writer's hear. Called once, from
 * the writer's constructor, which the build makes of it (`@__INLINE__`): no function is kept for it on the device.
 */
export function adaptClient(client: AdaptedClient, writer: MQTTWriter, options: WriterOptions, listener: typeof hear) {
  // the module's CONNECT builder gives way to ours, on the module's prototype so that every client has it: ours adds
  // the last will the module lacks (connect-packet.ts); the build leaves the module's own, and its helper, out
  (Object.getPrototypeOf(client) as MQTTClient).mqttConnect = connectPacket;
  // the credentials' fields, which the module makes even when they are unset: each long name costs the device RAM
  // (the build leaves out of the module the fields only its builder read)
  if (!options.username) delete client.username;
  if (!options.password) delete client.password;
  if (options.base) client.will = options.base + '/status';
  // every event the module emits goes to hear (writer.ts) first, then to the listeners a user added: one function
  // for every writer and every event, where a listener apiece would each cost device RAM
  client._writer = writer;
  client.emit = listener;
}

/** How the module's 'error' for a refused CONNECT begins; the name of the return code follows it. */
export var REFUSED = 'Connection refused, ';

/**
 * What to say of the module's 'error' `text` when it is a refused CONNECT: what the broker said, its return code,
 * and the setting to check; `refused the connection: not authorized (return code 5): check mqtt.username and
 * mqtt.password`. The codes are MQTT 3.1.1's (section 3.2.2.3), by the names the module gives them.
 */
export function refusal(text: string): string {
  // two names only (the build makes this function part of hear, and each name costs device RAM while hear runs)
  var name = text.slice(REFUSED.length),
    code = ['UNACCEPTABLE_PROTOCOL_VERSION', 'IDENTIFIER_REJECTED', 'SERVER_UNAVAILABLE', 'BAD_USER_NAME_OR_PASSWORD', 'NOT_AUTHORIZED'].indexOf(name) + 1;
  return (
    'refused the connection: ' +
    (code
      ? name.toLowerCase().split('_').join(' ') +
        ' (return code ' + code + '): check ' +
        // what to check for each: a broker of another MQTT, a client id it does not take, a broker that takes no
        // clients now, a wrong user name or password, a user it does not let in
        ['mqtt.host and mqtt.port', 'mqtt.clientId', 'the broker at mqtt.host', 'mqtt.username and mqtt.password', 'mqtt.username and mqtt.password'][code - 1]
      : // a code MQTT 3.1.1 does not have: the module's own words, `unknown return code: 7.`
        name)
  );
}
