/**
 * The simulated radio as a noble bindings object: the real @abandonware/noble runs on it
 * (`require('@abandonware/noble/with-bindings')(bindings)`) and talks to virtual clips, each the
 * real firmware bundle on the Espruino emulator. Methods and events follow noble's HCI binding
 * (lib/hci-socket/bindings.js, gap.js, gatt.js of 1.9.2-26): argument orders, UUID forms
 * (lower-case hex, no dashes), Buffers, and what it leaves unanswered.
 *
 * Time. The simulation has its own virtual clock; every board runs on its own emulator clock,
 * kept in step with it. `advance(ms)` moves all of them together: boards run up to the next
 * radio task (an advertising packet, an ATT response, a connection being set up, a button edge),
 * then the task runs. While a link is up, steps are at most QUANTUM_MS (the shortest connection
 * interval) so that a reaction to a notification never lands in a board's past: every request
 * that reaches a board is answered at least two connection intervals after it was made.
 * Events that cross the air are emitted from radio tasks, so always after the noble call that
 * caused them has returned. Adapter-local events (stateChange, addressChange, scanStart,
 * scanStop, scanParametersSet, rssiUpdate) come on setImmediate, without advancing time.
 *
 * Model (each choice marked where it differs from a real controller):
 * - Advertising: one packet per clip every advertising interval the firmware set, plus 0–10 ms
 *   of random advDelay, while the clip advertises (not while connected). Heard while scanning;
 *   `advLossRate` drops packets at random. Service-UUID filtering compares strings exactly, as
 *   the HCI binding does. allowDuplicates false reports each clip once per scan (controller
 *   duplicate filtering by address); noble's own duplicate filter applies on top.
 * - RSSI: the clip's `rssiDbm` ± uniform `rssiNoiseDb`, rounded, from the seeded PRNG.
 * - Connecting waits for the clip's next connectable advertising packet; the link is up
 *   CONNECT_SETUP_MS later. No timeout (noble's HCI has none; the caller cancels). Each clip
 *   connects independently (the HCI binding queues connection attempts one at a time: not modelled).
 * - Once up, the central exchanges the MTU first (`centralMtu`, default 256 as noble's HCI GATT
 *   asks); the result is min(central, clip's maximum) and noble gets `onMtu`.
 * - ATT: one request at a time per link (the bearer is serial); each is answered two connection
 *   intervals after the previous answer or the request, whichever is later. A request that hangs
 *   holds the bearer: every later request on that link hangs too, until the link drops.
 * - Errors: a read the clip refuses answers an empty Buffer; a write or subscription it refuses
 *   never answers (both what noble's HCI GATT does with an ATT error). Recorded in `stats`.
 * - Notifications are the emulator's (MTU, queue, per-event budget, silent drops); each one it
 *   delivers is forwarded as `read(…, isNotification = true)`.
 * - Disconnects: by the central, noble gets reason 0x16 one interval later; by the clip
 *   (NRF.disconnect) 0x13; a clip that resets or a link that is lost: 0x08 after the supervision
 *   timeout (connect params `timeout` × 10 ms, noble's default 420 ms). Until then the link is
 *   silent: notifications are lost in the air and requests are not answered.
 * - Not modelled: handles (readHandle/writeHandle answer empty), included services (none),
 *   broadcast (acknowledged), descriptors other than the CCCD 0x2902 of notifying characteristics,
 *   connection parameter updates (the clip's firmware and the emulator choose the interval),
 *   scanning while connecting being refused by some controllers.
 */
import { EventEmitter } from 'node:events';
import { VirtualClock } from '../../sim/espruino/virtualClock.ts';
import type { ClockTask } from '../../sim/espruino/virtualClock.ts';
import type { Connection, EspruinoBoard } from '../../sim/espruino/espruinoBoard.ts';
import { createRng } from '../../sim/motion/prng.ts';
import type { Rng } from '../../sim/motion/prng.ts';
import { nobleUuid } from '../../../shared/protocol/uuids.ts';
import { nextButtonEdge } from './virtualClip.ts';
import type { Wearer } from './virtualClip.ts';

/** Longest step while a link is up: the shortest BLE connection interval. */
export const QUANTUM_MS = 7.5;
/** From the connect request riding an advertising packet to the link being up, ms. */
export const CONNECT_SETUP_MS = 2.5;
/** A refused connection: the central gives up after six connection events without an answer. */
const REFUSED_AFTER_MS = 6 * QUANTUM_MS;
const CCCD = '2902';

/** GATT operations `hang` can stall. */
export type HangOp = 'connect' | 'mtu' | 'discoverServices' | 'discoverCharacteristics' | 'read' | 'write' | 'notify';

/** What noble's HCI binding says for a connection that failed to be established. */
export const CONNECT_FAILED_MESSAGE = 'Connection Failed to be Established (0x3e)';

/** Counters of one clip's radio. */
export interface SimClipStats {
  advertisementsHeard: number;
  notificationsForwarded: number;
  /** Notifications the clip sent while the link was silent (lost or dropping). */
  notificationsLost: number;
  /** Requests the clip refused (noble gets an empty read, or no answer). */
  attErrors: { atMs: number; op: string; message: string }[];
}

/** One virtual clip as the simulation shows it. */
export interface SimClip {
  /** noble's peripheral id (the address without colons unless given). */
  readonly id: string;
  /** Random static address, 'aa:bb:cc:dd:ee:ff'. */
  readonly address: string;
  readonly board: EspruinoBoard;
  /** Mean RSSI at the bridge (dBm); set it to move the clip. */
  rssiDbm: number;
  readonly connected: boolean;
  readonly stats: SimClipStats;
}

/** A clip handed to SimBindings: booted at simulation time 0. */
export interface SimClipInit {
  id: string;
  address: string;
  board: EspruinoBoard;
  wearer: Wearer;
  rssiDbm: number;
}

/** Options of the radio model. */
export interface SimBindingsOptions {
  /** Seed of the radio's randomness (RSSI noise, advertising delays, lost packets, garbage). Default 1. */
  seed?: number;
  /** MTU the central proposes (default 256, what noble's HCI GATT asks for). */
  centralMtu?: number;
  /** RSSI noise, ± dB uniform (default 3). */
  rssiNoiseDb?: number;
  /** Probability that the scanner misses an advertising packet (default 0). */
  advLossRate?: number;
  /** The central's own address (default 'c0:ff:ee:00:00:01'). */
  centralAddress?: string;
}

interface Link {
  conn: Connection;
  /** When the ATT bearer is free for the next request. */
  attFreeAt: number;
  /** A hung request holds the bearer. */
  blocked: boolean;
  /** Radio silence: nothing gets through any more. */
  lost: boolean;
  /** noble has been told the link is down. */
  reported: boolean;
  /** We are closing the link at the clip ourselves (ignore its disconnect callback). */
  closing: boolean;
  supervisionMs: number;
  /** 'svc/ch' whose notifications noble enabled. */
  subscribed: Set<string>;
  offs: (() => void)[];
}

interface Pending {
  params: Record<string, unknown> | undefined;
  hung: boolean;
  establishing: boolean;
}

class ClipState implements SimClip {
  rssiDbm: number;
  link: Link | undefined;
  pending: Pending | undefined;
  hangs = new Map<HangOp, number>();
  refuse = 0;
  advTask: ClockTask | undefined;
  readonly stats: SimClipStats = { advertisementsHeard: 0, notificationsForwarded: 0, notificationsLost: 0, attErrors: [] };

  constructor(readonly id: string, readonly address: string, readonly board: EspruinoBoard, readonly wearer: Wearer,
    rssiDbm: number, readonly rng: Rng, readonly offsetMs: number) {
    this.rssiDbm = rssiDbm;
  }

  get connected(): boolean {
    return !!this.link && !this.link.reported;
  }
}

const immediate = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** noble's bindings interface on virtual clips, plus the simulation's controls. */
export class SimBindings extends EventEmitter {
  /** The simulation clock (ms since the simulation started). */
  readonly clock = new VirtualClock(0);
  private readonly byId = new Map<string, ClipState>();
  private readonly rng: Rng;
  private readonly centralMtu: number;
  private readonly rssiNoiseDb: number;
  private readonly advLossRate: number;
  private readonly centralAddress: string;
  private state: 'unknown' | 'poweredOn' = 'unknown';
  private scan: { uuids: string[]; allowDuplicates: boolean; seen: Set<string> } | undefined;
  private emitted = false;
  private stepping = false;
  private immediates = new Set<NodeJS.Immediate>();
  private realTime: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(clips: SimClipInit[], o: SimBindingsOptions = {}) {
    super();
    this.rng = createRng(o.seed ?? 1);
    this.centralMtu = o.centralMtu ?? 256;
    this.rssiNoiseDb = o.rssiNoiseDb ?? 3;
    this.advLossRate = o.advLossRate ?? 0;
    this.centralAddress = o.centralAddress ?? 'c0:ff:ee:00:00:01';
    if (!(this.centralMtu >= 23)) throw new Error('centralMtu must be ≥ 23, got ' + this.centralMtu);
    clips.forEach((c, i) => {
      if (this.byId.has(c.id)) throw new Error('Two virtual clips with id ' + c.id);
      const st = new ClipState(c.id, c.address, c.board, c.wearer, c.rssiDbm, this.rng.fork(i + 1), this.clock.nowMs - c.board.nowMs);
      this.byId.set(c.id, st);
      const first = st.board.radio.advertising().intervalMs;
      this.scheduleAdv(st, this.clock.nowMs + st.rng.uniform(1, first));
      this.scheduleButton(st, st.board.nowMs - 1e-9);
    });
  }

  /** The clips, by id. */
  get clips(): ReadonlyMap<string, SimClip> {
    return this.byId;
  }

  /** Simulation time, ms. */
  get nowMs(): number {
    return this.clock.nowMs;
  }

  // ---------------------------------------------------------------- noble's interface

  init(): void {
    if (this.state !== 'unknown') return;
    this.state = 'poweredOn';
    this.soon(() => {
      this.emit('addressChange', this.centralAddress);
      this.emit('stateChange', 'poweredOn');
    });
  }

  reset(): void {
    this.scan = undefined;
    for (const c of this.byId.values()) {
      c.pending = undefined;
      if (c.link && !c.link.reported) this.disconnect(c.id);
    }
  }

  setScanParameters(_interval?: number, _window?: number): void {
    this.soon(() => this.emit('scanParametersSet'));
  }

  startScanning(serviceUuids?: string[], allowDuplicates?: boolean): void {
    this.scan = { uuids: serviceUuids ? serviceUuids.slice() : [], allowDuplicates: !!allowDuplicates, seen: new Set() };
    this.soon(() => this.emit('scanStart', !allowDuplicates));
  }

  stopScanning(): void {
    this.scan = undefined;
    this.soon(() => this.emit('scanStop'));
  }

  connect(id: string, params?: Record<string, unknown>): void {
    const c = this.byId.get(id);
    if (!c) {
      this.soon(() => this.emit('connect', id, new Error(CONNECT_FAILED_MESSAGE)));
      return;
    }
    if (c.link || c.pending) return;
    c.pending = { params, hung: this.take(c, 'connect'), establishing: false };
  }

  cancelConnect(id: string): void {
    const c = this.byId.get(id);
    if (c) c.pending = undefined;
  }

  disconnect(id: string): void {
    const c = this.byId.get(id);
    if (!c) return;
    const link = c.link;
    if (!link || link.reported) {
      // Lenient: HCI would ignore a disconnect without a link; answering keeps callers from hanging.
      c.pending = undefined;
      this.soon(() => this.emit('disconnect', id, 0x16));
      return;
    }
    if (link.lost) {
      // The controller drops a silent link locally; the clip finds out at its supervision timeout.
      this.clock.schedule(this.clock.nowMs, () => this.report(c, link, 0x16), 'link');
      return;
    }
    this.clock.schedule(this.clock.nowMs + this.intervalOf(c), () => {
      if (link.reported) return;
      this.syncClip(c);
      this.closeAtClip(c, link, 0x16);
    }, 'link');
  }

  updateRssi(id: string): void {
    const c = this.byId.get(id);
    if (c) this.soon(() => this.emit('rssiUpdate', id, this.rssiOf(c)));
  }

  discoverServices(id: string, uuids?: string[]): void {
    this.att(id, 'discoverServices', (c, link) => {
      const want = uuids || [];
      const found = link.conn.services().map((s) => s.uuid).filter((u) => want.length === 0 || want.indexOf(u) !== -1);
      this.out('servicesDiscover', id, found);
    });
  }

  discoverIncludedServices(id: string, svc: string, _uuids?: string[]): void {
    this.att(id, undefined, () => this.out('includedServicesDiscover', id, svc, []));
  }

  discoverCharacteristics(id: string, svc: string, uuids?: string[]): void {
    this.att(id, 'discoverCharacteristics', (c, link) => {
      const want = uuids || [];
      const s = link.conn.services().find((x) => x.uuid === svc);
      const chars = (s ? s.characteristics : []).filter((ch) => want.length === 0 || want.indexOf(ch.uuid) !== -1)
        .map((ch) => ({ uuid: ch.uuid, properties: ch.properties.slice() }));
      this.out('characteristicsDiscover', id, svc, chars);
    });
  }

  read(id: string, svc: string, ch: string): void {
    this.att(id, 'read', (c, link) => {
      let data = Buffer.alloc(0);
      try {
        data = Buffer.from(link.conn.read(svc, ch));
      } catch (e) {
        this.attError(c, 'read ' + ch, e);
      }
      this.out('read', id, svc, ch, data, false);
    });
  }

  write(id: string, svc: string, ch: string, data: Uint8Array, withoutResponse?: boolean): void {
    const bytes = Uint8Array.from(data);
    this.att(id, 'write', (c, link) => {
      let ok = true;
      try {
        link.conn.write(svc, ch, bytes);
      } catch (e) {
        ok = false;
        this.attError(c, 'write ' + ch, e);
      }
      if (ok || withoutResponse) this.out('write', id, svc, ch);
    });
  }

  broadcast(id: string, svc: string, ch: string, broadcast: boolean): void {
    this.att(id, undefined, () => this.out('broadcast', id, svc, ch, broadcast));
  }

  notify(id: string, svc: string, ch: string, on: boolean): void {
    this.att(id, 'notify', (c, link) => {
      if (this.setNotify(c, link, svc, ch, on)) this.out('notify', id, svc, ch, on);
    });
  }

  discoverDescriptors(id: string, svc: string, ch: string): void {
    this.att(id, undefined, (c, link) => {
      const s = link.conn.services().find((x) => x.uuid === svc);
      const char = s && s.characteristics.find((x) => x.uuid === ch);
      this.out('descriptorsDiscover', id, svc, ch, char && char.properties.indexOf('notify') !== -1 ? [CCCD] : []);
    });
  }

  readValue(id: string, svc: string, ch: string, desc: string): void {
    this.att(id, undefined, (c, link) => {
      const on = desc === CCCD && link.subscribed.has(svc + '/' + ch);
      this.out('valueRead', id, svc, ch, desc, desc === CCCD ? Buffer.from([on ? 1 : 0, 0]) : Buffer.alloc(0));
    });
  }

  writeValue(id: string, svc: string, ch: string, desc: string, data: Uint8Array): void {
    const on = data.length > 0 && (data[0] & 1) === 1;
    this.att(id, undefined, (c, link) => {
      if (desc === CCCD && !this.setNotify(c, link, svc, ch, on)) return;
      this.out('valueWrite', id, svc, ch, desc);
    });
  }

  readHandle(id: string, handle: number): void {
    this.att(id, undefined, () => this.out('handleRead', id, handle, Buffer.alloc(0)));
  }

  writeHandle(id: string, handle: number, _data: Uint8Array, _withoutResponse?: boolean): void {
    this.att(id, undefined, () => this.out('handleWrite', id, handle));
  }

  // ---------------------------------------------------------------- time

  /** Advances simulated time by `ms`, emitting noble events synchronously as they fall due. */
  advance(ms: number): void {
    if (!(ms >= 0 && Number.isFinite(ms))) throw new Error('advance(ms): ms must be finite and ≥ 0, got ' + ms);
    this.enter();
    try {
      const it = this.steps(this.clock.nowMs + ms);
      while (!it.next().done) {
        // every noble event was emitted synchronously
      }
    } finally {
      this.stepping = false;
    }
  }

  /**
   * Advances simulated time by `ms`, yielding to the event loop (setImmediate) after every noble
   * event, so promise chains of the code under test run between events, in simulated-time order.
   */
  async advanceAsync(ms: number): Promise<void> {
    await this.advanceUntil(() => false, ms);
  }

  /**
   * Like advanceAsync, but stops as soon as `predicate` holds (checked first, then after every
   * noble event) or after `maxMs`. Returns whether it held. Boards may be up to QUANTUM_MS
   * ahead of `nowMs` when it stops early.
   */
  async advanceUntil(predicate: () => boolean, maxMs: number): Promise<boolean> {
    if (!(maxMs >= 0 && Number.isFinite(maxMs))) throw new Error('advanceUntil: maxMs must be finite and ≥ 0, got ' + maxMs);
    await immediate();
    if (predicate()) return true;
    this.enter();
    try {
      for (const _ of this.steps(this.clock.nowMs + maxMs)) {
        await immediate();
        if (predicate()) return true;
      }
    } finally {
      this.stepping = false;
    }
    await immediate();
    return predicate();
  }

  /** Advances simulated time until `p` settles (at most `maxMs`), then returns it; throws if it did not settle. */
  async settle<T>(p: Promise<T>, maxMs: number): Promise<T> {
    let done = false;
    p.then(() => {
      done = true;
    }, () => {
      done = true;
    });
    if (!(await this.advanceUntil(() => done, maxMs))) throw new Error('Did not settle within ' + maxMs + ' simulated ms');
    return p;
  }

  /**
   * Runs the simulation on the wall clock: every `tickMs` it advances by the wall time elapsed ×
   * `speed`. The timer keeps the process alive until stopRealTime() or stop(). An exception
   * from the simulation stops it and is emitted as 'error'.
   */
  startRealTime(o: { tickMs?: number; speed?: number } = {}): void {
    if (this.realTime) return;
    if (this.stopped) throw new Error('The simulated radio was stopped');
    const tickMs = o.tickMs ?? 50;
    const speed = o.speed ?? 1;
    let last = performance.now();
    this.realTime = setInterval(() => {
      const now = performance.now();
      const ms = (now - last) * speed;
      last = now;
      if (this.stepping) return;
      try {
        this.advance(ms);
      } catch (e) {
        this.stopRealTime();
        this.emit('error', e);
      }
    }, tickMs);
  }

  stopRealTime(): void {
    if (this.realTime) clearInterval(this.realTime);
    this.realTime = undefined;
  }

  /** Stops real time and drops pending adapter events; the boards stay as they are. */
  stop(): void {
    this.stopped = true;
    this.stopRealTime();
    for (const h of this.immediates) clearImmediate(h);
    this.immediates.clear();
  }

  // ---------------------------------------------------------------- faults

  /** The link goes silent now; both sides notice at the supervision timeout (noble: reason 0x08). False when not connected. */
  linkLoss(id: string): boolean {
    const c = this.clip(id);
    const link = c.link;
    if (!link || link.lost) return false;
    link.lost = true;
    this.clock.schedule(this.clock.nowMs + link.supervisionMs, () => {
      this.syncClip(c);
      this.closeAtClip(c, link, 0x08);
    }, 'link');
    return true;
  }

  /** The next `op` (default once; `times` for more) never answers. An ATT request that hangs holds the link's bearer. */
  hang(id: string, op: HangOp, times = 1): void {
    const c = this.clip(id);
    c.hangs.set(op, (c.hangs.get(op) || 0) + times);
  }

  /** The next `n` connection attempts fail (noble's connect callback gets an Error). */
  refuseConnections(id: string, n: number): void {
    this.clip(id).refuse += n;
  }

  /**
   * `n` frames of random bytes (1 to MTU−3 long) arrive as notifications on the log
   * characteristic, one per connection event, if noble has subscribed to it by then.
   * Returns how many were scheduled (0 without a link).
   */
  garbageNotifications(id: string, n: number): number {
    const c = this.clip(id);
    const link = c.link;
    if (!link || link.lost) return 0;
    const svc = nobleUuid('service');
    const ch = nobleUuid('log');
    const iv = this.intervalOf(c);
    for (let k = 0; k < n; k++) {
      const len = 1 + Math.floor(c.rng.next() * (link.conn.mtu - 3));
      const bytes = Buffer.alloc(len);
      for (let i = 0; i < len; i++) bytes[i] = Math.floor(c.rng.next() * 256);
      this.clock.schedule(this.clock.nowMs + (k + 1) * iv, () => {
        if (link.lost || c.link !== link || !link.subscribed.has(svc + '/' + ch)) return;
        this.out('read', c.id, svc, ch, bytes, true);
      }, 'garbage');
    }
    return n;
  }

  // ---------------------------------------------------------------- internals

  private clip(id: string): ClipState {
    const c = this.byId.get(id);
    if (!c) throw new Error('No virtual clip ' + id + ' (clips: ' + [...this.byId.keys()].join(', ') + ')');
    return c;
  }

  private enter(): void {
    if (this.stepping) throw new Error('The simulation is already advancing (advance called from a noble event or during advanceAsync)');
    if (this.stopped) throw new Error('The simulated radio was stopped');
    this.stepping = true;
  }

  /** Emits an event that crossed the air (from a radio task). */
  private out(event: string, ...args: unknown[]): void {
    this.emitted = true;
    this.emit(event, ...args);
  }

  /** Emits an adapter-local event after the current call returns. */
  private soon(fn: () => void): void {
    const h = setImmediate(() => {
      this.immediates.delete(h);
      fn();
    });
    this.immediates.add(h);
  }

  /**
   * The simulation loop: steps to the next radio task (at most QUANTUM_MS while a link is up),
   * bringing every board there first, then runs the tasks; yields after each noble event.
   */
  private *steps(targetMs: number): Generator<void, void, void> {
    for (;;) {
      const now = this.clock.nowMs;
      let end = Math.min(targetMs, this.clock.nextDueMs() ?? Infinity);
      if (this.anyLink()) end = Math.min(end, now + QUANTUM_MS);
      for (const c of this.byId.values()) this.syncClip(c, end);
      for (;;) {
        this.emitted = false;
        this.clock.runUntil(() => this.emitted, Math.max(0, end - this.clock.nowMs));
        if (!this.emitted) break;
        yield;
      }
      if (end >= targetMs) return;
    }
  }

  private anyLink(): boolean {
    for (const c of this.byId.values()) if (c.link) return true;
    return false;
  }

  /** Brings a board's clock to simulation time `atMs` (default now); never backwards. */
  private syncClip(c: ClipState, atMs = this.clock.nowMs): void {
    const d = atMs - c.offsetMs - c.board.nowMs;
    if (d > 0) c.board.advance(d);
  }

  private simNowOf(c: ClipState): number {
    return c.board.nowMs + c.offsetMs;
  }

  private take(c: ClipState, op: HangOp): boolean {
    const n = c.hangs.get(op) || 0;
    if (n <= 0) return false;
    c.hangs.set(op, n - 1);
    return true;
  }

  private intervalOf(c: ClipState): number {
    return c.board.radio.intervalMs() ?? QUANTUM_MS;
  }

  private rssiOf(c: ClipState): number {
    return Math.round(c.rssiDbm + c.rng.symmetric(this.rssiNoiseDb));
  }

  private attError(c: ClipState, op: string, e: unknown): void {
    c.stats.attErrors.push({ atMs: this.clock.nowMs, op, message: e instanceof Error ? e.message : String(e) });
  }

  private scheduleButton(c: ClipState, afterBoardMs: number): void {
    const edge = nextButtonEdge(c.wearer, afterBoardMs);
    if (!edge) return;
    this.clock.schedule(edge.atMs + c.offsetMs, () => {
      this.syncClip(c);
      c.board.setInput(c.board.profile.pins.BTN, edge.level);
      this.scheduleButton(c, edge.atMs);
    }, 'button');
  }

  private scheduleAdv(c: ClipState, atMs: number): void {
    c.advTask = this.clock.schedule(atMs, () => this.advertisingEvent(c), 'adv');
  }

  /** One advertising event of a clip: a pending connection rides it, or a scanner hears it. */
  private advertisingEvent(c: ClipState): void {
    this.syncClip(c);
    const a = c.board.radio.advertising();
    this.scheduleAdv(c, this.clock.nowMs + a.intervalMs + c.rng.uniform(0, 10));
    if (!a.on) return;
    const p = c.pending;
    if (p && a.connectable && !p.hung && !p.establishing) {
      p.establishing = true;
      this.clock.schedule(this.clock.nowMs + CONNECT_SETUP_MS, () => this.establish(c, p), 'link');
      return;
    }
    const scan = this.scan;
    if (!scan || this.state !== 'poweredOn') return;
    if (this.advLossRate > 0 && c.rng.next() < this.advLossRate) return;
    const serviceUuids = a.serviceUuids.slice();
    const serviceData = a.serviceData.map((s) => ({ uuid: s.uuid, data: Buffer.from(s.data) }));
    if (scan.uuids.length && !serviceUuids.concat(serviceData.map((s) => s.uuid)).some((u) => scan.uuids.indexOf(u) !== -1)) return;
    if (!scan.allowDuplicates) {
      if (scan.seen.has(c.id)) return;
      scan.seen.add(c.id);
    }
    let manufacturerData: Buffer | undefined;
    if (a.manufacturerData && a.manufacturer !== undefined) {
      manufacturerData = Buffer.concat([Buffer.from([a.manufacturer & 0xff, (a.manufacturer >> 8) & 0xff]), Buffer.from(a.manufacturerData)]);
    }
    const advertisement = {
      localName: a.name, txPowerLevel: undefined, manufacturerData, serviceData, serviceUuids,
      solicitationServiceUuids: [] as string[], serviceSolicitationUuids: [] as string[],
    };
    c.stats.advertisementsHeard++;
    this.out('discover', c.id, c.address, 'random', a.connectable, advertisement, this.rssiOf(c), false);
  }

  private establish(c: ClipState, p: Pending): void {
    if (c.pending !== p) return; // cancelled
    this.syncClip(c);
    if (c.refuse > 0) {
      c.refuse--;
      this.clock.schedule(this.clock.nowMs + REFUSED_AFTER_MS, () => {
        if (c.pending !== p) return;
        c.pending = undefined;
        this.out('connect', c.id, new Error(CONNECT_FAILED_MESSAGE));
      }, 'link');
      return;
    }
    let conn: Connection;
    try {
      conn = c.board.radio.connect(this.centralAddress);
    } catch (e) {
      c.pending = undefined;
      this.attError(c, 'connect', e);
      this.out('connect', c.id, new Error(CONNECT_FAILED_MESSAGE));
      return;
    }
    c.pending = undefined;
    const timeout = p.params && typeof p.params.timeout === 'number' ? p.params.timeout : 0x2a;
    const link: Link = { conn, attFreeAt: this.clock.nowMs, blocked: false, lost: false, reported: false, closing: false,
      supervisionMs: timeout * 10, subscribed: new Set(), offs: [] };
    c.link = link;
    link.offs.push(conn.onNotify((svc, ch, bytes) => {
      if (link.lost) {
        c.stats.notificationsLost++;
        return;
      }
      const data = Buffer.from(bytes);
      this.clock.schedule(this.simNowOf(c), () => {
        if (link.lost || c.link !== link) {
          c.stats.notificationsLost++;
          return;
        }
        c.stats.notificationsForwarded++;
        this.out('read', c.id, svc, ch, data, true);
      }, 'notify');
    }));
    link.offs.push(conn.onDisconnect((reason) => {
      if (link.closing) return;
      // The clip dropped the link: it said so (NRF.disconnect → the central sees 0x13), or it
      // reset and went silent (the central times out).
      link.lost = true;
      const at = this.simNowOf(c) + (reason === 0x16 ? 0 : link.supervisionMs);
      this.clock.schedule(at, () => this.report(c, link, reason === 0x16 ? 0x13 : 0x08), 'link');
    }));
    this.out('connect', c.id, null);
    const mtuParam = p.params && typeof p.params.mtu === 'number' ? p.params.mtu : this.centralMtu;
    this.att(c.id, 'mtu', (_c, l) => this.out('onMtu', c.id, l.conn.exchangeMtu(mtuParam)));
  }

  /** Closes the clip's side (firmware sees the disconnect) and tells noble `reason`. */
  private closeAtClip(c: ClipState, link: Link, reason: number): void {
    link.closing = true;
    if (link.conn.connected) link.conn.disconnect();
    this.report(c, link, reason);
  }

  private report(c: ClipState, link: Link, reason: number): void {
    if (link.reported) return;
    link.reported = true;
    link.lost = true;
    if (c.link === link) c.link = undefined;
    if (!link.closing && link.conn.connected) {
      // Central-side drop of a silent link: the clip keeps it until its own supervision timeout.
      link.closing = true;
      this.clock.schedule(this.clock.nowMs + link.supervisionMs, () => {
        this.syncClip(c);
        if (link.conn.connected) link.conn.disconnect();
      }, 'link');
    }
    for (const off of link.offs) off();
    this.out('disconnect', c.id, reason);
  }

  private setNotify(c: ClipState, link: Link, svc: string, ch: string, on: boolean): boolean {
    try {
      if (on) link.conn.subscribe(svc, ch);
      else link.conn.unsubscribe(svc, ch);
    } catch (e) {
      this.attError(c, (on ? 'subscribe ' : 'unsubscribe ') + ch, e);
      return false;
    }
    if (on) link.subscribed.add(svc + '/' + ch);
    else link.subscribed.delete(svc + '/' + ch);
    return true;
  }

  /**
   * Queues an ATT request on the clip's link: answered two connection intervals after the
   * bearer is free. Without a link nothing happens (the HCI binding warns and drops it).
   */
  private att(id: string, op: HangOp | undefined, run: (c: ClipState, link: Link) => void): void {
    const c = this.byId.get(id);
    const link = c && c.link;
    if (!c || !link || link.reported || link.blocked) return;
    if (op && this.take(c, op)) {
      link.blocked = true;
      return;
    }
    const at = Math.max(this.clock.nowMs, link.attFreeAt) + 2 * this.intervalOf(c);
    link.attFreeAt = at;
    this.clock.schedule(at, () => {
      if (link.lost || c.link !== link) return;
      this.syncClip(c);
      if (!link.conn.connected) return;
      run(c, link);
    }, 'att');
  }
}
