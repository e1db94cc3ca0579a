import { Publisher } from '../publisher';
import { op, chain } from './op';

/** Events in arrays of `n`; completion sends a last, shorter array when events are left over. */
export function batch<T>(src: Publisher<T>, n: number): Publisher<T[]> {
  var b: T[] = [];
  function send(p: Publisher<T[]>) {
    var x = b;
    b = [];
    if (x.length) p.next(x);
  }
  return op(src, function (this: Publisher<T[]>, x: T) {
    if (b.push(x) >= n) send(this);
  }, send);
}
chain('batch', batch);
