import { Publisher } from '../publisher';
import { op, chain } from './op';

/** Each event transformed by `f`. */
export function map<T, R>(src: Publisher<T>, f: (x: T) => R): Publisher<R> {
  return op(src, function (p: Publisher<R>, x: T) { p.next(f(x)); });
}
chain('map', map);
