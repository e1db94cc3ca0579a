// The settings table of docs/configuration.md, made from config.schema.json's rules (scripts/config/schema.mjs):
// every key with its default, what it takes, an example and what it does. `npm run docs` writes it between the
// page's markers; test/docs.test.mjs checks the page holds what this makes.
import { configSchema } from '../config/schema.mjs';

export const REFERENCE_FILE = 'docs/configuration.md';
export const BEGIN = '<!-- settings table: made by npm run docs from config.schema.json; do not edit -->';
export const END = '<!-- end of settings table -->';

const code = (v) => '`' + (typeof v == 'string' ? v : JSON.stringify(v)) + '`';

/** What a setting takes, in words: `whole number, 1 … 3600`. */
export function allowed(s) {
  if (s.enum) return s.enum.map(code).join(', ');
  if (s.anyOf) return s.anyOf.map(allowed).join(', or ');
  if (s.const !== undefined) return code(s.const);
  const range = (what) => {
    const lo = s.exclusiveMinimum !== undefined ? `more than ${s.exclusiveMinimum}` : s.minimum;
    return `${what}, ${lo} … ${s.maximum}`;
  };
  switch (s.type) {
    case 'boolean': return '`true`, `false`';
    case 'integer': return range('whole number');
    case 'number': return range('number');
    case 'array': return 'list of filters';
    case 'string': return ['text', s.minLength ? 'not empty' : '', s.maxLength ? `at most ${s.maxLength} characters` : ''].filter(Boolean).join(', ');
  }
  throw new Error(`no words for ${JSON.stringify(s)}`);
}

/** Every setting as [path, its schema, required], in the schema's order. */
export function settings(schema = configSchema(), prefix = '', required = schema.required || []) {
  return Object.entries(schema.properties).flatMap(([k, s]) =>
    s.type == 'object' && s.properties ? settings(s, prefix + k + '.', s.required || []) : [[prefix + k, s, required.includes(k)]]
  );
}

/** The table's rows, one per setting ($schema apart: it is for editors). */
export function table() {
  const rows = settings()
    .filter(([key]) => key != '$schema')
    .map(([key, s, required]) => {
      const def = s.default !== undefined ? code(String(s.default)) : required ? 'required' : 'none';
      return `| ${code(key)} | ${def} | ${allowed(s)} | ${code(s.examples[0])} | ${s.description} |`;
    });
  return ['| key | default | takes | example | what it does |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

/** The page's text with the table between its markers made anew. */
export function referenceText(page) {
  const a = page.indexOf(BEGIN), b = page.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${REFERENCE_FILE} has no settings table markers:\n${BEGIN}\n${END}`);
  return page.slice(0, a) + BEGIN + '\n' + table() + '\n' + page.slice(b);
}
