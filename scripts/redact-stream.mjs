// Shows a child process's output with the given secrets replaced by ***. The device can echo its own code (an
// error prints the offending line, and the code holds the config's values), so the passwords baked into the
// firmware could otherwise reach the screen. A secret split across two chunks is still caught: the end of a chunk
// that could be the start of a secret is held back until the next chunk, or a short pause.

/** The secrets of a firmware config: the passwords (and nothing shorter than 3 characters, to keep output readable). */
export function secretsOf(fw) {
  return [fw.wifi && fw.wifi.password, fw.mqtt && fw.mqtt.password].filter((s) => typeof s == 'string' && s.length >= 3);
}

/** Replaces every secret in a complete text by ***. */
export function redactText(text, secrets) {
  for (const s of secrets) text = text.split(s).join('***');
  return text;
}

/** The length of the longest end of `text` that is the beginning of some secret. */
function heldBackLength(text, secrets) {
  let keep = 0;
  for (const s of secrets)
    for (let n = Math.min(s.length - 1, text.length); n > keep; n--)
      if (text.endsWith(s.slice(0, n))) {
        keep = n;
        break;
      }
  return keep;
}

/**
 * A writer for `out` (a stream with write()) that redacts. Call write(chunk) for each chunk and end() at the end.
 * Held-back text is written after `pauseMs` without more data, so an interactive prompt still shows.
 */
export function redactingWriter(out, secrets, { pauseMs = 150 } = {}) {
  // work on bytes as latin1 text, so what is not a secret passes through unchanged
  secrets = secrets.map((s) => Buffer.from(s, 'utf8').toString('latin1'));
  const emit = (text) => out.write(Buffer.from(text, 'latin1'));
  let pending = '', timer = null;
  const flush = () => {
    clearTimeout(timer);
    timer = null;
    if (pending) emit(redactText(pending, secrets));
    pending = '';
  };
  return {
    write(chunk) {
      clearTimeout(timer);
      const text = redactText(pending + chunk.toString('latin1'), secrets);
      const keep = heldBackLength(text, secrets);
      pending = text.slice(text.length - keep);
      const ready = text.slice(0, text.length - keep);
      if (ready) emit(ready);
      if (pending) timer = setTimeout(flush, pauseMs);
    },
    end: flush
  };
}
