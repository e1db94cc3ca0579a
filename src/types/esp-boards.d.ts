// The board modules of the ESP8266 and ESP32 ports (require("ESP8266") / require("ESP32")) and the parts of the
// Wifi module both ports have beyond what espruino-extra.d.ts declares. @types/espruino lacks the ESP32 ones.

interface ESPBoardModule {
  reboot(): void;
  /** Chip state; `freeHeap` is the C heap, not JavaScript variables (see process.memory()). */
  getState(): { freeHeap?: number; sdkVersion?: string; cpuFrequency?: number; flashKB?: number };
  deepSleep?(micros: number): void;
}

interface WifiModule {
  getStatus(callback?: (status: { station?: string; ap?: string; mode?: string }) => void): { station?: string; ap?: string; mode?: string };
  setHostname(hostname: string, callback?: () => void): void;
  getHostname(callback?: (hostname: string) => void): string;
}

declare function require(name: 'ESP8266' | 'ESP32'): ESPBoardModule;
