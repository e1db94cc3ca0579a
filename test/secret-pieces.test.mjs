// The build keeps each literal holding a password inside one of the pieces the upload writes .bootcde in
// (scripts/firmware/secret-pieces.mjs): a cut inside it would show both halves past the redaction.
import test from 'node:test';
import assert from 'node:assert/strict';
import { keepSecretsWhole, PIECE_BYTES } from '../scripts/firmware/secret-pieces.mjs';
import { parseES5, walkNodes } from '../scripts/firmware/syntax.mjs';

/** The string literals of `code` with where they start and end. */
const literals = (code) => {
  const found = [];
  walkNodes(parseES5(code), (node) => node.type == 'Literal' && typeof node.value == 'string' && found.push(node), { into: true });
  return found;
};
const pieceOf = (at, piece) => Math.floor(at / piece);

test('a literal holding a secret that a piece boundary would cut starts the next piece; the code means the same', () => {
  const code = 'var a="xxxxxxxxxx",w={ssid:"home",password:"pa\\"ss"},m={password:"hunter22"};f(w,m,"pa\\"ss!");';
  const piece = 16;
  const out = keepSecretsWhole(code, ['pa"ss', 'hunter22'], piece);
  assert.notEqual(out, code, 'the example cuts a secret');
  assert.deepEqual(literals(out).map((l) => l.value), literals(code).map((l) => l.value), 'the same literals in the same order');
  assert.equal(out.replace(/ +/g, ''), code.replace(/ +/g, ''), 'only spaces added');
  for (const l of literals(out).filter((l) => /pa"ss|hunter22/.test(l.value)))
    assert.equal(pieceOf(l.start, piece), pieceOf(l.end - 1, piece), `${JSON.stringify(l.value)} inside one piece of ${piece}`);
  // the literal holding no secret may still be cut: nothing is spent on it
  const cut = literals(code).filter((l) => pieceOf(l.start, piece) != pieceOf(l.end - 1, piece) && !/pa"ss|hunter22/.test(l.value));
  assert.ok(cut.length >= 1, 'the example also cuts a literal holding no secret');
});

test('code whose secrets sit inside a piece, or with no secrets, comes back as it was; a literal longer than a piece is left where it is', () => {
  const code = 'f("hunter22");';
  assert.equal(keepSecretsWhole(code, ['hunter22']), code);
  assert.equal(keepSecretsWhole(code, []), code);
  const long = 'var k="' + 'k'.repeat(40) + '";';
  assert.equal(keepSecretsWhole(long, ['k'.repeat(40)], 16), long);
  assert.equal(PIECE_BYTES, 1024, "espruino-cli's CHUNKSIZE");
});
