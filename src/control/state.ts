// What the firmware keeps for good: the REPL's `LuxGraph`, which also holds the state of the rarely-run code. That
// code is in Storage modules (lgwifi, lgcommand, lgdiag) that control() loads for one run and lets go again: a
// module's own variables would go with it, so whatever must last is kept here. Types only: nothing of this file is
// in a bundle.
import type { MQTTWriter } from '../net/mqtt-writer';
import type { SensorPub } from '../runtime/sensor-pub';
import type { Tsl2591 } from '../sensors/tsl2591';
import type { control } from './control';

/** `LuxGraph` at the REPL: start/stop, and its writer, sensor and SensorPub while running. */
export interface LuxGraph {
  start(): void;
  stop(): void;
  writer: MQTTWriter | null;
  sensor: Tsl2591 | null;
  source: SensorPub | null;
  /** Cancels the sampling schedule; null when stopped. */
  _cancel: (() => void) | null;
  /** The health report's interval timer; the seconds since start, and the clock when they were last counted (lgdiag). */
  _diagTimer: TimerId;
  _up: number;
  _clock: number;
  /** WiFi: the pending retry's timer, and the backoff step in seconds. */
  _wifiTimer: TimerId;
  _wifiStep: number;
  /** Storage modules already said to be missing (once each per boot). */
  _missing?: string;
  // Deep sleep only (power.deepSleep: src/power, the module lgpower), set by it on the wakes that run the writer:
  /** What this start is: FIRST_BOOT (awake as usual until its first send is done) or SEND_WAKE (src/power/wake-kinds.ts). */
  _wake?: number;
  /** The clock (getTime()) when this wake's firmware started: the awake time counts from it. */
  _wokeAt?: number;
  /** The timer that watches a send (or, on a sample-only wake, the one that gives up waiting for the reading). */
  _watch?: TimerId;
  /** getTime() at the watch's last look: a jump between two looks is the clock set by SNTP. */
  _looked?: number;
  /** 1 once this wake's clock was set by SNTP (and what the sleeps drifted was learned). */
  _synced?: number;
  /** The writer's `sampled` once the wake file's readings were handed to it: more is this wake's own reading. */
  _fed?: number;
  /** The wake period in seconds, when a command changed it. */
  _period?: number;
}

/** control(): runs one of the firmware's actions (actions.ts) with its argument; see control.ts. */
export type Control = typeof control;
