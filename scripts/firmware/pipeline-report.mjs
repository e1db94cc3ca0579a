// What `npm run build` says of the configured pipeline: the bytes its filters (and repl.allOperators) add to the
// firmware, measured by building it without them, and the device RAM the last `npm run bench` measured for them.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { describe } from '../config/filters.mjs';
import { buildFirmware } from './build.mjs';

/** The memory column of the last `npm run bench` (bench/results.json), or null. */
function lastBenchMemory() {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')).results.memory;
    return m && !m.skipped ? m : null;
  } catch {
    return null;
  }
}

/**
 * What the configured pipeline adds: the filters in order, the bytes of their fused stage over the same firmware
 * without them and what each filter adds to it (the first with the stage's own code), and with repl.allOperators
 * what every operator adds on top; device RAM as the last `npm run bench` measured it.
 */
export async function pipelineReport(board, firmware, sizes) {
  const p = firmware.pipeline, lines = [], bench = lastBenchMemory();
  const size = async (change) => (await buildFirmware({ board, firmware: { ...firmware, pipeline: { ...p, ...change } } })).sizes.minified;
  const filtered = p.allOperators ? await size({ allOperators: false }) : sizes.minified;
  const printed = p.console == 'filtered' ? 'the filtered readings' : 'every raw reading';
  const ram = (what) => (what !== undefined && what !== null ? what : 'npm run bench, with ESPRUINO set, measures it');
  if (p.filters.length) {
    // the firmware with the first i filters, i = 0 … n: each filter's bytes are the step between two of them
    const steps = await Promise.all(p.filters.map((f, i) => (i == p.filters.length - 1 ? filtered : size({ filters: p.filters.slice(0, i + 1), allOperators: false }))));
    const none = await size({ filters: [], allOperators: false });
    const each = p.filters.map((f, i) => `${describe(f)} ${steps[i] - (i ? steps[i - 1] : none)}${i ? '' : ' (with the stage itself)'}`);
    lines.push(`sensor.filters: ${p.filters.map(describe).join(' → ')}; the console prints ${printed}`);
    lines.push(`  they add ${filtered - none} bytes minified, as one fused stage: ${each.join(', ')}`);
    lines.push('  device RAM: ' +
      ram(bench && bench.pipeline && `the last npm run bench measured ${bench.pipeline.overPeak} variables at peak for ${bench.pipeline.filters.length} filters`));
  }
  if (p.allOperators)
    lines.push(`repl.allOperators: every operator is in the bundle, chainable from the REPL: ${sizes.minified - filtered} bytes more; device RAM: ` +
      ram(bench && bench.allOperators && `the last npm run bench measured ${bench.allOperators.delta} variables more at start-up`));
  return lines;
}
