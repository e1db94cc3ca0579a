// The pictures of docs/ as SVG text, from the project's data: a board profile's pins, the memory bench's samples,
// a fleet run's report. scripts/pictures.mjs (npm run docs:pictures) writes them.

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const FONT = 'font-family="Helvetica, Arial, sans-serif"';

/** A text element; `a` is more attributes. */
const text = (x, y, s, a = '') => `<text x="${x}" y="${y}" ${a}>${esc(s)}</text>`;

/** The whole picture: a white background, a title and the parts. */
function svg(width, height, title, parts) {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT} font-size="13">`,
    `<title>${esc(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    ''
  ].join('\n');
}

/** The boards whose wiring is drawn: one per kind of board (esp8266 is wired as esp8266-4mb). */
export const WIRED = ['esp8266-4mb', 'esp32'];

/** The TSL2591 breakout wired to a board profile's power and I2C pins, by the labels printed on the board. */
export function wiringSvg(board) {
  const w = board.wiring;
  const gpio = (pin) => /^D(\d+)$/.exec(pin)?.[1];
  const wires = [
    { sensor: 'VIN', board: w.vcc, note: 'power, 3.3 V', colour: '#d62728' },
    { sensor: 'GND', board: w.gnd, note: 'ground', colour: '#222222' },
    { sensor: 'SDA', board: w.sda, note: `GPIO${gpio(board.sda)}, Espruino's ${board.sda}`, colour: '#1f77b4' },
    { sensor: 'SCL', board: w.scl, note: `GPIO${gpio(board.scl)}, Espruino's ${board.scl}`, colour: '#ff7f0e' }
  ];
  const parts = [
    text(20, 28, `TSL2591 to ${w.labels} (${board.espruinoBoard}), by the labels on the board`, 'font-size="16" font-weight="bold"'),
    '<rect x="40" y="60" width="150" height="200" rx="8" fill="#e8e0f5" stroke="#5b3f8c" stroke-width="2"/>',
    text(115, 85, 'TSL2591', 'text-anchor="middle" font-weight="bold"'),
    text(115, 102, 'breakout, I2C 0x29', 'text-anchor="middle" font-size="11"'),
    '<rect x="430" y="60" width="190" height="200" rx="8" fill="#dff0e0" stroke="#2e7d32" stroke-width="2"/>',
    text(525, 85, w.labels, 'text-anchor="middle" font-weight="bold"'),
    text(525, 102, board.espruinoBoard, 'text-anchor="middle" font-size="11"')
  ];
  wires.forEach((x, i) => {
    const y = 130 + i * 34;
    parts.push(
      `<line x1="190" y1="${y}" x2="430" y2="${y}" stroke="${x.colour}" stroke-width="4"/>`,
      `<circle cx="190" cy="${y}" r="5" fill="${x.colour}"/>`,
      `<circle cx="430" cy="${y}" r="5" fill="${x.colour}"/>`,
      text(180, y + 4, x.sensor, 'text-anchor="end" font-weight="bold"'),
      text(440, y + 4, x.board, 'font-weight="bold"'),
      text(310, y - 7, x.note, 'text-anchor="middle" font-size="11" fill="#444444"')
    );
  });
  parts.push(text(20, 290, `From board/${board.id}.json: I2C bus ${board.i2c}, SDA ${board.sda}, SCL ${board.scl}.`, 'font-size="11" fill="#444444"'));
  return svg(660, 305, `Wiring a TSL2591 to ${w.labels}`, parts);
}

/** A plot area: scales and axes. `x` and `y` are [min, max] of the data; the area is left, top, width, height. */
function plot({ left, top, width, height, x, y, xLabel, yLabel, yStep, right }) {
  const sx = (v) => left + ((v - x[0]) / (x[1] - x[0] || 1)) * width;
  const sy = (v) => top + height - ((v - y[0]) / (y[1] - y[0] || 1)) * height;
  const parts = [`<rect x="${left}" y="${top}" width="${width}" height="${height}" fill="none" stroke="#999999"/>`];
  for (let v = Math.ceil(y[0] / yStep) * yStep; v <= y[1]; v += yStep)
    parts.push(`<line x1="${left}" y1="${sy(v)}" x2="${left + width}" y2="${sy(v)}" stroke="#eeeeee"/>`, text(left - 6, sy(v) + 4, v, 'text-anchor="end" font-size="11"'));
  const xStep = (x[1] - x[0]) > 60 ? 10 : 5;
  for (let v = Math.ceil(x[0] / xStep) * xStep; v <= x[1]; v += xStep)
    parts.push(text(sx(v), top + height + 16, v, 'text-anchor="middle" font-size="11"'));
  parts.push(
    text(left + width / 2, top + height + 34, xLabel, 'text-anchor="middle"'),
    text(14, top + height / 2, yLabel, `text-anchor="middle" transform="rotate(-90 14 ${top + height / 2})"`)
  );
  if (right) parts.push(text(left + width + 44, top + height / 2, right, `text-anchor="middle" transform="rotate(90 ${left + width + 44} ${top + height / 2})"`));
  return { sx, sy, parts };
}

const round1 = (v) => Math.round(v * 10) / 10;

/** What each phase of the memory bench's outage run is, in words. */
const PHASES = {
  start: 'start-up, connected',
  closing: 'broker stops',
  offline: 'broker away: to flash',
  full: 'past buffer.size',
  reconnecting: 'broker back: drain',
  flushed: 'drained'
};

/**
 * Device RAM over an outage: `series` is the memory bench's samples, [ms from the start, phase, variables, 1 when
 * taken at a moment (a module load, a Storage call, an event) rather than every 100 ms, the moment's name].
 */
export function ramSvg({ series, bufferSize, interval }) {
  const t = series.map((s) => s[0] / 1000), v = series.map((s) => s[2]);
  const lo = Math.floor(Math.min(...v) / 100) * 100, hi = Math.ceil((Math.max(...v) + 1) / 100) * 100;
  const p = plot({ left: 70, top: 70, width: 640, height: 260, x: [0, Math.max(...t)], y: [lo, hi], xLabel: 'seconds from boot', yLabel: 'variables in use (12 bytes each)', yStep: 50 });
  const parts = [
    text(20, 26, 'Device RAM through an outage and its drain (the flashed firmware on Espruino\'s interpreter)', 'font-size="16" font-weight="bold"'),
    text(20, 46, `Readings every ${interval} s; the broker stops until more than buffer.size (${bufferSize}) readings wait, then comes back.`, 'font-size="12" fill="#444444"')
  ];
  // the phases, as bands in the order the run went through them
  const spans = [];
  for (const s of series) {
    const last = spans[spans.length - 1];
    if (last && last.phase == s[1]) last.to = s[0] / 1000;
    else spans.push({ phase: s[1], from: last ? last.to : 0, to: s[0] / 1000 });
  }
  spans.forEach((s, i) => {
    const x = p.sx(s.from), w = Math.max(1, p.sx(s.to) - x);
    parts.push(`<rect x="${x}" y="70" width="${w}" height="260" fill="${['offline', 'full'].includes(s.phase) ? '#fde2e1' : i % 2 ? '#f3f6fb' : '#ffffff'}"/>`);
    parts.push(text(x + w / 2, 62 - (i % 2) * 0, PHASES[s.phase] || s.phase, `text-anchor="middle" font-size="10" transform="rotate(-12 ${x + w / 2} 62)"`));
  });
  parts.push(...p.parts);
  const every = series.filter((s) => !s[3]);
  parts.push(`<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${every.map((s) => `${round1(p.sx(s[0] / 1000))},${round1(p.sy(s[2]))}`).join(' ')}"/>`);
  for (const s of series.filter((x) => x[3])) parts.push(`<circle class="moment" cx="${round1(p.sx(s[0] / 1000))}" cy="${round1(p.sy(s[2]))}" r="2" fill="#d62728"/>`);
  const peak = series.reduce((a, b) => (b[2] > a[2] ? b : a));
  parts.push(text(round1(p.sx(peak[0] / 1000)), round1(p.sy(peak[2])) - 8, `peak ${peak[2]}`, 'text-anchor="middle" font-size="11" font-weight="bold"'));
  parts.push(
    '<line x1="430" y1="355" x2="450" y2="355" stroke="#1f77b4" stroke-width="2"/>', text(455, 359, 'every 100 ms', 'font-size="11"'),
    '<circle cx="560" cy="355" r="3" fill="#d62728"/>', text(567, 359, 'at a module load, Storage call or event', 'font-size="11"')
  );
  return svg(800, 370, 'Device RAM through an outage', parts);
}

/** A fleet run's herd: connection attempts per second (bars) and the readings waiting (line), with the outage. */
export function herdSvg(report) {
  const attempts = report.recovery.attemptsPerSecond, backlog = report.backlog, o = report.options;
  const seconds = Math.max(attempts.length, backlog.length);
  const maxA = Math.max(10, ...attempts), maxB = Math.max(10, ...backlog);
  const yTop = Math.ceil(maxA / 10) * 10;
  const p = plot({ left: 70, top: 70, width: 620, height: 240, x: [0, seconds], y: [0, yTop], xLabel: 'seconds from the start of sampling', yLabel: 'connection attempts per second', yStep: yTop > 100 ? 50 : 10, right: 'readings waiting in the fleet' });
  const by = (v) => 70 + 240 - (v / maxB) * 240;
  const { from, to } = report.recovery;
  const parts = [
    text(20, 26, `The reconnect herd: ${o.devices} devices every ${o.interval} s, the broker stopped from ${from} s to ${to} s`, 'font-size="16" font-weight="bold"'),
    text(20, 46, `Peak ${report.recovery.herd.peakPerSecond} attempts in one second; every device backs off with jitter, up to ${o.maxBackoff} s.`, 'font-size="12" fill="#444444"'),
    `<rect x="${p.sx(from)}" y="70" width="${p.sx(to) - p.sx(from)}" height="240" fill="#fde2e1"/>`,
    text((p.sx(from) + p.sx(to)) / 2, 86, 'broker down', 'text-anchor="middle" font-size="11"'),
    ...p.parts
  ];
  const bw = Math.max(1, p.sx(1) - p.sx(0) - 1);
  attempts.forEach((a, i) => {
    if (a) parts.push(`<rect class="attempts" x="${round1(p.sx(i))}" y="${round1(p.sy(a))}" width="${round1(bw)}" height="${round1(p.sy(0) - p.sy(a))}" fill="#1f77b4"/>`);
  });
  parts.push(`<polyline fill="none" stroke="#d62728" stroke-width="2" points="${backlog.map((b, i) => `${round1(p.sx(i + 1))},${round1(by(b))}`).join(' ')}"/>`);
  for (let k = 0; k <= 4; k++) parts.push(text(700, by((maxB * k) / 4) + 4, Math.round((maxB * k) / 4), 'font-size="11" fill="#d62728"'));
  parts.push(
    '<rect x="380" y="346" width="14" height="10" fill="#1f77b4"/>', text(400, 355, 'attempts in that second', 'font-size="11"'),
    '<line x1="560" y1="351" x2="580" y2="351" stroke="#d62728" stroke-width="2"/>', text(585, 355, 'readings waiting', 'font-size="11"')
  );
  return svg(780, 365, 'The reconnect herd of a fleet', parts);
}
