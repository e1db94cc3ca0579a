// A model of Espruino's Storage (src/jsflash.c in Espruino 2v29) for the simulator: files one after another in a
// flash area of pages, each a 32-byte header and its data padded to 4 bytes. Flash bits only go from 1 to 0: a file is
// created at its full size, filled with 0xFF, and each byte of it can be written once (`write(name, data, offset,
// size)`); erasing a file only marks its header, and its space comes back when compact() moves the files after it
// down and erases the pages behind them, which Espruino also does by itself when a new file would not fit otherwise.
// It counts what wears the flash: bytes written and pages erased.

const HEADER = 32;
const align = (n) => Math.ceil(n / 4) * 4;

export class StorageSim {
  /** `bytes`: the Storage area (board/*.json storageBytes); `pageSize`: the flash's erase unit (4096 on ESP8266). */
  constructor({ bytes = 196608, pageSize = 4096 } = {}) {
    this.total = bytes;
    this.pageSize = pageSize;
    /** In flash order: { name, size, data (Buffer), trash }. */
    this.files = [];
    this.bytesWritten = 0;
    this.pagesErased = 0;
    this.compactions = 0;
    /** Erases of each page: the most-erased page is the first to wear out. */
    this.pageErases = new Array(Math.ceil(bytes / pageSize)).fill(0);
  }

  /** Bytes taken by the files and the trash, from the start of the area: where the next file goes. */
  end() {
    return this.files.reduce((n, f) => n + HEADER + align(f.size), 0);
  }

  find(name) {
    return this.files.find((f) => !f.trash && f.name == name);
  }

  /** Storage.read(name, offset, length): the bytes as a string (one character per byte), or undefined. */
  read(name, offset = 0, length) {
    const f = this.find(name);
    if (!f) return undefined;
    const from = Math.min(offset, f.size);
    return f.data.toString('latin1', from, length === undefined ? f.size : Math.min(f.size, from + length));
  }

  readJSON(name, noExceptions) {
    const text = this.read(name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (e) {
      if (noExceptions) return undefined;
      throw e;
    }
  }

  /** Storage.write: as Espruino's jsfWriteFile, errors thrown as its exceptions (the firmware sees them the same way). */
  write(name, data, offset = 0, size) {
    name = String(name);
    if (name.length > 28) throw new Error('File name too long');
    const bytes = Buffer.from(String(data), 'latin1');
    size = size || bytes.length;
    if (!size) throw new Error("Can't create zero length file");
    let f = this.find(name);
    // a new file only from offset 0: a part written further on needs the file there already
    if ((!f && offset == 0) || (f && offset == 0 && (f.size != size || f.data.some((b) => b != 0xff)))) {
      if (f && offset == 0 && f.size == size && bytes.length == size && f.data.equals(bytes)) return true;
      if (f) this.erase(name);
      f = this.create(name, size);
    }
    if (!f) throw new Error('Unable to find or create file');
    if (offset + bytes.length > f.size) throw new Error('Too much data for file size');
    for (let i = 0; i < bytes.length; i++) if (f.data[offset + i] != 0xff) throw new Error('File already written with different data');
    bytes.copy(f.data, offset);
    this.bytesWritten += bytes.length;
    return true;
  }

  writeJSON(name, value) {
    return this.write(name, JSON.stringify(value));
  }

  /** A new file at the end of the area, compacting first when only the trash has room for it; null when full. */
  create(name, size) {
    const need = HEADER + align(size);
    if (this.total - this.end() < need) {
      const trash = this.files.filter((f) => f.trash).reduce((n, f) => n + HEADER + align(f.size), 0);
      if (this.total - this.end() + trash < need) return null;
      this.compact();
    }
    const f = { name, size, data: Buffer.alloc(size, 0xff), trash: false };
    this.files.push(f);
    this.bytesWritten += HEADER;
    return f;
  }

  erase(name) {
    const f = this.find(name);
    if (!f) return;
    f.trash = true; // its header's name is zeroed: a write of the header, no erase
    this.bytesWritten += 4;
  }

  list(pattern) {
    return this.files.filter((f) => !f.trash && (!pattern || pattern.test(f.name))).map((f) => f.name);
  }

  /** Free bytes at the end of the area: the largest file that can be written without a compaction. */
  getFree() {
    return this.total - this.end();
  }

  getStats() {
    const live = this.files.filter((f) => !f.trash), trash = this.files.filter((f) => f.trash);
    const bytes = (fs) => fs.reduce((n, f) => n + HEADER + align(f.size), 0);
    return { totalBytes: this.total, freeBytes: this.getFree(), fileBytes: bytes(live), fileCount: live.length, trashBytes: bytes(trash), trashCount: trash.length };
  }

  /**
   * Removes the trash: the files from the page holding the first erased one onwards are written again further
   * down, and every page from there to the old end is erased.
   */
  compact() {
    let at = 0, first = -1;
    for (const f of this.files) {
      if (f.trash && first < 0) first = at;
      at += HEADER + align(f.size);
    }
    if (first < 0) return;
    const from = Math.floor(first / this.pageSize) * this.pageSize, oldEnd = at;
    let pos = 0, rewritten = 0;
    for (const f of this.files) {
      const n = HEADER + align(f.size);
      if (!f.trash && pos + n > from) rewritten += n;
      pos += n;
    }
    this.files = this.files.filter((f) => !f.trash);
    for (let p = from / this.pageSize; p < Math.ceil(oldEnd / this.pageSize); p++) this.pageErases[p]++;
    this.pagesErased += Math.ceil((oldEnd - from) / this.pageSize);
    this.bytesWritten += rewritten;
    this.compactions++;
  }

  /** A copy (for a test that cuts a write short): the same files and counters. */
  clone() {
    const c = new StorageSim({ bytes: this.total, pageSize: this.pageSize });
    c.files = this.files.map((f) => ({ ...f, data: Buffer.from(f.data) }));
    Object.assign(c, { bytesWritten: this.bytesWritten, pagesErased: this.pagesErased, compactions: this.compactions, pageErases: [...this.pageErases] });
    return c;
  }
}
