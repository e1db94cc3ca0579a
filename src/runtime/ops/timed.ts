// What the filters with a timer share (heartbeat, debounce): one timer per operator, restarted by its step.
import { Publisher } from '../publisher';
import { Operator } from './op';

/**
 * An operator with one timer: `_restart()` (re)starts it, and `_seconds` later `_tick` runs as the step does, with
 * the operator as `this` (it passes events on with this.next). The timer stops when the operator detaches or ends.
 */
export interface Timed<T, R> extends Operator<T, R> {
  _seconds: number;
  _tick: (this: Timed<T, R>) => void;
  /** The running timer; 0 for none (Espruino refuses clearTimeout(undefined)). */
  _timer: any;
  _restart(): void;
}

/** The timer ran out: none runs any more, and the tick does its work. */
function fire(p: Timed<any, any>) {
  p._timer = 0;
  p._tick();
}

(Operator.prototype as Timed<any, any>)._restart = function () {
  clearTimeout(this._timer);
  this._timer = setTimeout(fire, this._seconds * 1000, this);
};

/** The operator's flush (see Operator), for a filter whose tick sends what waits: a running timer runs out at once. */
function fireNow(this: Timed<any, any>) {
  if (this._timer) {
    clearTimeout(this._timer);
    fire(this);
  }
}

/** The operator's hook (see Operator): when it detaches, the timer stops. */
function stop(this: Timed<any, any>, on?: number) {
  if (!on) {
    clearTimeout(this._timer);
    this._timer = 0;
  }
}

/**
 * A publisher fed by `src` through `step`, as op() makes one, with a timer of `seconds` that the step and the tick
 * restart with this._restart(); `tick` runs when it runs out. With `completionFires`, a completion first runs a
 * timer still running out at once (what the tick would have sent is sent).
 */
export function timed<T, R>(
  src: Publisher<T>,
  seconds: number,
  step: (this: Timed<T, R>, x: T) => void,
  tick: (this: Timed<T, R>) => void,
  completionFires?: boolean
): Publisher<R> {
  var p = new Operator(src, step as (this: Publisher<R>, x: T) => void, completionFires ? fireNow : 0, stop) as Timed<T, R>;
  p._seconds = seconds;
  p._tick = tick;
  p._timer = 0;
  return p;
}
