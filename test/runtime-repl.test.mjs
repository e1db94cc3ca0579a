// README's REPL session ("The REPL session, step by step"), typed line by line into `npm run sim -- --repl`: the
// lines are read from README.md itself, so the test breaks when the README changes in a way that no longer
// works. The hand-made writer's readings reach the broker, and after the last step the built-in writer is back,
// connected once, with no reconnect loop (two writers with one client id throw each other off a broker).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, waitFor, leaveRepl } from './helpers.mjs';

/** Each numbered step of the README's session, as the REPL lines in it: its code spans that end with `;`. */
function readmeSession() {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### The REPL session, step by step');
  assert.ok(start >= 0, 'README.md has the section "The REPL session, step by step"');
  const section = readme.slice(start, readme.indexOf('\n#', start + 1));
  return section
    .split(/\n(?=\d+\. )/)
    .filter((step) => /^\d+\. /.test(step))
    .map((step) => [...step.matchAll(/`([^`]+;)`/g)].map((m) => m[1]));
}

test("README's REPL session, line by line in npm run sim -- --repl: readings at the broker, then the built-in graph back without a reconnect loop", async () => {
  const steps = readmeSession();
  assert.equal(steps.length, 7, 'seven steps');
  assert.ok(steps.every((lines) => lines.length), `every step has something to type: ${JSON.stringify(steps)}`);
  const child = spawn(process.execPath, ['scripts/sim.mjs', '--repl', '--config', path.join(ROOT, 'config.example.json'), '--lux', '512'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe']
  });
  let out = '', err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const prompts = () => out.split('> ').length;
  /** Types a line and waits for the REPL to have evaluated it (its next prompt). */
  const type = async (line) => {
    const before = prompts();
    child.stdin.write(line + '\n');
    await waitFor(() => prompts() > before, { what: `the REPL to evaluate ${line} (${out})` });
  };
  const since = (mark) => out.slice(mark);
  const count = (text, re) => (text.match(re) || []).length;
  const readings = (text) => [...text.matchAll(/\[broker\] test-topic \["lux-1", (\d+), ([\d.]+)\]/g)];
  try {
    // as the user does: the board is up and publishing, then the session starts
    await waitFor(() => /MQTT: connected to/.test(out), { what: `the firmware connected in the REPL (${out}${err})`, timeout: 60000 }); // it builds first
    const marks = [];
    for (const lines of steps) {
      marks.push(out.length);
      for (const line of lines) await type(line);
    }
    const [, , , step4, , step6, step7] = marks;

    // step 6 on: the hand-made graph samples and publishes through the hand-made writer
    const [[, ts, lux]] = await waitFor(() => readings(since(step6)).length && readings(since(step6)), {
      what: `a reading of the hand-made graph at the broker (${since(step4)})`,
      timeout: 20000
    });
    assert.ok(Math.abs(+lux - 512) < 6, `lux ${lux} near the simulated 512`);
    assert.ok(since(step6).includes(`('lux-1', ${ts}, ${lux})`), `the console shows the same reading as a tuple:\n${since(step6)}`);

    // step 7: the built-in graph is back and publishes, on one connection that stays
    await waitFor(() => /MQTT: connected to/.test(since(step7)) && readings(since(step7)).length >= 3, {
      what: `three readings of the built-in graph after step 7 (${since(step7)})`,
      timeout: 20000
    });
    assert.equal(count(since(step4), /MQTT: lost/g), 0, `no connection lost from step 4 on:\n${since(step4)}`);
    assert.equal(count(since(step7), /MQTT: connected to/g), 1, `the built-in writer connected once:\n${since(step7)}`);

    await type('nosuchthing()');
    assert.match(out, /Uncaught ReferenceError: nosuchthing is not defined/, 'a REPL error shown as such');
  } finally {
    const code = await leaveRepl(child, exited);
    assert.equal(code, 0, err);
  }
});
