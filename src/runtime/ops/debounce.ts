import { Publisher } from '../publisher';
import { op, chain, Operator } from './op';
import { fireTimer } from './timed';

/** An event once `seconds` passed without a newer one; completion sends the one still waiting first. */
export function debounce<T>(src: Publisher<T>, seconds: number): Publisher<T> {
  var waiting: T | undefined; // the event the running timer will send
  /** The quiet time passed: the waiting event goes on. */
  function send(this: Operator<T, T>) {
    var event = waiting as T;
    waiting = undefined; // let go of it: the device keeps no event longer than it must
    this.next(event);
  }
  return op(src, function (this: Operator<T, T>, x: T) {
    waiting = x;
    this._restart(seconds, send);
  }, fireTimer); // a completion first sends what waits: the running timer runs out at once
}
chain('debounce', debounce);
