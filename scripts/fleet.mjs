// npm run fleet -- --devices N [--broker mqtt://host:port] [--interval s] [--outage A:B] [--seconds S] …
//
// N virtual devices in this process, each running dist/firmware.js's code in its own simulated device (vm context,
// TSL2591, WiFi, MQTT module) under its own client id, against the embedded broker or any MQTT 3.1.1 broker, with
// an optional outage. Prints one table at the end (JSON with --json): readings sampled, delivered and dropped,
// latency, the reconnect herd, CPU and memory per device. With a config that sleeps (power.deepSleep), the devices
// run through their wakes on a shared fast clock, and the table has the bursts at the broker and the awake times
// instead of an outage's herd. See docs/fleet.md.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import { ConfigError } from './config/index.mjs';
import { parseOptions, USAGE } from './fleet/options.mjs';
import { answerHelp } from './cli/help.mjs';
import { runFleet } from './fleet/run.mjs';
import { runSleepingFleet } from './fleet/sleeping.mjs';
import { rows, jsonReport } from './fleet/report.mjs';
import { formatTable, formatMarkdown } from './bench/table.mjs';

/** The progress line: overwritten every second on a terminal, one line every 5 s otherwise. */
function progressLine(o) {
  const tty = process.stderr.isTTY;
  let lastCpu = process.cpuUsage(), lastAt = performance.now(), n = 0;
  return (state) => {
    const now = performance.now(), cpu = process.cpuUsage(lastCpu);
    const load = (cpu.user + cpu.system) / 1000 / (now - lastAt);
    lastCpu = process.cpuUsage();
    lastAt = now;
    if (o.quiet || (!tty && ++n % 5)) return;
    const m = state.members;
    let sampled = 0, delivered = 0, dropped = 0, queued = 0, up = 0;
    for (const x of m) {
      const w = x.writer;
      sampled += w.sampled;
      delivered += x.ledger.delivered;
      dropped += w.dropped;
      queued += w.queued;
      if (w.client.connected) up++;
    }
    const t = Math.round((now - state.t0) / 1000);
    const line = `fleet: ${t}/${o.seconds} s ${state.phase}, connected ${up}/${m.length}, sampled ${sampled} delivered ${delivered} dropped ${dropped} queued ${queued}, cpu ${Math.round(100 * load)} %`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : line + '\n');
  };
}

/** The progress line of a sleeping fleet: the board's time, the devices awake, the send cycles done. */
function sleepProgressLine(o) {
  const tty = process.stderr.isTTY;
  let n = 0;
  return (state) => {
    if (o.quiet || (!tty && ++n % 5)) return;
    const m = state.members;
    let awake = 0, sampled = 0, delivered = 0, done = 0;
    for (const x of m) {
      if (x.awake) awake++;
      if (x.done) done++;
      sampled += x.ledger.sampled;
      delivered += x.ledger.delivered;
    }
    const board = ((state.clock.now() - state.start) / 3600e3).toFixed(2);
    const line = `fleet: ${Math.round((performance.now() - state.t0) / 1000)} s, board time ${board} h, awake ${awake}/${m.length}, sampled ${sampled} delivered ${delivered}, done ${done}/${m.length} (${state.cycles} send cycles each)`;
    process.stderr.write(tty ? `\r\x1b[K${line}` : line + '\n');
  };
}

async function main() {
  answerHelp(process.argv.slice(2), USAGE);
  let o;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`fleet: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (!o.quiet) process.stderr.write(`fleet: building the firmware and starting ${o.devices} devices…\n`);
  const results = o.sleeps ? await runSleepingFleet(o, { progress: sleepProgressLine(o) }) : await runFleet(o, { progress: progressLine(o) });
  if (!o.quiet && process.stderr.isTTY) process.stderr.write('\n');
  const report = jsonReport(results);
  if (o.out) {
    // whole or not at all: npm run fleet:count -- --check reads it as soon as it appears
    fs.writeFileSync(o.out + '.tmp', JSON.stringify(report, null, 2) + '\n');
    fs.renameSync(o.out + '.tmp', o.out);
  }
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else {
    const list = rows(results);
    console.log(formatTable(list));
    if (o.markdown) console.log('\n' + formatMarkdown(list));
    console.log(`\n${report.host}`);
  }
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `fleet: config error in ${e.message}` : `fleet: ${e.message}`);
  process.exit(1);
});
