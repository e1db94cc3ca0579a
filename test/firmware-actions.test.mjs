// control()'s own actions (OwnActions in src/control/actions.ts) are a letter apiece on the device
// (scripts/firmware/actions.mjs): the build finds them where the source declares them, gives the firmware and its
// modules the same letters, and leaves every other string as it is.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ownActionNames, actionLetters, shortenActions } from '../scripts/firmware/actions.mjs';
import { ROOT } from '../scripts/lib/paths.mjs';
import { buildWith } from './helpers.mjs';

test("control()'s own actions: the writer's events with them, each a branch of control()", async () => {
  const names = await ownActionNames();
  // mqttUp and mqttMessage are declared by the writer (src/net/writer.ts), which OwnActions extends
  assert.ok(names.includes('mqttUp') && names.includes('mqttMessage'), names.join(', '));
  assert.ok(names.includes('sampleEvery'), names.join(', '));
  // one without a branch would be looked for in a Storage module, and found missing
  const control = fs.readFileSync(path.join(ROOT, 'src/control/control.ts'), 'utf8');
  for (const name of names) assert.match(control, new RegExp(`\\bwhat == '${name}'`), `control() has a branch for ${name}`);
});

test('the interfaces OwnActions extends are followed into the file that declares them; one that is nowhere is named', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'actions-'));
  try {
    fs.writeFileSync(path.join(dir, 'events.ts'), 'export interface Events {\n  up(): void;\n  said(text: string): void;\n}\n');
    fs.writeFileSync(path.join(dir, 'actions.ts'), "import type { Events } from './events';\ninterface Local { beat(): void }\nexport interface OwnActions extends Events, Local {\n  every(seconds: number): void;\n}\n");
    assert.deepEqual(await ownActionNames(path.join(dir, 'actions.ts')), ['up', 'said', 'beat', 'every']);
    fs.writeFileSync(path.join(dir, 'lost.ts'), 'export interface OwnActions extends Elsewhere {\n  every(): void;\n}\n');
    await assert.rejects(ownActionNames(path.join(dir, 'lost.ts')), /Elsewhere is neither declared nor imported/);
    await assert.rejects(ownActionNames(path.join(dir, 'events.ts')), /has no interface OwnActions/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('each string that is exactly an action name becomes its letter; property names and other strings stay', () => {
  const letters = actionLetters(['mqttUp', 'sampleEvery']);
  assert.deepEqual(letters, { mqttUp: 'a', sampleEvery: 'b' });
  const code = `if (what == 'mqttUp') f({ mqttUp: 1, "sampleEvery": 2 }, o.mqttUp, 'mqttUps', "sampleEvery"); g("WiFi: mqttUp")`;
  assert.equal(shortenActions(code, letters), `if (what == "a") f({ mqttUp: 1, "sampleEvery": 2 }, o.mqttUp, 'mqttUps', "b"); g("WiFi: mqttUp")`);
});

test('the built firmware and its modules share the letters; the readable bundle keeps the names', async () => {
  const built = await buildWith({});
  const letters = actionLetters(await ownActionNames());
  const lgwifi = built.modules.find((m) => m.name == 'lgwifi').code;
  for (const [name, letter] of Object.entries(letters)) {
    assert.match(built.debug, new RegExp(`['"]${name}['"]`), `the readable bundle says ${name}`);
    assert.doesNotMatch(built.code, new RegExp(`['"]${name}['"]`), `the firmware has no ${name}`);
    // control() tells it apart by its letter
    assert.ok(built.code.includes(`=="${letter}"`), `control() compares with "${letter}" (${name})`);
  }
  // lgwifi asks for the next join with the letter control() knows it by
  assert.match(lgwifi, new RegExp(`setTimeout\\([^)]*,"${letters.wifiJoin}"\\)`));
  for (const m of built.modules) for (const name of Object.keys(letters)) assert.doesNotMatch(m.code, new RegExp(`['"]${name}['"]`), `${m.name} has no ${name}`);
});
