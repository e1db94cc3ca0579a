import { joinItems } from './format';

function repr(v: any) {
  return typeof v == 'string' ? "'" + v + "'" : JSON.stringify(v);
}

/** Prints each event on the console, an array as a tuple: ('lux-1', 611, 284.1312). */
export class Output {
  onNext(x: any) {
    console.log(x instanceof Array ? joinItems(x, '(', ')', repr) : JSON.stringify(x));
  }
  onError(e: any) {
    console.log('error:', e && e.message ? e.message : e);
  }
  onCompleted() {
    console.log('completed');
  }
}
