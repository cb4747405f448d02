// StoragePort on Espruino's Storage module (flash, memory-mapped reads).
import type { StoragePort } from '../app/ports.ts';

/** Storage as the app sees it. Reads are views into flash: no RAM copy. */
export function espruinoStorage(): StoragePort {
  const S = espruinoRequire('Storage');
  return {
    read: (name: string) => {
      const b = S.readArrayBuffer(name);
      return b ? new Uint8Array(b) : undefined;
    },
    write: (name: string, data: Uint8Array, offset: number, size?: number) => {
      return size === undefined ? S.write(name, data, offset) : S.write(name, data, offset, size);
    },
    erase: (name: string) => {
      S.erase(name);
    },
    list: (prefix: string) => {
      const all = S.list();
      const out: string[] = [];
      for (let i = 0; i < all.length; i++) if (all[i].indexOf(prefix) === 0) out.push(all[i]);
      return out;
    },
    getFree: () => {
      return S.getFree();
    },
  };
}
