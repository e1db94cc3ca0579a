// What the journal may see and do of the writer whose readings it keeps (MQTTWriter, src/net/writer.ts, is one):
// its counts, its buffer (read through the buffer's own readingAt, changed through _put and _drop), and the fields
// the journal keeps on it between calls.
import type { Reading, ReadingRing } from '../net/reading-ring';
import type { JournalState } from './state';

/** What the writer asks of the journal: see journal() (journal.ts). */
export type JournalWork = 'boot' | 'add' | 'fill' | 'keep';

export interface JournalHost extends ReadingRing {
  /** Readings the broker acknowledged, and readings dropped: the writer's counts, which the journal adds to. */
  sent: number;
  dropped: number;
  /** Readings waiting in flash or in the batch. */
  journaled: number;
  /** How many at the head of the buffer wait for their PUBACK on this connection, and were published at least once. */
  inFlight: number;
  _published: number;
  /** The writer's MQTT client: readings from flash go into the buffer only while it is connected. */
  client: { connected: boolean };
  /** `journal`: the most readings flash may hold (0: the journal is off); `maxPayload`: the longest reading's payload. */
  _options: { journal?: number; maxPayload?: number };
  /** The journal's state while readings wait in flash or in the batch, else 0. */
  _journal: JournalState | 0;
  /** The batch: readings not yet written to flash, as the text they will be written as; absent without a state. */
  _batch?: string;
  /**
   * Readings the writer set aside for the journal's next call (the broker is away, the buffer was full, or readings
   * wait in flash).
   */
  _incoming?: Reading[];
  /** Puts a reading at the end of the buffer (dropping the oldest that never left when it is full). */
  _put(reading: Reading): void;
  /** Takes the reading at a position out of the buffer. */
  _drop(position: number): void;
}
