// The writer's buffer as others read it: the ring's layout (see MQTTWriter's _numbers) and the reading at a place in
// it. The QoS window (qos-window.ts) reads the reading it publishes here, and the journal (src/journal) the readings
// it writes to flash before a reset. No import and nothing run: a module that takes readingAt gets it alone.

/** A reading as the writer is given it: the sensor's `[id, time in seconds, value]`, or any other event (sent as its JSON). */
export type Reading = [string, number, number] | object;

/**
 * The ring of readings: `_size` slots, `queued` of them in use from slot `_head`, oldest first. A reading
 * [id, time, value] of the first sensor id seen (`_id`) is two whole numbers in `_numbers` (the time in ms from
 * `_since`, the value × 10⁴); any other is kept as itself in `_others`, by slot.
 */
export interface ReadingRing {
  queued: number;
  _size: number;
  _head: number;
  _numbers: Int32Array;
  _others: Reading[];
  _id: string;
  _since: number;
}

/** The reading `position` places after the oldest in the buffer. */
export function readingAt(ring: ReadingRing, position: number): Reading {
  var slot = (ring._head + position) % ring._size;
  return ring._others[slot] !== undefined ? ring._others[slot] : [ring._id, ring._since + ring._numbers[2 * slot] / 1e3, ring._numbers[2 * slot + 1] / 1e4];
}
