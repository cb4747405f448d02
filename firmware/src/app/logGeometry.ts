/**
 * How big the log ring is: as many blocks as the Storage beside the firmware holds (at most
 * 22 × 1 KB on a Puck.js or MDBT42Q, 64 × 4 KB on a Bangle.js 2). Blocks already allocated
 * always count, so the ring keeps its size across boots. Every boot starts a new block, so
 * small blocks matter on the small boards: 1 KB blocks survive twice as many reboots between
 * syncs as 2 KB ones for about 3% less room (headers). Pure: the firmware applies it at boot
 * and the build report uses it to state the capacity.
 */
import type { StoragePort } from './ports.ts';

/** Log geometry: blocks of `blockBytes` in Storage. */
export interface LogGeometry {
  blocks: number;
  blockBytes: number;
}

/**
 * Storage kept free beside the ring: settings (20 B), calibration (12 B), the boot counter (2 B)
 * and both ack files while one replaces the other (2 × 128 B), each with its 32-byte header —
 * about 450 bytes — with room to spare for the trash a rewrite leaves until Storage compacts.
 */
const RESERVE_BYTES = 1024;
/** Each Storage file costs a 32-byte header. */
const FILE_HEADER = 32;

/** The ring for `board` given what its Storage holds now. */
export function logGeometry(board: string, storage: StoragePort): LogGeometry {
  const bangle = board === 'BANGLEJS2';
  const blockBytes = bangle ? 4096 : 1024;
  const maxBlocks = bangle ? 64 : 22;
  const existing = storage.list('nlog');
  let have = 0;
  for (let i = 0; i < existing.length; i++) {
    const n = parseInt(existing[i].substr(4), 10);
    if (n + 1 > have) have = n + 1;
  }
  const fit = have + Math.floor((storage.getFree() - RESERVE_BYTES) / (blockBytes + FILE_HEADER));
  const blocks = fit > maxBlocks ? maxBlocks : fit < 3 ? 3 : fit;
  return { blocks: blocks, blockBytes: blockBytes };
}
