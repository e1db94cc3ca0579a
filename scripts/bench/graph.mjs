// Graph overhead: events through SensorPub → map → filter → two subscribers, built from the real ES5 runtime
// bundle, against the same pipeline written by hand with plain callbacks, both in the same vm context.
import { performance } from 'node:perf_hooks';
import { runtimeDevice } from './runtime-bundle.mjs';
import { median } from './stats.mjs';

// Each returns run(n): n samples through the pipeline, and a checksum so that no work can be skipped.
export const RUNTIME = `(function () {
  var i = 0, sink = 0;
  var pub = new SensorPub({ sensorId: 'b', sample: function () { return i++; } });
  var out = ops.filter(ops.map(pub, function (e) { return e[2] * 2; }), function (v) { return v % 3 != 0; });
  out.subscribe(function (v) { sink += v; });
  out.subscribe(function (v) { sink ^= v; });
  return function (n) { for (var k = 0; k < n; k++) pub.sample(); return sink; };
})()`;

export const BY_HAND = `(function () {
  var i = 0, sink = 0, sensor = { sensorId: 'b', sample: function () { return i++; } };
  function a(v) { sink += v; }
  function b(v) { sink ^= v; }
  function onEvent(e) { var v = e[2] * 2; if (v % 3 != 0) { a(v); b(v); } }
  function sample() { onEvent([sensor.sensorId, Math.round(getTime()), sensor.sample()]); }
  return function (n) { for (var k = 0; k < n; k++) sample(); return sink; };
})()`;

/** Options: events per round, rounds (after one warm-up round each). */
export async function measureGraph({ events = 200000, rounds = 7 } = {}) {
  const device = await runtimeDevice();
  const runtime = device.eval(RUNTIME), byHand = device.eval(BY_HAND);
  const time = (run) => {
    const t0 = performance.now();
    run(events);
    return performance.now() - t0;
  };
  if (runtime(1000) !== byHand(1000)) throw new Error('graph bench: the two pipelines disagree');
  time(runtime);
  time(byHand);
  const rt = [], bh = [];
  // alternating, so both see the same machine state
  for (let r = 0; r < rounds; r++) {
    rt.push(time(runtime));
    bh.push(time(byHand));
  }
  device.stop();
  const runtimeMs = median(rt), byHandMs = median(bh);
  return {
    events,
    rounds,
    runtimePerSecond: Math.round((events / runtimeMs) * 1000),
    byHandPerSecond: Math.round((events / byHandMs) * 1000),
    ratio: runtimeMs / byHandMs
  };
}
