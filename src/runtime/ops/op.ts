// What every operator shares; bundled only when a graph imports an operator.
import { Publisher } from '../publisher';

/**
 * A publisher fed by its source through `_onEvent(this, x)`. It is itself the subscriber it attaches to the
 * source when its first subscriber arrives, and detaches when it finishes or its last subscriber leaves;
 * `_hook(1)` runs on attach and `_hook()` on detach (to start and stop timers). Errors pass through; completion
 * first calls `_flush(this)`, so an operator can send what it holds.
 */
export class Operator<T, R> extends Publisher<R> {
  /** Detaches from the source; 0 while detached. */
  _detach: any = 0;

  constructor(
    public _source: Publisher<T>,
    public _onEvent: (p: Publisher<R>, x: T) => void,
    public _flush?: ((p: Publisher<R>) => void) | 0,
    public _hook?: (on?: number) => void
  ) {
    super();
  }

  subscribe(x: any) {
    var self = this, remove = Publisher.prototype.subscribe.call(self, x);
    if (self._subscribers && self._subscribers.length == 1) {
      if (self._hook) self._hook(1);
      self._detach = self._source.subscribe(self);
    }
    return function () {
      remove();
      if (self._subscribers && !self._subscribers.length) self._off();
    };
  }

  onNext(x: T) {
    this._onEvent(this, x);
  }

  onError(e: any) {
    this.error(e);
  }

  onCompleted() {
    if (this._flush) this._flush(this);
    this.complete();
  }

  _off() {
    if (this._detach) this._detach();
    this._detach = 0;
    if (this._hook) this._hook();
  }

  _end(kind: string, v?: any) {
    this._off();
    Publisher.prototype._end.call(this, kind, v);
  }
}

/** A publisher fed by `src` through `f(p, x)` (see Operator). */
export function op<T, R>(
  src: Publisher<T>,
  f: (p: Publisher<R>, x: T) => void,
  flush?: ((p: Publisher<R>) => void) | 0,
  hook?: (on?: number) => void
): Publisher<R> {
  return new Operator(src, f, flush, hook);
}

/** Makes operator `f(src, a, b)` chainable as `src.name(a, b)`: done by each operator file, so only imported ones exist. */
export function chain(name: string, f: (src: any, a?: any, b?: any) => Publisher<any>) {
  (Publisher.prototype as any)[name] = function (this: Publisher<any>, a?: any, b?: any) {
    return f(this, a, b);
  };
}
