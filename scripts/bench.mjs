// npm run bench [-- --quick] [--out file] [--markdown]
//
// Measures, in one run: bundle sizes, the runtime's overhead over hand-written callbacks, scheduler drift and
// jitter, sample-to-subscriber latency through real brokers, flash wear, the awake times of deep sleep's wakes and
// the battery life they give, and memory on an Espruino interpreter when ESPRUINO names one. Prints one table and writes it as JSON to bench/results.json. --quick makes every timing run short
// (for the tests: the numbers are then rough); --markdown prints the table as Markdown too.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './config/index.mjs';
import { measureSizes } from './bench/sizes.mjs';
import { measureGraph } from './bench/graph.mjs';
import { measureGraphEspruino } from './bench/graph-espruino.mjs';
import { measureScheduler } from './bench/scheduler.mjs';
import { measureLatency } from './bench/latency.mjs';
import { measureMemory } from './bench/memory.mjs';
import { measureFlashWear, measureShortOutageWear } from './bench/flash-wear.mjs';
import { measureBattery } from './bench/battery.mjs';
import { measureBatteryEspruino } from './bench/battery-espruino.mjs';
import { measureTls } from './bench/tls.mjs';
import { rows, formatTable, formatMarkdown } from './bench/table.mjs';
import { answerHelp, formatHelp } from './cli/help.mjs';

const HELP = formatHelp({
  usage: 'npm run bench -- [--quick] [--out <file>] [--markdown]',
  about: 'Measures bundle sizes, the graph\'s overhead, scheduler drift, latency through real brokers, flash wear, battery life with deep sleep, what TLS costs on ESP32 and, with ESPRUINO (and ESPRUINO_TLS) set to an interpreter, device memory; prints one table.',
  options: [
    ['--quick', 'short timing runs (rough numbers, for the tests)'],
    ['--out <file>', 'where the JSON report goes (default: bench/results.json)'],
    ['--markdown', 'also print the table as Markdown']
  ],
  examples: ['npm run bench -- --quick --out /tmp/bench.json']
});

const FULL = { battery: { cycles: 3, wearDays: 365 }, flash: { days: 10 }, flashShort: { days: 5 }, graph: { events: 200000, rounds: 7 }, graphEspruino: { events: 3000, rounds: 3 }, scheduler: { periods: 1000, periodMs: 10 }, latency: { samples: 100 } };
const QUICK = { battery: { cycles: 1, wearDays: 30 }, flash: { days: 1, outageSeconds: 600 }, flashShort: { days: 1, outages: 6 }, graph: { events: 20000, rounds: 3 }, graphEspruino: { events: 300, rounds: 1 }, scheduler: { periods: 100, periodMs: 5 }, latency: { samples: 10 } };

async function main() {
  const argv = process.argv.slice(2);
  answerHelp(argv, HELP);
  const known = ['--quick', '--out', '--markdown'];
  for (const a of argv) if (a.startsWith('--') && !known.includes(a)) throw new Error(`unknown option ${a}: options are ${known.join(', ')}`);
  const i = argv.indexOf('--out');
  const out = path.resolve(i >= 0 ? argv[i + 1] : path.join(ROOT, 'bench', 'results.json'));
  const opts = argv.includes('--quick') ? QUICK : FULL;
  // a section that fails says why in its row, and the rest of the bench goes on
  const step = async (what, fn) => {
    process.stderr.write(`bench: ${what}…\n`);
    try {
      return await fn();
    } catch (e) {
      process.stderr.write(`bench: ${what} failed: ${e.stack || e}\n`);
      return { failed: e.message || String(e) };
    }
  };

  // one after another: the timing runs must not share the CPU with each other or with the interpreter
  const started = Date.now();
  const results = {
    sizes: await step('bundle sizes', () => measureSizes()),
    graph: await step('graph overhead', () => measureGraph(opts.graph)),
    graphEspruino: await step('graph overhead on the Espruino interpreter', () => measureGraphEspruino(opts.graphEspruino)),
    scheduler: await step(`scheduler, ${opts.scheduler.periods} periods`, () => measureScheduler(opts.scheduler)),
    latency: await step('latency through aedes and mosquitto', () => measureLatency(opts.latency)),
    flash: await step(`flash wear of the journal, ${opts.flash.days} days of an outage`, () => measureFlashWear(opts.flash)),
    flashShort: await step(`flash wear of the journal, ${opts.flashShort.days} days of short outages`, () => measureShortOutageWear(opts.flashShort)),
    battery: await step(`battery: deep sleep, ${opts.battery.cycles} send cycles on the simulator's clock`, () => measureBattery(opts.battery)),
    batteryEspruino: await step('battery: deep sleep on the Espruino interpreter', () => measureBatteryEspruino()),
    memory: await step('memory on the Espruino interpreter', () => measureMemory()),
    tls: await step('the broker over TLS on ESP32: Storage, and variables on the TLS interpreter', () => measureTls())
  };
  const list = rows(results);
  const report = {
    date: new Date().toISOString(),
    quick: argv.includes('--quick'),
    host: `${os.cpus()[0]?.model || 'unknown CPU'}, Node ${process.version}`,
    seconds: Math.round((Date.now() - started) / 1000),
    rows: list,
    results
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
  console.log(formatTable(list));
  if (argv.includes('--markdown')) console.log('\n' + formatMarkdown(list));
  console.log(`\n${report.host}; ${report.seconds} s; written to ${path.relative(process.cwd(), out) || out}`);
}

main().catch((e) => {
  console.error(`bench failed: ${e.message}`);
  process.exit(1);
});
