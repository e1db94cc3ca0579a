import { Publisher } from '../publisher';
import { op, chain } from './op';
import { value } from './value';

/**
 * The mean of the last `n` values (fewer at the start), at each event. For [id, ts, value] events the value is
 * averaged and the event sent as [id, ts, mean]; a plain number gives the mean itself.
 */
export function slidingMean<T>(src: Publisher<T>, n: number): Publisher<T> {
  var w: number[] = []; // the window, oldest first
  return op(src, function (p: Publisher<any>, x: any) {
    var m = 0, i;
    if (w.push(value(x)) > n) w.shift();
    for (i = 0; i < w.length; i++) m += w[i] / w.length;
    p.next(x instanceof Array ? [x[0], x[1], m] : m);
  });
}
chain('slidingMean', slidingMean);

declare module '../publisher' {
  interface Publisher<T> {
    slidingMean(n: number): Publisher<T>;
  }
}
