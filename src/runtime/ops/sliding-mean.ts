import { Publisher } from '../publisher';
import { op, chain } from './op';
import { value, withValue, Valued } from './value';

/** The longest window kept in a plain array; a longer one is a Float64Array (docs/device-ram.md says why). */
const PLAIN_WINDOW = 7;

/**
 * The mean of the last `n` values (fewer at the start), at each event, to 4 decimals as the driver gives lux (a
 * longer tail is float noise, and the writer buffers only such values as plain numbers). For [id, ts, value]
 * events the value is averaged and the event sent as [id, ts, mean]; a plain number gives the mean itself.
 */
export function slidingMean<T extends Valued>(src: Publisher<T>, n: number): Publisher<T> {
  // the window, a ring holding the last n values; `seen`: how many values came so far
  var ring: number[] | Float64Array = n > PLAIN_WINDOW ? new Float64Array(n) : [], seen = 0;
  return op(src, function (this: Publisher<T>, x: T) {
    var sum = 0, count: number;
    ring[seen++ % n] = value(x);
    // the values in the window: all seen so far, at most n
    for (count = 0; count < n && count < seen; count++) sum += ring[count];
    this.next(withValue(x, Math.round((sum / count) * 1e4) / 1e4));
  });
}
chain('slidingMean', slidingMean);
