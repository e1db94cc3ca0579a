// Espruino's Storage module (built into every board profile here), which @types/espruino lacks. The upload
// itself writes the firmware to Storage as .bootcde (save on send); firmware code may keep small files there.

interface StorageModule {
  /** The file's contents, or undefined when there is none; `offset`/`length` read part of it. */
  read(name: string, offset?: number, length?: number): string | undefined;
  /** The file's JSON, parsed (undefined when there is none; with `noExceptions`, also when it does not parse). */
  readJSON(name: string, noExceptions?: boolean): unknown;
  /** Writes a file; with `offset` and `size`, writes part of a file of that total size (how uploads arrive in chunks). */
  write(name: string, data: string, offset?: number, size?: number): boolean;
  writeJSON(name: string, data: unknown): boolean;
  erase(name: string): void;
  list(pattern?: RegExp): string[];
  /** Free bytes in the Storage area. */
  getFree(): number;
  /** Bytes and files of the Storage area: in use, free at its end, and erased (trash, reclaimed by compact()). */
  getStats(): { totalBytes: number; freeBytes: number; fileBytes: number; fileCount: number; trashBytes: number; trashCount: number };
  /** Reclaims the space of erased files (slow: it rewrites flash). */
  compact(): void;
}

declare function require(name: 'Storage'): StorageModule;
