import type { SensorEvent } from '../sensor-pub';

/** What the filters of values take: a reading [id, ts, value], or a plain number. */
export type Valued = SensorEvent | number;

/** The number an event carries: the value of a [id, ts, value] event, or the event itself. */
export function value(x: Valued): number {
  return x instanceof Array ? x[2] : x;
}

/** The event with another value: a new [id, ts, v] for a [id, ts, value] event (never changed in place: other
 * subscribers hold it too), or `v` itself. */
export function withValue<T extends Valued>(x: T, v: number): T {
  return (x instanceof Array ? [x[0], x[1], v] : v) as T;
}
