// Espruino's MQTT module reads the CONNACK's return code from the wrong place, and the upload sends it corrected.
//
// A CONNACK is four bytes (MQTT 3.1.1, section 3.2): 0x20, the remaining length 2, the session-present flags, the
// return code (0 accepted, 1 to 5 refused). The module's packet handler cuts the packet's body, those last two
// bytes, into `pData`, and then reads the return code as `0|pData.charCodeAt(3)`: past the body's end, NaN, which
// `0|` makes 0, "accepted". Every refusal became a connection (the broker then hangs up), and the module's own
// branch for a refusal, an 'error' `Connection refused, NOT_AUTHORIZED` naming the code, never ran. The upload sends
// the module reading `pData.charCodeAt(1)`, the return code, and nothing else changed: src/net/mqtt-adapter.ts lists
// this with everything else the firmware does to the module.
import * as acorn from 'acorn';

/** Where the body of a CONNACK holds its return code: after the session-present flags. */
export const RETURN_CODE_OFFSET = 1;

/**
 * `code` (the MQTT module's source) reading the CONNACK's return code where it is: its one read of it, `var
 * returnCode = 0|pData.charCodeAt(3)`, reads offset RETURN_CODE_OFFSET instead. Code that reads the body there
 * already, and code with no `returnCode` at all (a stand-in for the module, as the tests use), come back as they
 * are. A read of another form, or more than one, is refused, saying why: the module changed, and whether it still
 * needs this is for a person to judge. (A module that renamed it is left as it is: the tests that run the module
 * on Espruino, test/sim-mqtt.test.mjs and test/refused-login.test.mjs, then say whether a refusal still looks
 * like a connection.)
 */
export function withConnackFixed(code) {
  const reads = [];
  (function visit(node) {
    if (node.type == 'VariableDeclarator' && node.id.name == 'returnCode') reads.push(codeRead(node.init));
    for (const v of Object.values(node)) for (const kid of [].concat(v)) if (kid && typeof kid.type == 'string') visit(kid);
  })(acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' }));
  if (!reads.length) return code;
  if (reads.length != 1 || !reads[0])
    throw new Error(
      `the MQTT module no longer reads the CONNACK's return code as \`var returnCode = 0|pData.charCodeAt(3)\` (${reads.length == 1 ? 'it reads it another way' : `${reads.length} reads of returnCode`}): ` +
        'see whether it reads the right byte now, and change or drop scripts/firmware/mqtt-connack.mjs to suit'
    );
  const offset = reads[0];
  return offset.value == RETURN_CODE_OFFSET ? code : code.slice(0, offset.start) + RETURN_CODE_OFFSET + code.slice(offset.end);
}

/** The offset literal of `0|pData.charCodeAt(3)`, or of the same read at RETURN_CODE_OFFSET; null for anything else. */
function codeRead(init) {
  const call = init && init.type == 'BinaryExpression' && init.operator == '|' && init.left.type == 'Literal' && init.left.value === 0 && init.right;
  const ok = call && call.type == 'CallExpression' && call.callee.type == 'MemberExpression' && !call.callee.computed &&
    call.callee.object.type == 'Identifier' && call.callee.object.name == 'pData' && call.callee.property.name == 'charCodeAt' &&
    call.arguments.length == 1 && call.arguments[0].type == 'Literal' && [3, RETURN_CODE_OFFSET].includes(call.arguments[0].value);
  return ok ? call.arguments[0] : null;
}
