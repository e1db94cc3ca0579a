// Keeps a state of whole numbers as an Int32Array. On Espruino an object costs a variable per field (two for a large
// number) and one more; an Int32Array of the same numbers a handful in all. The source names each field in an
// interface marked `@packed`; the build writes each field read or written through that type as a slot, in the
// interface's order, and an object made as that type as the array:
//
//   /** @packed */ interface Place { segment: number; at: number }
//   var p: Place = { segment: 1, at: 64 };        var p: Place = new Int32Array([1, 64]);
//   p.at += 10;                                   p[1] += 10;
//
// By type, with TypeScript's checker, so a field of another object with the same name is left alone. Every field is
// a number (a whole number the size of an int32: the array keeps nothing else); an object made as the type lists
// every field in the interface's order; the state is not indexed, deleted from or spread.
import fs from 'node:fs';
import path from 'node:path';

/** What a packed interface is marked with in its doc comment. */
export const PACKED_TAG = 'packed';

/**
 * The TypeScript files of the program whose entry is `entry` (a file), with each packed state written as an
 * Int32Array: a Map from each file it changed to its new text, and `packed`, the names of the packed interfaces with
 * their fields. Types are resolved within those files (no lib): what is typed elsewhere is not a packed state.
 */
export async function packStates(entry) {
  // the type checker only where a file of the module marks an interface (it takes a second or so to start)
  if (!sourceFiles(entry).some((f) => fs.readFileSync(f, 'utf8').includes('@' + PACKED_TAG))) return { texts: new Map(), packed: [] };
  const { default: ts } = await import('typescript');
  const program = ts.createProgram([entry], { noLib: true, types: [], target: ts.ScriptTarget.ES5, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile);
  const packed = new Map(); // interface symbol → { name, fields }
  for (const file of files)
    ts.forEachChild(file, function find(node) {
      if (ts.isInterfaceDeclaration(node) && ts.getJSDocTags(node).some((t) => t.tagName.text == PACKED_TAG)) packed.set(checker.getSymbolAtLocation(node.name), { name: node.name.text, fields: fieldsOf(ts, node, file) });
      ts.forEachChild(node, find);
    });
  const texts = new Map();
  for (const file of files) {
    const edits = editsOf(ts, checker, file, packed);
    if (edits.length) texts.set(file.fileName, applyTextEdits(file.text, edits));
  }
  return { texts, packed: [...packed.values()] };
}

/** The fields of a packed interface, in order; each a required number. */
function fieldsOf(ts, node, file) {
  return node.members.map((m) => {
    const where = `${file.fileName}: ${node.name.text}`;
    if (!ts.isPropertySignature(m) || !ts.isIdentifier(m.name)) throw new Error(`${where}: a packed state has fields only`);
    if (m.questionToken || !m.type || m.type.kind != ts.SyntaxKind.NumberKeyword) throw new Error(`${where}.${m.name.text}: a packed state's field is a number, never optional`);
    return m.name.text;
  });
}

/** The packed interface `type` is (or, a union, the one of its members that is), or null. */
const packedOf = (type, packed) => {
  for (const t of type && type.isUnion() ? type.types : [type]) if (t && t.symbol && packed.get(t.symbol)) return packed.get(t.symbol);
  return null;
};

function editsOf(ts, checker, file, packed) {
  const edits = [];
  const at = (node) => `${file.fileName}:${file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1}`;
  // the packed interface a property belongs to (one of its declarations is that interface's), if any
  const memberOf = (symbol) => {
    for (const d of (symbol && symbol.declarations) || []) if (ts.isInterfaceDeclaration(d.parent) && packed.has(checker.getSymbolAtLocation(d.parent.name))) return packed.get(checker.getSymbolAtLocation(d.parent.name));
    return null;
  };
  (function visit(node) {
    if (ts.isPropertyAccessExpression(node)) {
      const type = checker.getTypeAtLocation(node.expression), state = type.isUnion() ? null : packedOf(type, packed);
      const owner = memberOf(checker.getSymbolAtLocation(node.name));
      if (owner && state !== owner) throw new Error(`${at(node)}: ${owner.name}.${node.name.text} read through another type`);
      if (state) {
        const slot = state.fields.indexOf(node.name.text);
        if (slot < 0) throw new Error(`${at(node)}: ${state.name} has no field ${node.name.text}`);
        if (ts.isDeleteExpression(node.parent)) throw new Error(`${at(node)}: a field of ${state.name} deleted`);
        edits.push({ start: node.expression.end, end: node.end, text: `[${slot}]` });
      }
    } else if (ts.isElementAccessExpression(node) && packedOf(checker.getTypeAtLocation(node.expression), packed)) {
      throw new Error(`${at(node)}: a packed state indexed`);
    } else if (ts.isObjectLiteralExpression(node)) {
      const state = packedOf(checker.getContextualType(node), packed);
      if (state) {
        const names = node.properties.map((p) => (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) ? p.name.text : null));
        if (names.join() != state.fields.join()) throw new Error(`${at(node)}: a ${state.name} made with each of its fields, in order (${state.fields.join(', ')})`);
        const values = node.properties.map((p) => file.text.slice(p.initializer.getStart(file), p.initializer.end));
        // (the values' own text: a packed state made inside another's values is not)
        edits.push({ start: node.getStart(file), end: node.end, text: `new Int32Array([${values.join(', ')}])` });
        return;
      }
    } else if (ts.isSpreadAssignment(node) || ts.isSpreadElement(node)) {
      if (packedOf(checker.getTypeAtLocation(node.expression), packed)) throw new Error(`${at(node)}: a packed state spread`);
    }
    ts.forEachChild(node, visit);
  })(file);
  return edits;
}

/** `text` with the edits ({ start, end, text }) applied; edits do not overlap. */
function applyTextEdits(text, edits) {
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** `entry` and the TypeScript files it imports, directly or not (by their relative imports). */
function sourceFiles(entry, seen = new Set()) {
  seen.add(entry);
  for (const m of fs.readFileSync(entry, 'utf8').matchAll(/^(?:import|export)\b[^'";]*['"](\.[^'"]+)['"]/gm)) {
    const file = path.resolve(path.dirname(entry), m[1].endsWith('.ts') ? m[1] : m[1] + '.ts');
    if (!seen.has(file) && fs.existsSync(file)) sourceFiles(file, seen);
  }
  return [...seen];
}
