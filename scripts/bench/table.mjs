// The bench's results as rows (section, measure, value, target, verdict) and as one printed table.
import { round } from './stats.mjs';
import { ERASE_CYCLES } from './flash-wear.mjs';
import { SAMPLE_MS } from '../espruino/espruino-rig.mjs';
import { checkBudget, memoryFigures, sizeFigures, budgetTarget, budgetVerdict } from './budget.mjs';
import { BATTERY_TARGETS, CURRENTS_MA, ASSUMED_MS, BATTERY_MAH, PERIOD_S, SEND_EVERY } from './battery.mjs';

// Targets of the figures that are not in the device budget (bench/budget.json, which judges RAM, .bootcde and
// Storage): speed, timing and flash life; and the ESP8266 builds' variable counts.
export const TARGETS = { graphRatio: 1.2, espruinoGraphRatio: 3, jitterP99Ms: 5, latencyP99Ms: 5, driftMs: 5, deviceVars: 1700, device4mbVars: 1600, pipelineVars: 60, flashLifeYears: 10 };

const verdict = (ok) => (ok ? 'ok' : 'over');
const plural = (n, unit) => `${n} ${unit}${n == 1 ? '' : 's'}`;
/** A length of time as a label, rounded: `10-minute`, `1-hour`, `1.5-hour`. */
export const duration = (seconds) => (seconds < 3600 ? `${round(seconds / 60, 1)}-minute` : `${round(seconds / 3600, 1)}-hour`);
const ms = (x) => `${round(x, 2)} ms`;
const vars = (x) => (x === null || x === undefined ? 'not reached' : `${x} vars`);

/**
 * The bench's results as rows: one function a section, each given `row(section, measure, value, target, verdict)`;
 * a section whose measurement failed (bench.mjs's step) gives one row saying so in place of its own.
 */
export function rows(r) {
  const out = [];
  const row = (section, measure, value, target = '', v = '') => out.push({ section, measure, value: String(value), target, verdict: v });
  const sections = [
    ['bundle', r.sizes, sizeRows],
    ['graph', r.graph, graphRows],
    ['graph', r.graphEspruino, espruinoGraphRows],
    ['scheduler', r.scheduler, schedulerRows],
    ['latency', r.latency, latencyRows],
    ['flash', r.flash, flashRows],
    ['flash', r.flashShort, shortOutageRows],
    ['battery', r.battery, batteryRows],
    ['battery', r.batteryEspruino, batteryEspruinoRows],
    ['memory', r.memory, memoryRows],
    ['tls', r.tls, tlsRows]
  ];
  for (const [section, x, make] of sections) {
    if (x && x.failed) row(section, 'not measured', `failed: ${x.failed}`, '', 'failed');
    else if (x) make(x, row);
  }
  return out;
}

function sizeRows(s, row) {
  row('bundle', 'firmware raw / minified / gzip', `${s.firmware.raw} / ${s.firmware.minified} / ${s.firmware.gzip} bytes`);
  const part = (name) => s.parts.find((p) => p.part.startsWith(name));
  for (const name of ['runtime core', 'driver', 'network', 'control']) if (part(name)) row('bundle', `part: ${part(name).part}`, `${part(name).bytes} bytes`);
  for (const m of s.own || []) row('bundle', `module ${m.name} (the firmware's own, a Storage file loaded only while it runs)`, `${m.bytes} bytes`);
  const ops = s.parts.filter((p) => p.part.startsWith('operator'));
  if (ops.length) row('bundle', `part: operators (${ops.length - 1} + base), only when imported`, `${ops.reduce((a, p) => a + p.bytes, 0)} bytes`);
  row('bundle', 'MQTT module (not ours)', s.mqtt.available ? `${s.mqtt.minified} bytes (${s.mqtt.gzip} gzip), ${s.mqtt.file}` : `not available: ${s.mqtt.why}`);

  const sized = Object.fromEntries(checkBudget(sizeFigures(s)).map((c) => [c.name, c]));
  const b = sized.bootcde;
  row('bundle', '.bootcde (the firmware alone; modules are Storage files of their own)', `${s.firmware.minified} bytes`, budgetTarget(b), budgetVerdict(b));
  for (const st of s.storage || []) {
    const c = sized[`storage:${st.board}`];
    const fits = st.fits ? '' : '; does NOT fit';
    row('bundle', `Storage on ${st.espruinoBoard} (board/${st.board}.json): ${(st.files || ['.bootcde']).join(' + ')}, with headers`, `${st.used} of ${st.total} bytes (${Math.round((st.used / st.total) * 100)} %${fits})`, c ? budgetTarget(c) : 'fits', c ? budgetVerdict(c) : verdict(st.fits));
  }
}

function graphRows(g, row) {
  row('graph', 'SensorPub → map → filter → 2 subscribers', `${g.runtimePerSecond.toLocaleString('en')} events/s`);
  row('graph', 'same pipeline by hand (plain callbacks)', `${g.byHandPerSecond.toLocaleString('en')} events/s`);
  row('graph', `overhead ratio (median of ${g.rounds} rounds)`, `${round(g.ratio, 2)}×`, `≤ ${TARGETS.graphRatio}×`, verdict(g.ratio <= TARGETS.graphRatio));
}

function espruinoGraphRows(ge, row) {
  if (ge && ge.skipped) row('graph', 'overhead ratio on Espruino (same pipelines, same interpreter)', `skipped: ${ge.skipped}`, `≤ ${TARGETS.espruinoGraphRatio}×`, 'skipped');
  else if (ge) {
    row('graph', `overhead ratio on Espruino (${ge.events} events, median of ${ge.rounds}, code in Storage)`, `${round(ge.ratio, 2)}× (${Math.round(ge.runtimeMs)} ms against ${Math.round(ge.byHandMs)} ms by hand)`, `≤ ${TARGETS.espruinoGraphRatio}×`, verdict(ge.ratio <= TARGETS.espruinoGraphRatio));
    const gi = ge.instructions;
    if (gi && gi.skipped) row('graph', 'the same on Espruino in instructions per event (valgrind)', `skipped: ${gi.skipped}`);
    else if (gi) row('graph', `the same on Espruino in instructions per event (valgrind, ${gi.events} events; does not move with load)`, `${round(gi.ratio, 2)}× (${gi.runtime.toLocaleString('en')} against ${gi.byHand.toLocaleString('en')} by hand)`);
  }
}

function schedulerRows(c, row) {
  row('scheduler', `cumulative drift over ${c.periods} periods of ${c.periodMs} ms`, ms(c.driftMs), `0 (|d| ≤ ${TARGETS.driftMs} ms)`, verdict(Math.abs(c.driftMs) <= TARGETS.driftMs));
  row('scheduler', `jitter p50 / p99 (max), ${c.skipped} periods skipped`, `${ms(c.p50Ms)} / ${ms(c.p99Ms)} (${ms(c.maxMs)})`, `p99 ≤ ${TARGETS.jitterP99Ms} ms`, verdict(c.p99Ms <= TARGETS.jitterP99Ms));
}

function latencyRows(latency, row) {
  for (const [name, l] of Object.entries(latency)) {
    if (l.skipped) row('latency', `sample → subscriber via ${name}`, `skipped: ${l.skipped}`, `p99 ≤ ${TARGETS.latencyP99Ms} ms`, 'skipped');
    else row('latency', `sample → subscriber via ${name}, p50 / p99 (${l.samples})`, `${ms(l.p50Ms)} / ${ms(l.p99Ms)}`, `p99 ≤ ${TARGETS.latencyP99Ms} ms`, verdict(l.p99Ms <= TARGETS.latencyP99Ms));
  }
}

/**
 * The row of the flash life a wear measurement `w` gives (its lifeYears null: no page was erased in `days`, the
 * measurement's length as said), against `target` years.
 */
function flashLifeRow(row, section, measure, w, days, target) {
  row(section, measure, w.lifeYears === null ? `no page erased in ${days}` : `${w.lifeYears} years (${w.worstPageErasesPerDay} erases a day)`, `≥ ${target} years`, verdict(w.lifeYears === null || w.lifeYears >= target));
}

function flashRows(w, row) {
  row('flash', `journal: bytes written / pages erased per 1000 journaled readings (${plural(w.days, 'day')} of a ${duration(w.outageSeconds)} outage at 2 s, ${w.board}, Storage model)`, `${w.bytesPer1000} bytes / ${w.pagesPer1000} pages (${w.journaled} readings, ${w.dropped} dropped, ${w.compactions} compactions)`);
  flashLifeRow(row, 'flash', `journal: flash life at one such outage a day (most-erased page, ${w.eraseCycles} erase cycles)`, w, `${w.days} days`, TARGETS.flashLifeYears);
}

function shortOutageRows(w, row) {
  const day = `${w.outages} outages of ${duration(w.outageSeconds).replace('-', ' ')}s a day`;
  row('flash', `journal: bytes written / pages erased a day (${day} at 2 s, each to flash from its first reading; ${plural(w.days, 'day')}, ${w.board}, Storage model)`, `${w.bytesPerDay} bytes / ${w.pagesPerDay} pages (${w.journaled} readings, ${w.dropped} dropped, ${w.compactions} compactions)`);
  flashLifeRow(row, 'flash', `journal: flash life at ${day} (most-erased page, ${w.eraseCycles} erase cycles)`, w, plural(w.days, 'day'), TARGETS.flashLifeYears);
}

function batteryRows(b, row) {
  const t = BATTERY_TARGETS, spread = (x) => `${x.median} / ${x.max} ms`, cycle = `${PERIOD_S / 60}-minute wakes, a send every ${SEND_EVERY}`;
  row('battery', `a wake that only samples: firmware time on the simulator's clock, the ROM boot apart, median / max (${b.cycles * (SEND_EVERY - 1)} wakes, ${cycle})`, spread(b.sampleWakeMs), `≤ ${t.sampleWakeMs} ms`, verdict(b.sampleWakeMs.max <= t.sampleWakeMs));
  row('battery', `a send wake after the WiFi join: median / max (${b.cycles} sends of ${SEND_EVERY} readings)`, spread(b.sendAfterJoinMs), `≤ ${t.sendAfterJoinMs} ms`, verdict(b.sendAfterJoinMs.max <= t.sendAfterJoinMs));
  row('battery', "a send wake in all, on the simulator's clock (its WiFi join takes 30 ms)", spread(b.sendWakeMs));
  const w = b.wear;
  row('battery', `flash: bytes written / pages erased a day (the wakes' Storage calls replayed for ${w.days} days on the Storage model, ${b.board})`, `${w.bytesPerDay} bytes / ${w.pagesPerDay} pages (${w.compactions} compactions)`);
  flashLifeRow(row, 'battery', `flash life at ${cycle} (most-erased page, ${ERASE_CYCLES} erase cycles)`, w, `${w.days} days`, t.flashLifeYears);
  const c = CURRENTS_MA;
  row('battery', 'currents (ESP8266EX and TSL2591 datasheets, typical; a board\'s regulator adds to them asleep)', `awake with the radio ${c.awakeRadio} mA, radio off ${c.awakeRadioOff} mA, asleep ${c.asleep * 1000} µA; TSL2591 integrating ${c.sensorIntegrating} mA, asleep ${c.sensorAsleep * 1000} µA`);
  const e = b.energy;
  row('battery', `assumed, not measured: the ROM boot of a wake, the WiFi join of a send`, `${ASSUMED_MS.boot} ms, ${ASSUMED_MS.wifiJoin} ms`);
  row('battery', `2×AA (${BATTERY_MAH} mAh) at ${cycle}: a wake ${e.sampleWakeMs} ms at ${c.awakeRadioOff} mA, a send ${e.sendWakeMs} ms at ${c.awakeRadio} mA`, `${e.mAhPerDay} mAh a day (asleep ${e.parts.asleep}, sample wakes ${e.parts.sampleWakes}, sends ${e.parts.sendWakes}): ${e.years} years`, `≥ ${t.batteryYears} year`, verdict(e.years >= t.batteryYears));
}

function batteryEspruinoRows(b, row) {
  const t = BATTERY_TARGETS, measure = "a wake that only samples on Espruino's interpreter (its sleep a stand-in, each wake a new start over the same flash): firmware time on this machine, median / max";
  if (b.skipped) return row('battery', measure, `skipped: ${b.skipped}`, `≤ ${t.sampleWakeMs} ms`, 'skipped');
  row('battery', `${measure} (${b.sampleWakeMs.n} wakes)`, `${b.sampleWakeMs.median} / ${b.sampleWakeMs.max} ms`, `≤ ${t.sampleWakeMs} ms`, verdict(b.sampleWakeMs.max <= t.sampleWakeMs));
  row('battery', `a send wake on the interpreter (${b.sendEvery} readings to aedes, its WiFi a stand-in that joins at once), median / max (${b.sendWakeMs.n} sends)`, `${b.sendWakeMs.median} / ${b.sendWakeMs.max} ms`, `≤ ${t.sendAfterJoinMs} ms`, verdict(b.sendWakeMs.max <= t.sendAfterJoinMs));
}

function memoryRows(m, row) {
  if (m.skipped) row('memory', 'process.memory().usage on the device', `skipped: ${m.skipped}`, 'the budget', 'skipped');
  else {
    const f = m.flash, n = m.minimal, p = m.repl;
    const budget = Object.fromEntries(checkBudget(memoryFigures(m)).map((c) => [c.name, c]));
    const judged = (name) => [budgetTarget(budget[name]), budgetVerdict(budget[name])];
    const i = f.interpreter;
    row('memory', 'interpreter (ESPRUINO)', `Espruino ${i.version}, ${i.blocksize}-byte variables, ${i.total} in all: ${m.interpreter}`);
    row('memory', 'harness cost subtracted (shims for I2C1/Wifi/require + sampler)', `${f.harness} vars (minimal run: ${n.harness})`);
    const runs = { firmware: f, minimal: n, filters: m.pipeline, allOperators: m.allOperators, 'journal off': m.journal && m.journal.off, tutorial: m.tutorial };
    const retried = Object.entries(runs).filter(([, run]) => run && run.retries);
    if (retried.length) row('memory', 'runs uploaded again (the console lost part of an upload)', retried.map(([k, run]) => `${k} ${run.retries}×`).join(', '));
    row('memory', 'firmware + MQTT, flashed: start-up', vars(f.startup), ...judged('startup'));
    row('memory', 'firmware + MQTT, flashed: connected', vars(f.connected), ...judged('connected'));
    row('memory', `firmware + MQTT, flashed: broker away, more readings taken than the RAM buffer's ${m.bufferSize} (in flash)`, vars(f.bufferFull));
    row('memory', `firmware + MQTT, flashed: broker back, ${f.reconnected ? 'reconnected and flushed' : 'did NOT reconnect'}`, vars(f.afterReconnect));
    row('memory', `firmware + MQTT, flashed: peak of ${f.samples} samples every ${SAMPLE_MS} ms and ${f.moduleSamples} taken at module loads, Storage calls and events`, `${vars(f.peak)}${f.peakAt ? ` at ${f.peakAt}` : ''} (the ${SAMPLE_MS} ms samples alone: ${vars(f.peakSampled)})`, ...judged('outagePeak'));
    const d = m.drain;
    if (d)
      row('memory', `a long backlog draining: ${d.readings} readings at ${d.intervalSeconds} s offline (most through the journal), then sent: peak`, d.reconnected ? vars(d.drainPeak) : `did NOT drain (${vars(d.drainPeak)})`, ...judged('drainPeak'));
    if (f.clearUndefined || f.outOfMemory || f.errors.length)
      row('memory', 'firmware errors on the interpreter', [f.clearUndefined ? `clearTimeout(undefined) ${f.clearUndefined}× (throws on Espruino; the harness tolerates it)` : '', ...f.errors].filter(Boolean).join('; '), 'none', 'over');
    const more = f.peak !== null && n.peak !== null ? ` (the firmware's peak is ${f.peak - n.peak} more)` : '';
    row('memory', 'minimal hand-written firmware (bench/minimal.js), flashed: connected / peak', `${vars(n.connected)} / ${vars(n.peak)}${more}`);
    // the headroom users feel: what is left at the worst moment measured
    const worst = Math.max(f.peak ?? 0, (d && d.drainPeak) ?? 0);
    if (worst) {
      const free = (total) => `${total - worst} of ${total} free (${Math.round(((total - worst) / total) * 100)} %)`;
      row('memory', `at the worst moment (${worst} vars): ESP8266 512 KB build (1700 variables) / 4 MB build (1600)`, `${free(TARGETS.deviceVars)} / ${free(TARGETS.device4mbVars)}`);
    }
    const t = m.tutorial;
    if (t)
      row('memory', "the tutorial's REPL session after flashing (LuxGraph.stop(), then README's steps by hand): peak", t.outOfMemory ? `out of memory (last sample ${vars(t.peak)})` : vars(t.peak), ...judged('tutorialPeak'));
    row('memory', 'firmware + MQTT typed into the REPL (RAM, no flash): peak', p.outOfMemory ? `out of memory while loading (last sample ${vars(p.peak)})` : vars(p.peak));
    const fp = m.pipeline, a = m.allOperators, sign = (x) => (x === null ? '?' : (x >= 0 ? '+' : '') + x);
    if (fp) {
      const names = fp.filters.map((f) => Object.keys(f)[0]).join(' → ');
      const failed = fp.outOfMemory ? ', OUT OF MEMORY' : fp.errors.length ? `, errors: ${fp.errors.join('; ')}` : '';
      row('memory', `3 filters (${names}), flashed: start-up / peak`, `${vars(fp.startup)} / ${vars(fp.peak)} (${sign(fp.overStartup)} / ${sign(fp.overPeak)} over none${failed})`, `peak ≤ +${TARGETS.pipelineVars}`, verdict(fp.overPeak !== null && fp.overPeak <= TARGETS.pipelineVars && !failed));
    }
    if (a) row('memory', 'every operator chainable for the REPL (repl.allOperators), flashed: start-up', `${vars(a.startup)} (${sign(a.delta)} over none)`);
    const j = m.journal;
    if (j) {
      row('memory', 'journal off (buffer.journal 0), flashed: start-up / buffer full / flushed / peak', `${vars(j.off.startup)} / ${vars(j.off.bufferFull)} / ${vars(j.off.afterReconnect)} / ${vars(j.off.peak)}`);
      row('memory', "the journal's cost (on against off): start-up / readings going to flash (its state and batch) / flushed / peak", `${sign(j.startup)} / ${sign(j.bufferFull)} / ${sign(j.afterReconnect)} / ${sign(j.peak)} vars`);
    }
  }
}


/** The widest a printed table is, in columns: a terminal's width; the JSON keeps every cell whole. */
export const TABLE_WIDTH = 120;

/** `text` in lines of at most `width` characters, broken between words (a longer word is cut). */
function wrap(text, width) {
  const lines = [];
  let line = '';
  for (let word of text.split(' ')) {
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      word = word.slice(width);
      line = '';
    }
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/**
 * The rows as an aligned text table within TABLE_WIDTH: when they are wider, the measure and value columns share
 * what the others leave, and their cells go on over more lines.
 */
export function formatTable(list) {
  const cols = ['section', 'measure', 'value', 'target', 'verdict'];
  const width = cols.map((c) => Math.max(c.length, ...list.map((r) => r[c].length)));
  const room = TABLE_WIDTH - 3 * (cols.length - 1) - width[0] - width[3] - width[4];
  if (width[1] + width[2] > room) {
    width[2] = Math.min(width[2], Math.max(20, Math.floor(room * 0.45)));
    width[1] = Math.max(20, room - width[2]);
  }
  const lines = (r) => {
    const cells = cols.map((c, i) => wrap(r[c], width[i]));
    return Array.from({ length: Math.max(...cells.map((x) => x.length)) }, (_, k) => cols.map((c, i) => (cells[i][k] || '').padEnd(width[i])).join(' | ').trimEnd());
  };
  const head = Object.fromEntries(cols.map((c) => [c, c]));
  return [...lines(head), width.map((w) => '-'.repeat(w)).join('-|-'), ...list.flatMap(lines)].join('\n');
}

/** The rows as a Markdown table, for docs/benchmarks.md. */
export function formatMarkdown(list) {
  const esc = (s) => s.replace(/\|/g, '\\|');
  return ['| section | measure | value | target | verdict |', '| --- | --- | --- | --- | --- |', ...list.map((r) => `| ${[r.section, r.measure, r.value, r.target, r.verdict].map(esc).join(' | ')} |`)].join('\n');
}

function tlsRows(t, row) {
  if (t.skipped) return row('tls', 'the broker over TLS on ESP32 (mqtt.tls)', `skipped: ${t.skipped}`);
  const { off, ca, client } = t.storage, more = (x, y) => `+${x - y}`;
  const storage = (s) => `.bootcde ${s.bootcde} (${more(s.bootcde, off.bootcde)}), Storage ${s.storage} (${more(s.storage, off.storage)}) bytes`;
  row('tls', `ESP32 upload with mqtt.tls and mqtt.ca (RSA 2048), over the same without TLS${off.withMqtt ? '' : ', MQTT module left out'}`, storage(ca));
  row('tls', 'ESP32 upload with a client certificate too (mqtt.cert, mqtt.key)', storage(client));
  const r = t.ram;
  if (r.skipped) return row('tls', 'variables on the TLS interpreter (ESPRUINO_TLS)', `skipped: ${r.skipped}`);
  const three = (x) => `${vars(x.startup)} / ${vars(x.connected)} / ${vars(x.peak)}`;
  row('tls', `esp32 profile flashed on the TLS interpreter (${r.interpreter}), without TLS: start-up / connected / peak`, three(r.plain));
  const errors = r.tls.errors.length ? `; errors: ${r.tls.errors.join('; ')}` : '';
  row('tls', "over TLS, the broker's certificate checked, with mbed TLS's buffers (on this build, in Espruino's variables): start-up / connected / peak", `${three(r.tls)} (+${r.tls.connected - r.plain.connected} connected${errors})`);
}
