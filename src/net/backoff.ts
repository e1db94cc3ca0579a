// The jitter of every wait between attempts (WiFi's, the MQTT writer's, and its CONNACK watchdog): a random half to
// all of the step, so that a houseful of devices that lost the same router or broker do not come back together.
// Callers write `/*@__INLINE__*/ jitter()`: the build puts the expression in its place, and no function is kept
// for it on the device.

/** A random factor from one half to one, for a wait of `step * jitter()` seconds. */
export function jitter(): number {
  return 0.5 + Math.random() / 2;
}
