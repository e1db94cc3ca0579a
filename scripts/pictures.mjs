// npm run docs:pictures -- [wiring|ram|herd …] [--out dir] [--from file] [--measure]
//
// Draws the SVG pictures of docs/ from the project's own data, so they stay true:
//   wiring  the TSL2591 wired to each board profile's I2C pins (board/*.json): docs/wiring-<profile>.svg
//   ram     device RAM over time through an outage and its drain, with the phases marked, from the samples of
//           npm run bench's memory run (--from: a bench results JSON, default bench/results.json); --measure runs
//           that outage run itself on the interpreter ESPRUINO names (about a minute) and saves its samples
//   herd    a fleet's connection attempts per second and the backlog it holds, over the run, from
//           npm run fleet -- --out file's JSON (--from file); without --from, it runs the fleet of docs/fleet.md
// With no picture named, draws them all. --out: the folder the SVGs go to (default docs/).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ROOT } from './lib/paths.mjs';
import { loadBoard } from './config/index.mjs';
import { WIRED, wiringSvg, ramSvg, herdSvg } from './docs/svg.mjs';
import { answerHelp, formatHelp } from './cli/help.mjs';

const PICTURES = ['wiring', 'ram', 'herd'];
/** The fleet run the committed herd picture and the table of docs/fleet.md come from. */
const FLEET_RUN = ['--devices', '500', '--interval', '2', '--outage', '10:30', '--seconds', '60'];

const USAGE = 'usage: npm run docs:pictures -- [wiring] [ram] [herd] [--out dir] [--from file] [--measure]';

const HELP = formatHelp({
  usage: USAGE.slice('usage: '.length),
  about:
    'Draws the SVG pictures of docs/ from the project\'s own data: wiring (the TSL2591 on each board profile\'s I2C pins), ' +
    'ram (device RAM through an outage and its drain, from the memory bench\'s samples) and herd (a fleet\'s reconnect ' +
    'attempts and backlog, from npm run fleet). With no picture named, draws them all.',
  options: [
    ['--out <dir>', 'the folder the SVGs go to (default: docs/)'],
    ['--from <file>', 'with one picture, ram or herd: the JSON to draw it from (default: bench/results.json for ram; for herd, none: it runs the fleet of docs/fleet.md)'],
    ['--measure', 'ram: run the outage on the interpreter ESPRUINO names (about a minute) instead of reading --from (default: off)']
  ],
  examples: ['npm run docs:pictures -- wiring', 'npm run docs:pictures -- ram --measure']
});

function parse(argv) {
  const o = { pictures: [], out: path.join(ROOT, 'docs'), from: null, measure: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (PICTURES.includes(a)) o.pictures.push(a);
    else if (a == '--out' || a == '--from') {
      if (argv[i + 1] === undefined) throw new Error(`${a} needs a value`);
      o[a.slice(2)] = path.resolve(argv[++i]);
    } else if (a == '--measure') o.measure = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!o.pictures.length) o.pictures = [...PICTURES];
  if (o.from && o.pictures.length != 1) throw new Error('--from goes with one picture: ram or herd');
  return o;
}

const readJson = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

async function ram(o) {
  let memory, source;
  if (o.measure) {
    const { measureOutage } = await import('./bench/memory.mjs');
    memory = await measureOutage();
    if (memory.skipped) throw new Error(`ram: cannot measure: ${memory.skipped}`);
    const file = path.join(ROOT, 'bench', 'outage.json');
    fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), results: { memory } }, null, 2) + '\n');
    source = `a run of the bench's outage on ${path.basename(memory.interpreter)} (samples in ${path.relative(ROOT, file)})`;
  } else {
    const file = o.from || path.join(ROOT, 'bench', 'results.json');
    if (!fs.existsSync(file)) throw new Error(`ram: no ${path.relative(process.cwd(), file)}: run ESPRUINO=/path/to/espruino npm run bench first, or give --measure`);
    memory = readJson(file).results?.memory;
    source = `npm run bench's samples (${path.basename(file)})`;
  }
  const series = memory?.flash?.series;
  if (!series || !series.length)
    throw new Error(`ram: ${memory?.skipped ? `the bench skipped device RAM (${memory.skipped})` : 'the results hold no device RAM samples'}: the samples need Espruino's interpreter; run ESPRUINO=/path/to/espruino npm run bench`);
  console.log(`ram: from ${source}`);
  return { 'device-ram.svg': ramSvg({ series, bufferSize: memory.bufferSize, interval: memory.intervalSeconds }) };
}

function herd(o) {
  let file = o.from;
  if (!file) {
    file = path.join(ROOT, 'bench', 'fleet.json');
    console.log(`herd: running npm run fleet -- ${FLEET_RUN.join(' ')} (about 1.5 minutes)`);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/fleet.mjs'), ...FLEET_RUN, '--out', file, '--markdown'], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) throw new Error('herd: the fleet run failed');
  }
  const report = readJson(file);
  if (!report.backlog || !report.recovery) throw new Error(`herd: ${file} has no outage or no backlog: run npm run fleet with --outage A:B --out file`);
  console.log(`herd: from ${path.relative(process.cwd(), file)}`);
  return { 'fleet-herd.svg': herdSvg(report) };
}

function wiring() {
  return Object.fromEntries(WIRED.map((name) => [`wiring-${name.split('-')[0]}.svg`, wiringSvg(loadBoard(name))]));
}

async function main() {
  answerHelp(process.argv.slice(2), HELP);
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`docs:pictures: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  fs.mkdirSync(o.out, { recursive: true });
  const make = { wiring, ram, herd };
  let failed = 0;
  for (const p of o.pictures) {
    try {
      for (const [name, svg] of Object.entries(await make[p](o))) {
        fs.writeFileSync(path.join(o.out, name), svg);
        console.log(`${p}: ${path.relative(process.cwd(), path.join(o.out, name))}`);
      }
    } catch (e) {
      console.error(`docs:pictures: ${e.message}`);
      failed++;
    }
  }
  process.exit(failed ? 1 : 0);
}

// run as a command only: the tests import its constants
if (import.meta.url == pathToFileURL(process.argv[1]).href) main();
