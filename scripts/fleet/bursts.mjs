// The bursts of a sleeping fleet at the broker: every send cycle, the devices connect and send what they kept in
// flash. Each event (a CONNECT, a reading) is known by its time on the fleet's clock, which tells its send cycle,
// and its real time, which is what the broker lives through: the peaks per second and a burst's length are real.
import { peakPerSecond } from './herd.mjs';

/**
 * The bursts in `connects` and `readings` (each a list of [board ms, real ms]), by send cycle: cycle k is the one
 * around `start` + k × `cycleMs` on the board's clock (0: the first boot's send). Returns, per cycle that has any,
 * { cycle, connections, connectionsPeak, readings, readingsPeak, seconds (first event to last, real) }.
 */
export function burstsOf({ connects, readings }, { start, cycleMs }) {
  const cycles = new Map();
  const cycleOf = (board) => {
    const k = Math.max(0, Math.round((board - start) / cycleMs));
    if (!cycles.has(k)) cycles.set(k, { connects: [], readings: [] });
    return cycles.get(k);
  };
  for (const [board, real] of connects) cycleOf(board).connects.push(real);
  for (const [board, real] of readings) cycleOf(board).readings.push(real);
  return [...cycles.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([cycle, c]) => {
      const all = [...c.connects, ...c.readings];
      return {
        cycle,
        connections: c.connects.length,
        connectionsPeak: peakPerSecond(c.connects),
        readings: c.readings.length,
        readingsPeak: peakPerSecond(c.readings),
        seconds: all.length ? (Math.max(...all) - Math.min(...all)) / 1000 : 0
      };
    });
}
