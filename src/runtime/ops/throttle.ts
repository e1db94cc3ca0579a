import { Publisher } from '../publisher';
import { op, chain } from './op';

/** An event, then nothing for `seconds` after it (by getTime(), so it needs no timer). */
export function throttle<T>(src: Publisher<T>, seconds: number): Publisher<T> {
  var passedAt: number | undefined; // when the last event passed
  return op(src, function (this: Publisher<T>, x: T) {
    var now = getTime();
    if (passedAt === undefined || now - passedAt >= seconds) {
      passedAt = now;
      this.next(x);
    }
  });
}
chain('throttle', throttle);
