// control()'s own actions on the device. In the source each has a name that says what it is (mqttUp, sampleEvery:
// OwnActions in src/control/actions.ts), written as a string where it is asked for and where control() tells them
// apart; the firmware and its modules get a letter apiece instead, the same in each: the bytes of .bootcde and
// Storage, and the characters of the strings the device makes when it runs them. The names of the Storage
// modules' actions stay whole: control() finds a module's file from its action's name (wifiDown: lgwifi).
import fs from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';
import { ROOT } from '../lib/paths.mjs';

/** Where the actions are declared, and the interface of those control() runs itself. */
export const ACTIONS_FILE = path.join(ROOT, 'src/control/actions.ts');
const OWN_ACTIONS = 'OwnActions';

/**
 * The names of control()'s own actions: the members of `interfaceName` in `file`, and those of the interfaces it
 * extends, found where the file imports them from (a file of the project). Read with TypeScript's parser alone.
 */
export async function ownActionNames(file = ACTIONS_FILE, interfaceName = OWN_ACTIONS) {
  const { default: ts } = await import('typescript');
  const names = [];
  (function collect(file, wanted) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const found = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text == wanted);
    if (!found) throw new Error(`${path.relative(ROOT, file)} has no interface ${wanted}`);
    for (const clause of found.heritageClauses || [])
      for (const base of clause.types) collect(importedFrom(ts, source, file, base.expression.getText(source)), base.expression.getText(source));
    for (const member of found.members) if (member.name) names.push(member.name.getText(source));
  })(file, interfaceName);
  return names;
}

/** The file `file` imports `name` from (relative imports of .ts files only). */
function importedFrom(ts, source, file, name) {
  for (const s of source.statements) {
    if (!ts.isImportDeclaration(s) || !s.importClause || !s.importClause.namedBindings || !ts.isNamedImports(s.importClause.namedBindings)) continue;
    if (s.importClause.namedBindings.elements.some((e) => e.name.text == name)) return path.resolve(path.dirname(file), s.moduleSpecifier.text + '.ts');
  }
  if (source.statements.some((s) => ts.isInterfaceDeclaration(s) && s.name.text == name)) return file;
  throw new Error(`${path.relative(ROOT, file)}: ${name} is neither declared nor imported from a file of the project`);
}

/** Each name's letter on the device, in the order given: { mqttUp: 'a', mqttMessage: 'b', … }. */
export function actionLetters(names) {
  const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (names.length > LETTERS.length) throw new Error(`${names.length} own actions: more than ${LETTERS.length} letters`);
  return Object.fromEntries(names.map((name, i) => [name, LETTERS[i]]));
}

/**
 * ES5 `code` with every string literal that is exactly an action's name written as that action's letter; a
 * property's name (`{ mqttUp: 1 }`, `{ "mqttUp": 1 }`) and any other string stay as they are.
 */
export function shortenActions(code, letters) {
  const found = [];
  (function visit(node, parent) {
    if (!node || typeof node.type != 'string') return;
    const isKey = parent && parent.type == 'Property' && parent.key === node && !parent.computed;
    if (node.type == 'Literal' && typeof node.value == 'string' && Object.hasOwn(letters, node.value) && !isKey) found.push(node);
    for (const v of Object.values(node)) for (const kid of [].concat(v)) if (kid && typeof kid.type == 'string') visit(kid, node);
  })(acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' }), null);
  let out = code;
  for (const lit of found.sort((a, b) => b.start - a.start)) out = out.slice(0, lit.start) + JSON.stringify(letters[lit.value]) + out.slice(lit.end);
  return out;
}
