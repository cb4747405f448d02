/**
 * CRC-8, polynomial 0x07 (CRC-8/SMBUS: init 0, no reflection), over `len` bytes of `d` from `off`.
 * Guards the flash log's headers and record groups against torn writes.
 */
export function crc8(d: Uint8Array, off: number, len: number): number {
  let c = 0;
  for (let i = off; i < off + len; i++) {
    c ^= d[i];
    for (let b = 0; b < 8; b++) c = c & 0x80 ? ((c << 1) ^ 7) & 255 : (c << 1) & 255;
  }
  return c;
}

/**
 * The check byte the flash log stores: the CRC-8 with its top bit cleared. Flash is written in
 * order, so a torn write leaves an unwritten (0xFF) tail, check byte included; a full 8-bit CRC
 * of such a torn header or group equals 0xFF one time in 256 and would pass. A check byte that
 * is never 0xFF cannot.
 */
export const seal = (d: Uint8Array, off: number, len: number): number => crc8(d, off, len) & 0x7f;
