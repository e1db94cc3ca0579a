// The docs a user reads hold together: every relative link in README, CHANGELOG and docs/ leads to a file (and a
// heading) that is there, the settings table is what npm run docs makes from the schema, README shows the example
// config as it is, and README, the examples and the board profiles agree on the board.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.mjs';
import { referenceText, REFERENCE_FILE } from '../scripts/docs/reference.mjs';
import { DEFAULTS } from '../scripts/lib/defaults.mjs';
import { loadBoard } from '../scripts/config/index.mjs';

const read = (f) => fs.readFileSync(path.join(ROOT, f), 'utf8');
const PAGES = ['README.md', 'CHANGELOG.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => 'docs/' + f)];

/** A page's text outside fenced code blocks. */
const prose = (text) => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading) => heading.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');

/** The anchors of a page's headings. */
const anchors = (file) => new Set([...prose(read(file)).matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));

/** Every relative link of a page (Markdown links and images), as [target file, anchor or undefined]. */
function links(file) {
  return [...prose(read(file)).matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [target, anchor] = href.split('#');
      return [target ? path.posix.normalize(path.posix.join(path.posix.dirname(file), target)) : file, anchor];
    });
}

test('every relative link in README, CHANGELOG and docs/ resolves: the file is there, and so is the heading it names', () => {
  let checked = 0;
  for (const page of PAGES)
    for (const [target, anchor] of links(page)) {
      checked++;
      assert.ok(fs.existsSync(path.join(ROOT, target)), `${page} links to ${target}, which is not there`);
      if (anchor !== undefined) assert.ok(anchors(target).has(anchor), `${page} links to ${target}#${anchor}: no such heading`);
    }
  assert.ok(checked > 40, `links checked: ${checked}`);
});

test('the link check can fail: a link to a missing file or heading is caught', () => {
  assert.deepEqual(links('README.md').filter(([t]) => t == 'docs/configuration.md').length > 0, true);
  assert.ok(!anchors('docs/network.md').has('no-such-heading'));
  assert.ok(anchors('docs/network.md').has('flashing-over-wifi'));
  assert.equal(slug("The running firmware: `LuxGraph`"), 'the-running-firmware-luxgraph');
  assert.equal(slug("The journal's format"), 'the-journals-format');
});

test('every page in docs/ is reachable from README, and README stays short', () => {
  const linked = new Set(links('README.md').map(([t]) => t));
  for (const page of PAGES.filter((p) => p.startsWith('docs/'))) assert.ok(linked.has(page), `README does not link ${page}`);
  assert.ok(linked.has('LICENSE') && linked.has('CHANGELOG.md'));
  const lines = read('README.md').split('\n').length;
  assert.ok(lines <= 250, `README has ${lines} lines`);
});

test("docs/configuration.md's settings table is what npm run docs makes from config.schema.json", () => {
  const page = read(REFERENCE_FILE);
  assert.equal(page, referenceText(page), 'run npm run docs');
});

test("README's Configure example is config.example.json, which names the schema and the default board", () => {
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Configure'), readme.indexOf('\n## ', readme.indexOf('## Configure') + 1));
  const shown = /```json\n([\s\S]*?)```/.exec(section);
  assert.ok(shown, 'a JSON example in Configure');
  assert.equal(shown[1], read('config.example.json'));
  assert.equal(JSON.parse(shown[1]).board, DEFAULTS.board);
});

test('README, the examples and the profiles agree: every example names a board with every feature, and the docs give the 512 KB build its feature set', () => {
  const small = loadBoard('esp8266').storageBytes;
  for (const f of ['config.example.json', ...fs.readdirSync(path.join(ROOT, 'examples')).map((e) => 'examples/' + e)]) {
    const board = loadBoard(JSON.parse(read(f)).board || DEFAULTS.board);
    assert.ok(board.storageBytes > small, `${f} names ${board.id}, whose ${board.storageBytes} bytes of Storage hold only a smaller feature set`);
  }
  for (const page of PAGES) {
    assert.doesNotMatch(read(page), /just fits|\/work\//, `${page}: the 512 KB build fits with its own feature set, not just, and no machine's own path belongs in the docs`);
  }
  assert.match(read('docs/configuration.md'), /features on esp8266: commands off, diagnostics off, journal off \(it cannot fit\), discovery off/);
});

test('LICENSE is the MIT license package.json names, held by the luxgraph authors', () => {
  assert.equal(JSON.parse(read('package.json')).license, 'MIT');
  const license = read('LICENSE');
  assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} the luxgraph authors\n/);
  assert.match(license, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
});

test('the tools\' messages and comments that name a page and its section, "(docs/network.md, Flashing over WiFi)", name ones that exist', () => {
  const files = fs.readdirSync(path.join(ROOT, 'scripts'), { recursive: true }).filter((f) => f.endsWith('.mjs')).map((f) => path.join('scripts', f));
  let named = 0;
  for (const f of files)
    for (const m of read(f).matchAll(/\((README\.md|docs\/[\w-]+\.md), "?([A-Z][^);"]*)"?[);]/g)) {
      named++;
      assert.ok(anchors(m[1]).has(slug(m[2])), `${f} names ${m[1]}, "${m[2]}": no such section`);
    }
  assert.ok(named >= 8, `sections named by the tools: ${named}`);
});
