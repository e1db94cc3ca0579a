// The board's telnet console has no password, so the firmware closes it at boot unless `device.telnet` opens it,
// and does nothing on a build without it. In the simulator, whose TelnetServer module records the mode it was set
// to; test/flash-telnet.test.mjs shows the same on Espruino's interpreter, where ESPRUINO names one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { EXAMPLE, buildWith, subscriber, waitFor } from './helpers.mjs';
import { validateConfig } from '../scripts/config/index.mjs';
import { createDevice } from '../scripts/sim/device.mjs';
import { startBroker } from '../scripts/sim/broker.mjs';

const builds = {};
/** The firmware built with the `device` section, once per section. */
const build = (device) => (builds[JSON.stringify(device)] ||= buildWith({ sensor: { id: 'lux-1', intervalSeconds: 0.2 }, ...(device && { device }) }));

/** Runs a firmware built with `device` on a simulated board until a reading reaches the broker. */
async function boot(device, { telnet = true, modeBefore } = {}) {
  const broker = await startBroker();
  const { code, board, modules } = await build(device);
  const sub = await subscriber({ host: broker.host, port: broker.port, topic: 'test-topic' });
  const sim = createDevice({ board, broker, log: () => {}, telnet, modules: Object.fromEntries(modules.map((m) => [m.name, m.code])) });
  if (modeBefore) sim.telnet.mode = modeBefore;
  try {
    sim.load(code);
    await waitFor(() => sub.messages.length >= 1, { what: 'a reading at the broker' });
    return { sim, code };
  } finally {
    sim.stop();
    await sub.close();
    await broker.close();
  }
}

test('by default the firmware closes the telnet console at boot', async () => {
  const { sim, code } = await boot();
  assert.equal(sim.telnet.mode, 'off');
  assert.match(code, /require\("TelnetServer"\)\.setOptions\(\{mode:"off"\}\)/, 'the config is baked in as the literal mode');
});

test('device.telnet: true opens it, also on a board where it had been switched off', async () => {
  const { sim } = await boot({ telnet: true }, { modeBefore: 'off' });
  assert.equal(sim.telnet.mode, 'on');
});

test('on a build without the TelnetServer module (512 KB ESP8266) the firmware runs and says nothing about it', async () => {
  const { sim } = await boot(undefined, { telnet: false });
  assert.equal(sim.telnet, undefined);
  assert.deepEqual(sim.lines.filter((l) => /telnet|Uncaught|not found/i.test(l)), []);
});

test('device.telnet and device.port are checked, naming the field', () => {
  const check = (device) => validateConfig({ ...EXAMPLE, device });
  assert.throws(() => check({ telnet: 'yes' }), /device\.telnet: must be true \(leave the board's telnet console open\) or false \(close it at boot\), got "yes"/);
  assert.throws(() => check({ port: 'tcp://192.168.1.50:99999' }), /device\.port: "tcp:\/\/192\.168\.1\.50:99999": the port must be from 1 to 65535/);
  assert.throws(() => check({ port: 'tcp://' }), /device\.port: "tcp:\/\/" is not an address like tcp:\/\/192\.168\.1\.50/);
  assert.throws(() => check({ port: 23 }), /device\.port: must be a serial port such as "\/dev\/ttyUSB0" or a board's address such as "tcp:\/\/192\.168\.1\.50"/);
  assert.throws(() => check('tcp://192.168.1.50'), /device: must be an object/);
  assert.deepEqual(check({ port: 'tcp://192.168.1.50' }).firmware.device, { port: 'tcp://192.168.1.50', telnet: false });
  assert.deepEqual(check({ port: '/dev/ttyUSB0', telnet: true }).firmware.device, { port: '/dev/ttyUSB0', telnet: true });
});
