// npm run fleet:count -- --broker mqtt://host:port [--seconds S] [--idle S] [--check report.json …] [--json]
//
// Subscribes to the readings of every fleet on a broker (fleet/+/+/lux) and counts them per device, once each.
// Start it before the fleets. With --check it stops once every report named is there (each fleet writes its own
// with npm run fleet -- --out file, after it drained), and checks each: for every device, counted here + dropped
// there = sampled there (exits 1 when one fails). It also stops after --seconds, after --idle seconds without a
// reading (once some came; make it longer than an outage), or on Ctrl-C, and prints one table.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { brokerOf, subscribeReadings } from './fleet/readings.mjs';
import { Counter, countRows } from './fleet/count.mjs';
import { formatTable } from './bench/table.mjs';
import { answerHelp, formatHelp } from './cli/help.mjs';

const USAGE = formatHelp({
  usage: 'npm run fleet:count -- --broker mqtt://host:port [--seconds S] [--idle S] [--check report.json …] [--json] [--out file] [--quiet]',
  about: 'Counts the readings of every fleet on a broker, once each, per device; start it before the fleets.',
  options: [
    ['--broker url', 'the broker, or one node of the cluster, the fleets publish to (required)'],
    ['--seconds S', 'stop after S seconds (default: no limit)'],
    ['--idle S', 'stop after S seconds without a reading, once some came (default: no limit)'],
    ['--check file', 'a fleet\'s report (npm run fleet -- --out file): stop once each is there, and check it; repeatable (default: none)'],
    ['--json', 'print the report as JSON instead of the table'],
    ['--out file', 'also write the JSON report to file (default: none)'],
    ['--quiet', 'no progress lines']
  ],
  examples: ['npm run fleet:count -- --broker mqtt://127.0.0.1:1883 --check a.json --check b.json']
});

function parse(argv) {
  const o = { checks: [], json: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], v = argv[i + 1];
    if (a == '--json' || a == '--quiet') o[a.slice(2)] = true;
    else if (['--broker', '--seconds', '--idle', '--check', '--out'].includes(a)) {
      if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
      i++;
      if (a == '--check') o.checks.push(v);
      else if (a == '--broker') o.broker = brokerOf(v);
      else if (a == '--out') o.out = v;
      else {
        if (!(+v > 0)) throw new Error(`${a} ${v}: must be a number of seconds above 0`);
        o[a.slice(2)] = +v;
      }
    } else throw new Error(`unknown option ${a}`);
  }
  if (!o.broker) throw new Error('--broker is missing: the broker (or one node of the cluster) the fleets publish to, e.g. mqtt://127.0.0.1:1883');
  return o;
}

async function main() {
  answerHelp(process.argv.slice(2), USAGE);
  let o;
  try {
    o = parse(process.argv.slice(2));
  } catch (e) {
    console.error(`fleet:count: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  const counter = new Counter();
  const sub = await subscribeReadings({ broker: o.broker, clientId: `fleet-count-${process.pid}`, onReading: (r, at) => counter.add(r, at) });
  const t0 = performance.now();
  if (!o.quiet) process.stderr.write(`fleet:count: counting the readings of every fleet on ${o.broker.url}\n`);
  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      if (!o.quiet) process.stderr.write(`fleet:count: ${Math.round((now - t0) / 1000)} s, ${counter.devices.size} devices, ${counter.readings} readings\n`);
      if ((o.seconds && now - t0 >= o.seconds * 1000) || (o.idle && counter.lastAt && now - counter.lastAt >= o.idle * 1000)) done();
      // the fleets write their reports once they drained: one more second for what is still on its way here
      else if (o.checks.length && o.checks.every((f) => fs.existsSync(f))) {
        clearInterval(tick);
        setTimeout(done, 1000);
      }
    }, 1000);
    const done = () => {
      clearInterval(tick);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await sub.close();
  const checks = o.checks.map((f) => counter.check(f));
  const rows = countRows(counter, { broker: o.broker.url, seconds: (performance.now() - t0) / 1000, checks });
  const report = { broker: o.broker.url, devices: Object.fromEntries([...counter.devices].map(([id, d]) => [id, d.keys.size])), repeats: counter.repeats, rows, checks };
  if (o.out) fs.writeFileSync(o.out, JSON.stringify(report, null, 2) + '\n');
  console.log(o.json ? JSON.stringify(report, null, 2) : formatTable(rows));
  if (checks.some((c) => c.accounted != c.devices)) process.exitCode = 1;
}

main().catch((e) => {
  console.error(`fleet:count: ${e.message}`);
  process.exit(1);
});
