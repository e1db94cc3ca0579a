// npm run build [-- --config file] [--board name] [--sizes]
//
// Builds dist/firmware.js from the config (the build: scripts/firmware/build.mjs) and says what was built: for
// which board and pins, with which settings, its size, and what the configured pipeline adds; with --sizes, what
// each part of the firmware adds.
import path from 'node:path';
import { ConfigError, redact, boardWarnings, describePin, featureLine, tlsWords } from './config/index.mjs';
import { parseArgs, UsageError } from './cli/args.mjs';
import { answerHelp, commandHelp } from './cli/help.mjs';
import { shownPath } from './lib/paths.mjs';
import { buildFromOptions } from './firmware/build.mjs';
import { operatorFiles } from './firmware/bundle.mjs';
import { partSizes, TIMER_BASE } from './firmware/part-sizes.mjs';
import { pipelineReport } from './firmware/pipeline-report.mjs';

async function main() {
  answerHelp(process.argv.slice(2), () => commandHelp('build'));
  try {
    const opts = parseArgs(process.argv.slice(2), 'build');
    const { sizes, board, firmware, written } = await buildFromOptions(opts);
    for (const w of boardWarnings(firmware)) console.error(w);
    const c = redact(firmware);
    console.log(`built ${shownPath(written)} for ${board.name}: ${board.i2c} SDA ${describePin(board, 'sda')}, SCL ${describePin(board, 'scl')}`);
    console.log(`  WiFi '${c.wifi.ssid}', broker ${c.mqtt.host}:${c.mqtt.port}${tlsWords(c.mqtt.tls)}, topic '${c.mqtt.topic}', sensor '${c.sensor.id}' every ${c.sensor.intervalSeconds} s`);
    console.log('  ' + featureLine(board, firmware));
    console.log(`  size: ${sizes.raw} bytes raw, ${sizes.minified} bytes minified (${sizes.gzip} gzipped)`);
    if (opts.sizes) {
      // twenty bundles more: printed when asked
      console.log('  minified size of each part alone (what it adds on the device):');
      // the runtime operators are in the bundle only for the REPL (sensor.filters are one fused stage, not operators)
      const inBundle = firmware.pipeline.allOperators ? operatorFiles().map((f) => 'operator ' + path.basename(f, '.ts')).concat('operator base (ops/op)', TIMER_BASE) : [];
      for (const { part, bytes } of await partSizes())
        console.log(`    ${part.padEnd(28)} ${String(bytes).padStart(5)} bytes${inBundle.includes(part) ? '  in this bundle' : ''}`);
    } else console.log('  npm run build -- --sizes adds what each part of the firmware adds to it');
    for (const line of await pipelineReport(board, firmware, sizes)) console.log('  ' + line);
  } catch (e) {
    if (e instanceof ConfigError) console.error(`config error in ${e.message}`);
    else console.error(e instanceof UsageError ? `build: ${e.message}` : `build failed: ${e.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname)) main();
