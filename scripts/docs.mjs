// npm run docs [-- --check]: writes what the docs generate from the code, config.schema.json and the settings table
// of docs/configuration.md; with --check, writes nothing and exits 1 when either is not what the code makes.
// The pictures are apart: npm run docs:pictures (scripts/pictures.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { SCHEMA_FILE, schemaText } from './config/schema.mjs';
import { REFERENCE_FILE, referenceText } from './docs/reference.mjs';
import { answerHelp, formatHelp } from './cli/help.mjs';

answerHelp(
  process.argv.slice(2),
  formatHelp({
    usage: 'npm run docs -- [--check]',
    about: `Writes what the docs generate from the code: ${SCHEMA_FILE} and the settings table of ${REFERENCE_FILE}. The pictures are apart: npm run docs:pictures.`,
    options: [['--check', 'write nothing; exit 1 when either file is not what the code makes (default: off, write them)']],
    examples: ['npm run docs', 'npm run docs -- --check']
  })
);
const check = process.argv.includes('--check');
const unknown = process.argv.slice(2).filter((a) => a != '--check');
if (unknown.length) {
  console.error(`docs: unknown option ${unknown[0]}; usage: npm run docs [-- --check]`);
  process.exit(2);
}
let stale = 0;
for (const [file, make] of [[SCHEMA_FILE, schemaText], [REFERENCE_FILE, () => referenceText(fs.readFileSync(path.join(ROOT, REFERENCE_FILE), 'utf8'))]]) {
  const full = path.join(ROOT, file), now = fs.existsSync(full) ? fs.readFileSync(full, 'utf8') : '', want = make();
  if (now == want) console.log(`${file}: up to date`);
  else if (check) {
    console.error(`${file}: not what the code makes: run npm run docs`);
    stale++;
  } else {
    fs.writeFileSync(full, want);
    console.log(`${file}: written`);
  }
}
process.exit(stale ? 1 : 0);
