// What an upload puts in the board's Storage, and whether it fits: the firmware as the boot code `.bootcde`, and
// each module the firmware requires as a file of its own name, where Espruino's require() finds it (its code then
// runs from flash, and .bootcde stays small).

/** Bytes a Storage file takes: its header (size and a name of up to 28 characters) and its data, 4-byte aligned. */
export const storedBytes = (bytes) => 32 + Math.ceil(bytes / 4) * 4;

/** The files of an upload: [{ name, bytes }], .bootcde first. */
export function storageFiles(firmwareBytes, modules) {
  return [{ name: '.bootcde', bytes: firmwareBytes }, ...modules.map((m) => ({ name: m.name, bytes: m.bytes }))];
}

/** The Storage an upload takes on `board` ({ storageBytes }): { used, total, fits, line }, line saying it for the console. */
export function storageUse(files, board) {
  const used = files.reduce((sum, f) => sum + storedBytes(f.bytes), 0);
  const total = board.storageBytes;
  const parts = files.map((f) => `${f.name} ${f.bytes}`).join(' + ');
  if (!total) return { used, total, fits: true, parts, line: `Storage: ${parts} bytes (${used} with headers)` };
  const line = `Storage: ${parts} bytes = ${used} of ${total} with headers (${Math.round((used / total) * 100)} %, ${board.espruinoBoard})`;
  return { used, total, fits: used <= total, parts, line };
}

/** storageUse(), throwing `makeError(text)` with the numbers when the upload does not fit. */
export function checkStorage(files, board, makeError = (t) => new Error(t)) {
  const use = storageUse(files, board);
  if (!use.fits)
    throw makeError(
      `the upload does not fit the board's Storage: ${use.parts} bytes take ${use.used} bytes with their headers, and ${board.espruinoBoard} has ${use.total}. ` +
        `Leave out what the config turns on (mqtt.commands, mqtt.diagnostics, mqtt.discovery, filters, repl.allOperators), or use a board with more flash: "board": "esp8266-4mb" for an ESP8266 with 4 MB on Espruino's ESP8266_4MB build (NodeMCU, Wemos D1 mini), or "esp32"`
    );
  return use;
}
