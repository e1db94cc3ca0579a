// npm run docs:pictures: each picture's command runs and writes a well-formed SVG, without Espruino's interpreter.
// The wiring is drawn from the board profiles (and the committed files are what it draws), device RAM from a saved
// run of the bench's samples, the herd from a small fleet run here.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runNode, outputDir } from './helpers.mjs';
import { loadBoard } from '../scripts/config/index.mjs';
import { WIRED } from '../scripts/docs/svg.mjs';

/** Throws unless `text` is well-formed XML whose root is an <svg> in the SVG namespace; returns its elements' names. */
function wellFormedSvg(text) {
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const stack = [], names = [];
  let at = 0;
  for (const m of body.matchAll(/<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const between = body.slice(at, m.index);
    assert.doesNotMatch(between, /[<>]|&(?!(amp|lt|gt|quot|apos|#\d+);)/, `stray markup or an unescaped & before ${m[0]}`);
    at = m.index + m[0].length;
    const [, close, name, , selfClosing] = m;
    if (close) assert.equal(stack.pop(), name, `</${name}> closes another element`);
    else {
      if (!names.length) {
        assert.equal(name, 'svg', 'the root is <svg>');
        assert.match(m[3], /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      } else assert.ok(stack.length, `<${name}> after the root closed`);
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  assert.doesNotMatch(body.slice(at), /</, 'markup the parser did not take: an attribute without quotes?');
  assert.deepEqual(stack, [], 'every element closed');
  assert.ok(names.length > 5, 'a picture with parts');
  return names;
}

const draw = (...args) => {
  const out = outputDir();
  const r = runNode(['scripts/pictures.mjs', ...args, '--out', out], { timeout: 120000 });
  return { ...r, out, svg: (name) => fs.readFileSync(path.join(out, name), 'utf8') };
};

test('the check catches a picture that is not well formed', () => {
  assert.throws(() => wellFormedSvg('<svg xmlns="http://www.w3.org/2000/svg"><g><rect/></svg>'));
  assert.throws(() => wellFormedSvg('<svg xmlns="http://www.w3.org/2000/svg"><text>a & b</text></svg>'));
  assert.throws(() => wellFormedSvg('<svg xmlns="http://www.w3.org/2000/svg"><rect x=1/></svg>'));
});

test('wiring: one picture per kind of board, from its profile, and the committed ones are what it draws', () => {
  const r = draw('wiring');
  assert.equal(r.status, 0, r.stderr);
  for (const name of WIRED) {
    const board = loadBoard(name), file = `wiring-${name.split('-')[0]}.svg`;
    const svg = r.svg(file);
    wellFormedSvg(svg);
    const gpio = (pin) => /\d+/.exec(board[pin])[0];
    for (const label of [board.wiring.sda, board.wiring.scl, board.wiring.vcc, board.wiring.gnd, `GPIO${gpio('sda')}, Espruino's ${board.sda}`, `GPIO${gpio('scl')}, Espruino's ${board.scl}`])
      assert.ok(svg.includes(`>${label}<`), `${file} shows ${label}`);
    assert.equal(fs.readFileSync(path.join(ROOT, 'docs', file), 'utf8'), svg, `docs/${file} is stale: npm run docs:pictures -- wiring`);
  }
});

test('ram: drawn from the bench\'s samples, with its peak and phases; results without samples are refused, saying why', () => {
  const fixture = path.join(ROOT, 'test/fixtures/bench-outage.json');
  const r = draw('ram', '--from', fixture);
  assert.equal(r.status, 0, r.stderr);
  const svg = r.svg('device-ram.svg');
  wellFormedSvg(svg);
  const series = JSON.parse(fs.readFileSync(fixture, 'utf8')).results.memory.flash.series;
  assert.ok(svg.includes(`peak ${Math.max(...series.map((s) => s[2]))}<`), 'the peak is marked');
  for (const phase of ['broker away: to flash', 'past buffer.size', 'broker back: drain']) assert.ok(svg.includes(phase), phase);
  assert.equal((svg.match(/<circle class="moment" /g) || []).length, series.filter((s) => s[3]).length, 'a dot per moment sampled between the 100 ms samples');

  const skipped = path.join(outputDir(), 'results.json');
  fs.writeFileSync(skipped, JSON.stringify({ results: { memory: { skipped: 'ESPRUINO is not set' } } }));
  const refused = draw('ram', '--from', skipped);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /the bench skipped device RAM \(ESPRUINO is not set\): the samples need Espruino's interpreter/);
});

test('herd: drawn from a fleet run with an outage, a bar per second of attempts and the backlog', () => {
  const report = path.join(outputDir(), 'fleet.json');
  const fleet = runNode(['scripts/fleet.mjs', '--devices', '12', '--interval', '1', '--outage', '2:5', '--seconds', '8', '--quiet', '--out', report], { timeout: 120000 });
  assert.equal(fleet.status, 0, fleet.stderr);
  const json = JSON.parse(fs.readFileSync(report, 'utf8'));
  assert.ok(json.backlog.length >= 7 && Math.max(...json.backlog) > 0, `readings waited during the outage: ${json.backlog}`);
  const r = draw('herd', '--from', report);
  assert.equal(r.status, 0, r.stderr);
  const svg = r.svg('fleet-herd.svg');
  wellFormedSvg(svg);
  assert.ok(svg.includes('broker stopped from 2 s to 5 s'));
  const bars = json.recovery.attemptsPerSecond.filter((a) => a > 0).length;
  assert.equal((svg.match(/<rect class="attempts" /g) || []).length, bars, 'a bar per second with attempts');
});

test('the committed pictures of device RAM and of the herd are well formed', () => {
  for (const f of ['device-ram.svg', 'fleet-herd.svg']) wellFormedSvg(fs.readFileSync(path.join(ROOT, 'docs', f), 'utf8'));
});
