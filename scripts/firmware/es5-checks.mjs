// Checks of the ES5 the build makes, for what Espruino's parser and interpreter take differently from a browser's:
// a statement led by a string after a block, a label, a variable used before its `var` runs.
import * as acorn from 'acorn';
import { childNodes } from './syntax.mjs';

/** Checks that code parses as ECMAScript 5; throws with the position otherwise. */
export function assertES5(code, what = 'bundle') {
  let ast;
  try {
    ast = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script', locations: true });
  } catch (e) {
    throw new Error(`${what} is not ES5: ${e.message}`);
  }
  const at = stringLedStatement(ast, code);
  if (at) throw new Error(`${what} has a statement that starts with a string (${at.line}:${at.column}), which Espruino misreads after an if or try block: keep constants on the right of comparisons (terser's lhs_constants: false)`);
  const label = labelIn(ast);
  if (label) throw new Error(`${what} has a label (${label.line}:${label.column}), which Espruino's parser does not know`);
}

/** Where the first labelled statement under `node` is, or null. */
function labelIn(node) {
  if (node.type == 'LabeledStatement') return node.loc.start;
  for (const kid of childNodes(node)) {
    const found = labelIn(kid);
    if (found) return found;
  }
  return null;
}

/**
 * Where a statement that starts with a string literal follows an `if (…) {…}` or a `try` block, or null: Espruino
 * 2v29 evaluates such a statement wrongly (`if (a) {…} "up" == e && f()` never calls f). Terser writes `e == "up"`
 * that way round to gzip better unless told not to. One after a bare block is refused too, to be safe.
 */
function stringLedStatement(node, code) {
  if (!node || typeof node.type != 'string') return null;
  const list = node.type == 'SwitchCase' ? node.consequent : Array.isArray(node.body) ? node.body : null;
  const endsInBlock = (st) => st.type == 'TryStatement' || (st.type == 'IfStatement' && (st.alternate ? endsInBlock(st.alternate) : st.consequent.type == 'BlockStatement')) || st.type == 'BlockStatement';
  if (list)
    for (let i = 1; i < list.length; i++)
      if (list[i].type == 'ExpressionStatement' && /["']/.test(code[list[i].start]) && endsInBlock(list[i - 1])) return list[i].loc.start;
  for (const kid of childNodes(node)) {
    const found = stringLedStatement(kid, code);
    if (found) return found;
  }
  return null;
}

/**
 * Checks that each variable of `code` is declared before it is used, as a `let` would be: Espruino makes a
 * variable where its `var` statement runs, not at the start of its function, so a variable whose `var` did not run
 * is a global when assigned (and a ReferenceError when read). A module whose steps declare their variables apart,
 * each where it runs (src/journal/journal.ts), relies on it; the minifier keeps one `var` per name, wherever it
 * was first. Throws with the name and its position.
 */
export function assertDeclaredBeforeUse(code, what) {
  const fail = (node) => {
    throw new Error(`${what}: ${node.name} is used before its var statement runs (at ${node.start})`);
  };
  // names declared by `var` anywhere in a function (the function's own variables), and those declared so far
  const varsOf = (body) => {
    const names = new Set();
    (function collect(node) {
      if (!node || typeof node.type != 'string') return;
      if (node.type == 'VariableDeclarator') names.add(node.id.name);
      if (/Function/.test(node.type)) return;
      childNodes(node).forEach(collect);
    })(body);
    return names;
  };
  function visit(node, fn, scopes) {
    if (!node || typeof node.type != 'string') return;
    const declared = (name) => scopes.some((s) => s.has(name));
    if (/Function/.test(node.type)) {
      if (node.type == 'FunctionDeclaration') scopes[scopes.length - 1].add(node.id.name);
      const own = new Set([...node.params.map((p) => p.name), ...(node.id && node.type == 'FunctionExpression' ? [node.id.name] : [])]);
      return visit(node.body, { vars: varsOf(node.body) }, [own]);
    }
    switch (node.type) {
      case 'Identifier':
        if (fn.vars.has(node.name) && !declared(node.name)) fail(node);
        return;
      case 'VariableDeclarator':
        visit(node.init, fn, scopes);
        scopes[scopes.length - 1].add(node.id.name);
        return;
      case 'MemberExpression':
        visit(node.object, fn, scopes);
        if (node.computed) visit(node.property, fn, scopes);
        return;
      case 'Property':
        if (node.computed) visit(node.key, fn, scopes);
        return visit(node.value, fn, scopes);
      case 'CatchClause':
        return visit(node.body, fn, [...scopes, new Set([node.param.name])]);
      case 'LabeledStatement':
        return visit(node.body, fn, scopes);
      case 'BreakStatement':
      case 'ContinueStatement':
        return;
    }
    // what a block, a loop or a branch holds declares for itself, in order (a loop's head for what follows too)
    for (const [key, v] of Object.entries(node)) {
      const inner = /^(body|consequent|alternate|block|finalizer)$/.test(key) ? [...scopes, new Set()] : scopes;
      for (const c of [].concat(v)) if (c && typeof c.type == 'string') visit(c, fn, inner);
    }
  }
  const program = acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  visit(program, { vars: varsOf(program) }, [new Set()]);
}
