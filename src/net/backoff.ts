// The jitter of every wait between attempts (WiFi's, the MQTT writer's, and its CONNACK watchdog): a random half to
// all of the step, so that a houseful of devices that lost the same router or broker do not come back together.

/** A random wait of half to all of `step` seconds. */
export function jittered(step: number): number {
  return step * (0.5 + Math.random() / 2);
}
