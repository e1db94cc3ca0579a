// Waiting for a real outcome (a message at a broker, a line on a console), polling, with a clear timeout.

/** Resolves with the first truthy value of `predicate()`, polled every `interval` ms; throws after `timeout` saying `what`. */
export async function waitFor(predicate, { timeout = 10000, interval = 20, what = 'condition', then } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${then ? ': ' + then() : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
