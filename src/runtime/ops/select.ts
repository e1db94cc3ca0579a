import { Publisher } from '../publisher';
import { op, chain } from './op';

/** One field of each event: an index of an array event (2 is the value of [id, ts, value]) or an object key. */
export function select(src: Publisher<any>, k: string | number): Publisher<any> {
  return op(src, function (this: Publisher<any>, x: any) { this.next(x[k]); });
}
chain('select', select);
