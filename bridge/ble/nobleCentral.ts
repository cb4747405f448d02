/**
 * The BleCentral port on @abandonware/noble: the same code drives a real adapter (HCI, loaded
 * lazily by loadRealNoble) and the simulated radio (noble on bindings that host virtual clips).
 * noble's callback API becomes promises with timeouts and rxjs streams here; nothing above this
 * file knows noble exists.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { Observable, Subject } from 'rxjs';
import { BATTERY_LEVEL, BATTERY_SERVICE, COMPANY_ID, nobleUuid } from '../../shared/protocol/uuids.ts';
import type { GattName } from '../../shared/protocol/uuids.ts';
import { BleUnavailableError, withTimeout } from './central.ts';
import type { Advert, BleCentral, BleLink, ClipCharacteristic } from './central.ts';

/** The part of a noble characteristic this adapter uses. */
interface NobleCharacteristic extends EventEmitter {
  uuid: string;
  read(cb: (err: unknown, data: Buffer) => void): void;
  write(data: Buffer, withoutResponse: boolean, cb: (err: unknown) => void): void;
  subscribe(cb: (err: unknown) => void): void;
  unsubscribe(cb: (err: unknown) => void): void;
}

/** The part of a noble peripheral this adapter uses. */
interface NoblePeripheral extends EventEmitter {
  id: string;
  address: string;
  rssi: number;
  connectable: boolean;
  /** 'disconnected', 'connecting', 'connected', … */
  state: string;
  mtu: number | null;
  advertisement: { localName?: string; manufacturerData?: Buffer; serviceUuids?: string[] };
  connect(cb: (err: unknown) => void): void;
  cancelConnect(): void;
  disconnect(cb?: () => void): void;
  discoverSomeServicesAndCharacteristics(services: string[], chars: string[],
    cb: (err: unknown, services: unknown[], characteristics: NobleCharacteristic[]) => void): void;
}

/** The part of noble itself this adapter uses. */
export interface NobleLike extends EventEmitter {
  readonly state: string;
  startScanning(uuids: string[], allowDuplicates: boolean, cb?: (err: unknown) => void): void;
  stopScanning(cb?: () => void): void;
}

const errorOf = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/** No permission to open the adapter (noble loading with EPERM/EACCES, or the adapter state `unauthorized`). */
const needsPermission = (): BleUnavailableError =>
  new BleUnavailableError('Bluetooth needs permission: run `sudo setcap cap_net_raw+eip $(eval readlink -f $(which node))` and try again.', 'permission');

/** What each adapter state means for a person, or undefined when it is not final. */
function unusable(state: string): BleUnavailableError | undefined {
  if (state === 'poweredOff') return new BleUnavailableError('The Bluetooth adapter is powered off: turn Bluetooth on and try again.', 'poweredOff');
  if (state === 'unauthorized') return needsPermission();
  if (state === 'unsupported') return new BleUnavailableError('This Bluetooth adapter does not support Bluetooth Low Energy.', 'unsupported');
  return undefined;
}

/**
 * Loads noble with its HCI binding. noble opens the adapter while it loads and throws when there
 * is none (EAFNOSUPPORT) or no permission (EPERM/EACCES): that becomes a BleUnavailableError with
 * one line for a person.
 */
export function loadRealNoble(): NobleLike {
  const require = createRequire(import.meta.url);
  try {
    return require('@abandonware/noble') as NobleLike;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'EAFNOSUPPORT' || code === 'ENODEV') {
      throw new BleUnavailableError('No Bluetooth adapter found (' + code + '). Use --simulate to run with virtual clips.', 'noAdapter');
    }
    if (code === 'EPERM' || code === 'EACCES') throw needsPermission();
    throw new BleUnavailableError('Bluetooth could not start: ' + errorOf(e).message, 'noAdapter');
  }
}

/** noble's UUID for each characteristic the bridge uses. */
function uuidOf(ch: ClipCharacteristic): string {
  return ch === 'battery' ? BATTERY_LEVEL : nobleUuid(ch as GattName);
}

class NobleLink implements BleLink {
  readonly disconnected$: Observable<string>;
  private chars = new Map<string, NobleCharacteristic>();
  private streams = new Map<string, { subject: Subject<Uint8Array>; onData: (data: Buffer, isNotification: boolean) => void }>();
  private gone = new Subject<string>();
  private down = false;

  constructor(private p: NoblePeripheral) {
    this.disconnected$ = this.gone.asObservable();
    p.once('disconnect', (reason: unknown) => this.dropped(String(reason ?? 'link lost')));
  }

  get id(): string {
    return this.p.id;
  }

  get mtu(): number {
    return this.p.mtu || 23;
  }

  discover(timeoutMs: number): Promise<void> {
    const run = new Promise<void>((resolve, reject) => {
      this.p.discoverSomeServicesAndCharacteristics([nobleUuid('service'), BATTERY_SERVICE], [], (err, _s, chars) => {
        if (err) return reject(errorOf(err));
        for (const c of chars || []) this.chars.set(c.uuid, c);
        const missing = (['info', 'control', 'config', 'log', 'live'] as const).filter((n) => !this.chars.has(nobleUuid(n)));
        if (missing.length) return reject(new Error('This device is not a nape clip: it lacks the ' + missing.join(', ') + ' characteristic(s)'));
        resolve();
      });
    });
    return withTimeout(run, timeoutMs, 'GATT discovery');
  }

  private char(ch: ClipCharacteristic): NobleCharacteristic {
    const c = this.chars.get(uuidOf(ch));
    if (!c) throw new Error('No ' + ch + ' characteristic: discover() first (or the clip lacks it)');
    return c;
  }

  read(ch: ClipCharacteristic, timeoutMs: number): Promise<Uint8Array> {
    const c = this.char(ch);
    return withTimeout(new Promise<Uint8Array>((resolve, reject) => {
      c.read((err, data) => (err ? reject(errorOf(err)) : resolve(new Uint8Array(data))));
    }), timeoutMs, 'read of ' + ch);
  }

  write(ch: ClipCharacteristic, data: Uint8Array, timeoutMs: number): Promise<void> {
    const c = this.char(ch);
    return withTimeout(new Promise<void>((resolve, reject) => {
      c.write(Buffer.from(data), false, (err) => (err ? reject(errorOf(err)) : resolve()));
    }), timeoutMs, 'write of ' + ch);
  }

  async enableNotifications(ch: ClipCharacteristic, timeoutMs: number): Promise<Observable<Uint8Array>> {
    const c = this.char(ch);
    let s = this.streams.get(ch);
    if (!s) {
      const subject = new Subject<Uint8Array>();
      const onData = (data: Buffer, isNotification: boolean): void => {
        if (isNotification) subject.next(new Uint8Array(data));
      };
      s = { subject, onData };
      this.streams.set(ch, s);
      c.on('data', onData);
      await withTimeout(new Promise<void>((resolve, reject) => {
        c.subscribe((err) => (err ? reject(errorOf(err)) : resolve()));
      }), timeoutMs, 'subscribe to ' + ch);
    }
    return s.subject.asObservable();
  }

  async disableNotifications(ch: ClipCharacteristic, timeoutMs: number): Promise<void> {
    const s = this.streams.get(ch);
    if (!s) return;
    this.streams.delete(ch);
    const c = this.char(ch);
    c.removeListener('data', s.onData);
    s.subject.complete();
    if (this.down) return;
    await withTimeout(new Promise<void>((resolve, reject) => {
      c.unsubscribe((err) => (err ? reject(errorOf(err)) : resolve()));
    }), timeoutMs, 'unsubscribe from ' + ch);
  }

  disconnect(): Promise<void> {
    if (this.down) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.p.disconnect(() => resolve());
    });
  }

  private dropped(reason: string): void {
    if (this.down) return;
    this.down = true;
    for (const [ch, s] of this.streams) {
      const c = this.chars.get(uuidOf(ch as ClipCharacteristic));
      if (c) c.removeListener('data', s.onData);
      s.subject.complete();
    }
    this.streams.clear();
    this.gone.next(reason);
    this.gone.complete();
  }
}

/** A BleCentral on a noble instance (real or on simulated bindings). */
export function createNobleCentral(noble: NobleLike, kind: 'noble' | 'simulated'): BleCentral {
  const seen = new Map<string, NoblePeripheral>();
  const adverts = new Subject<Advert>();
  const onDiscover = (p: NoblePeripheral): void => {
    seen.set(p.id, p);
    const md = p.advertisement.manufacturerData;
    const espruino = md && md.length >= 2 && md.readUInt16LE(0) === COMPANY_ID ? new Uint8Array(md.subarray(2)) : undefined;
    adverts.next({
      id: p.id, address: p.address, name: p.advertisement.localName, rssi: p.rssi, connectable: p.connectable,
      espruinoData: espruino, serviceUuids: (p.advertisement.serviceUuids || []).slice(), atMs: Date.now(),
    });
  };
  noble.on('discover', onDiscover);
  let scanners = 0;

  const ready = (timeoutMs: number): Promise<void> => {
    if (noble.state === 'poweredOn') return Promise.resolve();
    const now = unusable(noble.state);
    if (now) return Promise.reject(now);
    let listener: ((s: string) => void) | undefined;
    const waiting = new Promise<void>((resolve, reject) => {
      listener = (s: string): void => {
        const bad = unusable(s);
        if (s === 'poweredOn') resolve();
        else if (bad) reject(bad);
      };
      noble.on('stateChange', listener);
    });
    const cleanup = (): void => {
      if (listener) noble.removeListener('stateChange', listener);
    };
    return withTimeout(waiting, timeoutMs, 'The Bluetooth adapter').then((v) => {
      cleanup();
      return v;
    }, (e: unknown) => {
      cleanup();
      throw e instanceof BleUnavailableError ? e : new BleUnavailableError('The Bluetooth adapter did not power on within ' + timeoutMs + ' ms.', 'timeout');
    });
  };

  const scan = (opts: { serviceUuids?: string[]; allowDuplicates?: boolean }): Observable<Advert> => new Observable<Advert>((sub) => {
    const inner = adverts.subscribe(sub);
    if (scanners++ === 0) {
      noble.startScanning(opts.serviceUuids || [], !!opts.allowDuplicates, (err: unknown) => {
        if (err) sub.error(errorOf(err));
      });
    }
    return () => {
      inner.unsubscribe();
      if (--scanners === 0) noble.stopScanning();
    };
  });

  const connect = (id: string, timeoutMs: number): Promise<BleLink> => {
    const p = seen.get(id);
    if (!p) return Promise.reject(new Error('Clip ' + id + ' has not been seen advertising: scan first'));
    const attempt = new Promise<void>((resolve, reject) => {
      p.connect((err) => (err ? reject(errorOf(err)) : resolve()));
    });
    return withTimeout(attempt, timeoutMs, 'Connecting to ' + id, () => p.cancelConnect()).then(() => new NobleLink(p));
  };

  const close = async (): Promise<void> => {
    if (scanners > 0) noble.stopScanning();
    scanners = 0;
    noble.removeListener('discover', onDiscover);
    adverts.complete();
    await Promise.all([...seen.values()].filter((p) => p.state === 'connected').map((p) => new Promise<void>((r) => {
      p.disconnect(() => r());
    })));
  };

  return { kind, ready, scan, connect, close };
}
