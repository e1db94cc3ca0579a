import { constructorOf } from './constructor';
/** Receives events: any of ReactiveX's three callbacks. */
export interface Subscriber<T> {
  onNext?(x: T): void;
  onError?(e: any): void;
  onCompleted?(): void;
}

/** What `subscribe` accepts: a subscriber object, or a plain function taken as `onNext`. */
export type SubscriberLike<T> = Subscriber<T> | ((x: T) => void);

// Fields whose names start with `_` are the runtime's own: the build shortens them in the bundle (each longer
// name costs device RAM on every object that has it), and a user never needs them.

/**
 * The source of events in a graph. `next`, `error` and `complete` send to every subscriber;
 * after `error` or `complete` nothing more is sent and the subscribers are dropped.
 */
export interface Publisher<T> {
  /** The constructor, as on an instance of a class. */
  constructor: Function;
  /** Replaced on change, never mutated, so a dispatch in progress is not disturbed; null once finished. */
  _subscribers: Subscriber<T>[] | null;
  /** How the publisher finished, replayed to late subscribers: [callback name, value]. */
  _ended?: [string, any];
  /** Subscribers whose callback threw with nowhere to report it: each is printed once. */
  _failed?: Subscriber<T>[];
  /** Adds a subscriber; returns a function that removes it again (safe to call during a dispatch). */
  subscribe(sub: SubscriberLike<T>): () => void;
  next(x: T): void;
  error(e: any): void;
  complete(): void;
  /** Finishes with `kind` ('onError' or 'onCompleted'): sends it once, then drops the subscribers. */
  _end(kind: string, v?: any): void;
  /** Whether `s` is still subscribed (it may have been removed during a dispatch). */
  _still(s: Subscriber<T>): boolean;
  /** Calls one callback; a throw goes to the subscriber's own onError, or is printed once, and never stops the graph. */
  _deliver(s: Subscriber<T>, kind: string, v?: any): void;
  /** A callback threw: onNext's error goes to the subscriber's onError; any other is printed, once per subscriber. */
  _thrown(s: Subscriber<T>, kind: string, e: any): void;
}

// A constructor function and one prototype object, rather than a class: a class's ES5 form wraps each class in a
// function scope of its own, which the device keeps for good.
export var Publisher = constructorOf<{ new <T>(): Publisher<T>; prototype: Publisher<any> }>(function () {
  this._subscribers = [];
});

Publisher.prototype = {
  // kept, as a class keeps it (Espruino adds it at the first `new` anyway)
  constructor: Publisher as Function,
  subscribe: function (sub) {
    var self = this, s: Subscriber<any> = typeof sub == 'function' ? { onNext: sub } : sub;
    if (self._subscribers) self._subscribers = self._subscribers.concat([s]);
    else if (self._ended) self._deliver(s, self._ended[0], self._ended[1]);
    return function () {
      if (self._subscribers) self._subscribers = self._subscribers.filter(function (x) { return x !== s; });
    };
  },

  // Espruino reads a function's whole text each time it runs, the branches not taken too: the hot path is kept
  // short, and what is rare (a throw, a subscriber removed during this dispatch) is done in functions of its own.
  next: function (x) {
    var subs = this._subscribers, i = 0, s;
    for (; subs && i < subs.length; i++)
      if ((s = subs[i]).onNext && (this._subscribers === subs || this._still(s)))
        try {
          s.onNext(x);
        } catch (e) {
          this._thrown(s, 'onNext', e);
        }
  },

  _still: function (s) {
    return this._subscribers && this._subscribers.indexOf(s) >= 0;
  },

  error: function (e) {
    this._end('onError', e);
  },

  complete: function () {
    this._end('onCompleted');
  },

  _end: function (kind, v) {
    var subs = this._subscribers, i;
    if (!subs) return;
    this._subscribers = null;
    this._ended = [kind, v];
    for (i = 0; i < subs.length; i++) this._deliver(subs[i], kind, v);
  },

  _deliver: function (s: any, kind, v) {
    try {
      if (s[kind]) s[kind](v);
    } catch (e) {
      this._thrown(s, kind, e);
    }
  },

  _thrown: function (s, kind, e) {
    if (kind == 'onNext' && s.onError) this._deliver(s, 'onError', e);
    else if (!this._failed || this._failed.indexOf(s) < 0) {
      this._failed = (this._failed || []).concat([s]);
      console.log('subscriber failed:', e);
    }
  }
} as Publisher<any>;
