// What every operator shares; bundled only when a graph imports an operator. The operators of the filters (those
// sensor.filters can name) are also what the build inlines into the fused stage: each keeps to the form that
// scripts/firmware/filter-source.mjs reads, and the build says where one does not.
import { Publisher } from '../publisher';
import { constructorOf } from '../constructor';

/**
 * A publisher fed by its source through its own `onNext`, the operator's step, called with the operator as `this`
 * (one call per event: a prototype onNext calling the step would make two, and on Espruino each call costs about
 * as much as the work of a simple step). It is itself the subscriber it attaches to the
 * source when its first subscriber arrives, and detaches when it finishes or its last subscriber leaves;
 * `_hook(1)` runs on attach and `_hook()` on detach (to start and stop timers). Errors pass through; completion
 * first calls `_flush(this)`, so an operator can send what it holds.
 */
export interface Operator<T, R> extends Publisher<R> {
  _source: Publisher<T>;
  _flush?: ((p: Operator<T, R>) => void) | 0;
  _hook?: (on?: number) => void;
  /** Detaches from the source; 0 while detached. */
  _detach: (() => void) | 0;
  /** The timer of a filter that has one (ops/timed: `_restart` starts it, `_tick` runs then); 0 or absent for none. */
  _timer?: TimerId;
  _tick?: (this: Operator<T, R>) => void;
  onNext(x: T): void;
  onError(e: unknown): void;
  onCompleted(): void;
  /** Detaches from the source and stops the operator's timers. */
  _off(): void;
}

// A constructor and a prototype, as for Publisher: a class's ES5 form would keep a scope of its own on the device.
// Only what is given is stored: an absent flush or hook costs no variable.
export var Operator = constructorOf<{
  new <T, R>(source: Publisher<T>, onEvent: (this: Operator<T, R>, x: T) => void, flush?: ((p: Operator<T, R>) => void) | 0, hook?: (on?: number) => void): Operator<T, R>;
  prototype: Operator<unknown, unknown>;
}>(function (source, onEvent, flush, hook) {
  Publisher.call(this);
  this._source = source;
  this.onNext = onEvent;
  if (flush) this._flush = flush;
  if (hook) this._hook = hook;
  this._detach = 0;
});

Operator.prototype = Object.create(Publisher.prototype);
Operator.prototype.constructor = Operator;

Operator.prototype.subscribe = function (x) {
  var self = this, remove = Publisher.prototype.subscribe.call(self, x);
  if (self._subscribers && self._subscribers.length == 1) {
    if (self._hook) self._hook(1);
    self._detach = self._source.subscribe(self);
  }
  return function () {
    remove();
    if (self._subscribers && !self._subscribers.length) self._off();
  };
};

Operator.prototype.onCompleted = function () {
  if (this._flush) this._flush(this);
  this.complete();
};

Operator.prototype._off = function () {
  if (this._detach) this._detach();
  this._detach = 0;
  if (this._hook) this._hook();
  if (this._timer) clearTimeout(this._timer);
  this._timer = 0;
};

Operator.prototype.error = function (e, completed) {
  this._off();
  Publisher.prototype.error.call(this, e, completed);
};
// an error from the source passes through: the same function (one fewer kept)
Operator.prototype.onError = Operator.prototype.error;

/** A publisher fed by `src` through `f(x)`, called with the publisher as `this` (see Operator). */
export function op<T, R>(
  src: Publisher<T>,
  f: (this: Operator<T, R>, x: T) => void,
  flush?: ((p: Operator<T, R>) => void) | 0,
  hook?: (on?: number) => void
): Publisher<R> {
  return new Operator(src, f, flush, hook);
}

/**
 * Makes operator `f(src, a, b)` chainable as `src.name(a, b)`: done by each operator file, so only imported ones
 * exist. Chaining is for the REPL and is not typed: TypeScript code calls the function (`map(sensor, f)`), which
 * does not compile without its import, where a typed `sensor.map(f)` would compile and then fail on the device.
 */
export function chain(name: string, f: ChainedOperator) {
  (Publisher.prototype as unknown as { [name: string]: ChainedOperator })[name] = function (this: Publisher<unknown>, a?: unknown, b?: unknown) {
    return f(this, a, b);
  };
}

/**
 * An operator as chain() takes it, whatever its own parameters: they are checked where it is written and where
 * TypeScript calls it, not at the REPL (a method's parameters, unlike a function's, are compared both ways).
 */
type ChainedOperator = { operator(src: Publisher<unknown>, a?: unknown, b?: unknown): Publisher<unknown> }['operator'];
