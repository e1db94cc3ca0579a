import { Publisher } from '../publisher';
import { op, chain } from './op';

/** An event once `seconds` passed without a newer one; completion sends the one still waiting first. */
export function debounce<T>(src: Publisher<T>, seconds: number): Publisher<T> {
  var t: any = 0, w: any[] | 0 = 0; // the timer (0: none; Espruino refuses clearTimeout(undefined)), and [the waiting event] or 0
  function send(p: Publisher<T>) {
    var x = w;
    clearTimeout(t);
    w = 0;
    if (x) p.next(x[0]);
  }
  return op(src, function (this: Publisher<T>, x: T) {
    clearTimeout(t);
    w = [x];
    t = setTimeout(send, seconds * 1000, this);
  }, send, function () {
    clearTimeout(t);
    w = 0;
  });
}
chain('debounce', debounce);
