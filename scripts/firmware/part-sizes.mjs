// What each part of the firmware costs on the device, in minified bytes (npm run build -- --sizes and the bench's
// size rows): the runtime core, the operator base, the timer base, each operator, the driver, the network, control.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, validateConfig } from '../config/index.mjs';
import { cachedBuild } from '../lib/build-cache.mjs';
import { ownActionNames, actionLetters, shortenActions } from './actions.mjs';
import { SRC, bundleES5, tsFiles, operatorFiles } from './bundle.mjs';
import { minifyES5, moduleConstants } from './minify.mjs';
import { OWN_MODULES } from './own-modules.mjs';

/** The validated example config: the values the part sizes are measured with. */
const example = () => validateConfig(JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8')));

/** The minified code of a generated entry that imports `files` and keeps every export they have. */
export async function keptCode(files, { board, firmware } = example()) {
  const lines = [], names = [];
  files.forEach((file, i) => {
    // (a function with overloads is declared once per signature: one name)
    const exported = [...new Set([...fs.readFileSync(file, 'utf8').matchAll(/^export (?:function|class|var|const|let) (\w+)/gm)].map((m) => m[1]))];
    const local = exported.map((n) => `${n} as _${i}_${n}`);
    lines.push(local.length ? `import { ${local.join(', ')} } from ${JSON.stringify(file)};` : `import ${JSON.stringify(file)};`);
    names.push(...exported.map((n) => `_${i}_${n}`));
  });
  lines.push(`global.x = [${names.join(', ')}];`);
  const letters = actionLetters(await ownActionNames());
  const { code, constants } = moduleConstants(shortenActions(await bundleES5({ code: lines.join('\n') }, board, firmware), letters));
  return minifyES5(code, { constants });
}

const keptSize = async (files) => (await keptCode(files)).length;

/**
 * What each part of the firmware costs on the device: minified bytes it adds, with the same terser options as the
 * firmware, over what it builds on (an operator over the core and the operator base, and the timer base if it has a
 * timer; driver and network over the core). Returns [{ part, bytes }]: the runtime core, the operator base, the timer
 * base, each operator, the driver, the network.
 */
export const partSizes = () => cachedBuild({ partSizes: true }, measureParts);

/** The part shared by the operators with a timer (heartbeat, debounce). */
export const TIMER_BASE = 'timer base (ops/timed)';

async function measureParts() {
  const runtime = path.join(SRC, 'runtime'), opsDir = path.join(runtime, 'ops');
  const core = ['publisher', 'sensor-pub', 'scheduler', 'output'].map((n) => path.join(runtime, n + '.ts'));
  const base = path.join(opsDir, 'op.ts'), timer = path.join(opsDir, 'timed.ts');
  const operators = operatorFiles();
  const empty = await keptSize([]);
  const coreSize = await keptSize(core);
  const parts = [{ part: 'runtime core', bytes: coreSize - empty }];
  const withBase = fs.existsSync(base) ? await keptSize([...core, base]) : coreSize;
  if (fs.existsSync(base)) parts.push({ part: 'operator base (ops/op)', bytes: withBase - coreSize });
  const withTimer = await keptSize([...core, base, timer]);
  parts.push({ part: TIMER_BASE, bytes: withTimer - withBase });
  const timed = (f) => /'\.\/timed'/.test(fs.readFileSync(f, 'utf8'));
  const sizes = await Promise.all(operators.map((f) => keptSize([...core, base, ...(timed(f) ? [timer] : []), f])));
  operators.forEach((f, i) => parts.push({ part: 'operator ' + path.basename(f, '.ts'), bytes: sizes[i] - (timed(f) ? withTimer : withBase) }));
  // what .bootcde holds of them: the firmware's own modules are Storage files of their own, and sized apart
  const own = new Set(OWN_MODULES.map((m) => path.join(SRC, m.entry)));
  for (const [part, dir] of [['driver src/sensors', 'sensors'], ['network src/net', 'net'], ['control src/control', 'control']]) {
    const files = tsFiles(path.join(SRC, dir)).filter((f) => !own.has(f));
    if (files.length) parts.push({ part, bytes: (await keptSize([...core, ...files])) - coreSize });
  }
  return parts;
}
