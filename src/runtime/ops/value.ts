/** The number an event carries: the value of a [id, ts, value] event, or the event itself. */
export function value(x: any): any {
  return x instanceof Array ? x[2] : x;
}
