// The bundle: the firmware's TypeScript, each file through TypeScript alone, bundled by rollup into one readable
// ES5 script, with the config's values, src/defaults.json's and the board's pins written in where the source names
// them, and the module the config's filters make (scripts/firmware/pipeline.mjs). The build (build.mjs) minifies it.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { DEFAULTS } from '../lib/defaults.mjs';
import { PIPELINE_ID, pipelineModule } from './pipeline.mjs';

export const SRC = path.join(ROOT, 'src');
/** The firmware's entry: what `npm run build` bundles and `npm run flash` uploads. */
export const FIRMWARE_ENTRY = path.join(SRC, 'main.ts');

/**
 * Writes each `CONFIG.a.b` of the source as the literal value from the validated config, and each `DEFAULTS.a.b`
 * as the value from src/defaults.json: the values then live in the code (in flash, once saved) instead of in an
 * object that would take device RAM for good.
 */
export function inlineConfig(code, firmware) {
  return code.replace(/\b(CONFIG|DEFAULTS)((?:\.[A-Za-z_$][\w$]*)+)/g, (whole, name, dotted) => {
    if (name == 'CONFIG' && !firmware) throw new Error(`${whole} in a build without a config`);
    const keys = dotted.slice(1).split('.');
    let v = name == 'CONFIG' ? firmware : DEFAULTS, n = 0;
    // down to a value that is not a section: what follows (`.indexOf(...)` of an array, say) stays code
    for (; n < keys.length && v !== null && typeof v == 'object' && !Array.isArray(v); n++) {
      if (!(keys[n] in v) && (name == 'DEFAULTS' || n < keys.length - 1))
        throw new Error(`${whole}: ${name == 'CONFIG' ? 'the config' : 'src/defaults.json'} has no such field`);
      v = v[keys[n]];
    }
    if (n < keys.length && (v === null || typeof v != 'object')) throw new Error(`${whole}: ${keys.slice(0, n).join('.')} is not a section`);
    return (v === undefined ? 'undefined' : `(${JSON.stringify(v)})`) + keys.slice(n).map((k) => '.' + k).join('');
  });
}

/**
 * Rollup plugin: each .ts file through TypeScript alone (types are checked by `tsc`, not here); a file in `sources`
 * (a Map from its path) as the text given there.
 */
function typescript(ts, firmware, board, sources = new Map()) {
  const compilerOptions = { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.ESNext, noEmitHelpers: true, removeComments: false };
  return {
    name: 'typescript',
    resolveId(id, importer) {
      if (importer && id.startsWith('.')) return path.resolve(path.dirname(importer), id + (id.endsWith('.ts') ? '' : '.ts'));
      return null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      if (sources.has(id)) code = sources.get(id);
      return ts.transpileModule(inlineBoard(inlineConfig(code, firmware), board), { compilerOptions, fileName: id }).outputText;
    }
  };
}

/** Rollup plugin: the module `luxgraph:pipeline`, made from the config's sensor.filters (scripts/firmware/pipeline.mjs). */
function pipelinePlugin(firmware) {
  const id = '\0' + PIPELINE_ID;
  const pipeline = (firmware && firmware.pipeline) || { filters: [] };
  return {
    name: 'pipeline',
    resolveId: (source) => (source === PIPELINE_ID ? id : null),
    load: (source) => (source === id ? pipelineModule(pipeline, operatorFiles().map((f) => path.basename(f, '.ts'))) : null)
  };
}

/**
 * The board's bus and pins, written into the code where BOARD_I2C, BOARD_SDA and BOARD_SCL are used (as the config
 * is): a global variable for each would cost a device variable apiece.
 */
export function inlineBoard(code, board) {
  return code.replace(/\bBOARD_(I2C|SDA|SCL)\b/g, (whole, which) => {
    if (!board) throw new Error(`${whole} in a build without a board`);
    return board[which.toLowerCase()];
  });
}

/**
 * Bundles `entry` (a file, or `{ code }` for a generated entry) into one readable ES5 script for `board`'s pins;
 * `sources` gives the text of files that the build changed (a Map from each file's path).
 */
export async function bundleES5(entry, board, firmware, format = 'iife', sources) {
  // loaded here, not at the top, so a config error is reported without waiting for the compiler
  const { default: ts } = await import('typescript');
  const { rollup } = await import('rollup');
  const VIRTUAL = '\0entry';
  const virtual = {
    name: 'virtual-entry',
    resolveId: (id) => (id === VIRTUAL ? id : null),
    load: (id) => (id === VIRTUAL ? entry.code : null)
  };
  const input = typeof entry == 'string' ? entry : VIRTUAL;
  const plugins = [virtual, pipelinePlugin(firmware), typescript(ts, firmware, board, sources)];
  const bundle = await rollup({ input, plugins, treeshake: { moduleSideEffects: true } });
  const { output } = await bundle.generate({ format, generatedCode: 'es5', strict: false, esModule: false });
  await bundle.close();
  return output[0].code;
}

export const tsFiles = (dir) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort().map((f) => path.join(dir, f)) : [];

/** Every operator's file: one in src/runtime/ops that makes itself chainable (the others, op, timed and value, are shared). */
export const operatorFiles = () =>
  tsFiles(path.join(SRC, 'runtime/ops')).filter((f) => /\bchain\(/.test(fs.readFileSync(f, 'utf8')) && path.basename(f) != 'op.ts');
