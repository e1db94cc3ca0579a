// The simulator's REPL says what happened, in its own words: `.lux` refuses a bad form as `.lux`, an operator left
// out of the build is named with the setting that brings it in, and LuxGraph.stop() says what stopped.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, waitFor, leaveRepl } from './helpers.mjs';

test('sim --repl: .lux abc names .lux, a missing operator names repl.allOperators, LuxGraph.stop() says it stopped', async () => {
  const child = spawn(process.execPath, ['scripts/sim.mjs', '--repl', '--config', path.join(ROOT, 'config.example.json')], { cwd: ROOT, stdio: 'pipe' });
  let out = '', err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const type = async (line) => {
    const mark = out.length, before = out.split('> ').length;
    child.stdin.write(line + '\n');
    await waitFor(() => out.split('> ').length > before, { what: `the REPL to evaluate ${line} (${out})` });
    return out.slice(mark);
  };
  try {
    await waitFor(() => /MQTT: connected to/.test(out), { what: `the firmware connected (${out}${err})`, timeout: 60000 });
    let said = await type('.lux abc');
    assert.match(said, /^\.lux "abc" is not a light level\. Use /m);
    assert.doesNotMatch(said, /--lux/);

    said = await type('LuxGraph.source.slidingMean(5)');
    assert.match(said, /^simulator: slidingMean is an operator this build leaves out .*"repl": \{ "allOperators": true \} in the config brings every operator in/m);
    assert.match(said, /Uncaught TypeError: .*slidingMean is not a function/);
    said = await type('nosuchthing()');
    assert.doesNotMatch(said, /simulator:/, 'other errors as they are');

    said = await type('LuxGraph.stop()');
    assert.match(said, /^LuxGraph: stopped sampling and publishing; LuxGraph\.start\(\) starts again$/m);
    said = await type('LuxGraph.stop()');
    assert.doesNotMatch(said, /stopped sampling/, 'said once: nothing was running the second time');
  } finally {
    await leaveRepl(child, exited);
  }
});
