// --help and -h on every script: the usage, what it does, its options with their defaults and an example, on
// stdout, exit 0 (npm's and git's convention), instead of `unknown option --help` and exit 1 or 2.
import test from 'node:test';
import assert from 'node:assert/strict';
import { runNode } from './helpers.mjs';

const SCRIPTS = [
  ['build', 'npm run build --'],
  ['flash', 'npm run flash --'],
  ['repl', 'npm run repl --'],
  ['start', 'npm start --'],
  ['sim', 'npm run sim --'],
  ['bench', 'npm run bench --'],
  ['fleet', 'npm run fleet --'],
  ['fleet-count', 'npm run fleet:count --'],
  ['modules', 'npm run modules:fetch --'],
  ['ports', 'npm run ports'],
  ['docs', 'npm run docs --'],
  ['pictures', 'npm run docs:pictures --']
];

for (const [script, usage] of SCRIPTS)
  test(`npm run ${script} -- --help and -h: usage, options, example, exit 0`, () => {
    const long = runNode([`scripts/${script}.mjs`, '--help']);
    assert.equal(long.status, 0, long.stderr);
    assert.equal(long.stderr, '');
    assert.ok(long.stdout.startsWith(`usage: ${usage}`), long.stdout);
    assert.match(long.stdout, /\noptions:\n/);
    assert.match(long.stdout, /\n {2}-h, --help +print this help and exit\n/);
    assert.match(long.stdout, /\nexample:\n {2}npm (run|start)/);
    // every option with a value says its default (ports takes none)
    for (const line of long.stdout.split('\n').filter((l) => /^ {2}--[\w-]+ \S/.test(l)))
      assert.match(line, /default|required/, `${script}: ${line}`);
    const short = runNode([`scripts/${script}.mjs`, '-h']);
    assert.equal(short.status, 0);
    assert.equal(short.stdout, long.stdout);
  });

test('an unknown option is still refused, with exit 1', () => {
  const r = runNode(['scripts/build.mjs', '--helpp']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^build: unknown option --helpp/);
});
