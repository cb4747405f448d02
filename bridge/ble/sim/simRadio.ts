/**
 * The simulated radio: virtual clips (the real firmware on the Espruino emulator, worn by the
 * motion generator) behind a noble bindings object. Give `radio.bindings` to noble:
 *
 *   const radio = await createSimRadio({ clips: [{ scenario: 'office-day' }, { board: 'BANGLEJS2' }] });
 *   const noble = require('@abandonware/noble/with-bindings')(radio.bindings);
 *   radio.startRealTime();            // `nape start --simulate`: simulated time follows the wall clock
 *   // or, in tests: radio.advance(ms) / await radio.advanceAsync(ms) / await radio.settle(promise, maxMs)
 *
 * See simBindings.ts for the radio model and virtualClip.ts for the clips.
 */
import type { BoardName } from '../../sim/espruino/espruinoBoard.ts';
import { createRng } from '../../sim/motion/prng.ts';
import { SimBindings } from './simBindings.ts';
import type { HangOp, SimBindingsOptions, SimClip, SimClipInit } from './simBindings.ts';
import { bootVirtualClip } from './virtualClip.ts';
import type { VirtualClipOptions } from './virtualClip.ts';

export { SimBindings, QUANTUM_MS, CONNECT_FAILED_MESSAGE } from './simBindings.ts';
export type { HangOp, SimClip, SimClipStats, SimBindingsOptions } from './simBindings.ts';
export { simFirmware, BOARD_PARTS } from './virtualClip.ts';
export type { VirtualClipOptions } from './virtualClip.ts';

/** One virtual clip of the simulation. */
export interface SimClipOptions extends VirtualClipOptions {
  /** noble's peripheral id; default the address without colons (what the HCI binding uses). */
  id?: string;
  /** 'aa:bb:cc:dd:ee:ff'; default a random static address drawn from the radio's seed. */
  address?: string;
  board?: BoardName;
  /** Mean RSSI at the bridge, dBm (default −60). */
  rssiDbm?: number;
}

/** Options of {@link createSimRadio}. */
export interface SimRadioOptions extends SimBindingsOptions {
  clips: SimClipOptions[];
}

/** The running simulation. */
export interface SimRadio {
  /** The bindings object for noble. */
  readonly bindings: SimBindings;
  /** The clips by id (board, RSSI, counters). */
  readonly clips: ReadonlyMap<string, SimClip>;
  /** Simulated time since the start, ms. */
  readonly nowMs: number;
  /** Advances simulated time; noble events are emitted synchronously as they fall due. */
  advance(ms: number): void;
  /** Advances simulated time, yielding to the event loop after every noble event. */
  advanceAsync(ms: number): Promise<void>;
  /** advanceAsync until `predicate` holds (checked after every noble event) or `maxMs`; returns whether it held. */
  advanceUntil(predicate: () => boolean, maxMs: number): Promise<boolean>;
  /** Advances until `p` settles (at most `maxMs` simulated); returns its value, throws if it did not settle. */
  settle<T>(p: Promise<T>, maxMs: number): Promise<T>;
  /** Simulated time follows the wall clock (× speed), advanced every tickMs (default 50). */
  startRealTime(o?: { tickMs?: number; speed?: number }): void;
  stopRealTime(): void;
  /** Stops real time and pending adapter events. */
  stop(): void;
  /** Faults, per clip id. */
  linkLoss(id: string): boolean;
  hang(id: string, op: HangOp, times?: number): void;
  refuseConnections(id: string, n: number): void;
  garbageNotifications(id: string, n: number): number;
}

const ADDRESS = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Builds (once per process) and boots the firmware on every clip, and returns the radio at time 0. */
export async function createSimRadio(o: SimRadioOptions): Promise<SimRadio> {
  if (!o.clips.length) throw new Error('createSimRadio: give at least one clip');
  const rng = createRng((o.seed ?? 1) ^ 0x5eed);
  const inits: SimClipInit[] = [];
  const used = new Set<string>();
  for (const c of o.clips) {
    let address = c.address?.toLowerCase();
    if (address !== undefined) {
      if (!ADDRESS.test(address)) throw new Error('Bad clip address "' + c.address + '": want aa:bb:cc:dd:ee:ff');
      if (used.has(address)) throw new Error('Two virtual clips with address ' + address);
    }
    while (!address || used.has(address)) {
      // A random static address: the two top bits set.
      const b = [0xc0 | Math.floor(rng.next() * 64)];
      for (let i = 0; i < 5; i++) b.push(Math.floor(rng.next() * 256));
      address = b.map((x) => x.toString(16).padStart(2, '0')).join(':');
    }
    used.add(address);
    const { board, wearer } = await bootVirtualClip(c);
    inits.push({ id: c.id ?? address.split(':').join(''), address, board, wearer, rssiDbm: c.rssiDbm ?? -60 });
  }
  const b = new SimBindings(inits, o);
  return {
    bindings: b,
    clips: b.clips,
    get nowMs() {
      return b.nowMs;
    },
    advance: (ms) => b.advance(ms),
    advanceAsync: (ms) => b.advanceAsync(ms),
    advanceUntil: (p, maxMs) => b.advanceUntil(p, maxMs),
    settle: (p, maxMs) => b.settle(p, maxMs),
    startRealTime: (ro) => b.startRealTime(ro),
    stopRealTime: () => b.stopRealTime(),
    stop: () => b.stop(),
    linkLoss: (id) => b.linkLoss(id),
    hang: (id, op, times) => b.hang(id, op, times),
    refuseConnections: (id, n) => b.refuseConnections(id, n),
    garbageNotifications: (id, n) => b.garbageNotifications(id, n),
  };
}
