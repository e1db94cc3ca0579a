// The sensor part of config.json: a bad value is refused with the field and what is expected.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runNode, EXAMPLE } from './helpers.mjs';

function configFile(content) {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cfg-')), 'config.json');
  fs.writeFileSync(f, JSON.stringify(content));
  return f;
}

const sensor = (s) => ({ ...EXAMPLE, sensor: { id: 'lux-1', ...s } });
const badConfigs = [
  ['gain unknown', sensor({ gain: 'bright' }), /sensor\.gain: must be one of auto, low, med, high, max, got "bright"/],
  ['gain as a number', sensor({ gain: 2 }), /sensor\.gain: must be one of auto, low, med, high, max, got 2/],
  ['integration time not a step', sensor({ integrationMs: 250 }), /sensor\.integrationMs: must be one of 100, 200, 300, 400, 500, 600, got 250/],
  ['integration time too long', sensor({ integrationMs: 700 }), /sensor\.integrationMs: must be a whole number from 100 to 600, got 700/],
  ['device factor zero', sensor({ deviceFactor: 0 }), /sensor\.deviceFactor: must be a number from 0\.001 to 10000, got 0/],
  ['glass factor a string', sensor({ glassFactor: '7.7' }), /sensor\.glassFactor: must be a number from 0\.001 to 10000, got "7\.7"/],
  ['power save not a boolean', sensor({ powerSave: 'yes' }), /sensor\.powerSave: must be true or false, got "yes"/],
  ['onSaturated unknown', sensor({ onSaturated: 'clip' }), /sensor\.onSaturated: must be "skip" \(leave saturated readings out\) or "null" \(publish them as null\), got "clip"/]
];

for (const [name, config, expected] of badConfigs) {
  test(`a bad sensor config is refused with a clear message: ${name}`, () => {
    const r = runNode(['scripts/build.mjs', '--config', configFile(config)]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^config error in /);
    assert.match(r.stderr, expected);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
}
