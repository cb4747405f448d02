import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../../bridge/sim/espruino/espruinoBoard.ts';
import { EmulatedStorage } from '../../../bridge/sim/espruino/storage.ts';

// Firmware loaded with toStorage:false keeps .bootcde out of the way of byte counts.
const boot = (code: string, storage = new EmulatedStorage({ sizeBytes: 4096 })) => {
  const b = createEspruinoBoard({ board: 'PUCKJS', storage });
  b.load(code, { toStorage: false });
  return b;
};
const S = "var S = require('Storage');";

describe('Storage', () => {
  it('writes, reads (binary strings, offsets), lists and erases files', () => {
    const b = boot(S + `S.write('a', 'hello'); S.write('b', new Uint8Array([1, 2, 255]));
      global.r = [S.read('a'), S.read('a', 1, 3), S.read('b').charCodeAt(2), S.read('nope'), S.list(), S.list(/^a/),
        new Uint8Array(S.readArrayBuffer('b'))[1]];
      S.erase('a'); global.after = S.list();`);
    expect(b.global('r')).toEqual(['hello', 'ell', 255, undefined, ['a', 'b'], ['a'], 2]);
    expect(b.global('after')).toEqual(['b']);
    expect(b.errors).toEqual([]);
  });

  it('throws on names longer than 28 characters', () => {
    const b = boot(S);
    expect(() => b.vm!.run(`S.write('${'x'.repeat(28)}', 'ok')`)).not.toThrow();
    expect(() => b.vm!.run(`S.write('${'x'.repeat(29)}', 'no')`)).toThrow(/too long/);
  });

  it('preallocates with size, fills at offsets, and counts 32-byte headers in getFree', () => {
    const b = boot(S + `global.free0 = S.getFree(); S.write('log', 'AB', 0, 100); S.write('log', 'CD', 2);
      global.r = S.read('log'); global.free1 = S.getFree();`);
    const r = b.global('r') as string;
    expect(r.length).toBe(100);
    expect(r.slice(0, 4)).toBe('ABCD');
    expect(r.charCodeAt(4)).toBe(0xff);
    expect((b.global('free0') as number) - (b.global('free1') as number)).toBe(132);
    expect(b.storage.getFree()).toBe(4096 - 132);
  });

  it('refuses to rewrite programmed bytes like Espruino, and records the violation', () => {
    const b = boot(S + `S.write('log', 'AB', 0, 16);`);
    expect(() => b.vm!.run(`S.write('log', 'X', 1)`)).toThrow(/already written/);
    expect(b.flashViolations).toEqual([{ atMs: 0, name: 'log', offset: 1, length: 1, firstConflict: 1 }]);
    expect(b.storage.readBytes('log')!.subarray(0, 2)).toEqual(new Uint8Array([65, 66]));
  });

  it("with overwrite: 'and' programs old & new (raw flash) and still records it", () => {
    const b = boot(S + `S.write('log', 'AB', 0, 16); S.write('log', '@', 1); global.r = S.read('log').charCodeAt(1);`,
      new EmulatedStorage({ sizeBytes: 4096, overwrite: 'and' }));
    expect(b.global('r')).toBe(0x42 & 0x40);
    expect(b.flashViolations).toHaveLength(1);
  });

  it('a write past the preallocated size, or at an offset of a missing file, throws', () => {
    const b = boot(S + `S.write('f', 'ab', 0, 4);`);
    expect(() => b.vm!.run(`S.write('f', 'xyz', 2)`)).toThrow(/Too much data/);
    expect(() => b.vm!.run(`S.write('g', 'xyz', 2)`)).toThrow(/Unable to find or create file/);
  });

  it('replacing a file leaves trash until compact (automatic when space runs out)', () => {
    const b = boot(S + `S.write('f', 'one'); S.write('f', 'two!'); global.r = [S.read('f'), S.list()];`);
    expect(b.global('r')).toEqual(['two!', ['f']]);
    expect(b.storage.entries().map((e) => e.trash)).toEqual([true, false]);
    const free = b.storage.getFree();
    expect(free).toBe(4096 - 36 - 36);
    b.vm!.run('S.compact()');
    expect(b.storage.getFree()).toBe(4096 - 36);
    expect(b.storage.pageErases).toBe(1);
    // Fill it: replacing a big file forces an automatic compaction instead of failing.
    b.vm!.run(`S.write('big', new Uint8Array(3000));`);
    b.vm!.run(`S.write('big', new Uint8Array(3000).fill(1));`);
    expect(b.storage.list()).toEqual(['f', 'big']);
    expect(() => b.vm!.run(`S.write('huge', new Uint8Array(2000))`)).toThrow(/Unable to find or create file/);
  });

  it('writing the same whole file again is a no-op (no wear)', () => {
    const b = boot(S + `S.write('cfg', 'abc');`);
    const before = b.storage.bytesWritten;
    b.vm!.run(`S.write('cfg', 'abc')`);
    expect(b.storage.bytesWritten).toBe(before);
    b.vm!.run(`S.write('cfg', 'abd')`);
    expect(b.storage.bytesWritten).toBe(before + 32 + 3 + 4);
  });

  it('survives resets, and a board made with the same storage sees the files', () => {
    const storage = new EmulatedStorage({ sizeBytes: 4096 });
    const b = boot(S + `if (!S.read('boots')) S.write('boots', 'x'); else S.write('boots', S.read('boots') + 'x');`, storage);
    b.reset('software');
    b.reset('watchdog');
    expect(storage.readBytes('boots')).toEqual(new Uint8Array([120, 120, 120]));
    const other = createEspruinoBoard({ board: 'PUCKJS', storage });
    other.load(S + `global.r = S.read('boots');`, { toStorage: false });
    expect(other.global('r')).toBe('xxx');
  });

  it('a torn write programs only its first bytes, then the board resets (power on)', () => {
    const storage = new EmulatedStorage({ sizeBytes: 4096 });
    const b = boot(S + `global.booted = (global.booted || 0) + 1; S.write('log', 'AAAA', 0, 12);
      setTimeout(function () { S.write('log', 'BBBBBBBB', 4); global.after = 1; }, 100);`, storage);
    storage.tearNextWrite(3);
    b.advance(100);
    expect(b.lastResetKind).toBe('powerOn');
    expect(b.resets.map((r) => r.kind)).toEqual(['powerOn', 'powerOn']);
    expect(b.global('after')).toBeUndefined();
    // The reboot preallocated a fresh file (the torn one was not erased, so offset 0 recreates it).
    const entries = storage.entries();
    expect(entries[0].trash).toBe(true);
    expect(Array.from(storage.bytes.subarray(entries[0].addr, entries[0].addr + 12))).toEqual([65, 65, 65, 65, 66, 66, 66, 255, 255, 255, 255, 255]);
    expect(storage.readBytes('log')!.subarray(0, 5)).toEqual(new Uint8Array([65, 65, 65, 65, 255]));
  });

  it('load() stores the bundle as .bootcde and boots from it on reset', () => {
    const b = createEspruinoBoard({ board: 'PUCKJS' });
    b.load(`global.hi = 'there';`);
    expect(b.storage.list()).toEqual(['.bootcde']);
    expect(b.storage.getFree()).toBe(40 * 1024 - 32 - 20);
    b.reset('pin');
    expect(b.global('hi')).toBe('there');
  });
});
