// Espruino's TelnetServer module: the password-less console on TCP port 23 of the ESP8266 4 MB and ESP32 builds
// (2323 on the Linux port started with --telnet). Absent from the 512 KB ESP8266 build, where require() throws.

interface TelnetServerModule {
  /** 'off' closes the console (and drops a connected client); 'on' listens again. */
  setOptions(options: { mode: 'on' | 'off' }): void;
}

declare function require(name: 'TelnetServer'): TelnetServerModule;
