// What a start of the firmware is, with power.deepSleep (LuxGraph's `_wake`, set by the module lgpower).

/** Power on, the reset button, a flash: the firmware runs as usual until its first send is done, then sleeps. */
export const FIRST_BOOT = 0;
/** A wake by the sleep's timer that sends: the writer, WiFi, the readings kept since the last send. */
export const SEND_WAKE = 1;
/** Kept awake: the stay-awake pin held low at the start, {"sleep":false}, or LuxGraph.stop() at the REPL. */
export const STAY_AWAKE = 2;
