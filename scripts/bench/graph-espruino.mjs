// Graph overhead on the device's own interpreter: the same two pipelines as graph.mjs (SensorPub → map → filter →
// two subscribers, and the same work by hand), run on Espruino's Linux port (ESPRUINO) with the runtime bundle
// saved to Storage and run from there, as a flashed firmware runs. Timed with getTime() on the interpreter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, validateConfig } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { startEspruino, jsString } from '../espruino/espruino.mjs';
import { ESPRUINO_HOW } from '../espruino/espruino-rig.mjs';
import { RUNTIME, BY_HAND } from './graph.mjs';

/** Writes `code` to Storage file `name` in 1 KB chunks, as espruino-cli's save on send does. */
export function storageWrites(name, code) {
  const out = [];
  for (let i = 0; i < code.length; i += 1024)
    out.push(`require("Storage").write(${JSON.stringify(name)},${jsString(code.slice(i, i + 1024))}${i ? `,${i}` : `,0,${code.length}`});`);
  return out.join('\n');
}

/** Options: events per round, rounds. Returns { events, rounds, runtimeMs, byHandMs, ratio } or { skipped }. */
export async function measureGraphEspruino({ bin = process.env.ESPRUINO, events = 3000, rounds = 3 } = {}) {
  if (!bin) return { skipped: `ESPRUINO is not set: it names an Espruino interpreter binary (${ESPRUINO_HOW})` };
  if (!fs.existsSync(bin)) return { skipped: `ESPRUINO=${bin} does not exist` };
  const { board, firmware } = validateConfig(JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8')));
  const { code } = await buildFirmware({ board, firmware, entry: path.join(ROOT, 'scripts/bench/graph-entry.ts') });
  const bench = `var R=${RUNTIME},H=${BY_HAND};if(R(100)!==H(100))print("@@GRAPH mismatch");
var T=function(f){var t=getTime();f(${events});return getTime()-t;};T(R);T(H);var r=[],h=[];
for(var i=0;i<${rounds};i++){r.push(T(R));h.push(T(H));}
print("@@GRAPH "+JSON.stringify({r:r,h:h}));`.replace(/\n/g, '');
  // the runtime in flash as a firmware is; the bench itself from flash too, so neither is parsed from RAM
  const upload = ['echo(0);', storageWrites('rt', code), storageWrites('gb', bench), 'eval(require("Storage").read("rt"));eval(require("Storage").read("gb"));', ''].join('\n');
  let result = null;
  const esp = startEspruino({
    bin,
    upload,
    timeoutMs: 120000,
    onLine: (line) => {
      const m = /@@GRAPH (.*)/.exec(line);
      if (m) {
        result = m[1] == 'mismatch' ? { error: 'the two pipelines disagree' } : JSON.parse(m[1]);
        esp.stop();
      }
    }
  });
  await esp.exited;
  if (!result) return { skipped: 'the interpreter printed no result' };
  if (result.error) throw new Error('graph bench on Espruino: ' + result.error);
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const runtimeMs = median(result.r) * 1000, byHandMs = median(result.h) * 1000;
  return { events, rounds, runtimeMs, byHandMs, ratio: runtimeMs / byHandMs, instructions: countInstructions(bin, code) };
}

/**
 * The same two pipelines counted in machine instructions per event under valgrind (where it is installed): on a
 * shared machine the times above move by ±10 % from run to run, the count does not. The interpreter runs with `-e`
 * over a folder whose Storage holds the code, once per pipeline, and once with only the warm-up to subtract.
 */
function countInstructions(bin, code, events = 300) {
  if (spawnSync('valgrind', ['--version']).status !== 0) return { skipped: 'valgrind is not installed' };
  // a wrapper (the qemu-i386 one npm run espruino:build writes where the kernel cannot run 32-bit programs) would
  // have valgrind count the wrapper's shell and qemu, not the interpreter
  if (fs.readFileSync(bin).subarray(0, 2).toString() == '#!') return { skipped: `${bin} is a script, not the interpreter itself: valgrind would count the script` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-count-'));
  try {
    const setup = `require("Storage").write("rt",${jsString(code)});require("Storage").write("gb",${jsString(`var R=${RUNTIME},H=${BY_HAND};R(1);H(1);`)});`;
    fs.writeFileSync(path.join(dir, 'setup.js'), setup);
    spawnSync(bin, ['setup.js'], { cwd: dir, input: '' });
    const count = (run) => {
      const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', bin, '-e', `eval(require("Storage").read("rt"));eval(require("Storage").read("gb"));${run}`];
      const r = spawnSync('valgrind', args, { cwd: dir, input: '', encoding: 'utf8', timeout: 300000 });
      const m = /Collected : (\d+)/.exec(r.stderr || '');
      if (!m || r.status !== 0) throw new Error(`valgrind counted nothing (${r.error ? r.error.code : 'exit ' + (r.status ?? r.signal)}): ${(r.stderr || '').trim().split('\n').pop() || 'no output'}`);
      return Number(m[1]);
    };
    // a row that cannot be counted says why; the rest of the bench goes on
    let base;
    try {
      base = count('');
    } catch (e) {
      return { skipped: e.message };
    }
    const runtime = (count(`R(${events})`) - base) / events, byHand = (count(`H(${events})`) - base) / events;
    return { events, runtime: Math.round(runtime), byHand: Math.round(byHand), ratio: runtime / byHand };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
