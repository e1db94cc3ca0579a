import { Publisher } from '../publisher';
import { chain } from './op';
import { timed, Timed } from './timed';

/** An event once `seconds` passed without a newer one; completion sends the one still waiting first. */
export function debounce<T>(src: Publisher<T>, seconds: number): Publisher<T> {
  var waiting: T | undefined; // the event the running timer will send
  return timed(src, seconds, function (this: Timed<T, T>, x: T) {
    waiting = x;
    this._restart();
  }, function () {
    var event = waiting as T;
    waiting = undefined; // let go of it: the device keeps no event longer than it must
    this.next(event);
  }, true);
}
chain('debounce', debounce);
