// The module `luxgraph:pipeline` that src/main.ts imports, made by the build from the validated config: the filters
// sensor.filters names as one fused stage (scripts/firmware/stage.mjs), and with repl.allOperators every runtime operator,
// chainable from the REPL. Without filters it gives the SensorPub itself, which the minifier folds into main.ts:
// the bundle is then byte for byte the one without a pipeline.
import path from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { stageCode } from './stage.mjs';

export const PIPELINE_ID = 'luxgraph:pipeline';
const SRC = path.join(ROOT, 'src/runtime');

/** The module's ES5 source, from firmware.pipeline ({ filters, allOperators }) and every operator file's name. */
export function pipelineModule(pipeline, every) {
  const lines = ['// made by scripts/firmware/pipeline.mjs from sensor.filters'];
  if (pipeline.allOperators) for (const file of every) lines.push(`import ${JSON.stringify(path.join(SRC, 'ops', file + '.ts'))};`);
  if (!pipeline.filters.length) lines.push('export function pipeline(pub) { return pub; }', 'export function endPipeline() {}');
  else
    lines.push(
      `import { Publisher } from ${JSON.stringify(path.join(SRC, 'publisher.ts'))};`,
      stageCode(pipeline.filters),
      'export { pipeline, endPipeline };'
    );
  return lines.join('\n') + '\n';
}
