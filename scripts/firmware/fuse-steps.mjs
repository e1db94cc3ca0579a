// Makes a module's functions one function. On Espruino every function a loaded module makes costs device RAM for
// as long as it is loaded (about 4 variables, one per parameter, one for the name holding it): the journal, written
// as named steps, is loaded under the firmware's busiest moment, the drain of a backlog from flash. The source keeps
// its steps; the build makes each a branch of the exported function, chosen by a number in its second parameter:
//
//   function parse(line) { … }                     function journal(host, work, arg) {
//   function walk(host, limit) { … parse(l) … }      if (work === 0) { …line → host… }
//   function journal(host, work) { … walk(host, 0) } else if (work === 1) { … journal(l, 0) … }
//   module.exports = journal;                        else { … journal(host, 1, 0) … }
//                                                  }
//                                                  module.exports = journal;
//
// A step's first parameter becomes the exported function's first, its others the parameters after the step's number;
// a call of a step becomes a call of the exported function with the step's number. The exported function's own
// second parameter (the journal's work, 'boot' or 'fill') is a string, never one of the numbers. Names a step
// declares are renamed where another function has them, so that each branch keeps variables of its own (Espruino
// makes a variable where its `var` runs, and the minifier keeps one `var` of a name).
import { parseES5, walkNodes, declaredNames, usedNames, freshName, applyEdits, assertFlat, isVariable } from './syntax.mjs';

/**
 * `code`, a CommonJS module of function declarations and `module.exports = <one of them>;` (what the bundler makes of
 * a module whose default export is a function), as one function; `what` names it in errors. Anything else at its
 * top level is refused: each name kept there costs device RAM while the module is loaded.
 */
export function fuseSteps(code, what) {
  const program = parseES5(code);
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
    return { f, body: applyEdits(code, editsOf(f, rename, codeOf, entry, what), f.body.start, f.body.end) };
  });
  const body = branches.filter((b) => b.f !== entry).map((b) => `if (${second} === ${codeOf.get(b.f.id.name)}) ${b.body}\n  else `).join('') + branches.find((b) => b.f === entry).body;
  return `function ${entry.id.name}(${fusedParams.join(', ')}) {\n  ${body}\n}\nmodule.exports = ${entry.id.name};\n`;
}

const isExport = (node) =>
  node.type == 'ExpressionStatement' && node.expression.type == 'AssignmentExpression' && node.expression.operator == '=' &&
  node.expression.left.type == 'MemberExpression' && node.expression.left.object.name == 'module' && node.expression.left.property.name == 'exports' &&
  node.expression.right.type == 'Identifier';

/** The edits to `f`'s body: its names renamed, and each call of a step made a call of the exported function with the step's number. */
function editsOf(f, rename, codeOf, entry, what) {
  const edits = [];
  walkNodes(f.body, (node, parent) => {
    if (node.type == 'CallExpression' && node.callee.type == 'Identifier' && codeOf.has(node.callee.name)) {
      const n = codeOf.get(node.callee.name), args = node.arguments;
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
