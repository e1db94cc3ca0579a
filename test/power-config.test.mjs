// The `power` section (deep sleep between readings): what cannot work asleep is refused at build time with the
// reason, by validateConfig and by config.schema.json alike; what can is built with the board's sleep call; and a
// config without deep sleep builds the very firmware it built before the section existed.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { EXAMPLE, ROOT, buildWith, withSections, problems as validationProblems } from './helpers.mjs';
import { validateConfig } from '../scripts/config/index.mjs';
import { SCHEMA_FILE } from '../scripts/config/schema.mjs';

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, SCHEMA_FILE), 'utf8'));
const schemaAccepts = new Ajv2020({ allErrors: true }).compile(schema);

/** A config that sleeps: the example, waking every 5 minutes, with `change` merged into its sections. */
function sleeping(change = {}) {
  return withSections({ ...EXAMPLE, sensor: { ...EXAMPLE.sensor, intervalSeconds: 300 }, power: { deepSleep: true } }, change);
}

/** validateConfig's problems for `raw` ([] when it builds); the schema must give the same verdict. */
function problems(raw) {
  const found = validationProblems(raw);
  assert.equal(schemaAccepts(raw), found.length == 0, `the schema and validateConfig disagree on ${JSON.stringify(raw)}: ${found.join('; ') || 'accepted'}`);
  return found;
}

test('a sleeping config builds with the board profile\'s sleep call and the defaults: 12 readings a send, 10 s to send', () => {
  assert.deepEqual(problems(sleeping()), []);
  const { firmware } = validateConfig(sleeping());
  assert.deepEqual(firmware.power, { deepSleep: true, sendEvery: 12, sendTimeoutSeconds: 10, stayAwakePin: undefined, call: 'ESP8266.deepSleep', minSeconds: 10, maxSeconds: 2147 });
  assert.equal(validateConfig(sleeping({ board: 'esp32' })).firmware.power.call, 'ESP32.deepSleep');
  assert.equal(validateConfig(sleeping({ power: { stayAwakePin: 'D14', sendEvery: 6 } })).firmware.power.stayAwakePin, 'D14');
  // without deep sleep there is no call to make
  assert.equal(validateConfig(EXAMPLE).firmware.power.call, undefined);
});

test('a period too short to be worth a wake, or too long for one sleep call, is refused with the reason', () => {
  assert.deepEqual(problems(sleeping({ sensor: { intervalSeconds: 5 } })), [
    'sensor.intervalSeconds: is the wake period with power.deepSleep: 5 s is under 10 s, too short for a deep sleep to be worth it (every wake boots the firmware again, about as long as a reading, at the current of a board awake): sample every 10 s or more, or leave power.deepSleep out'
  ]);
  // the example's 2 s, as a user who only turns deep sleep on meets it
  const { sensor, ...noPeriod } = sleeping();
  assert.match(problems({ ...noPeriod, sensor: { id: 'lux-1' } })[0], /^sensor\.intervalSeconds: is the wake period with power\.deepSleep: 2 s is under 10 s/);
  assert.deepEqual(problems(sleeping({ sensor: { intervalSeconds: 3600 } })), [
    'sensor.intervalSeconds: is the wake period with power.deepSleep: 3600 s is over the 2147 s that ESP8266.deepSleep can sleep (Espruino takes the sleep as whole microseconds in a 32-bit integer): use 2147 s or less'
  ]);
  assert.match(problems(sleeping({ board: 'esp32', sensor: { intervalSeconds: 2148 } }))[0], /over the 2147 s that ESP32\.deepSleep can sleep/);
  assert.deepEqual(problems(sleeping({ sensor: { intervalSeconds: 10 } })), []);
  assert.deepEqual(problems(sleeping({ sensor: { intervalSeconds: 2147 } })), []);
  // the same periods without deep sleep are fine
  assert.deepEqual(problems({ ...EXAMPLE, sensor: { id: 'lux-1', intervalSeconds: 3600 } }), []);
});

test('filters whose state a wake loses are refused, each with the reason; clamp, range and round are kept', () => {
  const list = [{ slidingMean: 5 }, { clamp: [0, 40000] }, { onChange: '10%' }, { round: 1 }, { heartbeat: 600 }, { range: [0, 90000] }];
  const found = problems(sleeping({ sensor: { filters: list } }));
  const reason = 'keeps state from one reading to the next, which every deep-sleep wake loses (the wake is a reset): with power.deepSleep the filters may be clamp, range, round';
  assert.deepEqual(found, [`sensor.filters[0].slidingMean: ${reason}`, `sensor.filters[2].onChange: ${reason}`, `sensor.filters[4].heartbeat: ${reason}`]);
  for (const name of ['throttle', 'debounce', 'skip', 'take'])
    assert.deepEqual(problems(sleeping({ sensor: { filters: [{ [name]: 30 }] } })), [`sensor.filters[0].${name}: ${reason}`]);
  assert.deepEqual(problems(sleeping({ sensor: { filters: [{ clamp: [0, 40000] }, { range: [1, 90000] }, { round: 1 }] } })), []);
  // without deep sleep, the stateful ones are fine
  assert.deepEqual(problems({ ...EXAMPLE, sensor: { ...EXAMPLE.sensor, filters: list } }), []);
});

test('a board that cannot keep readings in flash, a journal turned off and QoS 0 are refused with the reason', () => {
  assert.deepEqual(problems(sleeping({ board: 'esp8266' })), [
    'power.deepSleep: keeps the readings a send could not deliver in the journal, which cannot work on the esp8266 board: its module alone is about 5 KB, and with the firmware and the MQTT module in the 16 KB of Storage no room is left for it and the readings it keeps. Use a board with more flash'
  ]);
  assert.deepEqual(problems(sleeping({ buffer: { journal: 0 } })), [
    'power.deepSleep: keeps the readings a send could not deliver in the journal, which is off (buffer.journal is 0): set buffer.journal above 0'
  ]);
  assert.deepEqual(problems(sleeping({ mqtt: { qos: 0 } })), ['mqtt.qos: must be 1 with power.deepSleep: a reading leaves flash only once the broker has acknowledged it']);
});

test('the stay-awake pin is one of the board profile\'s, and the section\'s numbers have their ranges', () => {
  assert.deepEqual(problems(sleeping({ power: { stayAwakePin: 'D4' } })), [
    'power.stayAwakePin: must be one of D12, D13, D14 on the esp8266-4mb board (a pin with a pull-up that the board\'s boot and the sensor leave alone), got "D4"'
  ]);
  assert.deepEqual(problems(sleeping({ board: 'esp32', power: { stayAwakePin: 'D25' } })), []);
  assert.match(problems(sleeping({ board: 'esp32', power: { stayAwakePin: 'D12' } }))[0], /^power\.stayAwakePin: must be one of D4, D13, /);
  assert.deepEqual(problems(sleeping({ power: { sendEvery: 0 } })), ['power.sendEvery: must be a whole number from 1 to 100, got 0']);
  assert.deepEqual(problems(sleeping({ power: { sendTimeoutSeconds: 2 } })), ['power.sendTimeoutSeconds: must be a number from 3 to 120, got 2']);
  assert.deepEqual(problems(sleeping({ power: { deepSleep: 'yes' } })), ['power.deepSleep: must be true or false, got "yes"']);
  assert.deepEqual(problems(sleeping({ power: { sleep: true } })), ['power.sleep is not a setting: did you mean power.deepSleep?']);
});

test('without deep sleep the firmware is the one built before: nothing of the power section reaches it', async () => {
  const plain = await buildWith();
  const named = await buildWith({ power: { deepSleep: false, sendEvery: 6, sendTimeoutSeconds: 20 } });
  assert.equal(named.code, plain.code);
  assert.deepEqual(named.modules.map((m) => m.name), plain.modules.map((m) => m.name));
  assert.doesNotMatch(plain.code, /deepSleep|lgpower|lgwake/);
});
