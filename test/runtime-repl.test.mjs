// `npm run sim -- --repl`: the tutorial's REPL session, typed into the simulator's REPL, prints the tutorial's
// ('lux-1', ts, lux) lines and publishes the same readings to the broker.
import test from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT, waitFor } from './helpers.mjs';

test("the tutorial's session typed into npm run sim -- --repl", async () => {
  const child = spawn(process.execPath, ['scripts/sim.mjs', '--repl', '--config', path.join(ROOT, 'config.example.json'), '--lux', '512'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe']
  });
  let out = '', err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const type = (line) => child.stdin.write(line + '\n');
  try {
    // as the user does: wait for the firmware to be up, then stop its graph and build one by hand
    await waitFor(() => out.includes('WiFi: connected'), { what: `the firmware up in the REPL (${out}${err})`, timeout: 20000 });
    type('LuxGraph.stop()');
    type("'--- typed by hand from here ---'");
    await waitFor(() => out.includes("='--- typed by hand from here ---'"), { what: 'the REPL to echo the marker' });
    for (const line of [
      "var sensor = new SensorPub(new Tsl2591('lux-1'));",
      'sensor.subscribe(new Output());',
      "var m = new MQTTWriter('esp8266', '192.168.1.10', 1883, 'test-topic');",
      'sensor.subscribe(m);',
      'var sched = new Scheduler();',
      'sched.schedulePeriodic(sensor, 2);',
      'sched.runForever();'
    ])
      type(line);
    const after = () => out.slice(out.indexOf("='--- typed by hand from here ---'"));
    const published = await waitFor(() => /\[broker\] test-topic \["lux-1", (\d+), ([\d.]+)\]/.exec(after()), {
      what: `a reading of the hand-built graph at the broker (${out})`,
      timeout: 20000
    });
    const [, ts, lux] = published;
    assert.ok(Math.abs(+lux - 512) < 6, `lux ${lux} near the simulated 512`);
    assert.ok(after().includes(`('lux-1', ${ts}, ${lux})`), `the console shows the same reading as a tuple:\n${after()}`);
    type('nosuchthing()');
    await waitFor(() => out.includes('Uncaught ReferenceError: nosuchthing is not defined'), { what: 'a REPL error shown as such' });
  } finally {
    type('.exit');
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 10000))]);
    if (code == 'still running') child.kill('SIGKILL');
    assert.equal(code, 0, err);
  }
});
