// What the firmware's transforms share: ES5 parsed with acorn, the names a function declares and uses, and text
// edits by position.
import * as acorn from 'acorn';

/** `code` parsed as an ES5 script; comments are collected in `comments` when given. */
export const parseES5 = (code, comments) => acorn.parse(code, { ecmaVersion: 5, sourceType: 'script', onComment: comments });

/** The syntax nodes directly under an acorn node. */
export const childNodes = (node) => Object.values(node).flatMap((v) => [].concat(v)).filter((c) => c && typeof c.type == 'string');

const isFunction = (node) => /Function/.test(node.type);

/**
 * Whether the Identifier `node` under `parent` names a variable (not a property's name, a label, or an object
 * literal's key).
 */
export function isVariable(node, parent) {
  if (!parent) return true;
  if (parent.type == 'MemberExpression' && parent.property === node && !parent.computed) return false;
  if (parent.type == 'Property' && parent.key === node) return false;
  if (/^(LabeledStatement|BreakStatement|ContinueStatement)$/.test(parent.type)) return false;
  return true;
}

/**
 * Visits every node under `node` with its parent, `fn(node, parent)`; does not go into functions nested inside it
 * (`into` false) unless told.
 */
export function walkNodes(node, fn, { into = false, parent = null } = {}) {
  fn(node, parent);
  for (const kid of childNodes(node)) if (into || !isFunction(kid)) walkNodes(kid, fn, { into, parent: node });
}

/**
 * The function `fn`'s own names: its parameters, its `var`s and its catch clauses' parameters (a catch's is its
 * block's alone, but named apart it is simplest to treat as the function's). Functions nested in it are refused by
 * the callers, which need a flat scope.
 */
export function declaredNames(fn) {
  const names = new Set(fn.params.map((p) => p.name));
  walkNodes(fn.body, (node) => {
    if (node.type == 'VariableDeclarator') names.add(node.id.name);
    if (node.type == 'CatchClause') names.add(node.param.name);
  });
  return names;
}

/** Every name used as a variable anywhere in `node` (functions nested in it included). */
export function usedNames(node) {
  const names = new Set();
  walkNodes(node, (n, parent) => n.type == 'Identifier' && isVariable(n, parent) && names.add(n.name), { into: true });
  return names;
}

/** A name like `base` that is not in `taken`, added to it. */
export function freshName(base, taken) {
  let name = base;
  for (let n = 1; taken.has(name); n++) name = `${base}$${n}`;
  taken.add(name);
  return name;
}

/**
 * `code` from `start` to `end` with the edits ({ start, end, text }) inside that range applied; an edit with
 * start == end inserts.
 */
export function applyEdits(code, edits, start = 0, end = code.length) {
  let out = '', at = start;
  for (const e of edits.filter((e) => e.start >= start && e.end <= end).sort((a, b) => a.start - b.start || a.end - b.end)) {
    if (e.start < at) throw new Error(`overlapping edits at ${e.start}`);
    out += code.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + code.slice(at, end);
}

/** Throws `${what}: ${message}` unless `fn` (a function node) has a flat scope: no function inside, no `this`, no `arguments`. */
export function assertFlat(fn, what) {
  walkNodes(fn.body, (node, parent) => {
    if (isFunction(node)) throw new Error(`${what}: ${fn.id.name} has a function inside it`);
    if (node.type == 'ThisExpression') throw new Error(`${what}: ${fn.id.name} uses this`);
    if (node.type == 'Identifier' && node.name == 'arguments' && isVariable(node, parent)) throw new Error(`${what}: ${fn.id.name} uses arguments`);
  }, { into: true });
}

/**
 * How a `return` inside `fn`'s body can end the body once that body is written in place of a call, without a label
 * (Espruino's parser has none): 'last' when nothing would run after it anyway, 'break' when one `break` leaves the
 * loop it is in and nothing runs after that loop; else null. `path` is the return's ancestors from the body down.
 */
export function exitOf(fn, path) {
  const isLoop = (n) => /^(WhileStatement|DoWhileStatement|ForStatement)$/.test(n.type);
  // inside the loop it is in, a `break` leaves from anywhere but a switch; from that loop (or the return, when it is
  // in none) up to the body, nothing may follow
  let i = path.length - 2;
  while (i >= 0 && !isLoop(path[i])) i--;
  const loop = i >= 0;
  if (loop && path.slice(i + 1).some((n) => n.type == 'SwitchStatement')) return null;
  for (let k = (loop ? i : path.length - 1) - 1; k >= 0; k--) {
    const node = path[k], kid = path[k + 1];
    if (node.type == 'BlockStatement') {
      if (node.body[node.body.length - 1] !== kid) return null;
    } else if (node.type != 'IfStatement' && !(node.type == 'TryStatement' && kid === node.block)) return null;
  }
  return loop ? 'break' : 'last';
}

/** Each `return` of `fn` with its ancestors from `fn`'s body down: [{ node, path }]. */
export function returnsOf(fn) {
  const out = [];
  (function visit(node, path) {
    if (node.type == 'ReturnStatement') out.push({ node, path: [...path, node] });
    for (const kid of childNodes(node)) if (!/Function/.test(kid.type)) visit(kid, [...path, node]);
  })(fn.body, []);
  return out;
}
