import { Publisher } from '../publisher';
import { op, chain } from './op';

/**
 * Events unchanged; once `seconds` pass without one, the last event again, as of now (a [id, ts, value] event with
 * the current time), and again every `seconds` while the silence lasts. Nothing is sent before the first event.
 * After onChange it makes "on change, and at least every `seconds`".
 */
export function heartbeat<T>(src: Publisher<T>, seconds: number): Publisher<T> {
  var t: any = 0; // the timer; 0 for none, as Espruino refuses clearTimeout(undefined)
  function send(p: Publisher<any>, x: any) {
    clearTimeout(t);
    // armed before sending: a subscriber that leaves during the send then clears it
    t = setTimeout(function () {
      send(p, x instanceof Array ? [x[0], Math.round(getTime()), x[2]] : x);
    }, seconds * 1000);
    p.next(x);
  }
  return op(src, function (this: Publisher<any>, x: any) {
    send(this, x);
  }, 0, function () {
    clearTimeout(t);
  });
}
chain('heartbeat', heartbeat);
