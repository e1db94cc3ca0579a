import { constructorOf } from './constructor';
import { Subscriber } from './publisher';

/** Prints each event on the console, an array as a tuple: ('lux-1', 611, 284.1312). */
export var Output = constructorOf<{ new (): Subscriber<unknown>; prototype: Subscriber<unknown> & { constructor: Function } }>(function () {});

Output.prototype = {
  // kept, as a class keeps it (Espruino adds it at the first `new` anyway)
  constructor: Output as Function,
  onNext: function (x) {
    // made per call rather than kept: a function kept for good costs device RAM, one in the code costs none
    var repr = function (v: unknown) {
      return typeof v == 'string' ? "'" + v + "'" : JSON.stringify(v);
    };
    console.log(x instanceof Array ? '(' + x.map(repr).join(', ') + ')' : repr(x));
  },
  // one function for both ends of a stream: each function kept costs device RAM
  onError: end,
  onCompleted: end
};

/** Prints how a stream ended: `completed`, or `error: ` and the error. */
function end(e?: unknown) {
  console.log(e === undefined ? 'completed' : 'error: ' + ((e && (e as Error).message) || e));
}
