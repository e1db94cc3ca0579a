import { Publisher } from '../publisher';
import { op, chain } from './op';

/** Each event transformed by `f`. */
export function map<T, R>(src: Publisher<T>, f: (x: T) => R): Publisher<R> {
  return op(src, function (this: Publisher<R>, x: T) { this.next(f(x)); });
}
chain('map', map);
