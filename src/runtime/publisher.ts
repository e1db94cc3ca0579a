import { constructorOf } from './constructor';
/** Receives events: any of ReactiveX's three callbacks. */
export interface Subscriber<T> {
  onNext?(x: T): void;
  onError?(e: unknown): void;
  onCompleted?(): void;
}

/**
 * One subscription in a publisher's list: its subscriber, and the same again in `_onNext` when it has an onNext
 * (what `next` calls, without asking each time); both null once removed.
 */
export interface Subscription<T> {
  _subscriber: Subscriber<T> | null;
  _onNext: Subscriber<T> | null;
}

/** What `subscribe` accepts: a subscriber object, or a plain function taken as `onNext`. */
export type SubscriberLike<T> = Subscriber<T> | ((x: T) => void);

/** A subscriber's callback that ends a stream, by name. */
export type EndKind = 'onError' | 'onCompleted';

// Fields whose names start with `_` are the runtime's own: the build shortens them in the bundle (each longer
// name costs device RAM on every object that has it), and a user never needs them.

/**
 * The source of events in a graph. `next`, `error` and `complete` send to every subscriber;
 * after `error` or `complete` nothing more is sent and the subscribers are dropped.
 */
export interface Publisher<T> {
  /** The constructor, as on an instance of a class. */
  constructor: Function;
  /**
   * One entry per subscription, holding its subscriber until it is removed. The list is replaced on change, never
   * mutated, so a dispatch in progress is not disturbed; a removed entry lets go of its subscriber, so a dispatch
   * walking an older list passes over it. '' once finished: false, and `next` can index it without asking first
   * (on Espruino ''[0] is undefined, where null[0] or 0[0] throws).
   */
  _subscribers: Subscription<T>[] | '';
  /** How the publisher finished, replayed to late subscribers: [callback name, value]. */
  _ended?: [EndKind, unknown];
  /** Subscribers whose callback threw with nowhere to report it: each is printed once. */
  _failed?: Subscriber<T>[];
  /** Adds a subscriber; returns a function that removes it again (safe to call during a dispatch). */
  subscribe(sub: SubscriberLike<T>): () => void;
  next(x: T): void;
  /**
   * Finishes with an error, or, with `completed` set (complete() does), as completed: sent once, then the
   * subscribers are dropped. One function for both ends: each kept function costs device RAM.
   */
  error(e: unknown, completed?: number): void;
  complete(): void;
  /**
   * Calls `s[kind](v)`; without `kind`, v is what s.onNext threw, which goes to s.onError. A throw, or one with no
   * onError to go to, is printed once per subscriber and never stops the graph.
   */
  _deliver(s: Subscriber<T>, v: unknown, kind?: EndKind): void;
}

// A constructor function and one prototype object, rather than a class: a class's ES5 form wraps each class in a
// function scope of its own, which the device keeps for good.
export var Publisher = constructorOf<{ new <T>(): Publisher<T>; prototype: Publisher<unknown> }>(function () {
  this._subscribers = [];
});

Publisher.prototype = {
  // kept, as a class keeps it (Espruino adds it at the first `new` anyway)
  constructor: Publisher as Function,
  subscribe: function (sub) {
    var self = this, s: Subscriber<unknown> = typeof sub == 'function' ? { onNext: sub } : sub,
      entry: Subscription<unknown> = { _subscriber: s, _onNext: s.onNext ? s : null };
    if (self._subscribers) self._subscribers = self._subscribers.concat([entry]);
    else if (self._ended) self._deliver(s, self._ended[1], self._ended[0]);
    return function () {
      if (self._subscribers) self._subscribers = self._subscribers.filter(function (x) { return x !== entry; });
      entry._subscriber = entry._onNext = null;
    };
  },

  // The hot path. Espruino reads all of a function's text again on every call (from flash, 16 bytes at a time),
  // what it skips too, and makes a variable of each string it reads: hence no test before the loop and no string
  // in the catch.
  next: function (x) {
    // (finished, subs is '', whose [0] is undefined); s: the entry, then its subscriber (one variable for both)
    var subs = this._subscribers as Subscription<unknown>[], i = 0, s: Subscription<unknown> | Subscriber<unknown> | null;
    while ((s = subs[i++]))
      try {
        if ((s = (s as Subscription<unknown>)._onNext)) s.onNext!(x);
      } catch (e) {
        this._deliver(s as Subscriber<unknown>, e);
      }
  },

  error: function (e, completed) {
    var subs = this._subscribers, kind: EndKind = completed ? 'onCompleted' : 'onError', i, s;
    if (!subs) return;
    this._subscribers = '';
    this._ended = [kind, e];
    for (i = 0; i < subs.length; i++) if ((s = subs[i]._subscriber)) this._deliver(s, e, kind);
  },

  complete: function () {
    this.error(undefined, 1);
  },

  _deliver: function (s, v, kind) {
    try {
      if (!kind) {
        if (!s.onError) throw v;
        kind = 'onError';
      }
      if (s[kind]) (s[kind] as (v: unknown) => void)(v);
    } catch (e) {
      if (!this._failed || this._failed.indexOf(s) < 0) {
        this._failed = (this._failed || []).concat([s]);
        console.log('subscriber failed:', e);
      }
    }
  }
} as Publisher<unknown>;
