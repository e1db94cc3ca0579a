import { Publisher } from '../publisher';
import { op, chain } from './op';
import { value, withValue, Valued } from './value';

/** Each value held within [min, max]: below min it becomes min, above max it becomes max. A null reading stays null. */
export function clamp<T extends Valued>(src: Publisher<T>, min: number, max: number): Publisher<T> {
  return op(src, function (this: Publisher<T>, x: T) {
    var v = value(x);
    this.next(v < min ? withValue(x, min) : v > max ? withValue(x, max) : x);
  });
}
chain('clamp', clamp);
