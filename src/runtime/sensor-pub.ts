import { constructorOf } from './constructor';
import { Publisher } from './publisher';

/** A sensor as the runtime sees it (Moddable-style): an id and a `sample()`. */
export interface Sensor {
  sensorId: string;
  /**
   * Returns a reading, or returns undefined and calls `done(err, value)` later (a sensor that must wait for
   * its hardware). Throwing, or `done(err)`, is an error; an error with `transient` set skips this sample only.
   * A value of null means the sensor has no more data: the stream completes.
   */
  sample(done: SensorDone): number | null | undefined;
}

/** What a sensor reports in place of a reading: an Error (`transient` set: it skips this sample only) or a text. */
export type SensorFault = (Error & { transient?: number }) | string;

/** How a sensor hands on what it had to wait for: done(0, value) a reading (null: no more data), done(fault). */
export type SensorDone = (err: SensorFault | 0 | undefined, value?: number | null) => void;

/** An event as published: [sensor id, timestamp in seconds, value], as in the tutorial. */
export type SensorEvent = [string, number, number];

/** How often a streak of transient errors (a saturated sensor, say) is printed again while it lasts. */
var REPEAT_EVERY = 30;

/** Publishes the readings of a sensor each time the scheduler calls `sample()`. */
export interface SensorPub extends Publisher<SensorEvent> {
  sensor: Sensor;
  /** Samples skipped by a transient error (saturation, a sensor not answering), for diagnostics. */
  skipped: number;
  /** Timestamps per second: 1, whole seconds; 1000 (sampling faster than once a second), milliseconds apart. */
  _perSecond: number;
  /**
   * The timestamp of the reading under way: when it was asked for (the schedule's planned time), not when the sensor
   * answered, so that readings are exactly one period apart even when the sensor takes longer for one of them (an
   * integration, a gain change) or the clock's fraction of a second sits at a rounding edge.
   */
  _at: number;
  /** Length of the current streak of transient errors. */
  _streak: number;
  /**
   * The sensor's callback, one function for the publisher's life (not one made per reading): a reading, an error,
   * a transient error (a streak of them printed now and then), the end.
   */
  _done: SensorDone;
  /** Takes a reading now; `at`, the time it is for (the scheduler's plan), defaults to now. */
  sample(at?: number): void;
}

export var SensorPub = constructorOf<{ new (sensor: Sensor): SensorPub; prototype: SensorPub }>(function (sensor) {
  var self = this;
  Publisher.call(self);
  self.sensor = sensor;
  self.skipped = self._streak = 0;
  self._perSecond = 1;
  self._done = function (err, value) {
    // the common case first: a reading
    if (!(err || value === null || self._streak)) return self.next([sensor.sensorId, self._at, value as number]);
    if (err && !(err as Error & { transient?: number }).transient) return self.error(err);
    if (err) {
      self.skipped++;
      if (self._streak++ % REPEAT_EVERY == 0) console.log(sensor.sensorId + ': ' + ((err as Error).message || err) + (self._streak > 1 ? ' (' + self._streak + ' in a row)' : ' (retrying)'));
      return;
    }
    if (self._streak) console.log(sensor.sensorId + ': reading again');
    self._streak = 0;
    if (value === null) self.complete();
    else self._done(0, value);
  };
});

SensorPub.prototype = Object.create(Publisher.prototype);
SensorPub.prototype.constructor = SensorPub;

// The hot path: Espruino reads all of a function's text on every call, past its return too, so this one is short.
SensorPub.prototype.sample = function (at?: number) {
  var self = this, s = self.sensor, v;
  // (a plan of 0 is the clock's very start: now)
  self._at = Math.round((at || getTime()) * self._perSecond) / self._perSecond;
  try {
    v = s.sample(self._done);
  } catch (e) {
    return self._done(e as SensorFault);
  }
  // a reading returned at once is published here rather than through _done: one call fewer per event
  if (v !== undefined) v === null || self._streak ? self._done(0, v) : self.next([s.sensorId, self._at, v]);
};
