// npm run ports: the USB serial ports a board can be on, to pass as --port. `npx espruino --list` would do it too,
// but it also scans for Bluetooth and crashes where there is no system D-Bus. This asks the serialport package
// (espruino-cli's own) and, where it cannot list (no udev, as in a container), looks in /dev.
//
// LUXGRAPH_DEV_DIR makes it look in that folder only (for the tests).
import fs from 'node:fs';
import path from 'node:path';
import { answerHelp, formatHelp } from './cli/help.mjs';

const HELP = formatHelp({
  usage: 'npm run ports',
  about: 'Lists the USB serial ports a board can be on, to pass to npm run flash or npm run repl as --port. It takes no options.',
  options: [],
  examples: ['npm run ports', 'npm run flash -- --port /dev/ttyUSB0']
});

/** Device names of USB serial adapters: Linux (CH340, CP2102, FTDI; CDC), macOS. */
const USB_SERIAL = /^(ttyUSB\d+|ttyACM\d+|cu\.(usbserial|SLAB_USBtoUART|wchusbserial|usbmodem).*)$/;

/** USB serial ports from serialport: { path, about } with the adapter's maker and USB id; null if it cannot list. */
async function fromSerialport() {
  try {
    const { SerialPort } = await import('serialport');
    const ports = await SerialPort.list();
    return ports
      .filter((p) => p.vendorId || USB_SERIAL.test(path.basename(p.path)))
      .map((p) => ({ path: p.path, about: [p.manufacturer, p.vendorId && `USB ${p.vendorId}:${p.productId}`].filter(Boolean).join(', ') }));
  } catch {
    return null;
  }
}

/** USB serial devices in a /dev folder. */
function fromDev(dir) {
  let names = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => USB_SERIAL.test(n)).sort().map((n) => ({ path: path.join(dir, n), about: '' }));
}

async function listPorts(env = process.env) {
  if (env.LUXGRAPH_DEV_DIR) return fromDev(env.LUXGRAPH_DEV_DIR);
  const listed = await fromSerialport();
  return listed && listed.length ? listed : process.platform == 'win32' ? listed || [] : fromDev('/dev');
}

async function main() {
  answerHelp(process.argv.slice(2), HELP);
  const ports = await listPorts();
  if (!ports.length) {
    console.log(
      'no USB serial port found: plug the board in with a data cable (a charge-only cable has none), then run npm run ports again' +
        (process.platform == 'linux' ? '; sudo dmesg | tail shows whether the USB-serial chip (CH340, CP2102) was seen' : '')
    );
    return;
  }
  console.log('USB serial ports:');
  for (const p of ports) console.log(`  ${p.path}${p.about ? '   ' + p.about : ''}`);
  console.log(`then: npm run flash -- --port ${ports[0].path}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname)) main();
