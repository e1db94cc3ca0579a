import { Publisher } from '../publisher';
import { op, chain, Operator } from './op';
import './timed';
import { value, Valued } from './value';
import type { SensorEvent } from '../sensor-pub';

/**
 * Events unchanged; once `seconds` pass without one, the last event again, as of now (a [id, ts, value] event with
 * the current time), and again every `seconds` while the silence lasts. Nothing is sent before the first event.
 * After onChange it makes "on change, and at least every `seconds`".
 */
export function heartbeat<T extends Valued>(src: Publisher<T>, seconds: number): Publisher<T> {
  // of the last event, what a repeat needs: whether it is a [id, ts, value] event, its id, its value
  var isReading = false, id: string | undefined, last: number;
  /** The silence lasted: the last event again, as of now, and the wait starts again. */
  function repeat(this: Operator<T, T>) {
    this._restart(seconds, repeat);
    this.next((isReading ? [id, Math.round(getTime()), last] : last) as T);
  }
  return op(src, function (this: Operator<T, T>, x: T) {
    isReading = x instanceof Array;
    id = isReading ? (x as SensorEvent)[0] : undefined;
    last = value(x);
    // restarted before passing on: a subscriber that leaves during the send then stops it
    this._restart(seconds, repeat);
    this.next(x);
  });
}
chain('heartbeat', heartbeat);
