import { Subscriber } from './publisher';
import { joinItems } from './format';

/** Prints each event on the console, an array as a tuple: ('lux-1', 611, 284.1312). */
export var Output = function () {} as any as { new (): Subscriber<any>; prototype: Subscriber<any> };

Output.prototype = {
  onNext: function (x) {
    // made per call rather than kept: a function kept for good costs device RAM, one in the code costs none
    var repr = function (v: any) {
      return typeof v == 'string' ? "'" + v + "'" : JSON.stringify(v);
    };
    console.log(x instanceof Array ? joinItems(x, '(', ')', repr) : repr(x));
  },
  onError: function (e) {
    console.log('error:', (e && e.message) || e);
  },
  onCompleted: function () {
    console.log('completed');
  }
};
