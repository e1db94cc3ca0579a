// Puts a step in place of its call. On Espruino a call makes a frame (about 9 variables, one more per variable the
// step declares) for as long as it runs: a step called under the firmware's busiest moment (the journal's marks,
// written while a backlog drains) costs that frame there. The source names the step and marks its one call
// /*@__INLINE__*/; the build writes the step's body there instead:
//
//   function journal(host) {                      function journal(host) {
//     var done = /*@__INLINE__*/ settle(host);      { var done; {
//     …                                               var left = host.queued;
//   }                                                 if (left) { done = left < 2; }
//   function settle(host) {                           else { done = true; }
//     var left = host.queued;                       } }
//     if (left) return left < 2;                    …
//     else return true;                           }
//   }
//
// Its parameters become the arguments themselves where those are names or literals it never assigns, else
// variables; its variables are renamed where the caller has the same names; each `return` sets the caller's
// variable. Espruino's parser has no labels to break out of a block with, so a `return` must leave nothing of the
// step to run after it but what one `break` leaves: it is the step's last statement, or in its last loop. The
// step's variables are then the caller's, made as the body runs (Espruino makes a variable where its `var` runs) and
// kept until the caller returns: a step is marked only where that costs less than a frame. A step whose body is
// `return <expression>` becomes that expression, wherever its call is.
import { parseES5, walkNodes, declaredNames, usedNames, freshName, applyEdits, assertFlat, isVariable, exitOf, returnsOf } from './syntax.mjs';

const MARK = /^\s*@__INLINE__\s*$/;

/** `code` (ES5: top-level function declarations and what uses them) with each marked call of a step put in place; `what` names it in errors. */
export function inlineSteps(code, what) {
  // one at a time: a step put in place may hold a marked call of another
  for (let n = 0; ; n++) {
    const next = inlineOne(code, what);
    if (next === null) return code;
    if (n > 100) throw new Error(`${what}: steps put in place without end`);
    code = next;
  }
}

/** `code` with its first marked call of a step put in place, or null when there is none. */
function inlineOne(code, what) {
  const comments = [];
  const program = parseES5(code, comments);
  const marks = comments.filter((c) => c.type == 'Block' && MARK.test(c.value));
  const steps = new Map(program.body.filter((n) => n.type == 'FunctionDeclaration').map((f) => [f.id.name, f]));
  const uses = new Map();
  walkNodes(program, (node, parent) => node.type == 'Identifier' && steps.has(node.name) && isVariable(node, parent) && parent.type != 'FunctionDeclaration' && uses.set(node.name, (uses.get(node.name) || 0) + 1), { into: true });
  const exported = exportedFunction(program, steps);
  for (const caller of steps.values()) {
    const found = [];
    walkNodes(caller.body, (node) => {
      const mark = node.type == 'CallExpression' && markOf(node, code, marks);
      if (!mark) return;
      const step = node.callee.type == 'Identifier' && steps.get(node.callee.name);
      if (!step) throw new Error(`${what}: a call marked @__INLINE__ in ${caller.id.name} is not of one of the module's functions`);
      // a step called elsewhere too is shared at its marked call by fuseSteps, which the exported function alone may do
      if (uses.get(step.id.name) == 1) found.push({ call: node, step, mark });
      else if (caller !== exported) throw new Error(`${what}: ${step.id.name} is marked @__INLINE__ in ${caller.id.name} but called in more than one place (only the exported function may share a step)`);
    });
    if (!found.length) continue;
    const { call, step, mark } = found[0];
    if (step === caller) throw new Error(`${what}: ${step.id.name} calls itself`);
    assertFlat(step, what);
    let replaced;
    if (isExpressionStep(step)) replaced = { start: call.start, end: call.end, text: expressionText(code, call, step, what) };
    else {
      let statement = null;
      walkNodes(caller.body, (node) => callOf(node) === call && (statement = node));
      if (!statement) throw new Error(`${what}: ${step.id.name} is put in place of a statement (f(…);, x = f(…); or var x = f(…);), not of a call inside an expression`);
      replaced = { start: statement.start, end: statement.end, text: inlinedText(code, caller, statement, call, step, what) };
    }
    const edits = [replaced, { start: step.start, end: step.end, text: '' }];
    // the mark goes too, where it stood before what was replaced
    if (mark.end <= replaced.start) edits.push({ start: mark.start, end: mark.end, text: '' });
    return applyEdits(code, edits);
  }
  return null;
}

/**
 * The expression of `step` (one `return <expression>`) in place of `call`: each parameter the argument itself, which
 * must be a name or a literal (an expression has no room for a variable).
 */
function expressionText(code, call, step, what) {
  const rename = new Map();
  step.params.forEach((p, i) => {
    const arg = call.arguments[i];
    if (arg && arg.type != 'Identifier' && arg.type != 'Literal') throw new Error(`${what}: ${step.id.name} is put in place with a name or a literal for each argument`);
    rename.set(p.name, arg ? code.slice(arg.start, arg.end) : '(void 0)');
  });
  if (call.arguments.length > step.params.length) throw new Error(`${what}: ${step.id.name} is called with more arguments than it has parameters`);
  const value = step.body.body[0].argument, edits = [];
  walkNodes(value, (n, parent) => n.type == 'Identifier' && isVariable(n, parent) && rename.has(n.name) && edits.push({ start: n.start, end: n.end, text: rename.get(n.name) }));
  return `(${applyEdits(code, edits, value.start, value.end)})`;
}

/** The function `module.exports` is, or null. */
function exportedFunction(program, steps) {
  for (const n of program.body)
    if (n.type == 'ExpressionStatement' && n.expression.type == 'AssignmentExpression' && n.expression.left.type == 'MemberExpression' && n.expression.left.object.name == 'module' && n.expression.right.type == 'Identifier')
      return steps.get(n.expression.right.name) || null;
  return null;
}

/** A function whose body is one `return <expression>`. */
const isExpressionStep = (f) => f.body.body.length == 1 && f.body.body[0].type == 'ReturnStatement' && f.body.body[0].argument;

/** The /*@__INLINE__*\/ mark that stands right before `call` (whitespace between), or null. */
function markOf(call, code, marks) {
  return marks.find((m) => m.end <= call.start && /^\s*$/.test(code.slice(m.end, call.start))) || null;
}

/** The call a statement makes, in one of the forms a step is put in place of: `f(…);`, `x = f(…);`, `var x = f(…);`; else null. */
function callOf(node) {
  if (node.type == 'ExpressionStatement') {
    const e = node.expression;
    if (e.type == 'CallExpression') return e;
    if (e.type == 'AssignmentExpression' && e.operator == '=' && e.left.type == 'Identifier' && e.right.type == 'CallExpression') return e.right;
  }
  if (node.type == 'VariableDeclaration' && node.declarations.length == 1 && node.declarations[0].init && node.declarations[0].init.type == 'CallExpression') return node.declarations[0].init;
  return null;
}

/** The statements that replace `statement` (which makes `call` of `step`) in `caller`. */
function inlinedText(code, caller, statement, call, step, what) {
  if (call.arguments.length > step.params.length) throw new Error(`${what}: ${step.id.name} is called with more arguments than it has parameters`);
  const callerNames = new Set([...usedNames(caller), ...declaredNames(caller)]);
  const taken = new Set([...callerNames, ...usedNames(step)]);
  const assigned = assignedNames(step), own = declaredNames(step);
  // a name the step uses without declaring it (a global) must mean the same in the caller
  for (const name of usedNames(step)) if (!own.has(name) && declaredNames(caller).has(name)) throw new Error(`${what}: ${step.id.name} uses ${name}, which ${caller.id.name} declares as its own`);
  // where the step's result goes: a variable of the caller, or nowhere
  const result = statement.type == 'VariableDeclaration' ? statement.declarations[0].id.name : statement.expression.type == 'AssignmentExpression' ? statement.expression.left.name : null;
  // each parameter: the argument itself (a name or a literal, for a parameter never assigned), else a variable
  const rename = new Map(), bindings = [];
  step.params.forEach((p, i) => {
    const arg = call.arguments[i], text = arg ? code.slice(arg.start, arg.end) : '(void 0)';
    if ((!arg || arg.type == 'Literal' || arg.type == 'Identifier') && !assigned.has(p.name)) return rename.set(p.name, text);
    const name = callerNames.has(p.name) ? freshName(p.name, taken) : p.name;
    rename.set(p.name, name);
    bindings.push(`${name} = ${text}`);
  });
  for (const name of own) if (!rename.has(name)) rename.set(name, callerNames.has(name) ? freshName(name, taken) : name);
  const renamed = (node) => {
    const edits = [];
    walkNodes(node, (n, parent) => n.type == 'Identifier' && isVariable(n, parent) && rename.has(n.name) && edits.push({ start: n.start, end: n.end, text: rename.get(n.name) }));
    return applyEdits(code, edits, node.start, node.end);
  };
  // each return sets the caller's variable and leaves the step: nothing runs after it, or one `break` leaves the loop
  // it is in (Espruino has no labels to break out of a block)
  const returns = returnsOf(step).map(({ node, path }) => {
    const exit = exitOf(step, path);
    if (!exit) throw new Error(`${what}: ${step.id.name} returns where the rest of it would run on once put in place (return last, or from a loop that is last)`);
    return { node, exit };
  });
  const edits = returns.map(({ node, exit }) => {
    const value = node.argument ? renamed(node.argument) : null;
    const set = result ? `${result} = ${value === null ? 'void 0' : value};` : value === null ? '' : `${value};`;
    return { start: node.start, end: node.end, text: `{ ${set}${exit == 'break' ? ' break;' : ''} }` };
  });
  walkNodes(step.body, (n, parent) => {
    if (n.type == 'Identifier' && isVariable(n, parent) && rename.has(n.name) && !returns.some((r) => r.node.start <= n.start && n.end <= r.node.end))
      edits.push({ start: n.start, end: n.end, text: rename.get(n.name) });
  });
  const body = applyEdits(code, edits, step.body.start + 1, step.body.end - 1);
  const block = `{ ${bindings.length ? `var ${bindings.join(', ')};` : ''}${body} }`;
  return statement.type == 'VariableDeclaration' ? `{ var ${result}; ${block} }` : block;
}

/** The names `fn` assigns anywhere (`=`, `+=` …, `++`, `--`). */
function assignedNames(fn) {
  const names = new Set();
  walkNodes(fn.body, (node) => {
    const target = node.type == 'AssignmentExpression' ? node.left : node.type == 'UpdateExpression' ? node.argument : null;
    if (target && target.type == 'Identifier') names.add(target.name);
    if (node.type == 'VariableDeclarator' && node.init) names.add(node.id.name);
  });
  return names;
}
