import { Publisher } from '../publisher';
import { op, chain } from './op';
import { value, withValue, Valued } from './value';

/** Each value rounded to `decimals` decimals (0: whole numbers). A null reading stays null. */
export function round<T extends Valued>(src: Publisher<T>, decimals: number): Publisher<T> {
  var scale = Math.pow(10, decimals);
  return op(src, function (this: Publisher<T>, x: T) {
    this.next(withValue(x, Math.round(value(x) * scale) / scale));
  });
}
chain('round', round);
