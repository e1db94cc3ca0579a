// The board profiles in board/: which exist, one read, and how its I2C pins are named to the user.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../lib/paths.mjs';
import { ConfigError } from './error.mjs';

export function knownBoards() {
  return fs.readdirSync(path.join(ROOT, 'board')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** The board profile from board/<name>.json, or an error listing the known ones. */
export function loadBoard(name) {
  const known = knownBoards();
  if (!known.includes(name)) throw new ConfigError('board', [`unknown board "${name}": use one of ${known.join(', ')} (or add board/${name}.json)`]);
  return { id: name, ...JSON.parse(fs.readFileSync(path.join(ROOT, 'board', name + '.json'), 'utf8')) };
}

/**
 * A pin of the board's I2C bus as the build prints it: Espruino's name, which is the GPIO number, and the label
 * printed on the board, which may differ (`D4 = GPIO4 (NodeMCU/Wemos label D2)`). `which` is 'sda' or 'scl'.
 */
export function describePin(board, which) {
  const name = board[which];
  const gpio = /^D(\d+)$/.exec(name);
  const w = board.wiring || {};
  return `${name}${gpio ? ' = GPIO' + gpio[1] : ''}${w[which] ? ` (${w.labels} label ${w[which]})` : ''}`;
}
