/** Receives events: any of ReactiveX's three callbacks. */
export interface Subscriber<T> {
  onNext?(x: T): void;
  onError?(e: any): void;
  onCompleted?(): void;
}

/** What `subscribe` accepts: a subscriber object, or a plain function taken as `onNext`. */
export type SubscriberLike<T> = Subscriber<T> | ((x: T) => void);

/**
 * The source of events in a graph. `next`, `error` and `complete` send to every subscriber;
 * after `error` or `complete` nothing more is sent and the subscribers are dropped.
 */
export interface Publisher<T> {
  /** Subscribers. Replaced on change, never mutated, so a dispatch in progress is not disturbed; null once finished. */
  s: Subscriber<T>[] | null;
  /** How the publisher finished, replayed to late subscribers: [callback name, value]. */
  f?: [string, any];
  /** Adds a subscriber; returns a function that removes it again (safe to call during a dispatch). */
  subscribe(sub: SubscriberLike<T>): () => void;
  next(x: T): void;
  error(e: any): void;
  complete(): void;
  /** Finishes with `kind` ('onError' or 'onCompleted'): sends it once, then drops the subscribers. */
  end(kind: string, v?: any): void;
}

// The runtime's classes are constructor functions with one prototype object: the same objects as TypeScript
// classes give, in fewer bytes of device RAM.
export var Publisher = function (this: Publisher<any>) {
  this.s = [];
} as any as { new <T>(): Publisher<T>; prototype: Publisher<any> };

Publisher.prototype = {
  subscribe: function (sub) {
    var self = this, s: Subscriber<any> = typeof sub == 'function' ? { onNext: sub } : sub;
    if (self.s) self.s = self.s.concat([s]);
    else if (self.f) deliver(s, self.f[0], self.f[1]);
    return function () {
      if (self.s) self.s = self.s.filter(function (x) { return x !== s; });
    };
  },

  next: function (x) {
    var subs = this.s, i;
    // a subscriber removed by an earlier one during this dispatch gets nothing more
    for (i = 0; subs && i < subs.length; i++)
      if (this.s == subs || (this.s && this.s.indexOf(subs[i]) >= 0)) deliver(subs[i], 'onNext', x);
  },

  error: function (e) { this.end('onError', e); },

  complete: function () { this.end('onCompleted'); },

  end: function (kind, v) {
    var subs = this.s, i;
    if (!subs) return;
    this.s = null;
    this.f = [kind, v];
    for (i = 0; i < subs.length; i++) deliver(subs[i], kind, v);
  }
} as Publisher<any>;

/** Calls one callback; a throw goes to the subscriber's own onError, or is printed once, and never stops the graph. */
function deliver(s: any, kind: string, v: any) {
  try {
    if (s[kind]) s[kind](v);
  } catch (e) {
    if (kind == 'onNext' && s.onError) deliver(s, 'onError', e);
    else if (!s.r) {
      s.r = 1;
      console.log('subscriber failed:', e);
    }
  }
}
