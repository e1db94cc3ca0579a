// Shows a child process's output with the given secrets replaced by ***. The device can echo its own code (an
// error prints the offending line, and the code holds the config's values), so the passwords baked into the
// firmware could otherwise reach the screen, as they are or in the escaped form they have in the code. A secret
// split across chunks is still caught: the end of a chunk that could be the start of a secret is held back until
// more output shows whether it is one, however long that takes.

/** The secrets of a firmware config: the passwords (and nothing shorter than 3 characters, to keep output readable). */
export function secretsOf(fw) {
  const passwords = [fw.wifi && fw.wifi.password, fw.mqtt && fw.mqtt.password].filter((s) => typeof s == 'string' && s.length >= 3);
  return [...new Set(passwords.flatMap(secretForms))];
}

/** A character as a JavaScript string escape: \xHH up to 0xFF, \uHHHH beyond (each half of a surrogate pair). */
const jsEscape = (c) => {
  const n = c.charCodeAt(0);
  return n < 0x100 ? '\\x' + n.toString(16).padStart(2, '0') : '\\u' + n.toString(16).padStart(4, '0');
};

/** `s` escaped for a string literal in `quote`, non-ASCII as escapes (as the minifier writes the bundle). */
const literal = (s, quote) =>
  s.replace(/[\\'"\u0000-\u001f\u007f-\uffff]/g, (c) => (c == '\\' ? '\\\\' : c == quote ? '\\' + c : c == '"' || c == "'" ? c : jsEscape(c)));

/**
 * Every form a password can take in what the board prints: as it is; inside a string literal of the bundle
 * (either quote, non-ASCII escaped, hex in either case); as JSON; and each of those once more inside the
 * double-quoted literal that the upload writes the bundle to Storage with.
 */
export function secretForms(s) {
  const inCode = [s, JSON.stringify(s).slice(1, -1), literal(s, '"'), literal(s, "'")];
  for (const f of [...inCode]) inCode.push(f.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4})/g, (e) => e.toUpperCase().replace('\\X', '\\x').replace('\\U', '\\u')));
  const forms = [...inCode, ...inCode.map((f) => literal(f, '"'))];
  return [...new Set(forms)].filter((f) => f.length >= 3);
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

/** Secrets as the latin1 text of their UTF-8 bytes: output is handled as bytes, so what is not a secret passes unchanged. */
export const asBytes = (secrets) => secrets.map((s) => Buffer.from(s, 'utf8').toString('latin1'));

/**
 * A writer for `out` (a stream with write()) that redacts. Call write(chunk) for each chunk and end() at the end.
 * What could be the start of a secret waits for the next chunk (an interactive prompt, which is no secret's start,
 * shows at once); at end() what still waits is shown as ***.
 */
export function redactingWriter(out, secrets) {
  secrets = asBytes(secrets);
  const emit = (text) => out.write(Buffer.from(text, 'latin1'));
  let pending = '';
  return {
    write(chunk) {
      const text = redactText(pending + chunk.toString('latin1'), secrets);
      const keep = heldBackLength(text, secrets);
      pending = text.slice(text.length - keep);
      const ready = text.slice(0, text.length - keep);
      if (ready) emit(ready);
    },
    end() {
      if (pending) emit('***');
      pending = '';
    }
  };
}
