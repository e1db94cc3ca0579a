// `npm start -- --config examples/battery.json`: a config that sleeps runs through its wakes on a fast clock and says
// so; the wakes that only sample print one reading each, and a send wake's readings arrive at the broker in a burst.
// (Here with a send every 2 wakes, so the burst comes after the first boot's 30 s and two 5 s sleeps.)
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, outputDir } from './helpers.mjs';

test('npm start with examples/battery.json shows the wakes on a fast clock and the readings arriving in bursts', async () => {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/battery.json'), 'utf8'));
  assert.equal(example.power.deepSleep, true);
  const config = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'battery-')), 'config.json');
  fs.writeFileSync(config, JSON.stringify({ ...example, power: { ...example.power, sendEvery: 2 } }));
  const child = spawn(process.execPath, ['scripts/start.mjs', '--config', config], { cwd: ROOT, env: { ...process.env, LUXGRAPH_DIST: outputDir() } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('close', resolve));
  try {
    // the burst: the send wake's line, then both readings at the broker
    const deadline = Date.now() + 240e3;
    while (!/power: everything sent \(2 readings\)/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const lines = out.split('\n');
    assert.ok(lines.includes('simulator: deep sleep (power.deepSleep): awake the board runs in real time, asleep 60 times faster; [hh:mm:ss] is the board\'s time'), out);
    const at = (re) => lines.findIndex((l) => re.test(l));
    const wake = at(/^\[\d\d:\d\d:\d\d\] power: wake 1 of 2: one reading, kept in flash$/), send = at(/^\[\d\d:\d\d:\d\d\] power: wake 2 of 2: sending$/);
    assert.ok(wake > 0 && send > wake, out);
    // the first boot's reading went at once; the two of the wakes come after the send wake started, together
    const burst = lines.slice(send).filter((l) => l.startsWith('[broker] garden/lux '));
    assert.equal(burst.length, 2, out);
    // the board's time moved 5 minutes between the two wakes, in seconds of real time
    const time = (i) => lines[i].slice(1, 9).split(':').reduce((a, x) => a * 60 + +x, 0);
    assert.ok(Math.abs(time(send) - time(wake) - 300) <= 2, `${lines[wake]} / ${lines[send]}`);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
