// The simulator's light: --lux takes a level, a ramp or a day, refuses anything else saying the forms, and the
// simulator's REPL changes it while the firmware runs (`.lux 5000`), so that filters can be seen acting.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, EXAMPLE, runNode, waitFor } from './helpers.mjs';
import { parseLight } from '../scripts/sim/light.mjs';

test('light forms: a level, a ramp there and back, a day from sunrise', () => {
  assert.equal(parseLight('1500').at(99_000), 1500);
  const ramp = parseLight('200..2000/60');
  assert.deepEqual([0, 30_000, 60_000, 90_000, 120_000].map(ramp.at), [200, 1100, 2000, 1100, 200]);
  const day = parseLight('day/100');
  assert.equal(day.at(0), 0.1, 'sunrise');
  assert.equal(day.at(25_000), 20000.1, 'noon, a quarter of the day later');
  assert.equal(day.at(75_000), 0.1, 'night');
  assert.equal(parseLight('day').text, 'a day in 600 s from sunrise: 20000 lux at noon, 0.1 lux at night');
});

test('a bad light is refused, saying the forms', () => {
  for (const [form, why] of [
    ['abc', /--lux "abc" is not a light level\. Use lux ≥ 0 \(e\.g\. 1500\), a ramp a\.\.b\/seconds .* or day/],
    ['-5', /--lux "-5": a light level cannot be below 0\. Use /],
    ['200..2000/0', /--lux "200\.\.2000\/0": a ramp needs more than 0 seconds\. Use /],
    ['', /--lux "" is not a light level/]
  ])
    assert.throws(() => parseLight(form), why, form);
});

test('npm start -- --lux abc stops at once with the message, starting nothing', () => {
  const r = runNode(['scripts/start.mjs', '--config', path.join(ROOT, 'config.example.json'), '--lux', 'abc'], { timeout: 20000 });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^simulator: --lux "abc" is not a light level\. Use /);
  assert.doesNotMatch(r.stdout, /built /);
});

test('the simulator REPL: .lux changes the light while a pipeline runs, and the broker sees the change pass the filter', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-lux-'));
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({ ...EXAMPLE, sensor: { id: 'lux-1', intervalSeconds: 0.2, filters: [{ onChange: '10%' }] } }));
  const child = spawn(process.execPath, ['scripts/sim.mjs', '--repl', '--config', config, '--lux', '300'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    // the lux of each message the simulator's subscriber printed
    const published = () => out.split('\n').map((l) => /^\[broker\] test-topic \["lux-1", [\d.]+, ([\d.]+)\]$/.exec(l)).filter(Boolean).map((m) => +m[1]);
    const reading = (lo, hi) => published().some((v) => v >= lo && v <= hi);
    // the simulator builds first: on a loaded machine, with nothing built yet, that can take a while
    await waitFor(() => reading(297, 303), { what: 'the first reading at the broker', then: () => out, timeout: 60000 });
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(published().length, 1, 'a steady light: onChange passes nothing more');
    child.stdin.write('.lux 5000\n');
    await waitFor(() => out.includes('simulator: the sensor sees 5000 lux'), { what: 'the new light' });
    await waitFor(() => reading(4950, 5050), { what: 'the change at the broker', then: () => out });
    child.stdin.write('.lux abc\n');
    await waitFor(() => out.includes('.lux "abc" is not a light level'), { what: 'the refusal in the REPL' });
  } finally {
    child.stdin.write('.exit\n');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 10000))]);
    if (code == 'still running') child.kill('SIGKILL');
  }
});
