/** The number an event carries: the value of a [id, ts, value] event, or the event itself. */
export function value(x: any): any {
  return x instanceof Array ? x[2] : x;
}

/** The event with another value: a new [id, ts, v] for a [id, ts, value] event (never changed in place: other
 * subscribers hold it too), or `v` itself. */
export function withValue(x: any, v: any): any {
  return x instanceof Array ? [x[0], x[1], v] : v;
}
