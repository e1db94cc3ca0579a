import { Publisher } from '../publisher';
import { op, chain } from './op';

/** Only the events for which `f` returns true. */
export function filter<T>(src: Publisher<T>, f: (x: T) => unknown): Publisher<T> {
  return op(src, function (this: Publisher<T>, x: T) { if (f(x)) this.next(x); });
}
chain('filter', filter);
