// The device budget (bench/budget.json): what the firmware may take on the ESP8266-like interpreter and in each
// board profile's Storage, with the default config. The bench prints each figure against it; the tests fail when a
// figure is over its budget by more than the run-to-run spread measured for it.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.mjs';

export const BUDGET_FILE = path.join(ROOT, 'bench', 'budget.json');

/** The budget: { figures: { name: { budget, spread, unit, what } } }. */
export function loadBudget(file = BUDGET_FILE) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The memory bench's results (measureMemory) as the budget's figures, in variables. */
export function memoryFigures(m) {
  return {
    startup: m.flash.startup,
    connected: m.flash.connected,
    outagePeak: m.flash.peak,
    drainPeak: m.drain ? m.drain.drainPeak : null,
    tutorialPeak: m.tutorial ? m.tutorial.peak : null
  };
}

/** Where each of memoryFigures' peaks was taken (a moment's name, the phase, the time into its run), for a failed figure to say. */
export function memoryMoments(m) {
  return { outagePeak: m.flash.peakAt, drainPeak: m.drain ? m.drain.drainPeakAt : null, tutorialPeak: m.tutorial ? m.tutorial.peakAt : null };
}

/** The size bench's results (measureSizes) as the budget's figures, in bytes; Storage only with the MQTT module. */
export function sizeFigures(s) {
  const figures = { bootcde: s.firmware.minified };
  if (s.mqtt.available) for (const st of s.storage) figures[`storage:${st.board}`] = st.used;
  return figures;
}

/**
 * Each measured figure against its budget: { name, value, budget, spread, unit, over, at } where `over` is how far
 * it is past budget + spread (0 within) and `at` where a peak was taken (memoryMoments). A figure measured as null
 * (never reached) counts as over.
 */
export function checkBudget(figures, budget = loadBudget(), moments = {}) {
  return Object.entries(figures)
    .filter(([name]) => budget.figures[name])
    .map(([name, value]) => {
      const b = budget.figures[name];
      const over = value === null || value === undefined ? Infinity : Math.max(0, value - b.budget - b.spread);
      return { name, value, budget: b.budget, spread: b.spread, unit: b.unit, what: b.what, over, at: moments[name] || null };
    });
}

/** What a failed figure says: the figure, the budget, the excess, and what to do. */
export const overMessage = (c) =>
  c.over == Infinity
    ? `${c.name} (${c.what}): not measured (the run never reached it); budget ${c.budget} ${c.unit}`
    : `${c.name} (${c.what}): ${c.value} ${c.unit}${c.at ? ` (at ${c.at})` : ''}, budget ${c.budget} + ${c.spread} spread: ${c.over} over. ` +
      `Win it back, or raise the budget in bench/budget.json in a commit of its own saying what it buys`;

/** The verdict column of the bench's table for one figure. */
export const budgetVerdict = (c) => (c.over ? 'over' : 'ok');
/** The target column: the budget and the spread allowed. */
export const budgetTarget = (c) => `budget ${c.budget}${c.spread ? ` (+${c.spread})` : ''}`;
