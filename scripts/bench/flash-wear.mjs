// Flash wear of the journal, measured on the simulator's Storage model (scripts/sim/storage.mjs) with the firmware
// itself on the fake clock, at the default interval (2 s), WiFi dropped for each outage:
// - long outages: day after day, a one-hour outage (1800 readings into the journal), then the broker is back and the
//   journal empties; bytes written and pages erased per 1000 journaled readings;
// - short outages: day after day, OUTAGES_A_DAY outages of five minutes (a router that reboots, a flaky access
//   point), each going to flash from its first reading; bytes written and pages erased a day.
// Each reports the flash life at that rate (a page wears out after ERASE_CYCLES erases).
import mqtt from 'mqtt';
import { validateConfig } from '../config/index.mjs';
import { buildFirmware } from '../firmware/build.mjs';
import { createDevice } from '../sim/device.mjs';
import { FakeClock } from '../sim/clock.mjs';
import { startBroker } from '../sim/broker.mjs';

/** Erase cycles a page of an ESP8266's SPI flash is rated for, the low end of 10 000 to 100 000. */
export const ERASE_CYCLES = 10000;

/** The flash life in years when the most-erased page is erased `perDay` times a day; null when it never is. */
export const lifeYears = (perDay) => (perDay ? Math.round(ERASE_CYCLES / perDay / 365) : null);
/** Short outages a day, and how long each lasts, seconds: one an hour, five minutes each. */
export const OUTAGES_A_DAY = 24;
export const SHORT_OUTAGE_SECONDS = 300;

/**
 * The firmware at 2 s on board `boardName`, connected to a broker of its own with a subscriber taking every reading,
 * its Storage counted from now on. `outage(seconds)` drops WiFi for that long, then waits until the journal is
 * empty again and returns how many readings were in it; `wear(days)` is what Storage took since the start, as a
 * day's worth over `days`.
 */
async function wearRig(boardName) {
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
  const run = async (ms, step, until) => {
    for (let t = 0; t < ms && !(until && until()); t += step) {
      clock.advance(step);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const close = async () => {
    device.stop();
    await sub.endAsync(true);
    await broker.close();
  };
  try {
    await sub.subscribeAsync('test-topic', { qos: 1 });
    device.load(built);
  } catch (e) {
    await close();
    throw e;
  }
  const writer = () => device.eval('LuxGraph.writer');
  await run(20000, 200, () => writer().sent > 2);
  const s = device.storage, start = { bytes: s.bytesWritten, erased: s.pagesErased, erases: [...s.pageErases], dropped: writer().dropped, compactions: s.compactions };
  return {
    run,
    close,
    async outage(seconds) {
      device.wifi.drop();
      await run(seconds * 1000, 2000);
      const journaled = writer().journaled;
      device.wifi.restore();
      await run(600000, 100, () => writer().journaled == 0 && writer().queued == 0 && !writer()._journal);
      return journaled;
    },
    wear(days) {
      const perDay = Math.max(...s.pageErases.map((e, i) => e - start.erases[i])) / days;
      return {
        bytes: s.bytesWritten - start.bytes,
        pages: s.pagesErased - start.erased,
        compactions: s.compactions - start.compactions,
        dropped: writer().dropped - start.dropped,
        worstPageErasesPerDay: Math.round(perDay * 100) / 100,
        lifeYears: lifeYears(perDay),
        eraseCycles: ERASE_CYCLES
      };
    }
  };
}

/** Of a rig's wear(days): what both measurements report as it is, the readings dropped and the flash life. */
const lifeOf = (w) => ({ dropped: w.dropped, compactions: w.compactions, worstPageErasesPerDay: w.worstPageErasesPerDay, lifeYears: w.lifeYears, eraseCycles: w.eraseCycles });

/** `days` one-hour outages on board `boardName` (default 4 MB ESP8266), each followed by the journal emptying. */
export async function measureFlashWear({ days = 6, boardName = 'esp8266-4mb', outageSeconds = 3600 } = {}) {
  const rig = await wearRig(boardName);
  try {
    let journaled = 0;
    for (let d = 0; d < days; d++) journaled += await rig.outage(outageSeconds);
    const w = rig.wear(days);
    const per1000 = (x) => Math.round((x * 1000) / journaled);
    return {
      board: boardName,
      days,
      outageSeconds,
      journaled,
      bytesPer1000: per1000(w.bytes),
      pagesPer1000: Math.round((w.pages * 1000 * 10) / journaled) / 10,
      ...lifeOf(w)
    };
  } finally {
    await rig.close();
  }
}

/**
 * `days` days of `outages` outages of `outageSeconds` each on board `boardName`: each outage's readings go to flash
 * from its first one, and the journal empties before the next. The rest of each hour, connected, writes nothing to
 * flash, and is left out: a minute connected between two outages.
 */
export async function measureShortOutageWear({ days = 1, outages = OUTAGES_A_DAY, outageSeconds = SHORT_OUTAGE_SECONDS, boardName = 'esp8266-4mb' } = {}) {
  const rig = await wearRig(boardName);
  try {
    let journaled = 0;
    for (let n = 0; n < days * outages; n++) {
      journaled += await rig.outage(outageSeconds);
      await rig.run(60000, 2000);
    }
    const w = rig.wear(days);
    return {
      board: boardName,
      days,
      outages,
      outageSeconds,
      journaled,
      bytesPerDay: Math.round(w.bytes / days),
      pagesPerDay: Math.round((w.pages * 100) / days) / 100,
      ...lifeOf(w)
    };
  } finally {
    await rig.close();
  }
}
