/**
 * The on-clip log: a ring of preallocated Storage files ("blocks") holding the 16-bit records of
 * shared/protocol/records.ts in CRC-guarded groups of four, so a power loss tears at most the
 * group being written. Flash bytes are written once (unwritten ones read 0xFF); a block is erased
 * whole before reuse. State is a few numbers plus one small typed array per concern.
 *
 * Block `nlog<i>`, blockBytes long, little-endian:
 *   0   'N' 'L'   magic
 *   2   u8        format version (2)
 *   3   u8        timeFlags: TIME_CLOCK_VALID when the clip clock was set
 *   4   u32       firstSeq: seq of the block's record 0
 *   8   u32       t0S: clip time of record 0; later records follow the timeline rules
 *   12  u16       bootId
 *   14  u16       corrBootId: a boot whose unset-clock records this block corrects (0xFFFF none)
 *   16  i32       corrS: add to that boot's clip times
 *   20  u8        seal of bytes 0–19: CRC-8 with the top bit cleared (never 0xFF, see crc8.ts)
 *   21 + 9g       group g: 4 × u16 record words, then the seal of those 8 bytes
 * Record k of group g has seq firstSeq + 4g + k. An all-0xFF slot is unused (a seal is never 0xFF);
 * any other slot with a bad seal is torn and ends the block.
 *
 * The header is written with the block's first record (t0S is that record's time), so a seq is
 * never handed out before it is reserved on flash. Each boot and each clock change start a new
 * block; a boot's first block skips 4 seqs past the newest stored one because up to 3 records
 * that lived only in RAM may already be at the bridge. A block closed early (clock change) pads
 * its last group with `gap 0` events, which do not move the timeline.
 *
 * Acked seq: files `nlack0` / `nlack1`, 32 write-once u32 slots each; the largest entry wins (a
 * torn entry has its top byte still 0xFF and is ignored). When the active file is full the other
 * one is started before the full one is erased, so a power loss never loses the acked seq.
 */
import { EVENTS, packEvent } from '../../../shared/protocol/records.ts';
import { TIME_CLOCK_VALID, TIME_CORR_KNOWN } from '../../../shared/protocol/messages.ts';
import { seal } from './crc8.ts';
import type { StoragePort } from './ports.ts';

const HDR = 21;
/** Block format version: 2 seals headers and groups with a 7-bit CRC (crc8.ts). */
const FORMAT = 2;
const FREE = 0xffffffff;
const ACK_SLOTS = 32;
const GAP = 0x8000 | (EVENTS.indexOf('gap') << 11);

/** The log's RAM state (about 30 variables plus 4 small typed arrays). */
export interface LogState {
  st: StoragePort;
  nBlocks: number;
  blkBytes: number;
  /** Groups of 4 records per block. */
  gpb: number;
  /** firstSeq of the block in each slot, FREE (0xFFFFFFFF) when the slot holds none. */
  fs: Uint32Array;
  /** Valid groups of the block in each slot. */
  ng: Uint16Array;
  /** Slot of the open block; -1 while the next block is pending (its header is not written yet). */
  cur: number;
  /** firstSeq of the open or pending block. */
  first: number;
  /** Groups written to the open block. */
  g: number;
  /** Records waiting for a full group (RAM only), and how many. */
  buf: Uint16Array;
  n: number;
  /** Timeline time of the next record; -1 when the next record starts a new time base. */
  curS: number;
  bootNo: number;
  valid: boolean;
  /** This boot's clock correction, carried by every block header written after the clock was set. */
  cBoot: number;
  cS: number;
  acked: number;
  ackFile: number;
  ackSlot: number;
  /** Set by read(): the seq of out[0]. */
  readSeq: number;
  /** The seq after the last record read; set it to -1 to force an anchor (at each new syncFrom). */
  readEnd: number;
  /** Timeline time at readEnd. */
  readT: number;
  /**
   * Set by read(): the logAnchor fields for out[0] (always filled), and whether one must be sent
   * (the read starts a block or does not continue the previous read).
   */
  anchorNew: boolean;
  anchorSeq: number;
  anchorT0S: number;
  anchorBootId: number;
  anchorTimeFlags: number;
  anchorCorrS: number;
}

const name = (i: number): string => 'nlog' + i;

function rd(d: Uint8Array, o: number, len: number): number {
  let v = 0;
  for (let i = len - 1; i >= 0; i--) v = v * 256 + d[o + i];
  return v;
}

function wr(d: Uint8Array, o: number, v: number, len: number): void {
  for (let i = 0; i < len; i++) {
    const q = Math.floor(v / 256);
    d[o + i] = v - q * 256;
    v = q;
  }
}

const isGap = (w: number): boolean => (w & 0xf800) === GAP;

const step = (t: number, w: number): number => (!(w & 0x8000) ? t + 60 : isGap(w) ? t + (w & 2047) * 60 : t);

const count = (log: LogState, i: number): number => log.ng[i] * 4 + (i === log.cur ? log.n : 0);

function unacked(log: LogState, i: number): number {
  const e = log.fs[i] + count(log, i);
  const s = log.fs[i] > log.acked ? log.fs[i] : log.acked;
  return e > s ? e - s : 0;
}

/** An empty log over `storage`; call openLog before anything else. Needs blocks ≥ 3. */
export const createLog = (storage: StoragePort, opts: { blocks: number; blockBytes: number }): LogState => ({
  st: storage, nBlocks: opts.blocks, blkBytes: opts.blockBytes, gpb: Math.floor((opts.blockBytes - HDR) / 9),
  fs: new Uint32Array(opts.blocks), ng: new Uint16Array(opts.blocks), cur: -1, first: 0, g: 0, buf: new Uint16Array(4), n: 0,
  curS: -1, bootNo: 0, valid: false, cBoot: 0xffff, cS: 0, acked: 0, ackFile: 0, ackSlot: ACK_SLOTS,
  readSeq: 0, readEnd: -1, readT: 0, anchorNew: false, anchorSeq: 0, anchorT0S: 0, anchorBootId: 0, anchorTimeFlags: 0, anchorCorrS: 0,
});

/** Seq the next record will get. */
export const nextSeq = (log: LogState): number => log.first + 4 * log.g + log.n;

/** Seq of the oldest record still stored (nextSeq when there is none). */
export function oldestSeq(log: LogState): number {
  let s = -1;
  for (let i = 0; i < log.nBlocks; i++) {
    if (log.fs[i] !== FREE && count(log, i) > 0 && (s < 0 || log.fs[i] < s)) s = log.fs[i];
  }
  return s < 0 ? nextSeq(log) : s;
}

/** Percent of the record capacity not holding unacknowledged records. */
export function freePct(log: LogState): number {
  const cap = log.nBlocks * log.gpb * 4;
  let u = 0;
  for (let i = 0; i < log.nBlocks; i++) if (log.fs[i] !== FREE) u += unacked(log, i);
  return u >= cap ? 0 : Math.floor((100 * (cap - u)) / cap);
}

/**
 * Scans the blocks (headers and group CRCs), restores the acked seq and makes the next record
 * start a new block for this boot (bootId < 0xFFFF). The block's time base is its first
 * record's time, so `_clockS` is not needed. Returns the number of torn groups skipped.
 */
export function openLog(log: LogState, bootId: number, _clockS: number, clockValid: boolean): number {
  let torn = 0;
  let end = -4;
  for (let i = 0; i < log.nBlocks; i++) {
    const d = log.st.read(name(i));
    log.fs[i] = FREE;
    log.ng[i] = 0;
    if (!d || d.length !== log.blkBytes || d[0] !== 78 || d[1] !== 76 || d[2] !== FORMAT || seal(d, 0, 20) !== d[20]) continue;
    let used = 0;
    let good = 0;
    while (used < log.gpb) {
      const o = HDR + 9 * used;
      let k = 0;
      while (k < 9 && d[o + k] === 255) k++;
      if (k === 9) break;
      used++;
      if (seal(d, o, 8) !== d[o + 8]) {
        torn++;
        break;
      }
      good = used;
    }
    log.fs[i] = rd(d, 4, 4);
    log.ng[i] = good;
    if (log.fs[i] + 4 * used > end) end = log.fs[i] + 4 * used;
  }
  log.acked = 0;
  log.ackSlot = ACK_SLOTS;
  for (let f = 0; f < 2; f++) {
    const a = log.st.read('nlack' + f);
    if (!a || a.length !== ACK_SLOTS * 4) continue;
    let s = 0;
    let best = -1;
    while (s < ACK_SLOTS) {
      const v = rd(a, 4 * s, 4);
      if (v === FREE) break;
      s++;
      if (v < 0xff000000 && v > best) best = v;
    }
    if (best >= log.acked) {
      log.acked = best;
      log.ackFile = f;
      log.ackSlot = s;
    }
  }
  log.first = end + 4 > log.acked ? end + 4 : log.acked;
  log.cur = log.curS = log.readEnd = -1;
  log.g = log.n = log.cS = 0;
  log.bootNo = bootId;
  log.valid = clockValid;
  log.cBoot = 0xffff;
  return torn;
}

function flush(log: LogState): void {
  const b = new Uint8Array(9);
  for (let k = 0; k < 4; k++) wr(b, 2 * k, log.buf[k], 2);
  b[8] = seal(b, 0, 8);
  const ok = log.st.write(name(log.cur), b, HDR + 9 * log.g);
  log.n = 0;
  if (ok) log.ng[log.cur] = ++log.g;
  else {
    log.first += 4 * (log.g + 1);
    log.cur = -1;
    log.g = 0;
  }
}

function closeBlock(log: LogState): void {
  if (log.cur < 0) return;
  if (log.n > 0) {
    while (log.n < 4) log.buf[log.n++] = GAP;
    flush(log);
  }
  if (log.cur >= 0) {
    log.first += 4 * log.g;
    log.cur = -1;
    log.g = 0;
  }
}

function openBlock(log: LogState, tS: number): boolean {
  closeBlock(log);
  let slot = -1;
  let nw = -1;
  for (let i = 0; i < log.nBlocks; i++) {
    if (log.fs[i] === FREE) {
      if (slot < 0) slot = i;
    } else if (nw < 0 || log.fs[i] > log.fs[nw]) nw = i;
  }
  let lost = 0;
  if (slot < 0) {
    let key = 0;
    for (let i = 0; i < log.nBlocks; i++) {
      const k = (unacked(log, i) > 0 ? 4294967296 : 0) + log.fs[i];
      if (i !== nw && (slot < 0 || k < key)) {
        slot = i;
        key = k;
      }
    }
    lost = unacked(log, slot);
  }
  if (log.curS < 0) log.curS = Math.floor(tS);
  const h = new Uint8Array(HDR);
  h.set([78, 76, FORMAT, log.valid ? TIME_CLOCK_VALID : 0]);
  wr(h, 4, log.first, 4);
  wr(h, 8, log.curS, 4);
  wr(h, 12, log.bootNo, 2);
  wr(h, 14, log.cBoot, 2);
  wr(h, 16, log.cS, 4);
  h[20] = seal(h, 0, 20);
  log.fs[slot] = FREE;
  log.st.erase(name(slot));
  if (!log.st.write(name(slot), h, 0, log.blkBytes)) return false;
  log.fs[slot] = log.first;
  log.cur = slot;
  log.ng[slot] = log.g = log.n = 0;
  if (lost > 0) log.buf[log.n++] = packEvent('logOverflow', lost);
  return true;
}

/**
 * Appends a record word made at clip time tS (s); returns its seq. Only the first record of a
 * block uses tS (as t0S); later ones are placed by the timeline rules, so the producer logs `gap`
 * events for unworn time. Writes a group when 4 records are buffered. Returns -1 (record
 * dropped) when Storage has no room for a new block.
 */
export function append(log: LogState, word: number, tS: number): number {
  if ((log.cur < 0 || log.g >= log.gpb) && !openBlock(log, tS)) return -1;
  const seq = nextSeq(log);
  log.buf[log.n++] = word & 0xffff;
  log.curS = step(log.curS, word);
  if (log.n === 4) flush(log);
  return seq;
}

/** Call when the clip clock changes from oldS to newS (set by the bridge): starts a new block when it matters. */
export function clockChanged(log: LogState, oldS: number, newS: number): void {
  const d = newS - oldS;
  if (log.valid && d <= 2 && d >= -2) return;
  if (!log.valid) {
    log.cBoot = log.bootNo;
    log.cS = Math.floor(d + 0.5);
    log.valid = true;
  }
  closeBlock(log);
  log.curS = -1;
}

/** Marks every record below `seq` as delivered: their space may be reused. */
export function ack(log: LogState, seq: number): void {
  const top = nextSeq(log);
  if (seq > top) seq = top;
  if (seq <= log.acked) return;
  log.acked = seq;
  const b = new Uint8Array(4);
  wr(b, 0, seq, 4);
  if (log.ackSlot < ACK_SLOTS) {
    log.st.write('nlack' + log.ackFile, b, 4 * log.ackSlot++);
    return;
  }
  const old = 'nlack' + log.ackFile;
  log.ackFile = 1 - log.ackFile;
  log.st.erase('nlack' + log.ackFile);
  log.st.write('nlack' + log.ackFile, b, 0, ACK_SLOTS * 4);
  log.st.erase(old);
  log.ackSlot = 1;
}

function wordAt(log: LogState, d: Uint8Array, i: number, k: number): number {
  const g = k >> 2;
  return g < log.ng[i] ? rd(d, HDR + 9 * g + 2 * (k & 3), 2) : log.buf[k - 4 * log.ng[i]];
}

function setAnchor(log: LogState, d: Uint8Array, b: number, s: number): void {
  const f = log.fs[b];
  let t = log.readT;
  if (s === f || s !== log.readEnd) {
    log.anchorNew = true;
    t = rd(d, 8, 4);
    for (let k = 0; k < s - f; k++) t = step(t, wordAt(log, d, b, k));
  }
  const boot = rd(d, 12, 2);
  let fl = d[3] & TIME_CLOCK_VALID;
  let c = 0;
  if (!fl && boot === log.cBoot) {
    fl = TIME_CORR_KNOWN;
    c = log.cS;
  }
  for (let j = 0; j < log.nBlocks && !fl; j++) {
    const h = log.fs[j] !== FREE && log.fs[j] > f ? log.st.read(name(j)) : undefined;
    if (h && rd(h, 14, 2) === boot) {
      fl = TIME_CORR_KNOWN;
      c = rd(h, 16, 4);
      if (c >= 0x80000000) c -= 4294967296;
    }
  }
  log.anchorSeq = s;
  log.anchorT0S = t;
  log.anchorBootId = boot;
  log.anchorTimeFlags = fl;
  log.anchorCorrS = c;
}

/**
 * Reads up to `max` consecutive records of one block from the first stored seq ≥ `seq` (RAM
 * records included) into `out`; returns how many. Sets readSeq (seq of out[0]), the anchor*
 * fields (the time of out[0]) and anchorNew (true when a logAnchor must precede these records).
 */
export function read(log: LogState, seq: number, max: number, out: Uint16Array): number {
  let b = -1;
  for (let i = 0; i < log.nBlocks; i++) {
    const f = log.fs[i];
    const c = f !== FREE ? count(log, i) : 0;
    if (c > 0 && f + c > seq && (b < 0 || f < log.fs[b])) b = i;
  }
  log.anchorNew = false;
  if (b < 0) {
    log.readSeq = nextSeq(log);
    return 0;
  }
  const f = log.fs[b];
  const s = seq > f ? seq : f;
  const d = log.st.read(name(b)) as Uint8Array;
  let n = f + count(log, b) - s;
  if (n > max) n = max;
  if (n > out.length) n = out.length;
  setAnchor(log, d, b, s);
  let t = log.anchorT0S;
  for (let k = 0; k < n; k++) t = step(t, (out[k] = wordAt(log, d, b, s - f + k)));
  log.readT = t;
  log.readSeq = s;
  log.readEnd = s + n;
  return n;
}
