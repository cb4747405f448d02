// A fake Espruino Storage that keeps the flash rules: a file is preallocated by its first write
// (with `size`), unwritten bytes read 0xFF, every byte is programmed once (writing over a byte
// that is not 0xFF counts as a violation), names are ≤ 28 characters, files cost a 32-byte
// header against a capacity. It can tear a write like a power loss: only the first n bytes of
// the next write are programmed, then it throws PowerLoss.
import type { StoragePort } from '../../../firmware/src/app/ports.ts';

/** Thrown by a torn write: the clip lost power in the middle of it. */
export class PowerLoss extends Error {}

export class FakeStorage implements StoragePort {
  readonly files = new Map<string, Uint8Array>();
  /** Writes over already-programmed bytes, or re-preallocations of an existing file. */
  violations: string[] = [];
  writes = 0;
  erases = 0;
  private tearAt = -1;

  constructor(readonly capacity = 40 * 1024) {}

  /** Makes the next write program only its first `n` bytes and throw PowerLoss. */
  tearNextWrite(n: number): void {
    this.tearAt = n;
  }

  /** Bytes used, with the 32-byte header of each file. */
  used(): number {
    let u = 0;
    for (const f of this.files.values()) u += f.length + 32;
    return u;
  }

  read(name: string): Uint8Array | undefined {
    const f = this.files.get(name);
    // A copy, so code that keeps a read across writes sees stale data and fails its tests.
    return f ? f.slice() : undefined;
  }

  write(name: string, data: Uint8Array, offset: number, size?: number): boolean {
    if (name.length > 28) throw new Error('Storage name too long: ' + name);
    let f = this.files.get(name);
    if (!f) {
      const len = size ?? offset + data.length;
      if (this.used() + len + 32 > this.capacity) return false;
      f = new Uint8Array(len).fill(0xff);
      this.files.set(name, f);
    } else if (size !== undefined) {
      this.violations.push('re-preallocated ' + name);
    }
    if (offset < 0 || offset + data.length > f.length) return false;
    this.writes++;
    const n = this.tearAt >= 0 ? Math.min(this.tearAt, data.length) : data.length;
    for (let i = 0; i < n; i++) {
      if (f[offset + i] !== 0xff) this.violations.push('rewrote ' + name + '[' + (offset + i) + ']');
      f[offset + i] &= data[i];
    }
    if (this.tearAt >= 0) {
      this.tearAt = -1;
      throw new PowerLoss('power lost after ' + n + ' bytes of a write to ' + name);
    }
    return true;
  }

  erase(name: string): void {
    if (this.files.delete(name)) this.erases++;
  }

  list(prefix: string): string[] {
    return [...this.files.keys()].filter((k) => k.startsWith(prefix));
  }

  getFree(): number {
    return this.capacity - this.used();
  }
}
