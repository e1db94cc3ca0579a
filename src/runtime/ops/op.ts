// What every operator shares; bundled only when a graph imports an operator.
import { Publisher, Subscriber } from '../publisher';

var P = Publisher.prototype;

/**
 * A publisher fed by `src` through `f(p, x)`. It attaches to `src` when its first subscriber arrives and detaches
 * when it finishes or its last subscriber leaves; `h(1)` runs on attach and `h()` on detach (to start and stop
 * timers). Errors pass through; completion first calls `flush(p)`, so an operator can send what it holds.
 */
export function op<T, R>(
  src: Publisher<T>,
  f: (p: Publisher<R>, x: T) => void,
  flush?: ((p: Publisher<R>) => void) | 0,
  h?: (on?: number) => void
): Publisher<R> {
  var p = new Publisher<R>(), u: any; // u: detaches from src
  function off() {
    if (u) u();
    u = 0;
    if (h) h();
  }
  p.subscribe = function (x) {
    var d = P.subscribe.call(p, x);
    if (p.s && p.s.length == 1) {
      if (h) h(1);
      u = src.subscribe({
        onNext: function (x) { f(p, x); },
        onError: function (e) { p.error(e); },
        onCompleted: function () {
          if (flush) flush(p);
          p.complete();
        }
      } as Subscriber<T>);
    }
    return function () {
      d();
      if (p.s && !p.s.length) off();
    };
  };
  p.end = function (k, v) {
    off();
    P.end.call(p, k, v);
  };
  return p;
}

/** Makes operator `f(src, a, b)` chainable as `src.name(a, b)`: done by each operator file, so only imported ones exist. */
export function chain(name: string, f: (src: any, a?: any, b?: any) => Publisher<any>) {
  (P as any)[name] = function (this: Publisher<any>, a?: any, b?: any) {
    return f(this, a, b);
  };
}
