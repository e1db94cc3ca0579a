// Makes a module's functions one function. On Espruino every function a loaded module makes costs device RAM for
// as long as it is loaded (about 6 variables, one more per parameter): the journal, written as named steps, is loaded
// under the firmware's busiest moment, the drain of a backlog from flash. The source keeps its steps; the build makes
// each a branch of the exported function, chosen by a number in its second parameter:
//
//   function parse(line) { … }                     module.exports = function journal(host, work, arg) {
//   function walk(host, limit) { … parse(l) … }      if (work == 0) { …line is host… }
//   function journal(host, work) { … walk(host, 8) } else if (work == 1) { … journal(l, 0) … }
//   module.exports = journal;                        else { … journal(host, 1, 8) … }
//                                                  };
//
// A step's first parameter becomes the exported function's first, its others the parameters after the step's number;
// a call of a step becomes a call of the exported function with the step's number. The exported function's own
// second parameter (the journal's work, 'boot' or 'fill') is a string, never one of the numbers. Names a step
// declares are renamed where another function has them, so that each branch keeps variables of its own (Espruino
// makes a variable where its `var` runs, and the minifier keeps one `var` of a name).
//
// A step called from several places can also be shared at one call in the exported function, marked
// /*@__INLINE__*/ (the journal's walk: the batch's call of it, and the buffer's filling from flash, under the
// firmware's busiest moment, where a frame would cost the device about ten variables). Its body is written there,
// and a call of it elsewhere, a call of the exported function with its number, goes straight there: each statement
// before the way there is skipped for that number (a `var` is kept, its value made only when not skipped), each
// condition on the way lets the number through, a `catch` on the way passes its error on to the step's caller, and
// the step's `return`s return (each the step's last statement, or in its last loop: Espruino's parser has no labels
// to leave a block with). The step's second parameter is the exported function's third (the exported function takes
// two), set at that call for the exported function's own way there:
//
//   function journal(host, work) {                 module.exports = function journal(host, work, arg) {
//     if (!host.ready) return;                        if (work == 0) { … journal(host, 1, 8) … }
//     try {                                           else {
//       /*@__INLINE__*/ walk(host, 0);                 if (work != 1) if (!host.ready) return;
//     } catch (e) { host.off = 1; }                     try {
//   }                                                     { if (work != 1) arg = 0; { …arg… } if (work == 1) return; }
//   function batch(host) { … walk(host, 8) … }          } catch (e) { if (work == 1) throw e; host.off = 1; }
//   function walk(host, limit) { … }                  }
//                                                    };
import { parseES5, walkNodes, declaredNames, usedNames, freshName, applyEdits, assertFlat, isVariable, exitOf, returnsOf } from './syntax.mjs';

const MARK = /^\s*@__INLINE__\s*$/;

/**
 * `code`, a CommonJS module of function declarations and `module.exports = <one of them>;` (what the bundler makes of
 * a module whose default export is a function), as one function; `what` names it in errors. Anything else at its
 * top level is refused: each name kept there costs device RAM while the module is loaded.
 */
export function fuseSteps(code, what) {
  const comments = [];
  const program = parseES5(code, comments);
  const functions = [], exported = [];
  for (const node of program.body) {
    if (node.type == 'FunctionDeclaration') functions.push(node);
    else if (isExport(node)) exported.push(node);
    else if (!(node.type == 'ExpressionStatement' && node.directive)) throw new Error(`${what}: a ${node.type} at its top level (${code.slice(node.start, node.start + 40)}…): only functions, made one`);
  }
  if (exported.length != 1) throw new Error(`${what}: ${exported.length} module.exports = <function> at its top level, not one`);
  const entry = functions.find((f) => f.id.name == exported[0].expression.right.name);
  if (!entry) throw new Error(`${what}: module.exports is not one of its functions`);
  const steps = functions.filter((f) => f !== entry), codeOf = new Map(steps.map((f, i) => [f.id.name, i]));
  for (const f of functions) assertFlat(f, what);
  const arity = new Map(steps.map((f) => [f.id.name, f.params.length]));
  const shared = sharedSite(code, comments, entry, steps, what);
  // the exported function's parameters: its own two, then as many more as the steps take beyond their first
  const taken = new Set([...usedNames(program), ...functions.map((f) => f.id.name)]);
  const first = entry.params[0] ? entry.params[0].name : freshName('host', taken);
  const second = entry.params[1] ? entry.params[1].name : freshName('step', taken);
  const extraCount = Math.max(0, entry.params.length - 2, ...steps.map((f) => f.params.length - 1));
  const extra = Array.from({ length: extraCount }, (_, i) => (entry.params[i + 2] ? entry.params[i + 2].name : freshName('arg', taken)));
  const fusedParams = [first, second, ...extra];
  // names declared in more than one function, or a step's that are the exported function's parameters: renamed
  const seen = new Set(fusedParams);
  const branches = functions.map((f) => {
    const rename = new Map();
    const params = f === entry ? fusedParams.slice(0, f.params.length) : [first, ...extra].slice(0, f.params.length);
    f.params.forEach((p, i) => rename.set(p.name, params[i]));
    for (const name of declaredNames(f)) {
      if (rename.has(name)) continue;
      if (codeOf.has(name) || name == entry.id.name) throw new Error(`${what}: ${f.id.name} declares ${name}, the name of one of the module's functions`);
      rename.set(name, seen.has(name) ? freshName(name, taken) : name);
      seen.add(name);
    }
    return { f, rename };
  });
  // (the shared call is replaced whole: the edits inside it go)
  const inSite = (e) => shared && e.start >= shared.statement.start && e.end <= shared.statement.end && !(e.start == shared.statement.start && e.end == shared.statement.end);
  const textOf = (f, extra = []) => applyEdits(code, [...editsOf(f, branches.find((b) => b.f === f).rename, codeOf, entry, what, arity).filter((e) => f !== entry || !inSite(e)), ...extra], f.body.start, f.body.end);
  const entryRename = branches.find((b) => b.f === entry).rename;
  const entryEdits = shared ? sharedEdits(code, shared, { entry, second, extra, number: codeOf.get(shared.step.id.name), nameOf: (n) => entryRename.get(n) || n, body: (extraEdits) => textOf(shared.step, extraEdits) }, what) : [];
  // (the exported function's own second parameter is never a number: `==` will do)
  const body = branches.filter((b) => b.f !== entry && (!shared || b.f !== shared.step)).map((b) => `if (${second} == ${codeOf.get(b.f.id.name)}) ${textOf(b.f)}\n  else `).join('') + textOf(entry, entryEdits);
  return `module.exports = function ${entry.id.name}(${fusedParams.join(', ')}) {\n  ${body}\n};\n`;
}

const isExport = (node) =>
  node.type == 'ExpressionStatement' && node.expression.type == 'AssignmentExpression' && node.expression.operator == '=' &&
  node.expression.left.type == 'MemberExpression' && node.expression.left.object.name == 'module' && node.expression.left.property.name == 'exports' &&
  node.expression.right.type == 'Identifier';

/** The edits to `f`'s body: its names renamed, and each call of a step made a call of the exported function with the step's number. */
function editsOf(f, rename, codeOf, entry, what, arity) {
  const edits = [];
  walkNodes(f.body, (node, parent) => {
    if (node.type == 'CallExpression' && node.callee.type == 'Identifier' && codeOf.has(node.callee.name)) {
      const n = codeOf.get(node.callee.name), args = node.arguments;
      if (args.length > arity.get(node.callee.name)) throw new Error(`${what}: ${f.id.name} calls ${node.callee.name} with more arguments than it has parameters`);
      edits.push({ start: node.callee.start, end: node.callee.end, text: entry.id.name });
      // the step's number after its first argument
      if (args.length) edits.push({ start: args[0].end, end: args[0].end, text: `, ${n}` });
      else edits.push({ start: node.end - 1, end: node.end - 1, text: `0, ${n}` });
      return;
    }
    if (node.type != 'Identifier' || !isVariable(node, parent)) return;
    if (parent && parent.type == 'CallExpression' && parent.callee === node && codeOf.has(node.name)) return;
    if (codeOf.has(node.name)) throw new Error(`${what}: ${f.id.name} uses the function ${node.name} other than by calling it`);
    if (rename.has(node.name) && rename.get(node.name) !== node.name) edits.push({ start: node.start, end: node.end, text: rename.get(node.name) });
  });
  return edits;
}

/** The marked call in the exported function of a step called elsewhere too: { step, statement, call, path }, or null. */
function sharedSite(code, comments, entry, steps, what) {
  const marks = comments.filter((c) => c.type == 'Block' && MARK.test(c.value));
  const byName = new Map(steps.map((f) => [f.id.name, f]));
  let site = null;
  (function visit(node, path) {
    const call = node.type == 'ExpressionStatement' && node.expression.type == 'CallExpression' ? node.expression : null;
    if (call && call.callee.type == 'Identifier' && byName.has(call.callee.name) && marks.some((m) => m.end <= call.start && /^\s*$/.test(code.slice(m.end, call.start)))) {
      if (site) throw new Error(`${what}: more than one step shared in ${entry.id.name}`);
      site = { step: byName.get(call.callee.name), statement: node, call, path: [...path, node] };
    }
    for (const [key, value] of Object.entries(node))
      for (const kid of [].concat(value)) if (kid && typeof kid.type == 'string' && !/Function/.test(kid.type)) visit(kid, [...path, node]);
  })(entry.body, []);
  if (!site) return null;
  const { step, call } = site;
  if (entry.params.length > 2) throw new Error(`${what}: ${entry.id.name} shares ${step.id.name} but takes more than two parameters`);
  if (step.params.length > 2 || call.arguments.length > 2) throw new Error(`${what}: ${step.id.name} is shared with more than two parameters`);
  if (!call.arguments[0] || call.arguments[0].type != 'Identifier' || call.arguments[0].name != entry.params[0].name)
    throw new Error(`${what}: ${step.id.name} is shared with ${entry.id.name}'s own first parameter as its first argument`);
  return site;
}

/**
 * The edits to the exported function that share `site`'s step at its call: the way there for the step's number
 * (`number`), and the step's body (`body(edits)`, its text with those further edits) in place of the call.
 */
function sharedEdits(code, site, { entry, second, extra, number, nameOf, body }, what) {
  const { step, statement, call, path } = site;
  const edits = [], is = `${second} == ${number}`, isNot = `${second} != ${number}`;
  const guard = (statements) => {
    for (const st of statements) {
      if (st.type == 'VariableDeclaration') {
        // kept, so that each `var` runs; its values made only on the exported function's own way
        for (const d of st.declarations.filter((d) => d.init)) edits.push({ start: d.init.start, end: d.init.start, text: `${isNot} ? (` }, { start: d.init.end, end: d.init.end, text: ') : void 0' });
      } else edits.push({ start: st.start, end: st.start, text: `if (${isNot}) ` });
    }
  };
  for (let i = 0; i < path.length - 1; i++) {
    const node = path[i], kid = path[i + 1];
    if (node.type == 'BlockStatement') guard(node.body.slice(0, node.body.indexOf(kid)));
    else if (node.type == 'IfStatement') {
      const test = node.test;
      edits.push({ start: test.start, end: test.start, text: kid === node.consequent ? `${is} || (` : `${isNot} && (` }, { start: test.end, end: test.end, text: ')' });
    } else if (node.type == 'WhileStatement') edits.push({ start: node.test.start, end: node.test.start, text: `${is} || (` }, { start: node.test.end, end: node.test.end, text: ')' });
    else if (node.type == 'ForStatement') {
      if (node.init) throw new Error(`${what}: ${step.id.name} is shared inside a for loop that starts with something`);
      if (node.test) edits.push({ start: node.test.start, end: node.test.start, text: `${is} || (` }, { start: node.test.end, end: node.test.end, text: ')' });
    } else if (node.type == 'TryStatement') {
      if (kid !== node.block || node.finalizer) throw new Error(`${what}: ${step.id.name} is shared inside a try with a finally, or a catch`);
      // an error of the step's own call is its caller's
      edits.push({ start: node.handler.body.start + 1, end: node.handler.body.start + 1, text: ` if (${is}) throw ${nameOf(node.handler.param.name)};` });
    } else if (!/^(DoWhileStatement|LabeledStatement)$/.test(node.type)) throw new Error(`${what}: ${step.id.name} is shared inside a ${node.type}`);
  }
  // the call: the step's second argument set as the third parameter, then its body, whose returns return for the
  // step's own number and otherwise leave it (last, or from its last loop: Espruino has no labels)
  const around = returnsOf(step).flatMap(({ node, path }) => {
    const exit = exitOf(step, path);
    if (!exit) throw new Error(`${what}: ${step.id.name} is shared but returns where the rest of it would run on (return last, or from a loop that is last)`);
    return [
      { start: node.start, end: node.start, text: `{ if (${is}) ` },
      { start: node.end, end: node.end, text: exit == 'break' ? ' break; }' : ' }' }
    ];
  });
  const second$ = call.arguments[1] ? code.slice(call.arguments[1].start, call.arguments[1].end) : 'void 0';
  if (step.params.length > 1 && !extra.length) throw new Error(`${what}: no parameter for ${step.id.name}'s second`);
  const set = step.params.length > 1 ? `if (${isNot}) ${extra[0]} = ${second$}; ` : '';
  edits.push({ start: statement.start, end: statement.end, text: `{ ${set}${body(around)} if (${is}) return; }` });
  return edits;
}
