import { Publisher } from '../publisher';
import { op, chain } from './op';

/** The first `n` events, then completes (and detaches from the source). take(0) completes at the first event. */
export function take<T>(src: Publisher<T>, n: number): Publisher<T> {
  var seen = 0;
  return op(src, function (this: Publisher<T>, x: T) {
    if (seen++ < n) this.next(x);
    if (seen >= n) this.complete();
  });
}
chain('take', take);
