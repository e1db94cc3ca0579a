// The battery's figures as npm run bench measures them (scripts/bench/battery.mjs), held to their targets: the
// wake file's flash wear at 5-minute wakes, replayed on the Storage model, gives 10 years or more; a wake that only
// samples takes at most 300 ms of firmware time, a send at most 3 s after the WiFi join; and with the currents
// named there, two AA cells last a year or more.
import test from 'node:test';
import assert from 'node:assert/strict';
import { measureBattery, batteryLife, BATTERY_TARGETS } from '../scripts/bench/battery.mjs';

test('the wake file wears the flash for 10 years or more at 5-minute wakes, and the wakes are short enough for a year on 2×AA', async () => {
  const b = await measureBattery({ cycles: 1, wearDays: 60 });
  assert.ok(b.wear.worstPageErasesPerDay > 0, 'pages are erased: the replay reached compactions');
  assert.ok(b.wear.lifeYears >= BATTERY_TARGETS.flashLifeYears, `flash life ${b.wear.lifeYears} years (${b.wear.worstPageErasesPerDay} erases a day)`);
  assert.ok(b.wear.bytesPerDay < 20000, `${b.wear.bytesPerDay} bytes written a day`);
  assert.ok(b.sampleWakeMs.max <= BATTERY_TARGETS.sampleWakeMs, `a wake that only samples: ${b.sampleWakeMs.max} ms`);
  assert.ok(b.sendAfterJoinMs.max <= BATTERY_TARGETS.sendAfterJoinMs, `a send after the join: ${b.sendAfterJoinMs.max} ms`);
  assert.ok(b.energy.years >= BATTERY_TARGETS.batteryYears, `${b.energy.years} years on 2×AA`);
});

test('the battery life follows the awake times: longer wakes, a shorter life', () => {
  const short = batteryLife({ sampleWakeMs: { median: 100 }, sendAfterJoinMs: { median: 500 } });
  const long = batteryLife({ sampleWakeMs: { median: 1000 }, sendAfterJoinMs: { median: 5000 } });
  assert.ok(short.years > long.years, `${short.years} against ${long.years}`);
  // a day's charge is the sum of its parts: 264 wakes that only sample, 24 sends, the sensor, the rest asleep
  assert.equal(Math.round(Object.values(short.parts).reduce((a, b) => a + b, 0) * 100), Math.round(short.mAhPerDay * 100));
});
