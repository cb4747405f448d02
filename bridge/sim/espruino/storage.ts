// Espruino's Storage on an emulated flash byte array, following jsflash.c (jsfWriteFile,
// jsfCreateFile, jsfGetStorageStats) of Espruino 2v2x:
// - The area is one byte array, erased = 0xFF. Each file is a 32-byte header (4-byte size word,
//   28-byte zero-padded name) followed by its data, the next header aligned to 4 bytes. Files are
//   appended after the last one; nothing is ever overwritten in place.
// - Programming flash can only clear bits: every write stores old & new. Erasing is per 4 KB page.
// - write(name, data, offset, size): size (or the data length) gives the file size. With offset 0
//   a file is (re)created unless one of that size exists and is still completely erased; an
//   identical whole-file write is a no-op. The old file is marked as trash (first 4 name bytes
//   cleared) and stays until compact(). With offset > 0 the file must exist ("Unable to find or
//   create file"), the data must fit ("Too much data for file size"), and the target bytes must
//   still be 0xFF ("File already written with different data"). All three throw, as in Espruino.
// - Overwriting non-erased bytes is recorded in `violations`. By default it then throws like
//   Espruino (nothing programmed); `overwrite: 'and'` instead programs old & new (raw flash).
// - Out of space: like jsfCreateFile, a create first compacts when there is trash, then gives up
//   by throwing "Unable to find or create file" (Espruino throws, and write's value is lost).
// - getFree(): bytes after the last file (trash counts as used), i.e. what a new file may use
//   including its 32-byte header.
// - Names: 1–28 bytes. Espruino 2v2x silently truncates longer names (a classic bug source);
//   the emulator is stricter and throws "File name too long (max 28 chars)".
// Not modelled: files being pushed to page boundaries, StorageFile (open) chunks, the filename
// table of big flash, memory-mapped reads (reads return copies).
import { bytesToBinaryString } from './realm.ts';

/** Raised into the running firmware when the power fails mid-write; the board then resets. */
export class PowerLossSignal extends Error {
  constructor() {
    super('power lost');
  }
}

/** An Espruino Storage exception (the message Espruino prints). */
export class StorageError extends Error {}

/** A write over bytes that were not erased: firmware must never do this. */
export interface FlashViolation {
  atMs: number;
  name: string;
  offset: number;
  length: number;
  /** Offset (in the file) of the first byte that was not 0xFF. */
  firstConflict: number;
}

/** A file entry found by scanning the flash. */
export interface StorageEntry {
  name: string;
  /** Address of the data (header + 32). */
  addr: number;
  size: number;
  trash: boolean;
}

/** Options of {@link EmulatedStorage}. */
export interface EmulatedStorageOptions {
  /** Size of the Storage area in bytes (Puck.js/MDBT42Q 40 KB, Bangle.js 2 8 MB). */
  sizeBytes: number;
  /** Flash page (erase unit), default 4096 (nRF52). */
  pageBytes?: number;
  /** What writing over non-erased bytes does after recording the violation: 'throw' (Espruino, default) or 'and'. */
  overwrite?: 'throw' | 'and';
}

const HEADER = 32;
const NAME_BYTES = 28;
const align = (n: number): number => (n + 3) & ~3;

/** Emulated flash holding Espruino Storage files. Survives board resets when passed in again. */
export class EmulatedStorage {
  readonly bytes: Uint8Array;
  readonly pageBytes: number;
  readonly overwrite: 'throw' | 'and';
  /** Bytes programmed so far (headers, data, trash marks, compaction copies): flash wear. */
  bytesWritten = 0;
  /** Pages erased so far (compaction). */
  pageErases = 0;
  readonly violations: FlashViolation[] = [];
  /** Set by the board: virtual time for records, and what to do on power loss. */
  hooks: { nowMs: () => number; powerLoss: () => never } = {
    nowMs: () => 0,
    powerLoss: () => {
      throw new PowerLossSignal();
    },
  };
  private tearAfter: number | undefined;

  constructor(opts: EmulatedStorageOptions) {
    this.bytes = new Uint8Array(opts.sizeBytes).fill(0xff);
    this.pageBytes = opts.pageBytes ?? 4096;
    this.overwrite = opts.overwrite ?? 'throw';
  }

  /** Every header in flash order, trash included. */
  entries(): StorageEntry[] {
    const out: StorageEntry[] = [];
    this.scan(out);
    return out;
  }

  /** Live file names, in flash order. */
  list(): string[] {
    return this.entries().filter((e) => !e.trash).map((e) => e.name);
  }

  /** A copy of a live file's bytes. */
  readBytes(name: string): Uint8Array | undefined {
    const f = this.find(name);
    return f ? this.bytes.slice(f.addr, f.addr + f.size) : undefined;
  }

  /** Bytes a new file may use (header included): everything after the last file. */
  getFree(): number {
    return this.bytes.length - this.scan();
  }

  /** Bytes held by trash (replaced or erased files, headers included). */
  trashBytes(): number {
    return this.entries().filter((e) => e.trash).reduce((s, e) => s + HEADER + align(e.size), 0);
  }

  /** Fault injection: the next write programs only its first `n` data bytes, then the power fails. */
  tearNextWrite(n: number): void {
    this.tearAfter = n;
  }

  /** The live file called `name`. */
  find(name: string): StorageEntry | undefined {
    return this.entries().find((e) => !e.trash && e.name === name);
  }

  /** Storage.write semantics (see the file comment). Throws StorageError like Espruino. */
  write(name: string, data: Uint8Array, offset = 0, size = 0): boolean {
    checkName(name);
    if (offset < 0 || size < 0) return false;
    if (!size) size = data.length;
    if (!size) throw new StorageError("Can't create zero length file");
    let f = this.find(name);
    if ((!f && offset === 0) || (f && offset === 0 && (size !== f.size || !this.isErased(f.addr, size)))) {
      if (f && size === f.size && data.length === size && this.isEqual(f.addr, data)) return true;
      if (f) this.markTrash(f);
      f = this.create(name, size);
    }
    if (!f) throw new StorageError('Unable to find or create file');
    if (offset + data.length > f.size) throw new StorageError('Too much data for file size');
    const at = f.addr + offset;
    for (let i = 0; i < data.length; i++) {
      if (this.bytes[at + i] !== 0xff) {
        this.violations.push({ atMs: this.hooks.nowMs(), name, offset, length: data.length, firstConflict: offset + i });
        if (this.overwrite === 'throw') throw new StorageError('File already written with different data');
        break;
      }
    }
    this.programData(at, data);
    return true;
  }

  /** Marks a file as trash. */
  erase(name: string): void {
    checkName(name);
    const f = this.find(name);
    if (f) this.markTrash(f);
  }

  /** Rewrites the live files to the start of the area, freeing the trash. */
  compact(): void {
    const live = this.entries().filter((e) => !e.trash);
    const end = this.scan();
    if (live.length === this.entries().length) return;
    const copies = live.map((e) => ({ name: e.name, data: this.bytes.slice(e.addr, e.addr + e.size) }));
    this.pageErases += Math.ceil(end / this.pageBytes);
    this.bytes.fill(0xff, 0, Math.min(this.bytes.length, Math.ceil(end / this.pageBytes) * this.pageBytes));
    for (const c of copies) {
      const f = this.create(c.name, c.data.length, false);
      if (f) this.program(f.addr, c.data);
    }
  }

  /** Erases everything (Storage.eraseAll). */
  eraseAll(): void {
    this.pageErases += Math.ceil(this.bytes.length / this.pageBytes);
    this.bytes.fill(0xff);
  }

  private programData(at: number, data: Uint8Array): void {
    if (this.tearAfter !== undefined) {
      const n = Math.min(this.tearAfter, data.length);
      this.tearAfter = undefined;
      this.program(at, data.subarray(0, n));
      this.hooks.powerLoss();
    }
    this.program(at, data);
  }

  private program(at: number, data: Uint8Array): void {
    for (let i = 0; i < data.length; i++) this.bytes[at + i] &= data[i];
    this.bytesWritten += data.length;
  }

  private create(name: string, size: number, mayCompact = true): StorageEntry | undefined {
    const need = HEADER + align(size);
    let end = this.scan();
    if (end + need > this.bytes.length && mayCompact && this.trashBytes() > 0) {
      this.compact();
      end = this.scan();
    }
    if (end + need > this.bytes.length || size > 0xffffff) return undefined;
    const header = new Uint8Array(HEADER);
    new DataView(header.buffer).setUint32(0, size, true);
    for (let i = 0; i < name.length; i++) header[4 + i] = name.charCodeAt(i) & 0xff;
    this.program(end, header);
    return { name, addr: end + HEADER, size, trash: false };
  }

  private markTrash(f: StorageEntry): void {
    this.program(f.addr - HEADER + 4, new Uint8Array(4));
  }

  private isErased(addr: number, len: number): boolean {
    for (let i = 0; i < len; i++) if (this.bytes[addr + i] !== 0xff) return false;
    return true;
  }

  private isEqual(addr: number, data: Uint8Array): boolean {
    for (let i = 0; i < data.length; i++) if (this.bytes[addr + i] !== data[i]) return false;
    return true;
  }

  /** Walks the headers; returns the address after the last file. */
  private scan(out?: StorageEntry[]): number {
    const b = this.bytes;
    const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let addr = 0;
    while (addr + HEADER <= b.length) {
      const word = dv.getUint32(addr, true);
      if (word === 0xffffffff || word === 0) break;
      const size = word & 0xffffff;
      if (addr + HEADER + size > b.length) break;
      if (out) {
        let name = '';
        for (let i = 0; i < NAME_BYTES && b[addr + 4 + i] !== 0; i++) name += String.fromCharCode(b[addr + 4 + i]);
        const trash = b[addr + 4] === 0 && b[addr + 5] === 0 && b[addr + 6] === 0 && b[addr + 7] === 0;
        if (trash) {
          name = '';
          for (let i = 4; i < NAME_BYTES && b[addr + 4 + i] !== 0; i++) name += String.fromCharCode(b[addr + 4 + i]);
        }
        out.push({ name, addr: addr + HEADER, size, trash });
      }
      addr = align(addr + HEADER + size);
    }
    return addr;
  }
}

function checkName(name: string): void {
  if (name.length === 0) throw new StorageError('File name must not be empty');
  if (name.length > NAME_BYTES) throw new StorageError('File name too long (max ' + NAME_BYTES + ' chars): ' + JSON.stringify(name));
}

/** What the realm-side Storage module needs from the board. */
export interface StorageModuleHost {
  storage: EmulatedStorage;
  /** Throws if the interpreter is dead (power lost); converts errors into realm errors. */
  guard: () => void;
  raise: (message: string) => never;
  toRealmBuffer: (bytes: Uint8Array) => ArrayBuffer;
  toRealmArray: (items: string[]) => string[];
  /** Bytes of any value firmware may write, JSON for objects (as Espruino does). */
  dataBytes: (data: unknown) => { bytes: Uint8Array; isObject: boolean } | undefined;
}

/** The object `require('Storage')` returns: exactly the surface of firmware/types/espruino.d.ts. */
export function createStorageModule(h: StorageModuleHost): Record<string, unknown> {
  const s = h.storage;
  const call = <T>(fn: () => T): T => {
    h.guard();
    try {
      return fn();
    } catch (e) {
      if (e instanceof StorageError) h.raise(e.message);
      throw e;
    }
  };
  return {
    read(name: unknown, offset?: number, length?: number): string | undefined {
      return call(() => {
        const b = s.readBytes(String(name));
        if (!b) return undefined;
        let off = offset! > 0 ? Math.floor(offset!) : 0;
        if (off > b.length) off = b.length;
        let len = length! > 0 ? Math.floor(length!) : b.length;
        if (off + len > b.length) len = b.length - off;
        return bytesToBinaryString(b.subarray(off, off + len));
      });
    },
    readArrayBuffer(name: unknown): ArrayBuffer | undefined {
      return call(() => {
        const b = s.readBytes(String(name));
        return b ? h.toRealmBuffer(b) : undefined;
      });
    },
    write(name: unknown, data: unknown, offset?: number, size?: number): boolean {
      return call(() => {
        const d = h.dataBytes(data);
        if (!d) h.raise("Can't get pointer to data to write");
        const off = d.isObject ? 0 : Math.floor(Number(offset) || 0);
        const sz = d.isObject ? 0 : Math.floor(Number(size) || 0);
        return s.write(String(name), d.bytes, off, sz);
      });
    },
    erase(name: unknown): void {
      call(() => s.erase(String(name)));
    },
    list(pattern?: unknown): string[] {
      return call(() => {
        const names = s.list();
        if (pattern === undefined) return h.toRealmArray(names);
        return h.toRealmArray(names.filter((n) => n.match(pattern as RegExp | string) !== null));
      });
    },
    getFree(): number {
      return call(() => s.getFree());
    },
    compact(): void {
      call(() => s.compact());
    },
  };
}
