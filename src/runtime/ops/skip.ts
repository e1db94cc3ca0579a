import { Publisher } from '../publisher';
import { op, chain } from './op';

/** Every event after the first `n`. */
export function skip<T>(src: Publisher<T>, n: number): Publisher<T> {
  var seen = 0;
  return op(src, function (this: Publisher<T>, x: T) {
    if (seen++ >= n) this.next(x);
  });
}
chain('skip', skip);
