// config.schema.json, made from the settings' rules: the keys of keys.mjs, the defaults of src/defaults.json, the
// boards in board/ and the filters of filters.mjs. `npm run docs` writes it (and the reference table in
// docs/configuration.md); test/config-schema.test.mjs checks the file is what this makes and that the schema and
// validateConfig give the same verdict.
import { DEFAULTS as D } from '../lib/defaults.mjs';
import { FILTERS } from './filters.mjs';
import { isObj } from '../lib/is-object.mjs';
import { knownBoards, loadBoard } from './boards.mjs';
import { MIN_SLEEP_SECONDS, STATELESS_FILTERS } from './power.mjs';
import { SETTINGS } from './keys.mjs';
import { boardFeatures } from './rules.mjs';

export const SCHEMA_FILE = 'config.schema.json';

/** A topic the device publishes on (topicProblem in rules.mjs): no wildcard, no control character, not `$…`, a name. */
const TOPIC = '^(?![$\\s])(?!.*\\s$)(?=.*[^/\\s])[^#+\\u0000-\\u001f]+$';
/** A tcp:// address (tcpAddress in rules.mjs, port 1 to 65535), or a serial port: anything but blank. */
const PORT_NUMBER = '0*([1-9]\\d{0,3}|[1-5]\\d{4}|6[0-4]\\d{3}|65[0-4]\\d{2}|655[0-2]\\d|6553[0-5])';
const DEVICE_PORT = `^(tcp://[^\\s:/]+(:${PORT_NUMBER})?/?|(?!tcp://)[\\s\\S]*\\S[\\s\\S]*)$`;

const str = (maxLength, more = {}) => ({ type: 'string', maxLength, ...more });
const int = (minimum, maximum) => ({ type: 'integer', minimum, maximum });
const num = (minimum, maximum) => ({ type: 'number', minimum, maximum });
const bool = { type: 'boolean' };
const topic = (description, examples) => str(128, { minLength: 1, pattern: TOPIC, description, examples });
/** A PEM file's path (certificates.mjs reads it, which a schema cannot: a missing or wrong file is the build's to refuse). */
const pemFile = (description, example) => ({ type: 'string', minLength: 1, pattern: '\\S', description, examples: [example] });

/** Each setting: its JSON Schema, with a description and an example; defaults are added from src/defaults.json. */
const KEYS = {
  $schema: { type: 'string', description: 'The schema your editor checks this file against: "./config.schema.json".', examples: ['./config.schema.json'] },
  board: {
    enum: knownBoards(),
    description: 'A board profile in board/: esp8266-4mb (NodeMCU, Wemos D1 mini on the ESP8266_4MB build), esp8266 (the 512 KB ESP8266_BOARD build, where the default upload does not fit) or esp32 (DevKit). --board overrides it.',
    examples: ['esp32']
  },
  secrets: {
    type: 'string', minLength: 1,
    description: 'A JSON file, relative to the config, whose sections are merged in (keep passwords apart; secrets.json is git-ignored).',
    examples: ['secrets.json']
  },
  wifi: {
    ssid: str(32, { minLength: 1, description: 'The WiFi network to join (2.4 GHz).', examples: ['my_wifi_sid'] }),
    password: str(64, { description: 'The WiFi password. Leave it out for an open network.', examples: ['my_wifi_password'] }),
    maxBackoffSeconds: { ...int(1, 3600), description: 'The longest pause between WiFi attempts, in seconds.', examples: [30] },
    ntp: {
      anyOf: [str(64), { const: false }],
      description: 'The SNTP server that sets the clock. "" (or false) leaves timestamps in seconds since boot.',
      examples: ['192.168.1.1']
    }
  },
  mqtt: {
    host: str(128, {
      minLength: 1, pattern: '^[^\\s/:]+$',
      description: 'The broker host name or IPv4 address, as the board reaches it: not localhost, not a URL, no port (see mqtt.port).',
      examples: ['192.168.1.10']
    }),
    port: { ...int(1, 65535), description: 'The broker port. Default: 1883, and 8883 with mqtt.tls.', examples: [8883] },
    clientId: str(23, { description: 'The MQTT client id. Default: the board name. A broker keeps one connection per client id. Without mqtt.base it is also the base of the device\'s topics, so the rules of mqtt.topic apply.', examples: ['lux-kitchen'] }),
    topic: topic('Where readings are published. {id} stands for the sensor id. No # or +, not starting with $.', ['sensors/{id}']),
    username: str(128, { description: 'The broker user name.', examples: ['luxgraph'] }),
    password: str(128, { description: 'The broker password. Needs mqtt.username.', examples: ['secret'] }),
    keepAlive: { ...int(10, 3600), description: 'The MQTT keep-alive, in seconds.', examples: [30] },
    qos: { enum: [0, 1], description: '1: a reading leaves the buffer only when the broker acknowledges it. 0: fire and forget.', examples: [0] },
    retain: { ...bool, description: 'Publish readings retained.', examples: [true] },
    format: {
      enum: ['array', 'object'],
      description: 'array: ["lux-1", 624, 284.1312]. object: {"id":"lux-1","ts":624,"lux":284.1312}.',
      examples: ['object']
    },
    base: topic('The base of the device\'s own topics: <base>/status, <base>/diag and <base>/set. Default: the client id.', ['home/lux-kitchen']),
    commands: { ...bool, description: 'Take commands on <base>/set (the module lgcommand). Default: true, false on the esp8266 board.', examples: [false] },
    diagnostics: {
      ...bool,
      description: 'The health report on <base>/diag, every diagnosticsSeconds and after each command (the module lgdiag). Default: true, false on the esp8266 board.',
      examples: [false]
    },
    diagnosticsSeconds: { ...num(0, 86400), description: 'The period of the health report on <base>/diag, in seconds. 0: only after a command.', examples: [300] },
    discovery: { ...bool, description: 'Publish a Home Assistant discovery config, retained.', examples: [true] },
    discoveryPrefix: topic('The Home Assistant discovery prefix.', ['homeassistant']),
    maxPayload: { ...int(32, 4096), description: 'The largest payload, in bytes. A larger one is refused, reported and counted as dropped.', examples: [512] },
    maxBackoffSeconds: { ...int(1, 3600), description: 'The longest pause between broker connection attempts, in seconds.', examples: [30] },
    tls: {
      ...bool,
      description: `Connect to the broker over TLS (port 8883 unless mqtt.port says otherwise). ESP32 only: Espruino's ESP8266 builds have no TLS. Stock Espruino encrypts but does not check the broker's certificate: see docs/network.md.`,
      examples: [true]
    },
    ca: pemFile("The CA certificate your broker's certificate is signed by: a PEM file, relative to the config. Checked on a patched Espruino only (docs/network.md). Needs mqtt.tls.", 'certs/ca.pem'),
    cert: pemFile("The device's own certificate, for a broker that logs clients in by certificate: a PEM file. Needs mqtt.key and mqtt.tls.", 'certs/lux-kitchen.pem'),
    key: pemFile("The private key of mqtt.cert: a PEM file without a passphrase. Baked into the firmware, never printed. Needs mqtt.cert and mqtt.tls.", 'certs/lux-kitchen.key')
  },
  sensor: {
    id: str(32, { pattern: '^[^/#+\\s]*$', description: 'The sensor id in each reading and in topics: no /, #, + or spaces.', examples: ['lux-kitchen'] }),
    intervalSeconds: { ...num(0.1, 86400), description: 'The sampling period, in seconds. Under 1 s, timestamps have milliseconds.', examples: [10] },
    gain: {
      enum: ['auto', ...D.gainNames],
      description: 'auto, or a fixed gain: low (1×), med (25×), high (428×), max (9876×).',
      examples: ['low']
    },
    integrationMs: { enum: [100, 200, 300, 400, 500, 600], description: 'The integration time in ms: longer sees further into the dark and saturates sooner.', examples: [300] },
    glassFactor: { ...num(0.001, 10000), description: 'The glass attenuation of the lux equation. Behind a window passing 40 % of the light: 7.7 / 0.4 = 19.25.', examples: [19.25] },
    deviceFactor: { ...num(0.001, 10000), description: 'The device factor of the lux equation, to calibrate against a reference meter.', examples: [60] },
    powerSave: { ...bool, description: 'Power the sensor down between readings. Each reading then takes one integration time.', examples: [true] },
    onSaturated: {
      enum: ['skip', 'null'],
      description: 'A saturated reading: skip leaves it out and says so on the console; null publishes it as null.',
      examples: ['null']
    },
    filters: {
      type: 'array',
      items: {
        type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: false,
        properties: Object.fromEntries(Object.entries(FILTERS).map(([name, f]) => [name, { ...f.schema, description: `${name}: ${f.want}` }]))
      },
      description: 'Filters between the sensor and the broker, applied in order. See docs/filters.md.',
      examples: [[{ slidingMean: 30 }, { onChange: '10%' }, { heartbeat: 60 }]]
    },
    console: { enum: ['raw', 'filtered'], description: 'What the console prints: raw, every reading; filtered, what is published.', examples: ['filtered'] }
  },
  buffer: {
    size: { ...int(2, 256), description: 'Readings kept in RAM while the broker is out of reach. Beyond it they go to the journal, or the oldest is dropped.', examples: [64] },
    journal: {
      ...int(0, 50000),
      description: 'Readings kept in flash (Storage) beyond buffer.size, through outages and power cuts. 0 turns it off. Default: 0 on the esp8266 board, which cannot hold it.',
      examples: [5000]
    }
  },
  device: {
    port: {
      type: 'string', pattern: DEVICE_PORT,
      description: 'Where npm run flash and npm run repl reach the board without --port: a serial port or tcp://address[:port] (port 23 unless given).',
      examples: ['/dev/ttyUSB0', 'tcp://192.168.1.50']
    },
    telnet: { ...bool, description: 'Leave the board\'s telnet console (port 23, no password) open, to flash over WiFi. false closes it at boot.', examples: [true] }
  },
  repl: {
    allOperators: { ...bool, description: 'Put every operator in the bundle, chainable from the REPL. Costs device RAM.', examples: [true] }
  },
  power: {
    deepSleep: {
      ...bool,
      description: `Deep sleep between readings, on batteries: sensor.intervalSeconds (${MIN_SLEEP_SECONDS} s to the board's limit, 2147 s) becomes the wake period; each wake keeps its reading in flash, and every sendEvery-th sends them all. Needs the journal, QoS 1, and filters that keep no state (${STATELESS_FILTERS.join(', ')}). See docs/battery.md.`,
      // (an example must build with config.example.json, whose 2 s period is too short to sleep)
      examples: [false]
    },
    sendEvery: { ...int(1, 100), description: 'With deepSleep: the wakes (readings) per send. 12 at 5-minute wakes sends hourly.', examples: [6] },
    sendTimeoutSeconds: {
      ...num(3, 120),
      description: 'With deepSleep: how long a send wake tries (WiFi join and broker) before it gives up and sleeps; what it could not send waits for the next send.',
      examples: [20]
    },
    stayAwakePin: {
      type: 'string', pattern: '^D\\d{1,2}$',
      description: "With deepSleep: a pin that, held low (to GND) at a wake, keeps the board awake and reachable, to flash it. One of the board profile's deepSleep.stayAwakePins (esp8266: D12, D13, D14).",
      examples: ['D14']
    }
  }
};

const SECTIONS = {
  wifi: { description: 'The WiFi network.', required: ['ssid'] },
  mqtt: {
    description: 'The broker and what the device publishes.',
    required: ['host'],
    dependentRequired: { password: ['username'], cert: ['key'], key: ['cert'] },
    // the certificates are for the broker over TLS: with it off they are a mistake
    dependentSchemas: Object.fromEntries(['ca', 'cert', 'key'].map((k) => [k, { required: ['tls'], properties: { tls: { const: true } } }])),
    // without mqtt.base the client id is the base of the device's topics, so it must make one
    if: { not: { required: ['base'] } },
    then: { properties: { clientId: { anyOf: [{ const: '' }, { pattern: TOPIC }] } } }
  },
  sensor: { description: 'The TSL2591 and its readings.' },
  buffer: { description: 'Readings waiting while the broker is out of reach.' },
  device: { description: 'How the host tools reach the board, and its telnet console.' },
  repl: { description: 'What the device\'s REPL offers.' },
  power: { description: 'Battery power: deep sleep between readings (docs/battery.md).' }
};

/**
 * mqtt.tls on a board whose Espruino build has no TLS (no "tls" among its built-in modules) is refused; a config
 * without `board` gets the default board.
 */
function tlsNeedsABoardWithIt() {
  const without = knownBoards().filter((b) => !(loadBoard(b).builtinModules || []).includes('tls'));
  return onBoard({ enum: without }, without.includes(D.board), { properties: { mqtt: { properties: { tls: { not: { const: true } } } } } });
}

/** The default of setting `path` in src/defaults.json, or undefined. */
const defaultOf = (path) => path.split('.').reduce((o, k) => (o && Object.hasOwn(o, k) ? o[k] : undefined), D);

/** The schema of config.json. Throws if a setting of keys.mjs has no schema here, or the other way round. */
export function configSchema() {
  const properties = (keys, schemas, prefix) => {
    const missing = [...Object.keys(keys).filter((k) => !schemas[k]), ...Object.keys(schemas).filter((k) => !keys[k])];
    if (missing.length) throw new Error(`scripts/config/schema.mjs and keys.mjs disagree on ${missing.map((k) => prefix + k).join(', ')}`);
    return Object.fromEntries(
      Object.keys(keys).map((k) => {
        if (isObj(keys[k])) {
          const { description, ...rest } = SECTIONS[k];
          return [k, { type: 'object', description, properties: properties(keys[k], schemas[k], prefix + k + '.'), additionalProperties: false, ...rest }];
        }
        const { description, examples, ...rule } = schemas[k];
        const def = defaultOf(prefix + k);
        return [k, { description, ...rule, ...(def === undefined ? {} : { default: def }), examples }];
      })
    );
  };
  // $schema is not a setting of the firmware, but a config may name its schema
  const keys = { $schema: 1, ...SETTINGS };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'luxgraph config.json',
    description: 'The settings npm run build bakes into the firmware. Reference: docs/configuration.md.',
    type: 'object',
    required: ['wifi', 'mqtt'],
    properties: properties(keys, KEYS, ''),
    additionalProperties: false,
    allOf: [...powerRules(), tlsNeedsABoardWithIt()]
  };
}

/** `then` applied when the config's `power` section has `key` set to a value matching `when`. */
const whenPower = (key, when, then) => ({ if: { required: ['power'], properties: { power: { required: [key], properties: { [key]: when } } } }, then });
/**
 * `then` applied on the boards the schema `board` takes for the config's `board`, and, when `withDefault` (the
 * default board is among them), to a config without one.
 */
const onBoard = (board, withDefault, then) => {
  const named = { required: ['board'], properties: { board } };
  return { if: withDefault ? { anyOf: [{ not: { required: ['board'] } }, named] } : named, then };
};

/**
 * What scripts/config/power.mjs refuses across sections, as JSON Schema: with deepSleep, a wake period of at least
 * MIN_SLEEP_SECONDS up to the board's limit (the default 2 s is too short, so sensor.intervalSeconds must be given),
 * stateless filters only, QoS 1, a journal, and a board whose profile has a sleep call and can hold the journal; a
 * stayAwakePin among the board's.
 */
function powerRules() {
  const boards = knownBoards().map(loadBoard);
  const sleeping = boards.filter((b) => b.deepSleep && boardFeatures(b.id).journal != 'never');
  const rules = [
    whenPower('deepSleep', { const: true }, {
      required: ['sensor'],
      properties: {
        board: { enum: sleeping.map((b) => b.id) },
        sensor: {
          required: ['intervalSeconds'],
          properties: {
            intervalSeconds: { minimum: MIN_SLEEP_SECONDS },
            filters: { items: { propertyNames: { enum: STATELESS_FILTERS } } }
          }
        },
        mqtt: { properties: { qos: { const: 1 } } },
        buffer: { properties: { journal: { minimum: 1 } } }
      }
    })
  ];
  for (const b of boards) {
    rules.push(onBoard({ const: b.id }, b.id == D.board, { properties: { power: { properties: { stayAwakePin: { enum: (b.deepSleep && b.deepSleep.stayAwakePins) || [] } } } } }));
    if (b.deepSleep) rules.push(onBoard({ const: b.id }, b.id == D.board, whenPower('deepSleep', { const: true }, { properties: { sensor: { properties: { intervalSeconds: { maximum: b.deepSleep.maxSeconds } } } } })));
  }
  return rules;
}

/** The schema as the file holds it. */
export const schemaText = () => JSON.stringify(configSchema(), null, 2) + '\n';
