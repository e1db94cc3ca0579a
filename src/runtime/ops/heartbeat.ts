import { Publisher } from '../publisher';
import { chain } from './op';
import { timed, Timed } from './timed';
import { value } from './value';

/**
 * Events unchanged; once `seconds` pass without one, the last event again, as of now (a [id, ts, value] event with
 * the current time), and again every `seconds` while the silence lasts. Nothing is sent before the first event.
 * After onChange it makes "on change, and at least every `seconds`".
 */
export function heartbeat<T>(src: Publisher<T>, seconds: number): Publisher<T> {
  // of the last event, what a repeat needs: whether it is a [id, ts, value] event, its id, its value
  var isReading = false, id: any, last: any;
  return timed(src, seconds, function (this: Timed<any, any>, x: any) {
    isReading = x instanceof Array;
    id = isReading ? x[0] : undefined;
    last = value(x);
    // restarted before passing on: a subscriber that leaves during the send then stops it
    this._restart();
    this.next(x);
  }, function () {
    this._restart();
    this.next(isReading ? [id, Math.round(getTime()), last] : last);
  });
}
chain('heartbeat', heartbeat);
