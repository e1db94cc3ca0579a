// What the filters with a timer share (heartbeat, debounce): one timer per operator, which its step restarts.
import { Operator } from './op';

declare module './op' {
  interface Operator<T, R> {
    /**
     * (Re)starts the operator's timer: `seconds` from now, `tick` runs as the step does, with the operator as `this`
     * (it passes events on with this.next). The timer stops when the operator detaches or ends.
     */
    _restart(seconds: number, tick: (this: Operator<T, R>) => void): void;
  }
}

Operator.prototype._restart = function (seconds, tick) {
  if (this._timer) clearTimeout(this._timer);
  this._tick = tick;
  this._timer = setTimeout(fireTimer, seconds * 1000, this);
};

/**
 * The operator's running timer runs out now: none runs any more, and its tick does its work (clearing the timer
 * that called this does nothing). The timer's own callback, and the flush of a filter whose tick sends what waits,
 * which a completion then sends first.
 */
export function fireTimer(p: Operator<unknown, unknown>) {
  if (p._timer) {
    clearTimeout(p._timer);
    p._timer = 0;
    p._tick!();
  }
}
