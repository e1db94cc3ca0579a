// Shared test helpers: build a bundle from a config, real brokers on 127.0.0.1, waiting for real outcomes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
import { ROOT, validateConfig, ConfigError } from '../scripts/config/index.mjs';
import { buildFirmware } from '../scripts/firmware/build.mjs';
import { mosquittoPath } from '../scripts/lib/mosquitto.mjs';

// the rigs the tests share with the bench, from scripts/lib
export { ROOT };
export { waitFor } from '../scripts/lib/wait.mjs';
import { subscriber } from '../scripts/lib/subscriber.mjs';
export { subscriber };
export { freePort, mosquittoPath, startMosquitto } from '../scripts/lib/mosquitto.mjs';

/** A fresh folder for one test's output, in the system's temp folder. */
export const outputDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'luxgraph-dist-'));

// Nothing a test runs writes the developer's dist/: each test process, and every tool it starts, writes its own
// folder (each runNode call gets one more of its own). Builds come from one cache for the whole run, keyed by
// config and by the content of every file a build reads (scripts/lib/build-cache.mjs).
process.env.LUXGRAPH_DIST = outputDir();
process.env.LUXGRAPH_BUILD_CACHE ??= path.join(os.tmpdir(), 'luxgraph-build-cache');

export const EXAMPLE = JSON.parse(fs.readFileSync(path.join(ROOT, 'config.example.json'), 'utf8'));

/** The example config with sections overridden, validated and built. */
export async function buildWith(overrides = {}, { entry } = {}) {
  const { board, firmware } = validateConfig(withSections(EXAMPLE, overrides));
  const built = await buildFirmware({ board, firmware, entry });
  return { ...built, board, firmware };
}

/** A copy of the config `raw` with each section of `overrides` merged into its own (other values replaced). */
export function withSections(raw, overrides) {
  const out = structuredClone(raw);
  for (const [k, v] of Object.entries(overrides)) out[k] = v && typeof v == 'object' && !Array.isArray(v) ? { ...(out[k] || {}), ...v } : v;
  return out;
}

/** Why a mosquitto test cannot run here, or null. In CI a missing mosquitto is a failure, not a skip. */
export function mosquittoSkip() {
  if (mosquittoPath()) return null;
  if (process.env.CI) throw new Error('mosquitto is not installed, but CI must run the mosquitto tests: .ci/run installs it with apt-get');
  return 'mosquitto is not installed here (apt-get install mosquitto); CI installs it and runs this test';
}

/** Runs a script with node and returns { status, stdout, stderr, dist }: `dist`, the output folder it had alone. */
export function runNode(args, opts = {}) {
  const dist = outputDir();
  const env = { ...process.env, LUXGRAPH_DIST: dist, ...opts.env };
  return { ...spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 60000, ...opts, env }), dist };
}

/** Runs a script with node without blocking (its children may need this process's event loop, a local server
 * say); resolves with { status, stdout, stderr, all }. `env` adds to this process's environment. */
export function runNodeAsync(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, LUXGRAPH_DIST: outputDir(), ...env } });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr, all: stdout + stderr }));
  });
}

/** Leaves a simulator REPL (`npm run sim -- --repl`, a child process) with .exit; resolves with its exit code, after
 * killing it if it is still running 10 s later ('still running'). `exited`: a promise of its exit code. */
export async function leaveRepl(child, exited) {
  child.stdin.write('.exit\n');
  let timer;
  const code = await Promise.race([exited, new Promise((r) => (timer = setTimeout(() => r('still running'), 10000)))]);
  clearTimeout(timer);
  if (code == 'still running') child.kill('SIGKILL');
  return code;
}

/**
 * A printed table (scripts/bench/table.mjs) with its wrapped cells joined again: one line a row, cells as
 * `a | b | c`, so a test can match a row whole however the terminal width broke it.
 */
export function unwrapTable(text) {
  const rows = [];
  for (const line of text.split('\n')) {
    if (!line.includes(' | ')) continue;
    // (a row's last cells may be empty: trimmed, the line ends in ' |')
    const cells = line.split(/ \|(?= |$)/).map((c) => c.trim());
    const last = rows[rows.length - 1];
    if (cells[0] == '' && last) cells.forEach((c, i) => c && (last[i] = last[i] ? `${last[i]} ${c}` : c));
    else rows.push(cells);
  }
  return rows.map((r) => r.join(' | ')).join('\n');
}

/** validateConfig's verdict on `raw`: [] when it passes, else its problems. */
export function problems(raw) {
  try {
    validateConfig(raw);
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.problems;
  }
}

/**
 * Starts `server` (a net.Server) on a free port of 127.0.0.1: { host, port, close() }, close() destroying the
 * sockets it accepted (`sockets`, a Set its connection handler fills) before it stops.
 */
export async function listenOnLoopback(server, sockets) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    host: '127.0.0.1',
    port: server.address().port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(r));
    }
  };
}

/**
 * A TCP proxy on loopback to `target` that can go silent, as a link whose far end lost its power: frozen, the
 * connections it carries pass nothing more either way and never close, and one made while it is frozen is taken
 * and never answered. Thawed, new connections pass again; the frozen ones stay dead.
 */
export async function silentProxy(target) {
  const sockets = new Set();
  let frozen = false;
  const server = net.createServer((a) => {
    sockets.add(a);
    a.on('error', () => {});
    if (frozen) return;
    const b = net.connect(target.port, target.host), link = { dead: false };
    sockets.add(b);
    b.on('error', () => {});
    links.add(link);
    a.on('data', (d) => link.dead || b.write(d));
    b.on('data', (d) => link.dead || a.write(d));
    a.on('close', () => link.dead || b.destroy());
    b.on('close', () => link.dead || a.destroy());
  });
  const links = new Set();
  const proxy = await listenOnLoopback(server, sockets);
  return {
    ...proxy,
    freeze() {
      frozen = true;
      for (const l of links) l.dead = true;
    },
    thaw() {
      frozen = false;
    }
  };
}

/**
 * A new subscriber on test-topic of the broker at `port`, started again, holding the messages of the one before (the
 * broker's sessions went with it): subscribed before the device is back, so that it misses nothing it sends first.
 */
export async function subscribeAgain({ port }, sub) {
  await sub.close();
  const again = await subscriber({ port, topic: 'test-topic' });
  again.messages.unshift(...sub.messages);
  return again;
}
