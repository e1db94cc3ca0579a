// npm run bench runs and reports every row: the table on stdout and the same rows in the JSON file, with the
// memory column saying why it was skipped when no Espruino interpreter is given, and the MQTT module reported as
// not available when modules/ lacks it. Timings are never judged here: that is the bench's own job.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { ROOT } from './helpers.mjs';
import { percentile } from '../scripts/bench/stats.mjs';
import { memorySkip } from '../scripts/espruino/espruino-rig.mjs';
import { opensslSkip } from '../scripts/lib/certificates.mjs';
import { formatTable, duration, rows } from '../scripts/bench/table.mjs';

function bench(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/bench.mjs', ...args], { cwd: ROOT, env });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

// every measure the table must have, by section
const EXPECTED = [
  ['bundle', /^firmware raw \/ minified \/ gzip$/, /^\d+ \/ \d+ \/ \d+ bytes$/],
  ['bundle', /^part: runtime core$/, /^\d+ bytes$/],
  ['bundle', /^part: driver/, /^\d+ bytes$/],
  ['bundle', /^part: network/, /^\d+ bytes$/],
  ['bundle', /^part: control/, /^\d+ bytes$/],
  ['bundle', /^module lgwifi \(the firmware's own/, /^\d+ bytes$/],
  ['bundle', /^module lgcommand /, /^\d+ bytes$/],
  ['bundle', /^module lgdiag /, /^\d+ bytes$/],
  // each board's Storage counts the firmware's own modules (here without the MQTT module, absent)
  ['bundle', /^Storage on ESP8266_4MB \(board\/esp8266-4mb\.json\): \.bootcde \+ lgwifi \+ lgcommand \+ lgdiag \+ lgjournal, with headers$/, /^\d+ of 196608 bytes/],
  // the 512 KB ESP8266's feature set: commands, diagnostics and the journal off by default
  ['bundle', /^Storage on ESP8266_BOARD \(board\/esp8266\.json\): \.bootcde \+ lgwifi, with headers$/, /^\d+ of 16384 bytes/],
  ['bundle', /^MQTT module/, /^not available: no MQTT\.js in .*npm run modules:fetch/],
  ['graph', /^SensorPub → map → filter → 2 subscribers$/, /^[\d,]+ events\/s$/],
  ['graph', /^same pipeline by hand/, /^[\d,]+ events\/s$/],
  ['graph', /^overhead ratio/, /^\d+(\.\d+)?×$/],
  ['scheduler', /^cumulative drift over 100 periods of 5 ms$/, /^-?\d+(\.\d+)? ms$/],
  ['scheduler', /^jitter p50 \/ p99/, /^[\d.]+ ms \/ [\d.]+ ms \([\d.]+ ms\)$/],
  ['latency', /via aedes, p50 \/ p99 \(10\)$/, /^[\d.]+ ms \/ [\d.]+ ms$/],
  ['latency', /via mosquitto/, /^([\d.]+ ms \/ [\d.]+ ms|skipped: mosquitto is not installed.*)$/],
  ['flash', /^journal: bytes written \/ pages erased per 1000 journaled readings \(1 day of a 10-minute outage/, /^\d+ bytes \/ [\d.]+ pages \(\d+ readings, 0 dropped, \d+ compactions\)$/],
  ['flash', /^journal: flash life at one such outage a day/, /^(\d+ years \([\d.]+ erases a day\)|no page erased in 1 days)$/],
  ['flash', /^journal: bytes written \/ pages erased a day \(6 outages of 5 minutes a day at 2 s, each to flash from its first reading; 1 day,/, /^\d+ bytes \/ [\d.]+ pages \(\d+ readings, 0 dropped, \d+ compactions\)$/],
  ['flash', /^journal: flash life at 6 outages of 5 minutes a day/, /^(\d+ years \([\d.]+ erases a day\)|no page erased in 1 day)$/],
  ['battery', /^a wake that only samples: firmware time on the simulator's clock, the ROM boot apart, median \/ max \(11 wakes, 5-minute wakes, a send every 12\)$/, /^\d+ \/ \d+ ms$/],
  ['battery', /^a send wake after the WiFi join: median \/ max \(1 sends of 12 readings\)$/, /^\d+ \/ \d+ ms$/],
  ['battery', /^flash: bytes written \/ pages erased a day \(the wakes' Storage calls replayed for 30 days/, /^\d+ bytes \/ [\d.]+ pages \(\d+ compactions\)$/],
  ['battery', /^flash life at 5-minute wakes, a send every 12/, /^(\d+ years \([\d.]+ erases a day\)|no page erased in 30 days)$/],
  ['battery', /^currents \(ESP8266EX and TSL2591 datasheets/, /^awake with the radio 70 mA, radio off 15 mA, asleep 20 µA; TSL2591 integrating 0\.4 mA, asleep 2\.3 µA$/],
  ['battery', /^2×AA \(2500 mAh\) at 5-minute wakes, a send every 12/, /^[\d.]+ mAh a day \(.*\): [\d.]+ years$/],
  ['battery', /^a wake that only samples on Espruino's interpreter/, /^skipped: ESPRUINO is not set/],
  ['memory', /^process\.memory\(\)\.usage on the device$/, /^skipped: ESPRUINO is not set: it names an Espruino interpreter binary/],
  // what TLS adds to the ESP32 upload (certificates openssl makes), and its variables where the MQTT module is
  ...(opensslSkip()
    ? [['tls', /^the broker over TLS on ESP32/, /^skipped: openssl is not installed/]]
    : [
        ['tls', /^ESP32 upload with mqtt\.tls and mqtt\.ca \(RSA 2048\), over the same without TLS, MQTT module left out$/, /^\.bootcde \d+ \(\+\d+\), Storage \d+ \(\+\d+\) bytes$/],
        ['tls', /^ESP32 upload with a client certificate too/, /^\.bootcde \d+ \(\+\d+\), Storage \d+ \(\+\d+\) bytes$/],
        ['tls', /^variables on the TLS interpreter \(ESPRUINO_TLS\)$/, /^skipped: (ESPRUINO_TLS is not set|the MQTT module is needed)/]
      ])
];

test('npm run bench -- --quick: one table on stdout and the same rows in the JSON file, memory skipped without ESPRUINO', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  const out = path.join(dir, 'results.json');
  const env = { ...process.env, LUXGRAPH_MODULES_DIR: path.join(dir, 'no-modules') };
  delete env.ESPRUINO;
  const r = await bench(['--quick', '--out', out], env);
  assert.equal(r.status, 0, r.stderr);

  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(report.quick, true);
  for (const [section, measure, value] of EXPECTED) {
    const row = report.rows.find((x) => x.section == section && measure.test(x.measure));
    assert.ok(row, `a ${section} row matching ${measure}: ${JSON.stringify(report.rows.map((x) => x.measure))}`);
    assert.match(row.value, value, `${section} / ${row.measure}`);
    // a row with a target has a verdict; the skipped ones say so
    if (row.target) assert.match(row.verdict, row.value.startsWith('skipped') ? /^skipped$/ : /^(ok|over)$/, `${row.measure}: verdict`);
  }
  assert.equal(report.results.memory.skipped, 'ESPRUINO is not set: it names an Espruino interpreter binary (npm run espruino:build makes one and prints the line to set it)');
  assert.ok(report.results.graph.ratio > 0 && Number.isFinite(report.results.graph.ratio));
  assert.equal(report.results.sizes.firmware.minified, report.results.sizes.firmware.minified | 0);

  // stdout is the same rows as an aligned table
  assert.equal(r.stdout.split('\n')[0].split('|').map((s) => s.trim()).join(','), 'section,measure,value,target,verdict');
  assert.ok(r.stdout.startsWith(formatTable(report.rows)), 'the printed table is the JSON rows');
  assert.match(r.stdout, /written to .*results\.json/);
});

test('the memory column names what is missing: a binary that does not exist, or the MQTT module', () => {
  assert.equal(memorySkip({ ESPRUINO: '/nonexistent/espruino' }), 'ESPRUINO=/nonexistent/espruino does not exist');
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mod-'));
  const exe = path.join(empty, 'espruino');
  fs.writeFileSync(exe, '');
  assert.match(memorySkip({ ESPRUINO: exe, LUXGRAPH_MODULES_DIR: empty }), /^the MQTT module is needed: no MQTT\.js in .*npm run modules:fetch/);
});

test('an unknown bench option is refused, naming the known ones', async () => {
  const r = await bench(['--fast'], process.env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /unknown option --fast: options are --quick, --out, --markdown/);
});

test('percentiles are nearest-rank', () => {
  const v = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  assert.equal(percentile(v, 50), 5);
  assert.equal(percentile(v, 99), 10);
  assert.equal(percentile(v, 0), 1);
  assert.ok(Number.isNaN(percentile([], 50)));
});

test('the printed table keeps within 120 columns, wrapping long cells whole; numbers in labels are rounded', () => {
  const long = 'journal: bytes written / pages erased per 1000 journaled readings (1 day of a 10-minute outage at 2 s, esp8266-4mb, Storage model)';
  const rows = [
    { section: 'flash', measure: long, value: '12345 bytes / 3 pages (300 readings, 0 dropped, 0 compactions) and a word-longer-than-any-column-'.padEnd(60, 'x'), target: '≥ 10 years', verdict: 'ok' },
    { section: 'graph', measure: 'short', value: '1×', target: '', verdict: '' }
  ];
  const text = formatTable(rows);
  const lines = text.split('\n');
  assert.ok(lines.every((l) => l.length <= 120), lines.map((l) => l.length).join(' '));
  // every word of every cell is printed, in order
  const column = (i) => lines.slice(2).map((l) => (l.split(' | ')[i] || '').trim()).filter(Boolean).join(' ');
  assert.ok(column(1).startsWith(long), column(1));
  assert.equal(lines[0].split('|').map((s) => s.trim()).join(','), 'section,measure,value,target,verdict');
  assert.equal(duration(600), '10-minute');
  assert.equal(duration(3600), '1-hour');
  assert.equal(duration(5400), '1.5-hour');
});

test('a section that failed is one row saying so, and the others are still there', () => {
  const list = rows({ sizes: { failed: 'no firmware' }, graph: { failed: 'boom' }, graphEspruino: { skipped: 'ESPRUINO is not set' }, scheduler: { failed: 'timers' }, latency: { failed: 'no broker' }, flash: { failed: 'storage' }, memory: { skipped: 'ESPRUINO is not set' } });
  const failed = list.filter((r) => r.verdict == 'failed').map((r) => `${r.section}: ${r.value}`);
  assert.deepEqual(failed, ['bundle: failed: no firmware', 'graph: failed: boom', 'scheduler: failed: timers', 'latency: failed: no broker', 'flash: failed: storage']);
  assert.ok(list.some((r) => r.section == 'memory' && r.verdict == 'skipped'));
  assert.ok(list.some((r) => r.section == 'graph' && /^skipped: ESPRUINO/.test(r.value)));
});
