import { Publisher } from '../publisher';
import { op, chain } from './op';

/**
 * Watches for silence: when no event arrives for `seconds` (from the first subscriber, or the last event), sends
 * `heartbeat` and keeps watching, or without one ends with an error. Events pass through unchanged.
 */
export function timeout<T>(src: Publisher<T>, seconds: number, heartbeat?: T): Publisher<T> {
  var t: TimerId = 0, p: Publisher<T>; // t: 0 for no timer, as Espruino refuses clearTimeout(undefined)
  function arm() {
    clearTimeout(t);
    t = setTimeout(function () {
      if (heartbeat === undefined) p.error(new Error('timeout: no event in ' + seconds + ' s'));
      else {
        arm();
        p.next(heartbeat);
      }
    }, seconds * 1000);
  }
  p = op(src, function (this: Publisher<T>, x: T) {
    arm();
    this.next(x);
  }, 0, function (on?: number) {
    if (on) arm();
    else clearTimeout(t);
  });
  return p;
}
chain('timeout', timeout);
