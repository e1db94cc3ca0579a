/**
 * Exponential backoff with jitter for reconnects. `o.s` is the current step in seconds (set it to 1 after a
 * success); each wait is half to all of it, and it doubles up to `max`. The jitter keeps a room full of sensors
 * from hammering a router that comes back.
 */
export function backoff(o: { s: number }, max: number) {
  var w = o.s * (0.5 + Math.random() / 2);
  o.s = Math.min(o.s * 2, max);
  return w;
}
