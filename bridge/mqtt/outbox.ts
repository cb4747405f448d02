/**
 * The persistent, bounded outbox for QoS 1 publishes: a record is on disk before anyone is told
 * it was accepted, and leaves only after the broker's PUBACK. A broker outage or a bridge restart
 * therefore loses nothing (duplicates are possible, and the store is idempotent on (clip, seq)).
 *
 * Format (why not SQLite): an append-only journal, `outbox.journal` in the given directory, one
 * line per operation:
 *
 *     <crc32 of the JSON, 8 hex digits> <JSON>\n
 *     JSON = {"t":"put","id":7,"topic":"nape/c1/minute","qos":1,"retain":false,"p":"<text>"}   ("b": base64 for binary)
 *          | {"t":"ack","id":7}
 *          | {"t":"next","id":8}    (first line after a compaction: the next id to hand out)
 *
 * - Puts are written with one `write` and `fsync`ed before `put` returns, so the caller may
 *   acknowledge the clip. Acks are written but not fsynced: an ack lost to a power cut only
 *   means a duplicate publish, which at-least-once allows.
 * - Opening reads every complete line whose checksum matches; a torn last line (the bridge was
 *   killed mid-write) and any damaged line are skipped and reported in `openReport`. Each put
 *   is self-contained, so a damaged line costs at most that one entry, never the file.
 * - Compaction (on open when anything is dead, and while running when dead lines outnumber live
 *   ones) writes the live entries to `outbox.journal.tmp`, fsyncs it, renames it over the journal
 *   and fsyncs the directory: a crash at any point leaves either the old or the new journal.
 * - The outbox holds at most a few thousand small JSON records, is read once at start, and is
 *   written at the rate records arrive: a journal needs no native module (the embedded default
 *   needs nothing built), its crash behaviour is visible in ~150 lines and testable by cutting the
 *   file, and it keeps the bridge independent of the store's database. better-sqlite3 would give
 *   the same guarantees with a native build on every Raspberry Pi it is installed on.
 *
 * One process may open a directory once at a time (checked in-process). Two bridges must not
 * share a data directory; there is no cross-process lock, since a stale pid lock would stop a
 * restarted container whose pid was reused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crc32 } from 'node:zlib';

/** One QoS 1 publish waiting for the broker's PUBACK. */
export interface OutboxMessage {
  readonly topic: string;
  readonly payload: string | Buffer;
  readonly qos: 1;
  readonly retain: boolean;
}

/** A stored message with its id (ids increase in put order and are never reused in a directory). */
export interface OutboxEntry extends OutboxMessage {
  readonly id: number;
}

/** Thrown by `put` when the outbox holds `maxEntries`: stop accepting (do not ack the clip) until it drains. */
export class OutboxFullError extends Error {
  readonly depth: number;
  readonly maxEntries: number;
  constructor(depth: number, maxEntries: number) {
    super('MQTT outbox is full (' + depth + ' of ' + maxEntries + ' messages wait for the broker); records are held on the clip until it drains');
    this.name = 'OutboxFullError';
    this.depth = depth;
    this.maxEntries = maxEntries;
  }
}

/** What opening found in the journal. */
export interface OutboxOpenReport {
  /** Complete, checksummed lines read. */
  readonly lines: number;
  /** Live (unacknowledged) entries recovered. */
  readonly recovered: number;
  /** Bytes of an incomplete last line that were dropped (a write cut short). */
  readonly tornBytes: number;
  /** Complete lines whose checksum or JSON did not match (skipped). */
  readonly damagedLines: number;
  /** True when the journal was rewritten on open. */
  readonly compacted: boolean;
}

/** Options for `openOutbox`. */
export interface OutboxOptions {
  /** Most messages held at once (default 100000). Entries found on open are kept even beyond it. */
  readonly maxEntries?: number;
  /** fsync each put (default true). Only tests of throughput may turn it off. */
  readonly fsync?: boolean;
}

/** The outbox. All operations are synchronous; errors from the disk are thrown as they are. */
export interface Outbox {
  readonly dir: string;
  readonly maxEntries: number;
  readonly openReport: OutboxOpenReport;
  /** Stores one message durably and returns its id; throws OutboxFullError when full. */
  put(msg: OutboxMessage): number;
  /** Stores several messages with one fsync; all or none (throws OutboxFullError when they do not all fit). */
  putMany(msgs: readonly OutboxMessage[]): number[];
  /** Unacknowledged entries in put order (the first `limit` of them when given). */
  pending(limit?: number): OutboxEntry[];
  /** True while `id` is unacknowledged. */
  has(id: number): boolean;
  /** Removes an entry (after its PUBACK); unknown ids are ignored (acks may repeat). */
  ack(id: number): void;
  /** Number of unacknowledged entries. */
  depth(): number;
  /** Rewrites the journal with only the live entries. */
  compact(): void;
  close(): void;
}

const JOURNAL = 'outbox.journal';
const openDirs = new Set<string>();

type Line = { t: 'put'; id: number; topic: string; qos: 1; retain: boolean; p?: string; b?: string } | { t: 'ack'; id: number } | { t: 'next'; id: number };

function hex8(n: number): string {
  return ('0000000' + (n >>> 0).toString(16)).slice(-8);
}

function encodeLine(obj: Line): string {
  const json = JSON.stringify(obj);
  return hex8(crc32(json)) + ' ' + json + '\n';
}

function putLine(id: number, m: OutboxMessage): string {
  const line: Line = { t: 'put', id: id, topic: m.topic, qos: 1, retain: m.retain };
  if (typeof m.payload === 'string') line.p = m.payload;
  else line.b = Buffer.from(m.payload).toString('base64');
  return encodeLine(line);
}

/** Parses one complete line; null when its checksum or shape is wrong. */
function decodeLine(text: string): Line | null {
  if (text.length < 10 || text.charAt(8) !== ' ') return null;
  const json = text.slice(9);
  if (hex8(crc32(json)) !== text.slice(0, 8)) return null;
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  const o = v as { [k: string]: unknown };
  if (typeof o.id !== 'number' || !Number.isSafeInteger(o.id) || o.id < 0) return null;
  if (o.t === 'ack' || o.t === 'next') return o as Line;
  if (o.t === 'put' && typeof o.topic === 'string' && (typeof o.p === 'string' || typeof o.b === 'string')) return o as Line;
  return null;
}

function checkMessage(m: OutboxMessage): void {
  if (!m || typeof m.topic !== 'string' || !m.topic || /[+#]/.test(m.topic)) throw new Error('outbox: a message needs a topic without wildcards, got ' + JSON.stringify(m && m.topic));
  if (m.qos !== 1) throw new Error('outbox: only QoS 1 messages are stored, got QoS ' + String(m.qos));
  if (typeof m.payload !== 'string' && !Buffer.isBuffer(m.payload)) throw new Error('outbox: payload must be a string or a Buffer');
}

function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** Opens (creating when needed) the outbox in `dir`. */
export function openOutbox(dir: string, opts: OutboxOptions = {}): Outbox {
  const maxEntries = opts.maxEntries === undefined ? 100000 : opts.maxEntries;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error('outbox maxEntries must be a whole number of at least 1, got ' + maxEntries);
  const doSync = opts.fsync !== false;
  fs.mkdirSync(dir, { recursive: true });
  const real = fs.realpathSync(dir);
  if (openDirs.has(real)) throw new Error('MQTT outbox ' + real + ' is already open in this process');
  const file = path.join(real, JOURNAL);
  const tmp = file + '.tmp';
  if (fs.existsSync(tmp)) fs.unlinkSync(tmp); // a compaction that never reached its rename

  const live = new Map<number, OutboxEntry>();
  let nextId = 1;
  let lines = 0;
  let damaged = 0;
  let torn = 0;
  let marks = 0;
  let existed = false;
  if (fs.existsSync(file)) {
    existed = true;
    const text = fs.readFileSync(file, 'utf8');
    const end = text.lastIndexOf('\n') + 1;
    torn = Buffer.byteLength(text.slice(end));
    const parts = end > 0 ? text.slice(0, end - 1).split('\n') : [];
    for (const part of parts) {
      const l = decodeLine(part);
      if (!l) {
        damaged++;
        continue;
      }
      lines++;
      if (l.t === 'put') {
        live.set(l.id, { id: l.id, topic: l.topic, qos: 1, retain: l.retain === true, payload: l.b !== undefined ? Buffer.from(l.b, 'base64') : (l.p as string) });
        if (l.id >= nextId) nextId = l.id + 1;
      } else if (l.t === 'ack') {
        live.delete(l.id);
        if (l.id >= nextId) nextId = l.id + 1;
      } else {
        marks++;
        if (l.id > nextId) nextId = l.id;
      }
    }
  }
  // Map iteration is insertion order; a put is only ever inserted once, so order == id order.
  let deadLines = lines - marks - live.size;
  let fd = -1;
  let size = 0;

  function openAppend(): void {
    fd = fs.openSync(file, 'a');
    size = fs.fstatSync(fd).size;
  }

  function append(text: string, sync: boolean): void {
    const buf = Buffer.from(text, 'utf8');
    try {
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      if (sync) fs.fsyncSync(fd);
    } catch (e) {
      // Never leave half a line for the next append to glue onto.
      try {
        fs.ftruncateSync(fd, size);
      } catch {
        // the open-time check drops a torn line anyway
      }
      throw e;
    }
    size += buf.length;
  }

  function compact(): void {
    let text = encodeLine({ t: 'next', id: nextId });
    for (const e of live.values()) text += putLine(e.id, e);
    const tfd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(tfd, text);
      fs.fsyncSync(tfd);
    } finally {
      fs.closeSync(tfd);
    }
    if (fd >= 0) fs.closeSync(fd);
    fd = -1;
    fs.renameSync(tmp, file);
    fsyncDir(real);
    deadLines = 0;
    openAppend();
  }

  const compacted = existed && (deadLines > 0 || damaged > 0 || torn > 0);
  if (compacted) {
    compact();
  } else {
    openAppend();
    if (!existed) fsyncDir(real);
  }
  openDirs.add(real);
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new Error('MQTT outbox ' + real + ' is closed');
  }

  function putMany(msgs: readonly OutboxMessage[]): number[] {
    assertOpen();
    msgs.forEach(checkMessage);
    if (live.size + msgs.length > maxEntries) throw new OutboxFullError(live.size, maxEntries);
    const ids: number[] = [];
    let text = '';
    for (let i = 0; i < msgs.length; i++) {
      ids.push(nextId + i);
      text += putLine(nextId + i, msgs[i]);
    }
    if (!msgs.length) return ids;
    append(text, doSync);
    for (let i = 0; i < msgs.length; i++) {
      const m = msgs[i];
      live.set(ids[i], { id: ids[i], topic: m.topic, payload: m.payload, qos: 1, retain: m.retain === true });
    }
    nextId += msgs.length;
    return ids;
  }

  return {
    dir: real,
    maxEntries: maxEntries,
    openReport: { lines: lines, recovered: live.size, tornBytes: torn, damagedLines: damaged, compacted: compacted },
    put(msg) {
      return putMany([msg])[0];
    },
    putMany: putMany,
    pending(limit) {
      const out: OutboxEntry[] = [];
      const n = limit === undefined ? Infinity : limit;
      for (const e of live.values()) {
        if (out.length >= n) break;
        out.push(e);
      }
      return out;
    },
    has(id) {
      return live.has(id);
    },
    ack(id) {
      assertOpen();
      if (!live.has(id)) return;
      append(encodeLine({ t: 'ack', id: id }), false);
      live.delete(id);
      deadLines += 2; // the put and this ack
      if (deadLines > 1000 && deadLines > 2 * live.size) compact();
    },
    depth() {
      return live.size;
    },
    compact() {
      assertOpen();
      compact();
    },
    close() {
      if (closed) return;
      closed = true;
      openDirs.delete(real);
      if (fd >= 0) {
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
          fd = -1;
        }
      }
    },
  };
}
