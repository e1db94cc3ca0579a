import { Publisher } from '../publisher';
import { op, chain } from './op';
import { value, Valued } from './value';

/**
 * The first event, then each whose value (of [id, ts, value] events, or the event itself) differs from the last one
 * passed by at least `minDelta`, or with `relative`, by at least that fraction of the last value passed
 * (onChange(0.1, 1): 10 %); without `minDelta`, any change passes.
 */
export function onChange<T extends Valued>(src: Publisher<T>, minDelta?: number, relative?: number | boolean): Publisher<T> {
  var last: number, passed = 0; // the last value passed, and whether there is one
  return op(src, function (this: Publisher<T>, x: T) {
    var v = value(x);
    if (!passed || (v !== last && !(Math.abs(v - last) < (minDelta || 0) * (relative ? Math.abs(last) : 1)))) {
      passed = 1;
      last = v;
      this.next(x);
    }
  });
}
chain('onChange', onChange);
