import { Publisher } from './publisher';

/** A sensor as the runtime sees it (Moddable-style): an id and a `sample()`. */
export interface Sensor {
  sensorId: string;
  /**
   * Returns a reading, or returns undefined and calls `done(err, value)` later (a sensor that must wait for
   * its hardware). Throwing, or `done(err)`, is an error; an error with `transient` set skips this sample only.
   * A value of null means the sensor has no more data: the stream completes.
   */
  sample(done: (err: any, value?: any) => void): any;
}

/** An event as published: [sensor id, timestamp in seconds, value], as in the tutorial. */
export type SensorEvent = [string, number, any];

/** Publishes the readings of a sensor each time the scheduler calls `sample()`. */
export interface SensorPub extends Publisher<SensorEvent> {
  sensor: Sensor;
  /** Set while transient errors last, so each streak is printed once. */
  w?: number;
  sample(): void;
}

export var SensorPub = function (this: SensorPub, sensor: Sensor) {
  Publisher.call(this);
  this.sensor = sensor;
} as any as { new (sensor: Sensor): SensorPub; prototype: SensorPub };

SensorPub.prototype = Object.create(Publisher.prototype);

SensorPub.prototype.sample = function () {
  var self = this, id = self.sensor.sensorId, v;
  function done(err: any, value?: any) {
    if (err && !err.transient) return self.error(err);
    if (err) {
      if (!self.w) console.log(id + ': ' + (err.message || err) + ' (retrying)');
      self.w = 1;
      return;
    }
    if (self.w) console.log(id + ': reading again');
    self.w = 0;
    if (value === null) self.complete();
    else self.next([id, Math.round(getTime()), value]);
  }
  try {
    v = self.sensor.sample(done);
  } catch (e) {
    return done(e);
  }
  if (v !== undefined) done(0, v);
};
