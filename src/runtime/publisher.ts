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
export class Publisher<T> {
  /** Subscribers. Replaced on change, never mutated, so a dispatch in progress is not disturbed; null once finished. */
  s: Subscriber<T>[] | null = [];
  /** How the publisher finished, replayed to late subscribers: [callback name, value]. */
  f?: [string, any];

  /** Adds a subscriber; returns a function that removes it again (safe to call during a dispatch). */
  subscribe(sub: SubscriberLike<T>): () => void {
    var self = this;
    var s: Subscriber<T> = typeof sub == 'function' ? { onNext: sub } : sub;
    if (self.s) self.s = self.s.concat([s]);
    else if (self.f) deliver(s, self.f[0], self.f[1]);
    return function () {
      if (self.s) self.s = self.s.filter(function (x) { return x !== s; });
    };
  }

  next(x: T) {
    var subs = this.s, i;
    for (i = 0; subs && i < subs.length; i++) {
      // a subscriber removed by an earlier one during this dispatch gets nothing more
      if (this.s == subs || (this.s && this.s.indexOf(subs[i]) >= 0)) deliver(subs[i], 'onNext', x);
    }
  }

  error(e: any) { this.end('onError', e); }

  complete() { this.end('onCompleted'); }

  end(kind: string, v?: any) {
    var subs = this.s, i;
    if (!subs) return;
    this.s = null;
    this.f = [kind, v];
    for (i = 0; i < subs.length; i++) deliver(subs[i], kind, v);
  }
}

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
