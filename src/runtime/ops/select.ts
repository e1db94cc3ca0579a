import { Publisher } from '../publisher';
import { op, chain } from './op';

/** One field of each event: an index of an array event (2 is the value of [id, ts, value]) or an object key. */
export function select<T, K extends keyof T>(src: Publisher<T>, k: K): Publisher<T[K]> {
  return op(src, function (this: Publisher<T[K]>, x: T) { this.next(x[k]); });
}
chain('select', select);
