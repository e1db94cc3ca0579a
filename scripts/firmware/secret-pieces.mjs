// The upload writes the firmware to Storage in pieces, and no piece ends inside a password.
//
// espruino-cli saves the boot code with one `require("Storage").write(".bootcde", "…", offset)` per 1024 bytes of
// it (CHUNKSIZE in its plugins/saveOnSend.js), cut wherever the 1024th byte falls. A password's literal cut in two
// reaches the board, and its echo on the screen, as two halves in two calls, with the call's own text between them:
// neither half is the password, so the redaction of flash's output (scripts/cli/redact-stream.mjs) cannot know it. The
// build moves each literal holding a secret to the start of the next piece when it would straddle a cut, with spaces
// before it (between two tokens, where the lexer skips them: flash grows by those bytes, RAM not at all).
import { parseES5, walkNodes, applyEdits } from './syntax.mjs';

/** The size of espruino-cli's pieces of a Storage file (CHUNKSIZE in plugins/saveOnSend.js). */
export const PIECE_BYTES = 1024;

/**
 * `code` with every string literal that holds one of `secrets` inside one piece of PIECE_BYTES. A literal longer
 * than a piece cannot be, and is left where it is (the redaction hides a long secret by its parts).
 */
export function keepSecretsWhole(code, secrets, piece = PIECE_BYTES) {
  const wanted = secrets.filter((s) => typeof s == 'string' && s.length);
  if (!wanted.length) return code;
  const literals = [];
  walkNodes(parseES5(code), (node) => {
    if (node.type == 'Literal' && typeof node.value == 'string' && wanted.some((s) => node.value.includes(s))) literals.push(node);
  }, { into: true });
  literals.sort((a, b) => a.start - b.start);
  // each literal's place once the spaces before it are in: `added` so far
  const edits = [];
  let added = 0;
  for (const { start, end } of literals) {
    const at = start + added, length = end - start;
    if (Math.floor(at / piece) == Math.floor((at + length - 1) / piece) || length > piece) continue;
    edits.push({ start, end: start, text: ' '.repeat(piece - (at % piece)) });
    added += piece - (at % piece);
  }
  return applyEdits(code, edits);
}
