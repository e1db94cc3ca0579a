// Drives Espruino's Linux port (the binary named by ESPRUINO) like a board on a serial console: started with no
// arguments in a fresh directory (its fake flash, ./espruino.flash, lives in the working directory), it gets the
// whole upload once its banner is out, paced like a serial line, and from then on is only read. Typing more while
// its sockets are open corrupts its input, and closing stdin makes it read garbage, so stdin stays open and silent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';

/** A JS string literal the Espruino REPL reads back exactly: printable ASCII, \xHH for the rest. */
export function jsString(s) {
  return JSON.stringify(s).replace(/[\u007f-\u00ff]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}

/**
 * Writes `data` a little at a time, as a serial line would bring it: the interpreter's input buffer holds about
 * 1 KB, and what arrives while it is full (say, while it writes a chunk to flash) is lost.
 */
function paced(stream, data, chunk = +(process.env.PACE_CHUNK || 128), gapMs = +(process.env.PACE_GAP || 8)) {
  let at = 0;
  const next = () => {
    if (at >= data.length || stream.destroyed) return;
    stream.write(data.subarray(at, at + chunk));
    at += chunk;
    setTimeout(next, gapMs);
  };
  next();
}

/**
 * Starts the interpreter (with `args`, e.g. --telnet) and sends `upload` (if any) once its banner is out. `cwd`: a
 * folder of the caller's, kept afterwards, whose espruino.flash is the board's flash (to start it again over the same
 * Storage, as after a power cut); a fresh temporary one, removed at the end, by default.
 * `onLine(line)` gets each console line (prompt and escape codes removed). Returns { lines, send(text), stop(),
 * exited } where exited resolves with { code, signal, timedOut } and send types more, paced the same way.
 */
export function startEspruino({ bin, upload, onLine = () => {}, timeoutMs = 60000, args = [], cwd: given }) {
  const cwd = given || fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-bench-'));
  const child = spawn(bin, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = [];
  let buffer = '', sent = false, timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  child.stdout.on('data', (d) => {
    buffer += d.toString('latin1');
    if (!sent && buffer.includes('espruino.com')) {
      sent = true;
      if (upload) setTimeout(() => send(upload), 200);
    }
    const parts = buffer.split('\n');
    buffer = parts.pop();
    for (const raw of parts) {
      const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').replace(/^>+/, '');
      lines.push(line);
      onLine(line);
    }
  });
  // each line behind DLE (0x10), as espruino-cli sends it: run without echo and kept out of the REPL's history
  const send = (text) => paced(child.stdin, Buffer.from(text.split('\n').map((l) => (l ? '\x10' + l : l)).join('\n'), 'latin1'));
  child.stderr.on('data', () => {}); // its own start-up log
  child.stdin.on('error', () => {}); // it may be gone before the upload is written
  const exited = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      if (!given) fs.rmSync(cwd, { recursive: true, force: true });
      resolve({ code, signal, timedOut });
    })
  );
  return {
    lines,
    exited,
    send,
    stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    }
  };
}
