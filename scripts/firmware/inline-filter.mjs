// One filter of the fused stage (scripts/firmware/stage.mjs), made from its operator (read by filter-source.mjs): the
// operator's own step and tick, inlined into the stage's go(x, at), with its arguments written in as values, its
// state in globals of its own, and the operator's calls turned into the stage's:
//
//   this.next(e)             the last thing a path does: x = e, and go on to the next filter; before that:
//                            go(e, j + 0.5), the filters after this one (a path that passes nothing on returns)
//   this.complete()          the stage's completion
//   this._restart(s, tick)   the filter's timer restarted, calling go back for the tick
//
// Names the filter gives are prefixed `f<j>_` (its state, its step's and tick's variables, which become go's);
// state that the step and tick never assign, and whose initial value is a number or another plain value, is
// written in as that value, as the calls of the helpers of ops/value.ts are written in as their expression.
import { isThisCall, isReference, assignedNames, helpers } from './filter-source.mjs';
import { childNodes } from './syntax.mjs';

/** The stage's own names (scripts/firmware/stage.mjs), which no filter may use for a global. */
const STAGE_NAMES = new Set(['x', 'at', 'go', 'end', 'fin', 'src', 'out', 'pipeline', 'endPipeline', 'Publisher']);

/** A plain value as ES5 source: numbers as written (a negative one in parentheses), undefined as `void 0`. */
export function literal(v) {
  if (v === undefined) return 'void 0';
  if (typeof v == 'number') return v < 0 || Object.is(v, -0) ? `(${v})` : String(v);
  if (v === null || typeof v == 'boolean' || typeof v == 'string') return JSON.stringify(v);
  throw new Error(`${JSON.stringify(v)} is not a plain value a filter's argument can be`);
}

/** `code` from `start` to `end` with the edits [start, end, text] (inside it, apart from each other) made. */
function edited(code, start, end, edits) {
  let out = '', at = start;
  for (const [s, e, t] of edits.sort((a, b) => a[0] - b[0])) {
    out += code.slice(at, s) + t;
    at = e;
  }
  return out + code.slice(at, end);
}

/** The variables a function declares with var, anywhere in its body. */
function localsOf(fn) {
  const names = new Set();
  (function collect(node) {
    if (node.type == 'VariableDeclarator') names.add(node.id.name);
    childNodes(node).forEach(collect);
  })(fn.body);
  return names;
}

/**
 * Filter j of a stage: `def` from readFilter, `args` its arguments; `stage` gives the stage's code for a pass that
 * is not the last thing a path does (pass(e)), for its completion (complete) and for a timer restarted (restart(timer,
 * ms)). Returns { vars (its globals), init (statements giving them their initial values), step and tick (statements
 * for go; tick null without a timer), locals (the variables they need in go), timer (its global, or null),
 * completionFires }.
 */
export function inlineFilter(def, j, args, stage) {
  const f = new Inlining(def, j, args, stage);
  const state = def.state.filter((s) => !f.constant.has(s.name));
  return {
    vars: [...state.map((s) => f.own(s.name)), ...(f.timer ? [f.timer] : [])],
    init: [...state.map((s) => `${f.own(s.name)} = ${s.init ? f.text(s.init, null) : 'void 0'};`), ...(f.timer ? [`${f.timer} = 0;`] : [])],
    step: f.body(def.step),
    tick: def.tick ? f.body(def.tick) : null,
    locals: [...f.goLocals],
    timer: f.timer,
    completionFires: def.completionFires
  };
}

/** One filter being inlined: what its names are in the stage, and its code as the stage's. */
class Inlining {
  constructor(def, j, args, stage) {
    const { params, fail } = def;
    Object.assign(this, { def, j, stage, fail, module: def.module, code: def.module.code, params });
    if (args.length > params.length) fail(`${args.length} arguments given, it takes ${params.length}`);
    this.argument = new Map(params.map((p, i) => [p, args[i]]));
    this.src = def.module.functions.get(def.name).params[0].name;
    this.stateNames = new Set(def.state.map((s) => s.name));
    this.goLocals = new Set();
    this.temps = 0;
    // the state the step and tick never assign, if its initial value is a plain value: that value, computed here
    const assigned = new Set([def.step, def.tick].filter(Boolean).flatMap((fn) => [...assignedNames(fn)]));
    this.constant = new Map();
    for (const s of def.state) {
      const value = s.init && !assigned.has(s.name) ? this.evaluate(s.init) : undefined;
      if (value !== undefined && (value === null || typeof value != 'object')) this.constant.set(s.name, value);
    }
    this.timer = def.tick ? this.own('timer') : null;
    const ms = new Set(def.seconds.map((node) => this.evaluate(node) * 1000));
    this.ms = [...ms][0];
    if (def.tick && !(ms.size == 1 && this.ms > 0)) fail("the timer's seconds must come from the arguments, the same at each this._restart()");
  }

  own(name) {
    return `f${this.j}_${name}`;
  }

  /** An expression of the arguments, the module's constants, constant state and Math, computed here; else undefined. */
  evaluate(node) {
    const known = new Map([...this.argument, ...this.module.constants, ...this.constant, ['Math', Math]]);
    const names = new Set();
    (function collect(n, parent) {
      if (n.type == 'Identifier' && isReference(n, parent)) names.add(n.name);
      if (/Function|NewExpression/.test(n.type)) names.add('\0');
      childNodes(n).forEach((kid) => collect(kid, n));
    })(node, null);
    if (![...names].every((n) => known.has(n))) return undefined;
    try {
      return new Function(...known.keys(), `return (${this.code.slice(node.start, node.end)});`)(...known.values());
    } catch {
      return undefined;
    }
  }

  /** What a name the filter uses is in the stage: `scope` { event, locals } of the step or tick, or null. */
  resolve(name, scope) {
    const { module, fail } = this;
    if (scope && name === scope.event) return 'x';
    if (scope && scope.locals.has(name)) return this.own(name);
    if (this.constant.has(name)) return literal(this.constant.get(name));
    if (this.stateNames.has(name)) return this.own(name);
    if (this.params.includes(name)) return literal(this.argument.get(name));
    if (module.constants.has(name)) return literal(module.constants.get(name));
    if (name === this.src) fail(`only op() may use the source, ${name}`);
    if (module.imports.has(name) || module.functions.has(name) || module.declared.has(name) || this.def.functions.has(name) || name == 'arguments')
      fail(`${name}: a step may use its own variables, the arguments, the state, the module's constants, the helpers of ops/value.ts (called) and Espruino's globals`);
    if (STAGE_NAMES.has(name) || /^f\d+_/.test(name)) fail(`${name}: the stage uses that name itself`);
    return name; // one of Espruino's globals
  }

  /** The ES5 of an expression or a plain statement, with the stage's names, on one line. */
  text(node, scope) {
    const edits = [], fail = this.fail;
    const visit = (n, parent) => {
      if (n.type == 'Identifier') return isReference(n, parent) && edits.push([n.start, n.end, this.resolve(n.name, scope)]);
      if (n.type == 'ThisExpression') fail('this is only for this.next(e), this.complete() and this._restart(seconds, tick), each a statement');
      if (/Function/.test(n.type)) fail('a function inside a step: the stage has none');
      if (n.type == 'ReturnStatement') fail('a return inside a loop or a switch');
      if (n.type == 'LabeledStatement' || ((n.type == 'BreakStatement' || n.type == 'ContinueStatement') && n.label)) fail('a label');
      if (n.type == 'BreakStatement' || n.type == 'ContinueStatement') return;
      if (n.type == 'CallExpression' && n.callee.type == 'Identifier' && this.module.imports.has(n.callee.name)) return edits.push([n.start, n.end, this.helper(n, scope)]);
      // declared at the top of go: here only the values they start with
      if (n.type == 'VariableDeclaration') return edits.push([n.start, n.end, this.declaration(n, parent, scope)]);
      childNodes(n).forEach((kid) => visit(kid, n));
    };
    visit(node, null);
    return edited(this.code, node.start, node.end, edits).replace(/\s*\n\s*/g, ' ');
  }

  /**
   * A call to a helper of ops/value.ts, as its expression: its parameters replaced by the arguments where each is a
   * value or a name, or else by a variable of go that the argument is assigned to first (in order, as a call
   * evaluates them).
   */
  helper(call, scope) {
    const imported = this.module.imports.get(call.callee.name);
    const h = imported.from == 'value' && helpers().get(imported.name);
    if (!h) this.fail(`${call.callee.name}(): the stage has only the helpers of ops/value.ts`);
    const literalArg = (a) => a.type == 'Literal' || (a.type == 'UnaryExpression' && a.operator == '-' && a.argument.type == 'Literal');
    // a name stands for itself unless an argument after it assigns to it
    const later = (i) => new Set(call.arguments.slice(i + 1).flatMap((a) => [...assignedNames(a)]));
    const first = [];
    const given = new Map(h.params.map((p, i) => {
      const a = call.arguments[i];
      if (!a) return [p, 'void 0'];
      if (literalArg(a)) return [p, `(${this.text(a, scope)})`];
      if (a.type == 'Identifier' && !later(i).has(a.name)) return [p, this.text(a, scope)];
      if (!scope) this.fail(`${call.callee.name}(): an initial value may give it only names or values`);
      const temp = this.own(`$${++this.temps}`);
      this.goLocals.add(temp);
      first.push(`${temp} = ${this.text(a, scope)}`);
      return [p, temp];
    }));
    const edits = [];
    (function visit(n, parent) {
      if (n.type == 'Identifier' && isReference(n, parent) && given.has(n.name)) edits.push([n.start, n.end, given.get(n.name)]);
      childNodes(n).forEach((kid) => visit(kid, n));
    })(h.body, null);
    return `(${[...first, edited(h.code, h.body.start, h.body.end, edits)].join(', ')})`;
  }

  /** A var statement of a step as go has it: its variables are go's, so only the assignments of initial values stay. */
  declaration(node, parent, scope) {
    if (parent && parent.type == 'ForInStatement') return this.resolve(node.declarations[0].id.name, scope);
    const set = node.declarations.filter((d) => d.init).map((d) => `${this.resolve(d.id.name, scope)} = ${this.text(d.init, scope)}`).join(', ');
    return parent && parent.type == 'ForStatement' ? set : set + ';';
  }

  /** The step's or tick's body as statements of go. */
  body(fn) {
    const step = fn === this.def.step;
    if (fn.params.length > (step ? 1 : 0)) this.fail(step ? 'a step takes the event alone' : 'a tick takes nothing');
    const scope = { event: fn.params[0] && fn.params[0].name, locals: localsOf(fn) };
    for (const name of scope.locals) {
      if (this.stateNames.has(name) || this.params.includes(name) || name === this.src) this.fail(`${name} is declared again inside a step`);
      this.goLocals.add(this.own(name));
    }
    return this.statements(fn.body.body, true, scope);
  }

  statements(list, tail, scope) {
    if (!list.length) return tail ? 'return;' : '';
    return list.map((st, i) => this.statement(st, tail && i == list.length - 1, scope)).join(' ');
  }

  /** One statement of a step; `tail`: nothing of the step follows it on its path. */
  statement(st, tail, scope) {
    const end = tail ? ' return;' : '';
    const call = st.type == 'ExpressionStatement' ? st.expression : {};
    const branch = (node) => `{ ${node.type == 'BlockStatement' ? this.statements(node.body, tail, scope) : this.statement(node, tail, scope)} }`;
    if (isThisCall(call, 'next')) {
      if (call.arguments.length != 1) this.fail('this.next takes one event');
      const e = this.text(call.arguments[0], scope);
      return tail ? `x = ${e};` : this.stage.pass(e);
    }
    if (isThisCall(call, 'complete')) return this.stage.complete + end;
    if (isThisCall(call, '_restart')) {
      return `clearTimeout(${this.timer}); ${this.stage.restart(this.timer, this.ms)}` + end;
    }
    if (st.type == 'ReturnStatement') {
      if (st.argument) this.fail('a step returns nothing: it passes events on with this.next(e)');
      return 'return;';
    }
    if (st.type == 'IfStatement')
      return `if (${this.text(st.test, scope)}) ${branch(st.consequent)}` + (st.alternate ? ` else ${branch(st.alternate)}` : tail ? ' else return;' : '');
    if (st.type == 'BlockStatement') return branch(st);
    return this.text(st, scope) + end;
  }
}
