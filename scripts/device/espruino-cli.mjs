// How the project runs espruino-cli (the npm package `espruino`): where it is, the board description it is given
// so it never asks the web, the options that keep it from downloading modules, and a run with secrets redacted.
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { ROOT, tcpAddress } from '../config/index.mjs';
import { redactingWriter, redactText, asBytes } from '../cli/redact-stream.mjs';

export class DeviceError extends Error {}

/** The espruino-cli script; LUXGRAPH_ESPRUINO_CLI overrides it. A clear error when it is not installed. */
export function findEspruinoCli(env = process.env) {
  let file = env.LUXGRAPH_ESPRUINO_CLI;
  if (!file) {
    try {
      file = path.join(path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('espruino/package.json')), 'bin', 'espruino-cli.js');
    } catch {
      file = null;
    }
  }
  if (!file || !fs.existsSync(file))
    throw new DeviceError(`espruino-cli is not installed${file ? ` (no ${file})` : ''}: run npm install (it is the npm package "espruino", a dev dependency)`);
  return file;
}

/**
 * Checks the port (--port, else the config's device.port). Serial device paths must exist; tcp://HOST[:PORT]
 * addresses (a board's telnet console, port 23 unless given) must be well formed; Windows COM ports are passed to
 * espruino-cli as they are.
 */
export function checkPort(port, { mustExist = true, command = 'flash' } = {}) {
  if (!port || port === true)
    throw new DeviceError(
      `no port given: add --port, e.g. npm run ${command} -- --port /dev/ttyUSB0 (npm run ports lists the serial ports), or --port tcp://192.168.1.50 for a board on the network, or set "device": { "port": ... } in the config`
    );
  const address = tcpAddress(port);
  if (typeof address == 'string') throw new DeviceError(`--port ${address}`);
  if (address || /^COM\d+$/i.test(port)) return port;
  if (mustExist && !fs.existsSync(port))
    throw new DeviceError(
      `serial port ${port} does not exist: is the board plugged in (with a data cable)? npm run ports lists the serial ports`
    );
  return port;
}

const PROBE_MS = 5000;

/**
 * For a tcp:// port, checks that the board's telnet console answers before espruino-cli is started (which would
 * wait minutes for an unreachable host, and exit as if all went well after a refused connection). A serial port
 * passes. The probe connects and leaves at once; the board then gives its console back to the serial port.
 */
export function probePort(port, timeoutMs = PROBE_MS) {
  const address = tcpAddress(port);
  if (!address) return Promise.resolve();
  const where = `${address.host}:${address.port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(address.port, address.host);
    const fail = (message) => {
      socket.destroy();
      reject(new DeviceError(message));
    };
    socket.setTimeout(timeoutMs, () =>
      fail(`${where} did not answer within ${timeoutMs / 1000} s: is the board powered and on this network, and is the address right (the board prints it on its console as "WiFi: connected, IP …")? (docs/network.md, When it does not connect)`)
    );
    socket.on('connect', () => (socket.destroy(), resolve()));
    socket.on('error', (e) => {
      if (e.code == 'ECONNREFUSED')
        fail(
          `${where} refused the connection, which says only that nothing listens on that port there. ` +
            `Likely: the board's telnet console is closed (the firmware closes it at boot unless the config has "device": { "telnet": true }, and the 512 KB ESP8266 build has none: flash once over USB with that option), ` +
            `or the address is another machine's (the board prints its own as "WiFi: connected, IP …") (docs/network.md, Flashing over WiFi)`
        );
      else if (e.code == 'ENOTFOUND' || e.code == 'EAI_AGAIN') fail(`cannot find the host ${address.host}: check the board's address (docs/network.md, When it does not connect)`);
      else fail(`cannot reach ${where}: ${e.code || e.message} (is the board on this network?) (docs/network.md, When it does not connect)`);
    });
  });
}

/**
 * Writes the board description espruino-cli gets with --board: its board name, firmware version and built-in
 * modules. Given a file, espruino-cli neither queries the device nor downloads www.espruino.com/json/<BOARD>.json.
 */
export function writeBoardJson(board, dir, { stored = [] } = {}) {
  const file = path.join(dir, `espruino-board-${board.id}.json`);
  // modules sent as Storage files of their own count as there already: espruino-cli then leaves them out of the code
  const json = {
    BOARD: board.espruinoBoard,
    info: { binary_version: board.minFirmware || '2v00', builtin_modules: [...(board.builtinModules || []), ...stored] }
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(json, null, 2) + '\n');
  return file;
}

/**
 * The espruino-cli options every upload uses:
 * - modules come only from the local folder: MODULE_URL is that folder (espruino-cli reads a path there as a
 *   file) with the single extension .js, and MODULES_CWD/MODULES_DIR_NAME name the same folder, so no URL is left
 *   to download from;
 * - no minification by espruino-cli (the build already minified; the modules are the .min.js files) and no
 *   online compiler;
 * - save on send: `--storage .bootcde:-` writes the code to flash as the boot code and loads it from there, so
 *   function bodies stay in flash instead of RAM; -o writes exactly what is sent.
 */
export function uploadOptions({ boardJson, modulesDir, out, stored = [] }) {
  return [
    '--board', boardJson,
    '--config', `MODULE_URL=${modulesDir}`,
    '--config', 'MODULE_EXTENSIONS=.js',
    '--config', `MODULES_CWD=${path.dirname(modulesDir)}`,
    '--config', `MODULES_DIR_NAME=${path.basename(modulesDir)}`,
    '--config', 'MODULE_AS_FUNCTION=true',
    '--config', 'MODULE_MINIFICATION_LEVEL=',
    '--config', 'MINIFICATION_LEVEL=',
    '--config', 'COMPILATION=false',
    ...stored.flatMap((m) => ['--storage', `${m.name}:${m.file}`]),
    '--storage', '.bootcde:-',
    '-o', out
  ];
}

/**
 * How espruino-cli reaches the board: the port (a serial port, or tcp://HOST[:PORT] for its telnet console), the
 * baud rate (unused over the network), and no Bluetooth scan (it also fails on machines without a system D-Bus).
 */
export function connectOptions(port, baud) {
  return ['-p', port, '-b', String(baud), '--no-ble'];
}

/** A command line as it can be pasted into a shell. */
export function shellLine(argv) {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * Runs espruino-cli with `args`. Its output is shown with `secrets` replaced by ***. stdin is the terminal's for
 * the REPL. Resolves with { code, output }: the exit code and the end of what it printed (redacted), since
 * espruino-cli exits with 0 even when it could not connect.
 */
export function runEspruinoCli(cli, args, { secrets = [], stdin = 'ignore', env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: [stdin, 'pipe', 'pipe'], env });
    const out = redactingWriter(process.stdout, secrets);
    const err = redactingWriter(process.stderr, secrets);
    let output = '';
    const keep = (d) => (output = (output + d.toString('latin1')).slice(-4000));
    child.stdout.on('data', (d) => (out.write(d), keep(d)));
    child.stderr.on('data', (d) => (err.write(d), keep(d)));
    // Ctrl-C belongs to the device (the REPL puts the terminal in raw mode); espruino-cli decides when to exit
    const ignore = () => {};
    process.on('SIGINT', ignore);
    child.on('error', reject);
    child.on('close', (code) => {
      process.off('SIGINT', ignore);
      out.end();
      err.end();
      resolve({ code, output: redactText(output, asBytes(secrets)) });
    });
  });
}
