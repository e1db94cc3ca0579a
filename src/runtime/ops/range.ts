import { Publisher } from '../publisher';
import { op, chain } from './op';
import { value, Valued } from './value';

/** Only the events whose value is within [min, max]; the others (a null reading too) are left out. */
export function range<T extends Valued>(src: Publisher<T>, min: number, max: number): Publisher<T> {
  return op(src, function (this: Publisher<T>, x: T) {
    var v = value(x);
    if (v >= min && v <= max) this.next(x);
  });
}
chain('range', range);
