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
 * 1 KB, and what arrives while it is full (say, while it writes a chunk to flash) is lost. Resolves once all of it
 * is written.
 */
function paced(stream, data, chunk = +(process.env.PACE_CHUNK || 128), gapMs = +(process.env.PACE_GAP || 8)) {
  let at = 0;
  return new Promise((resolve) => {
    const next = () => {
      if (at >= data.length || stream.destroyed) return resolve();
      stream.write(data.subarray(at, at + chunk));
      at += chunk;
      setTimeout(next, gapMs);
    };
    next();
  });
}

/**
 * What the interpreter prints when it ran a line of the upload that reached it damaged: Espruino's Linux port now
 * and then garbles console input (its stdin thread adds characters to an input event while the main loop takes it
 * out of the queue; docs/benchmarks.md says more), and the upload's Storage writes then fail or its code does not
 * parse (DAMAGED), or a line that never ends fills RAM (GARBLED adds those). A caller for whom running out of
 * memory is a result, not a garbled upload, checks DAMAGED only.
 */
export const DAMAGED = /Uncaught (Error: File already written with different data|SyntaxError)|UNFINISHED/;
const GARBLED = new RegExp(DAMAGED.source + '|OUT OF MEMORY|Execution Interrupted');
/** How long after the last of the upload is typed a garbled line may still come. */
const UPLOAD_SETTLE_MS = 1500;
/**
 * The rig's harness says the board booted (.boot0 prints the bare usage): with it in the upload, the upload has
 * settled only once this is printed, however far behind the typing the interpreter is; without it in
 * BOOT_WAIT_MS of the typing's end, the upload counts as garbled too.
 */
const BOOTED = /^@@MEM bare /;
const BOOT_WAIT_MS = 15000;

/**
 * Starts the interpreter (with `args`, e.g. --telnet) and sends `upload` (if any) once its banner is out. `cwd`: a
 * folder of the caller's, kept afterwards, whose espruino.flash is the board's flash (to start it again over the same
 * Storage, as after a power cut); a fresh temporary one, removed at the end, by default.
 * `onLine(line)` gets each console line (prompt and escape codes removed). Returns { lines, send(text), stop(),
 * exited, retries } where exited resolves with { code, signal, timedOut } and send types more, paced the same way.
 * An upload the console garbled (see GARBLED) is typed again into a new start of the interpreter, up to `tries`
 * times in all: until the upload has settled (the harness's boot line, or a moment after the typing without the
 * harness), lines are held back, so the caller sees those of one start only; `retries` says how many it took.
 */
export function startEspruino({ bin, upload, onLine = () => {}, timeoutMs = 60000, args = [], cwd: given, tries = 3 }) {
  const cwd = given || fs.mkdtempSync(path.join(os.tmpdir(), 'espruino-bench-'));
  const lines = [];
  let child, timedOut = false, stopped = false, killer, finished, held = upload ? [] : null;
  const result = { lines, retries: 0 };
  const exited = new Promise((resolve) => (finished = resolve));
  const deliver = (line) => {
    lines.push(line);
    onLine(line);
  };
  // each line behind DLE (0x10), as espruino-cli sends it: run without echo and kept out of the REPL's history
  const send = (text) => paced(child.stdin, Buffer.from(text.split('\n').map((l) => (l ? '\x10' + l : l)).join('\n'), 'latin1'));
  const marked = !!upload && upload.includes('@@MEM bare');
  // the flash as it was before the upload, for a start again after a garbled one (null: there was none)
  const flashFile = path.join(cwd, 'espruino.flash');
  const before = upload && fs.existsSync(flashFile) ? fs.readFileSync(flashFile) : null;
  const start = () => {
    if (result.retries) {
      if (before) fs.writeFileSync(flashFile, before);
      else fs.rmSync(flashFile, { force: true });
    }
    const me = (child = spawn(bin, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
    let buffer = '', sent = false, garbled = false;
    // settled: what was held back is the caller's, and the rest goes to it as it comes
    const release = () => {
      if (me !== child || garbled || !held) return;
      const h = held;
      held = null;
      h.forEach(deliver);
    };
    const again = () => {
      garbled = true;
      result.retries++;
      held = [];
      me.kill('SIGKILL');
    };
    clearTimeout(killer);
    killer = setTimeout(() => {
      timedOut = true;
      me.kill('SIGKILL');
    }, timeoutMs);
    me.stdout.on('data', (d) => {
      // (a start given up on says nothing more)
      if (me !== child || garbled) return;
      buffer += d.toString('latin1');
      if (!sent && buffer.includes('espruino.com')) {
        sent = true;
        if (upload)
          setTimeout(async () => {
            await send(upload);
            await new Promise((r) => setTimeout(r, marked ? BOOT_WAIT_MS : UPLOAD_SETTLE_MS));
            if (!marked) return release();
            // never booted: the upload's load() did not come through
            if (me === child && held && !garbled && result.retries < tries - 1) again();
          }, 200);
      }
      const parts = buffer.split('\n');
      buffer = parts.pop();
      for (const raw of parts) {
        const line = raw.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/\r/g, '').replace(/^>+/, '');
        if (!held) {
          deliver(line);
          continue;
        }
        held.push(line);
        if (GARBLED.test(line) && result.retries < tries - 1) return again();
        if (marked && BOOTED.test(line)) release();
      }
    });
    me.stderr.on('data', () => {}); // its own start-up log
    me.stdin.on('error', () => {}); // it may be gone before the upload is written
    me.on('close', (code, signal) => {
      if (garbled && !stopped && !timedOut) return start();
      clearTimeout(killer);
      if (held) held.splice(0).forEach(deliver);
      held = null;
      if (!given) fs.rmSync(cwd, { recursive: true, force: true });
      finished({ code, signal, timedOut });
    });
  };
  start();
  return Object.assign(result, {
    exited,
    send,
    stop() {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    }
  });
}
