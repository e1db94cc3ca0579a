// The command line of build, flash, repl and the simulator: a mistake is refused with what to type instead, never
// quietly built from config.json.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, EXAMPLE, runNode } from './helpers.mjs';
import { parseArgs } from '../scripts/cli/args.mjs';

const noNpm = {}; // an environment without npm's variables: run directly with node

test('options are read by name, with the value after them or after =', () => {
  assert.deepEqual(parseArgs(['--config', 'a.json', '--board=esp32'], 'build', noNpm), { config: 'a.json', board: 'esp32' });
  assert.deepEqual(parseArgs(['--port', '/dev/ttyUSB0', '--dry-run'], 'flash', noNpm), { port: '/dev/ttyUSB0', dryRun: true });
  assert.deepEqual(parseArgs(['--repl', '--ir-ratio', '0.2'], 'sim', noNpm), { repl: true, irRatio: '0.2' });
});

const mistakes = [
  ['build', ['--confg', 'x.json'], /^unknown option --confg: did you mean --config\? npm run build takes --config my-config\.json, --board esp32, --sizes$/],
  ['build', ['--config'], /^--config needs a value, e.g\. npm run build -- --config my-config\.json$/],
  ['build', ['--board'], /^--board needs a value/],
  ['build', ['--config', '--board', 'esp32'], /^--config needs a value/],
  ['build', ['--port', '/dev/ttyUSB0'], /^unknown option --port: .*npm run build takes --config/],
  ['build', ['x.json'], /^unexpected argument "x\.json": options start with --, and npm needs -- before them: npm run build -- --config x\.json$/],
  ['flash', ['/dev/ttyUSB0'], /npm needs -- before them: npm run flash -- --port \/dev\/ttyUSB0$/],
  ['flash', ['--dry-run=yes'], /^--dry-run takes no value$/],
  ['sim', ['--lx', '5'], /^unknown option --lx: did you mean --lux\?/],
  ['start', ['--repl'], /^unknown option --repl/]
];

for (const [command, argv, message] of mistakes)
  test(`npm run ${command} -- ${argv.join(' ')}: refused, saying what to type`, () => {
    assert.throws(() => parseArgs(argv, command, noNpm), { message });
  });

test('an option npm took for itself (no -- before it) is named, with the line to type', () => {
  // `npm run build --config x.json`: npm sets npm_config_config=true and passes x.json on
  const env = { npm_lifecycle_event: 'build', npm_config_config: 'true' };
  assert.throws(() => parseArgs(['x.json'], 'build', env), { message: /^npm took --config for itself: npm needs -- before the options: npm run build -- --config x\.json$/ });
  assert.throws(() => parseArgs([], 'build', env), { message: /npm run build -- --config my-config\.json$/ }, '--config alone, no value');
  const withEquals = { npm_lifecycle_event: 'build', npm_config_config: 'x.json' }; // npm run build --config=x.json
  assert.throws(() => parseArgs([], 'build', withEquals), { message: /^npm took --config for itself: .* npm run build -- --config x\.json$/ });
  const flashEnv = { npm_lifecycle_event: 'flash', npm_config_dry_run: 'true', npm_config_port: 'true' };
  assert.throws(() => parseArgs(['/dev/ttyUSB0'], 'flash', flashEnv), { message: /npm took --port, --dry-run for itself: .* npm run flash -- --port \/dev\/ttyUSB0 --dry-run$/ });
});

const npmSkip = spawnSync('npm', ['--version']).status === 0 ? false : 'npm is not on the PATH';

test('through npm itself: npm run build --config x.json is refused instead of building config.json', { skip: npmSkip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-'));
  const file = path.join(dir, 'other.json');
  fs.writeFileSync(file, JSON.stringify(EXAMPLE));
  const r = spawnSync('npm', ['run', '--silent', 'build', '--config', file], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /npm needs -- before the options: npm run build -- --config \S*other\.json/);
  assert.doesNotMatch(r.stdout, /built /);
});

test('scripts print the refusal as a one-line error, with no stack trace', () => {
  for (const [script, argv, prefix] of [
    ['scripts/build.mjs', ['--confg', 'x'], 'build: '],
    ['scripts/flash.mjs', ['--prot', 'x'], 'flash: '],
    ['scripts/repl.mjs', ['--bord', 'x'], 'repl: '],
    ['scripts/sim.mjs', ['--repl', '--lx', '1'], 'simulator: '],
    ['scripts/start.mjs', ['--brokr', 'x'], 'simulator: ']
  ]) {
    const r = runNode([script, ...argv]);
    assert.equal(r.status, 1, script);
    assert.match(r.stderr, new RegExp(`^${prefix}unknown option --\\w+: did you mean --\\w+\\?`), script);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('npm run repl without a port names npm run repl and npm run ports', () => {
  const r = runNode(['scripts/repl.mjs']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^repl: no port given: add --port, e\.g\. npm run repl -- --port \/dev\/ttyUSB0 \(npm run ports lists the serial ports\), or --port tcp:\/\/192\.168\.1\.50/);
});

test('--broker in another form than a URL says what the form is', () => {
  const r = runNode(['scripts/start.mjs', '--broker', '127.0.0.1:1883']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^simulator: --broker takes a URL such as mqtt:\/\/127\.0\.0\.1:1883 .*got "127\.0\.0\.1:1883"/);
  assert.doesNotMatch(r.stderr, /Invalid URL/);
});

test('npm run ports lists the USB serial ports and the flash line to use, or says how to get one', () => {
  const dev = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-'));
  for (const name of ['ttyS0', 'ttyUSB0', 'ttyACM1', 'tty', 'null']) fs.writeFileSync(path.join(dev, name), '');
  let r = runNode(['scripts/ports.mjs'], { env: { ...process.env, LUXGRAPH_DEV_DIR: dev } });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, `USB serial ports:\n  ${dev}/ttyACM1\n  ${dev}/ttyUSB0\nthen: npm run flash -- --port ${dev}/ttyACM1\n`);
  fs.rmSync(path.join(dev, 'ttyUSB0'));
  fs.rmSync(path.join(dev, 'ttyACM1'));
  r = runNode(['scripts/ports.mjs'], { env: { ...process.env, LUXGRAPH_DEV_DIR: dev } });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^no USB serial port found: plug the board in with a data cable/);
  assert.equal(r.stderr, '');
  // and on this machine as it is: serialport's list, or /dev where it cannot list, without a crash
  r = runNode(['scripts/ports.mjs']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^(USB serial ports:|no USB serial port found)/);
  assert.equal(r.stderr, '');
});
