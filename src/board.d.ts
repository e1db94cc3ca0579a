// Names the build defines from the board profile in board/ and the user's config (scripts/firmware/bundle.mjs).
// They are plain variables at the top of the bundle, so the minifier folds them in.

/** The board's I2C bus global, e.g. I2C1. */
declare var BOARD_I2C: I2C;
declare var BOARD_SDA: Pin;
declare var BOARD_SCL: Pin;
/** The upload's id, the same in .bootcde and in each Storage module built with it (see src/control/control.ts). */
declare var BUILD_ID: string;

interface FirmwareConfig {
  wifi: { ssid: string; password: string; maxBackoffSeconds: number; ntp: string };
  mqtt: {
    host: string;
    port: number;
    clientId: string;
    topic: string;
    username?: string;
    password?: string;
    keepAlive: number;
    qos: number;
    retain: boolean;
    /** Topics `<base>/status`, `<base>/diag` and `<base>/set` hang off it. */
    base: string;
    format: string;
    maxPayload: number;
    maxBackoffSeconds: number;
    /** Commands on `<base>/set` (the module lgcommand): off, the build leaves out the subscription and the module. */
    commands: boolean;
    /** The health report on `<base>/diag` (the module lgdiag): off, the build leaves out its timer and the module. */
    diagnostics: boolean;
    /** Seconds between health reports on `<base>/diag`; 0: only the one after a command (0 too without diagnostics). */
    diagnosticsSeconds: number;
    /** Home Assistant discovery: [config topic, retained config payload], made by the build; 0 when off. */
    discovery: [string, string] | 0;
    /**
     * The broker over TLS: the certificates mqtt.ca, mqtt.cert and mqtt.key as the build read them from their PEM
     * files, DER bytes one per character (those given); 0 when TLS is off.
     */
    tls: 0 | TlsCertificates;
    /** MQTTWriter options where they differ from its defaults, made by the build. */
    writer: import('./net/mqtt-writer').WriterOptions;
  };
  /** Also the TSL2591's options (src/sensors/tsl2591.ts); the optional ones are baked in only when set. */
  sensor: {
    id: string;
    intervalSeconds: number;
    gain: number | 'auto';
    integrationMs: number;
    busName: string;
    deviceFactor?: number;
    glassFactor?: number;
    powerSave?: boolean;
    onSaturated?: 'skip' | 'null';
  };
  /** The RAM buffer's readings, and the journal's in flash (0: no journal, and no journal code in the build). */
  buffer: { size: number; journal: number };
  /** telnet: leave the board's telnet console (no password) open; port: for the host's upload only. */
  device: { telnet: boolean; port?: string };
  /**
   * Deep sleep between readings (src/power): each wake keeps one reading in flash, every sendEvery-th sends them;
   * `call`, the board's sleep call (with deepSleep only); `stayAwakePin`, a pin that held low at a start keeps it
   * awake.
   */
  power: {
    deepSleep: boolean;
    sendEvery: number;
    sendTimeoutSeconds: number;
    stayAwakePin?: string;
    call?: 'ESP8266.deepSleep' | 'ESP32.deepSleep';
    /** With deepSleep: the shortest and longest wake period, seconds (for the interval command). */
    minSeconds?: number;
    maxSeconds?: number;
  };
  /** What the build makes the module `luxgraph:pipeline` from; `console`: which readings Output prints. */
  pipeline: { console: 'raw' | 'filtered' };
}

/** The validated user config: the build writes each `CONFIG.a.b` in the source as its literal value. */
declare var CONFIG: FirmwareConfig;

/** The project's defaults, src/defaults.json: the build writes each `DEFAULTS.a.b` in the source as its value. */
declare var DEFAULTS: typeof import('./defaults.json');
