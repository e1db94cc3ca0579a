import { Publisher } from '../publisher';
import { op, chain } from './op';
import { value, withValue } from './value';

/**
 * The mean of the last `n` values (fewer at the start), at each event, to 4 decimals as the driver gives lux (a
 * longer tail is float noise, and the writer buffers only such values as plain numbers). For [id, ts, value]
 * events the value is averaged and the event sent as [id, ts, mean]; a plain number gives the mean itself.
 */
export function slidingMean<T>(src: Publisher<T>, n: number): Publisher<T> {
  // the window as a ring of doubles in one block: a plain array takes two device variables per number
  var w = new Float64Array(n), k = 0; // k: values seen
  return op(src, function (this: Publisher<any>, x: any) {
    var m = 0, c, i;
    w[k++ % n] = value(x);
    c = k < n ? k : n;
    for (i = 0; i < c; i++) m += w[i];
    this.next(withValue(x, Math.round((m / c) * 1e4) / 1e4));
  });
}
chain('slidingMean', slidingMean);
