// The light the simulated TSL2591 sees, as `--lux` (and the simulator REPL's `.lux`) gives it: a steady level, a
// ramp that moves between two levels, or a day compressed into minutes, so that filters can be seen acting.

export const LIGHT_FORMS =
  'lux ≥ 0 (e.g. 1500), a ramp a..b/seconds that goes from a to b and back, each way in that many seconds ' +
  '(e.g. 200..2000/60), or day (a day from sunrise in 600 s: 20000 lux at noon, 0.1 lux at night) or day/seconds';

const NUMBER = '(\\d+(?:\\.\\d+)?)';
const RAMP = new RegExp(`^${NUMBER}\\.\\.${NUMBER}/${NUMBER}$`);
const DAY = new RegExp(`^day(?:/${NUMBER})?$`);

/**
 * Parses a light form into { text, at(ms) }: `at` gives the lux `ms` milliseconds after the light was set. Throws
 * an Error saying the expected forms for anything else (a word, a negative level, a ramp of 0 seconds), naming
 * what the form was given to: `as`, the command line's --lux or the REPL's .lux.
 */
export function parseLight(text, as = '--lux') {
  const s = String(text).trim();
  const refuse = (why) => {
    throw new Error(`${as} ${JSON.stringify(s)}${why}. Use ${LIGHT_FORMS}`);
  };
  let m;
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    if (+s < 0) refuse(': a light level cannot be below 0');
    return { text: `${+s} lux`, at: () => +s };
  }
  if ((m = RAMP.exec(s))) {
    const [a, b, secs] = m.slice(1).map(Number);
    if (!(secs > 0)) refuse(': a ramp needs more than 0 seconds');
    return {
      text: `${a} to ${b} lux and back, each way in ${secs} s`,
      at: (ms) => {
        const phase = (ms / 1000 / secs) % 2; // 0..1 going up, 1..2 coming back
        return a + (b - a) * (phase < 1 ? phase : 2 - phase);
      }
    };
  }
  if ((m = DAY.exec(s))) {
    const secs = m[1] === undefined ? 600 : +m[1];
    if (!(secs > 0)) refuse(': a day needs more than 0 seconds');
    return {
      text: `a day in ${secs} s from sunrise: 20000 lux at noon, 0.1 lux at night`,
      at: (ms) => {
        // the sun's height: rising from 0, highest at noon (a quarter of the day), below the horizon the second half
        const sun = Math.sin((2 * Math.PI * (ms / 1000)) / secs);
        return sun > 0 ? 0.1 + 20000 * sun : 0.1;
      }
    };
  }
  refuse(' is not a light level');
}
