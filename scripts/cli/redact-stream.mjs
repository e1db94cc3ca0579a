// Shows a child process's output with the given secrets replaced by ***. The device can echo its own code (an
// error prints the offending line, and the code holds the config's values), so the passwords baked into the
// firmware could otherwise reach the screen, as they are or in the escaped form they have in the code. A secret
// split across chunks is still caught: the end of a chunk that could be the start of a secret is held back until
// more output shows whether it is one, however long that takes.

/**
 * The secrets of a firmware config as the firmware holds them: the passwords, and the private key of the broker's
 * TLS login (mqtt.key) as DER bytes (nothing shorter than 3 characters, to keep output readable).
 */
export function secretValues(fw) {
  const tlsKey = fw.mqtt && fw.mqtt.tls && fw.mqtt.tls.key;
  return [fw.wifi && fw.wifi.password, fw.mqtt && fw.mqtt.password, tlsKey].filter((s) => typeof s == 'string' && s.length >= 3);
}

/** Every form the secrets of a firmware config can take in what the board prints (secretForms). */
export function secretsOf(fw) {
  return [...new Set(secretValues(fw).flatMap(secretForms))];
}

/** A character as a JavaScript string escape: \xHH up to 0xFF, \uHHHH beyond (each half of a surrogate pair). */
const jsEscape = (c) => {
  const n = c.charCodeAt(0);
  return n < 0x100 ? '\\x' + n.toString(16).padStart(2, '0') : '\\u' + n.toString(16).padStart(4, '0');
};

/** `s` escaped for a string literal in `quote`, non-ASCII as escapes (as the minifier writes the bundle). */
const literal = (s, quote) =>
  s.replace(/[\\'"\u0000-\u001f\u007f-\uffff]/g, (c) => (c == '\\' ? '\\\\' : c == quote ? '\\' + c : c == '"' || c == "'" ? c : jsEscape(c)));

/** The ASCII escapes of the minifier (terser's, with ascii_only) for what is not printable ASCII. */
const MINIFIER_ESCAPES = { '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\u2028': '\\u2028', '\u2029': '\\u2029', '\ufeff': '\\ufeff' };

/**
 * `s` in a string literal of the minified bundle, as terser writes it there (a NUL is `\0`, or `\x00` before a
 * digit; the other control characters it names by letter), in `quote`.
 */
const minifiedLiteral = (s, quote) =>
  s.replace(/[\\\b\f\n\r\v\t\u2028\u2029\ufeff'"\0]/g, (c, i) =>
    c == '\0' ? (/[0-9]/.test(s[i + 1] || '') ? '\\x00' : '\\0') : c == quote ? '\\' + c : c == '"' || c == "'" ? c : MINIFIER_ESCAPES[c]
  ).replace(/[\u0000-\u001f\u007f-\uffff]/g, jsEscape);

/**
 * Every form a secret can take in what the board prints: as it is; inside a string literal of the bundle
 * (either quote, non-ASCII escaped, hex in either case, or as the minifier escapes it); as JSON; and each of
 * those once more inside the double-quoted literal that the upload writes the bundle to Storage with.
 */
export function secretForms(s) {
  const inCode = [s, JSON.stringify(s).slice(1, -1), literal(s, '"'), literal(s, "'"), minifiedLiteral(s, '"'), minifiedLiteral(s, "'")];
  for (const f of [...inCode]) inCode.push(f.replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4})/g, (e) => e.toUpperCase().replace('\\X', '\\x').replace('\\U', '\\u')));
  const forms = [...inCode, ...inCode.map((f) => literal(f, '"'))];
  return [...new Set(forms)].filter((f) => f.length >= 3);
}

/**
 * A secret this long (a TLS key's forms are thousands of characters) is hidden also where a part of it shows: a
 * run of RUN characters of it anywhere, and while it goes on, what continues it. The upload writes the bundle to
 * Storage in pieces of 1 KB, which cut the key's literal anywhere.
 */
const LONG = 64, RUN = 32, SHORTEST_PART = 4;
const longCache = new WeakMap();

/** The long secrets: { runs, text } with every run of RUN characters of them as a set, and all of them as one text. */
function longOf(secrets) {
  if (!longCache.has(secrets)) {
    const long = secrets.filter((s) => s.length > LONG), runs = new Set();
    for (const s of long) for (let i = 0; i + RUN <= s.length; i++) runs.add(s.slice(i, i + RUN));
    longCache.set(secrets, { runs, text: long.join('\0') });
  }
  return longCache.get(secrets);
}

/** Replaces every secret in a complete text by ***, and every run of RUN characters of a long one. */
export function redactText(text, secrets) {
  for (const s of secrets) text = text.split(s).join('***');
  const { runs } = longOf(secrets);
  if (!runs.size) return text;
  let out = '', shown = 0, at = 0;
  while (at + RUN <= text.length)
    if (runs.has(text.slice(at, at + RUN))) {
      let end = at + RUN;
      while (end < text.length && runs.has(text.slice(end + 1 - RUN, end + 1))) end++;
      out += text.slice(shown, at) + '***';
      shown = at = end;
    } else at++;
  return out + text.slice(shown);
}

/** How many characters, fewer than RUN, at the start of `text` go on a long secret (0 if fewer than SHORTEST_PART). */
function continuation(text, secrets) {
  const long = longOf(secrets).text;
  let n = 0;
  while (n < RUN - 1 && n < text.length && long.includes(text.slice(0, n + 1))) n++;
  return n >= SHORTEST_PART || n == text.length ? n : 0;
}

/** The length of the longest end of `text`, fewer than RUN characters and at least SHORTEST_PART, that is part of a long secret. */
function longPartLength(text, secrets) {
  const long = longOf(secrets).text;
  // an end that is part of one ends with a shorter end that is
  if (!long || text.length < SHORTEST_PART || !long.includes(text.slice(-SHORTEST_PART))) return 0;
  let n = SHORTEST_PART;
  while (n < RUN - 1 && n < text.length && long.includes(text.slice(-(n + 1)))) n++;
  return n;
}

/**
 * The length of the longest end of `text` that is the beginning of some secret (looked for only where the end
 * starts with a secret's first character: a key's forms are thousands of characters long).
 */
function heldBackLength(text, secrets) {
  let keep = 0;
  for (const s of secrets)
    for (let at = Math.max(0, text.length - s.length + 1); at < text.length - keep; at++)
      if (text.charCodeAt(at) == s.charCodeAt(0) && s.startsWith(text.slice(at))) {
        keep = text.length - at;
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
  // pending: what waits to be shown; continuing: what was shown last ended in a secret that may go on
  let pending = '', continuing = false;
  return {
    write(chunk) {
      let text = pending + chunk.toString('latin1');
      const goesOn = continuing ? continuation(text, secrets) : 0;
      if (goesOn) text = '***' + text.slice(goesOn);
      text = redactText(text, secrets);
      const keep = Math.max(heldBackLength(text, secrets), longPartLength(text, secrets));
      pending = text.slice(text.length - keep);
      const ready = text.slice(0, text.length - keep);
      if (ready) {
        continuing = ready.endsWith('***');
        emit(ready);
      }
    },
    end() {
      if (pending) emit('***');
      pending = '';
    }
  };
}
