// Where a JSON text goes wrong, said without printing a password. JSON.parse's own message quotes the text around
// the mistake, which in a config is often a password (`"password":Sup3rS3cret` unquoted); this scanner finds the
// same place itself and shows that line with every secret-looking value as ***.

/** Keys whose values are never shown. */
const SECRET_KEY = /pass|pwd|secret|token|psk|key/i;
const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WIDTH = 70; // longest stretch of a line shown

class Mistake {
  constructor(at, what) {
    this.at = at;
    this.what = what;
  }
}

/**
 * Scans `text` as JSON. Returns null when it is valid, else { at, what, secrets }: the offset of the first
 * mistake, what is wrong there, and the [start, end) spans of secret values (the values of secret-looking keys,
 * or every value with `allSecret`); a secret value the mistake is in runs to the end of its line.
 */
export function findJsonMistake(text, { allSecret = false } = {}) {
  let i = 0;
  const secrets = [];
  const ws = () => {
    while (' \t\n\r'.includes(text[i]) && i < text.length) i++;
  };
  const fail = (what, at = i) => {
    throw new Mistake(at, what);
  };
  const string = (secret) => {
    const start = i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) fail('a string is not closed: a " is missing', start);
      if (c == '"') return void i++;
      if (c == '\n' || c == '\r') fail('a line break inside a string: a closing " is missing');
      if (c < ' ') fail('a control character (such as a tab) inside a string: write it as \\t or \\n');
      if (c == '\\') {
        const e = text[i + 1];
        if (e == 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(`a backslash that starts no escape${secret ? '' : ` (\\${e || ''})`}: write \\\\ for a backslash`);
      } else i++;
    }
  };
  const value = (secret) => {
    const c = text[i];
    if (c == '{' || c == '[') return container(c, secret);
    if (c == '"') return string(secret);
    NUMBER.lastIndex = i;
    if ((c == '-' || (c >= '0' && c <= '9')) && NUMBER.exec(text)) return void (i = NUMBER.lastIndex);
    for (const word of ['true', 'false', 'null']) if (text.startsWith(word, i)) return void (i += word.length);
    if (c === undefined) fail('the text ends too early: a value or a closing } or ] is missing');
    if (c == "'") fail('strings need "double quotes", not single ones');
    fail(/[\w$!#%&*+.\-/:=?@^~]/.test(c) ? 'expected a value: text needs "double quotes" around it' : `expected a value${secret ? '' : `, found ${JSON.stringify(c)}`}`);
  };
  const container = (open, secret) => {
    const close = open == '{' ? '}' : ']';
    i++;
    ws();
    if (text[i] == close) return void i++;
    for (;;) {
      let inner = secret || allSecret;
      if (open == '{') {
        if (text[i] != '"') fail(text[i] === undefined ? `the text ends too early: a } is missing` : 'expected a "quoted" key');
        const keyStart = i;
        string(false);
        const key = JSON.parse(text.slice(keyStart, i));
        ws();
        if (text[i] != ':') fail(`expected : after the key ${JSON.stringify(key)}`);
        i++;
        ws();
        inner = inner || (SECRET_KEY.test(key) && key != 'secrets');
      }
      // a secret leaf value is hidden to the end of its line until it is known to be whole and well followed
      const span = inner && text[i] != '{' && text[i] != '[' ? [i, Infinity] : null;
      if (span) secrets.push(span);
      value(inner);
      const end = i;
      ws();
      if (text[i] == close) return void (i++, span && (span[1] = end));
      // a whole string ends where it ends; what follows a bare word or number may still be the password
      if (span && text[span[0]] == '"') span[1] = end;
      if (text[i] != ',') fail(text[i] === undefined ? `the text ends too early: a ${close} is missing` : `expected , or ${close}: a comma is missing?`);
      if (span) span[1] = end;
      i++;
      ws();
      if (text[i] == close) fail(`a comma before ${close}: JSON allows none after the last item`, i);
    }
  };
  try {
    ws();
    value(allSecret);
    ws();
    if (i < text.length) fail('more text after the end of the JSON: an extra } or ]?');
    return null;
  } catch (e) {
    if (!(e instanceof Mistake)) throw e;
    // a secret value the mistake is in hides the rest of its line, and the mistake is shown where it starts
    for (const s of secrets) if (s[1] == Infinity) e.at = Math.min(e.at, s[0]);
    return { at: e.at, what: e.what, secrets };
  }
}

/**
 * The message for invalid JSON: line, column, what is wrong, then the line with secrets as *** and a caret
 * under the place. Null when the text is valid.
 */
export function describeJsonMistake(text, opts) {
  const m = findJsonMistake(text, opts);
  if (!m) return null;
  const lineStart = text.lastIndexOf('\n', m.at - 1) + 1;
  let lineEnd = text.indexOf('\n', m.at);
  if (lineEnd < 0) lineEnd = text.length;
  const line = text.slice(0, lineStart).split('\n').length;
  // the line as shown: secrets become ***, and the caret's place moves with them
  let shown = '', caret = 0;
  for (let k = lineStart; k < lineEnd; ) {
    if (k == m.at) caret = shown.length;
    const s = m.secrets.find(([a, b]) => a <= k && k < Math.min(b, lineEnd) && (a >= lineStart || k == lineStart));
    if (s) {
      if (m.at > k && m.at < s[1]) caret = shown.length;
      shown += '***';
      k = Math.min(s[1], lineEnd);
    } else shown += text[k++] == '\t' ? ' ' : text[k - 1].replace('\r', '');
  }
  if (m.at >= lineEnd) caret = shown.length;
  const from = Math.max(0, Math.min(caret - WIDTH / 2, shown.length - WIDTH));
  const cut = (from > 0 ? '…' : '') + shown.slice(from, from + WIDTH) + (from + WIDTH < shown.length ? '…' : '');
  const pad = ' '.repeat(caret - from + (from > 0 ? 1 : 0));
  return `not valid JSON at line ${line}, column ${m.at - lineStart + 1}: ${m.what}\n    ${cut}\n    ${pad}^`;
}
