// Where the project's files are.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The output folder: the one given (--dist), else LUXGRAPH_DIST (the tests give each test its own), else dist/. */
export const distDir = (given) => path.resolve(given || process.env.LUXGRAPH_DIST || path.join(ROOT, 'dist'));

/** A file as the tools print it: relative to the repository when inside it (dist/firmware.js), else whole. */
export const shownPath = (file) => (path.relative(ROOT, file).startsWith('..') ? file : path.relative(ROOT, file));
