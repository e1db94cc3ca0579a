// Flash wear of the journal, measured on the simulator's Storage model (scripts/sim/storage.mjs) with the firmware
// itself on the fake clock: day after day, a one-hour outage at the default interval (2 s: 1800 readings into the
// journal), then the broker is back and the journal empties. Reports bytes written and pages erased per 1000
// journaled readings, and the flash life that gives at that rate (a page wears out after ERASE_CYCLES erases).
import mqtt from 'mqtt';
import { validateConfig } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { createDevice } from '../sim/device.mjs';
import { FakeClock } from '../sim/clock.mjs';
import { startBroker } from '../sim/broker.mjs';

/** Erase cycles a page of an ESP8266's SPI flash is rated for, the low end of 10 000 to 100 000. */
export const ERASE_CYCLES = 10000;

/** `days` one-hour outages on board `boardName` (default 4 MB ESP8266), each followed by the journal emptying. */
export async function measureFlashWear({ days = 6, boardName = 'esp8266-4mb', outageSeconds = 3600 } = {}) {
  const broker = await startBroker();
  const { board, firmware } = validateConfig({
    board: boardName,
    wifi: { ssid: 'bench', password: 'bench-password' },
    mqtt: { host: '127.0.0.1', port: broker.port, diagnosticsSeconds: 0 },
    sensor: { id: 'lux-1', intervalSeconds: 2, gain: 'low' }
  });
  const built = await buildFirmware({ board, firmware });
  const clock = new FakeClock();
  const device = createDevice({ board, broker, timers: clock, log: () => {} });
  const sub = mqtt.connect({ host: broker.host, port: broker.port, clientId: 'wear-' + process.pid });
  let received = 0;
  sub.on('message', () => received++);
  await sub.subscribeAsync('test-topic', { qos: 1 });
  const run = async (ms, step, until) => {
    for (let t = 0; t < ms && !(until && until()); t += step) {
      clock.advance(step);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  try {
    device.load(built);
    const writer = () => device.eval('LuxGraph.writer');
    await run(20000, 200, () => writer().sent > 2);
    const s = device.storage, start = { bytes: s.bytesWritten, erased: s.pagesErased, erases: [...s.pageErases] };
    let journaled = 0, dropped = writer().dropped;
    for (let d = 0; d < days; d++) {
      device.wifi.drop();
      await run(outageSeconds * 1000, 2000);
      journaled += writer().journaled;
      device.wifi.restore();
      await run(600000, 100, () => writer().journaled == 0 && writer().queued == 0);
    }
    const per1000 = (x) => Math.round((x * 1000) / journaled);
    const worst = Math.max(...s.pageErases.map((e, i) => e - start.erases[i]));
    const perDay = worst / days;
    return {
      board: boardName,
      days,
      outageSeconds,
      journaled,
      dropped: writer().dropped - dropped,
      bytesPer1000: per1000(s.bytesWritten - start.bytes),
      pagesPer1000: Math.round(((s.pagesErased - start.erased) * 1000 * 10) / journaled) / 10,
      compactions: s.compactions,
      worstPageErasesPerDay: Math.round(perDay * 100) / 100,
      lifeYears: perDay ? Math.round(ERASE_CYCLES / perDay / 365) : null,
      eraseCycles: ERASE_CYCLES
    };
  } finally {
    device.stop();
    await sub.endAsync(true);
    await broker.close();
  }
}
