// Espruino-style events for the shims: on/emit/removeListener/removeAllListeners, and an 'error'
// with no listener is ignored (Node's EventEmitter would throw, Espruino does not).
export class EspruinoEvents {
  constructor() {
    this._handlers = {};
  }
  on(event, fn) {
    (this._handlers[event] = this._handlers[event] || []).push(fn);
    return this;
  }
  emit(event, ...args) {
    for (const fn of (this._handlers[event] || []).slice()) fn.apply(this, args);
  }
  removeListener(event, fn) {
    this._handlers[event] = (this._handlers[event] || []).filter((f) => f !== fn);
  }
  removeAllListeners(event) {
    if (event === undefined) this._handlers = {};
    else delete this._handlers[event];
  }
  listenerCount(event) {
    return (this._handlers[event] || []).length;
  }
}
