// The module `luxgraph:pipeline` that src/main.ts imports, made by the build from the validated config: it imports
// only the operators sensor.filters names (or all of them, chainable from the REPL, with repl.allOperators) and
// chains them after the SensorPub. Without filters it gives the SensorPub itself, which the minifier folds into
// main.ts: the bundle is then byte for byte the one without a pipeline.
import path from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { FILTERS } from './filters.mjs';

export const PIPELINE_ID = 'luxgraph:pipeline';
/**
 * How the module imports an operator that only it calls: the build loads the file without its chain() line, so the
 * operator is not made chainable (each chainable operator keeps a function in device RAM) and the minifier can
 * inline it into the pipeline. With repl.allOperators every operator is imported as it is, chainable.
 */
export const UNCHAINED = 'unchained:';
const OPS = path.join(ROOT, 'src/runtime/ops');

/** The operator files (names in src/runtime/ops) a build includes: `every` one, or those the config's filters name. */
export function operatorFiles(pipeline, every = []) {
  return pipeline.allOperators ? every : [...new Set(pipeline.filters.map((f) => FILTERS[f.name].file))];
}

/** The module's ES5 source, from firmware.pipeline ({ filters, allOperators }) and the names of every operator file. */
export function pipelineModule(pipeline, every) {
  const lines = ['// made by scripts/pipeline.mjs from sensor.filters'];
  for (const file of operatorFiles(pipeline, every)) {
    const used = [...new Set(pipeline.filters.filter((f) => FILTERS[f.name].file == file).map((f) => f.name))];
    const from = JSON.stringify((pipeline.allOperators ? '' : UNCHAINED) + path.join(OPS, file + '.ts'));
    lines.push(used.length ? `import { ${used.join(', ')} } from ${from};` : `import ${from};`);
  }
  let chain = 'pub';
  for (const f of pipeline.filters) chain = `${f.name}(${[chain, ...f.args.map((a) => JSON.stringify(a))].join(', ')})`;
  if (!pipeline.filters.length) lines.push('export function pipeline(pub) { return pub; }', 'export function endPipeline() {}');
  else
    lines.push(
      // made once per source: the console and the writer may both subscribe to it
      'var src, out;',
      'export function pipeline(pub) {',
      '  if (src !== pub) {',
      '    src = pub;',
      `    out = ${chain};`,
      '  }',
      '  return out;',
      '}',
      // the firmware's stop: the operators detach and stop their timers
      'export function endPipeline() {',
      '  if (out) out.complete();',
      '}'
    );
  return lines.join('\n') + '\n';
}
