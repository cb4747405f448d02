// The nRF52 radio as Espruino's NRF object exposes it, plus the central side tests (and the
// simulated noble radio) use. Choices, each stricter than or equal to the real stack:
// - One peripheral link at a time. Connecting needs connectable advertising; advertising stops
//   while connected and resumes after the link drops (as Espruino does).
// - setServices while connected throws "Can't change services while connected" (Espruino
//   actually queues a softdevice restart for after the disconnect; firmware must not rely on it).
// - updateServices: unknown service/characteristic throws; a value longer than the
//   characteristic's maxLen throws (the softdevice refuses it with DATA_SIZE). `notify: true`
//   only notifies characteristics declared with notify:true (otherwise recorded in `errors`),
//   only while a central is connected AND subscribed. The notification queue holds
//   `notifyQueue` (default 6) entries; when full the notification is DROPPED SILENTLY and
//   counted in `dropped`. A payload longer than MTU−3 is truncated and recorded in `errors`.
// - The queue drains at connection events, `perEvent` (default 4) per event, the first event
//   strictly after the notification was queued. Connection interval: a number (7.5–4000 ms) or
//   'auto' = 7.5 ms while there was traffic (connect, write, notification) in the last 60 s,
//   200 ms after a minute idle. Interval changes apply at once (no parameter negotiation).
// - Central writes run the firmware's onWrite at once (at the current virtual time), with
//   `{data: ArrayBuffer}`; writes to non-writable characteristics or longer than maxLen fail.
// - MTU: 23 until the central exchanges it; the board caps it (Puck.js/MDBT42Q 53, Bangle.js 2 131).
// - Advertising: the packet is flags (3) + name (2 + length, unless showName:false) +
//   manufacturer data (4 + length) + service data (2 + UUID + data each) and must be ≤ 31 bytes;
//   services listed in setServices' `advertise` go to the scan response (also ≤ 31 bytes).
//   Interval 20–10000 ms. Too long → throws, like the softdevice's DATA_SIZE error.
// Not modelled: bonding, passkeys and encryption (recorded, never enforced), RSSI, scanning,
// indications, write-without-response flow control, the Nordic UART service.
import type { VirtualClock } from './virtualClock.ts';
import { normalizeUuid, uuidBytes } from './uuid.ts';
import { toBytes } from './realm.ts';

/** What the radio needs from the board. */
export interface RadioHost {
  clock: VirtualClock;
  /** Throws into the realm (an Espruino exception). */
  raise(message: string): never;
  /** Throws if the interpreter is dead. */
  guard(): void;
  /** Queues a firmware callback at the current virtual time (Espruino's event queue). */
  emit(fn: unknown, thisArg: unknown, args: () => unknown[], where: string): void;
  /** A realm ArrayBuffer of these bytes. */
  realmBuffer(bytes: Uint8Array): ArrayBuffer;
  /** The radio's current changed (energy model). */
  powerChanged(): void;
  /** Volts for NRF.getBattery(). */
  batteryVolts(): number;
}

/** Options of the radio. */
export interface RadioOptions {
  mtuMax: number;
  notifyQueue: number;
  perEvent: number;
  defaultName: string;
  /** Fixed connection interval for the central to impose, ms (overrides the firmware's request). */
  connectionIntervalMs?: number;
}

interface Characteristic {
  uuid: string;
  value: Uint8Array;
  maxLen: number;
  readable: boolean;
  writable: boolean;
  notify: boolean;
  description?: string;
  onWrite?: unknown;
}

/** Advertising as a scanner sees it. */
export interface AdvertisingInfo {
  on: boolean;
  connectable: boolean;
  intervalMs: number;
  name: string | undefined;
  manufacturer: number | undefined;
  manufacturerData: Uint8Array | undefined;
  serviceData: { uuid: string; data: Uint8Array }[];
  /** Service UUIDs of setServices' `advertise` (scan response). */
  serviceUuids: string[];
  /** Bytes of the advertising packet as built. */
  packetBytes: number;
}

/** A notification as the central received it. */
export interface Notification {
  atMs: number;
  svc: string;
  ch: string;
  bytes: Uint8Array;
}

/** The central's view of one link. */
export interface Connection {
  readonly address: string;
  readonly connected: boolean;
  readonly mtu: number;
  /** Notifications waiting in the peripheral's queue. */
  readonly queued: number;
  /** Requests an MTU; returns the one agreed (min of the request and the board's maximum). */
  exchangeMtu(mtu: number): number;
  /** GATT discovery. */
  services(): { uuid: string; characteristics: { uuid: string; properties: string[] }[] }[];
  subscribe(svc: string | number, ch: string | number): void;
  unsubscribe(svc: string | number, ch: string | number): void;
  write(svc: string | number, ch: string | number, bytes: Uint8Array | number[]): void;
  read(svc: string | number, ch: string | number): Uint8Array;
  onNotify(cb: (svc: string, ch: string, bytes: Uint8Array) => void): () => void;
  onDisconnect(cb: (reason: number) => void): () => void;
  disconnect(): void;
}

/** Radio statistics and central API, exposed as `board.radio`. */
export class Radio {
  /** Notifications dropped because the queue was full. */
  dropped = 0;
  /** Notifications delivered to the central. */
  delivered = 0;
  /** Notifications requested while nobody was subscribed (not an error: nothing is sent). */
  unsubscribed = 0;
  /** Firmware misuse that the real stack would refuse or mangle (truncation, notify on a non-notify characteristic…). */
  readonly errors: { atMs: number; message: string }[] = [];
  /** Every delivered notification. */
  readonly log: Notification[] = [];

  private services = new Map<string, Map<string, Characteristic>>();
  private advertiseUuids: string[] = [];
  private adv = { connectable: true, intervalMs: 375, name: '', showName: true, manufacturer: undefined as number | undefined,
    manufacturerData: undefined as Uint8Array | undefined, serviceData: [] as { uuid: string; data: Uint8Array }[], packetBytes: 0 };
  private listeners: Record<string, unknown[]> = { connect: [], disconnect: [] };
  private intervalSetting: number | 'auto' = 'auto';
  private security: unknown = undefined;
  private link: LinkState | undefined;

  constructor(private host: RadioHost, private opts: RadioOptions) {
    this.resetFirmwareState();
  }

  /** Clears what a reset clears; an open link drops (the central sees reason 0x08, timeout). */
  resetFirmwareState(): void {
    if (this.link) this.dropLink(0x08, false);
    this.services = new Map();
    this.advertiseUuids = [];
    this.adv = { connectable: true, intervalMs: 375, name: this.opts.defaultName, showName: true, manufacturer: undefined,
      manufacturerData: undefined, serviceData: [], packetBytes: 0 };
    this.adv.packetBytes = this.advPacketBytes(this.adv);
    this.listeners = { connect: [], disconnect: [] };
    this.intervalSetting = 'auto';
    this.security = undefined;
    this.host.powerChanged();
  }

  /** Current advertising. */
  advertising(): AdvertisingInfo {
    const a = this.adv;
    return { on: !this.link, connectable: a.connectable, intervalMs: a.intervalMs, name: a.showName ? a.name : undefined,
      manufacturer: a.manufacturer, manufacturerData: a.manufacturerData?.slice(), serviceData: a.serviceData.map((s) => ({ uuid: s.uuid, data: s.data.slice() })),
      serviceUuids: this.advertiseUuids.slice(), packetBytes: a.packetBytes };
  }

  /** The GATT table as declared (for tests). */
  gatt(): Record<string, Record<string, { notify: boolean; readable: boolean; writable: boolean; maxLen: number; value: Uint8Array }>> {
    const out: ReturnType<Radio['gatt']> = {};
    for (const [s, chs] of this.services) {
      out[s] = {};
      for (const [c, ch] of chs) out[s][c] = { notify: ch.notify, readable: ch.readable, writable: ch.writable, maxLen: ch.maxLen, value: ch.value.slice() };
    }
    return out;
  }

  /** True while a central is connected. */
  get connected(): boolean {
    return !!this.link;
  }

  /** Connection interval now in force, ms (undefined when not connected). */
  intervalMs(): number | undefined {
    const l = this.link;
    if (!l) return undefined;
    if (this.opts.connectionIntervalMs) return this.opts.connectionIntervalMs;
    if (this.intervalSetting !== 'auto') return this.intervalSetting;
    return this.host.clock.nowMs - l.lastTrafficMs < 60_000 ? 7.5 : 200;
  }

  /** Radio current in µA for the energy model (figures from espruino.md, see energy.ts). */
  currentUa(): number {
    const iv = this.intervalMs();
    if (iv !== undefined) return 14 + 4395 / iv;
    return (this.adv.connectable ? 40 : 22) * 375 / this.adv.intervalMs;
  }

  /** A central connects (needs connectable advertising and no other link). */
  connect(address = 'c0:ff:ee:00:00:01'): Connection {
    if (this.link) throw new Error('Already connected: the board takes one central at a time');
    if (!this.adv.connectable) throw new Error('Advertising is not connectable');
    const now = this.host.clock.nowMs;
    const link: LinkState = { address, mtu: 23, subscribed: new Set(), queue: [], anchorMs: now, lastTrafficMs: now, lastIntervalMs: 0,
      drainScheduled: false, idleCheck: false, notifyCbs: [], disconnectCbs: [], open: true };
    this.link = link;
    link.lastIntervalMs = this.intervalMs()!;
    this.scheduleIdleCheck();
    this.host.powerChanged();
    for (const cb of this.listeners.connect) this.host.emit(cb, this.nrfObject, () => [address], 'NRF connect');
    this.host.clock.runDue();
    return this.connectionApi(link);
  }

  /** The `NRF` global. */
  readonly nrfObject: Record<string, unknown> = {
    setServices: (services: unknown, options?: { advertise?: unknown[]; uart?: boolean }) => {
      this.host.guard();
      if (this.link) this.host.raise("Can't change services while connected");
      const table = new Map<string, Map<string, Characteristic>>();
      for (const [svcKey, chs] of Object.entries((services || {}) as Record<string, Record<string, Record<string, unknown>>>)) {
        const svc = this.uuid(svcKey);
        const m = new Map<string, Characteristic>();
        for (const [chKey, def] of Object.entries(chs || {})) {
          const value = def.value === undefined ? new Uint8Array(0) : this.bytes(def.value);
          const maxLen = def.maxLen !== undefined ? Number(def.maxLen) : (def.value === undefined ? 20 : Math.max(1, value.length));
          if (!(maxLen >= 1 && maxLen <= 512)) this.host.raise('maxLen must be 1..512, got ' + def.maxLen);
          if (value.length > maxLen) this.host.raise('Got BLE error 0x0C (DATA_SIZE): value longer than maxLen');
          m.set(this.uuid(chKey), { uuid: this.uuid(chKey), value, maxLen, readable: !!def.readable, writable: !!def.writable,
            notify: !!def.notify, description: def.description as string | undefined, onWrite: def.onWrite });
        }
        table.set(svc, m);
      }
      const adv = (options && options.advertise ? Array.from(options.advertise) : []).map((u) => this.uuid(u));
      const scanBytes = adv.length ? adv.reduce((s, u) => s + uuidBytes(u), 0) + 2 * new Set(adv.map((u) => u.length)).size : 0;
      if (scanBytes > 31) this.host.raise('Got BLE error 0x0C (DATA_SIZE): advertised services need ' + scanBytes + ' bytes, max 31');
      this.services = table;
      this.advertiseUuids = adv;
    },
    updateServices: (services: unknown) => {
      this.host.guard();
      for (const [svcKey, chs] of Object.entries((services || {}) as Record<string, Record<string, Record<string, unknown>>>)) {
        const svc = this.uuid(svcKey);
        const m = this.services.get(svc);
        if (!m) this.host.raise('Unable to find service with UUID ' + svcKey);
        for (const [chKey, upd] of Object.entries(chs || {})) {
          const chId = this.uuid(chKey);
          const ch = m.get(chId);
          if (!ch) this.host.raise('Unable to find characteristic with UUID ' + chKey);
          if (upd.value !== undefined) {
            const v = this.bytes(upd.value);
            if (v.length > ch.maxLen) this.host.raise('Got BLE error 0x0C (DATA_SIZE): value of ' + v.length + ' bytes > maxLen ' + ch.maxLen);
            ch.value = v;
          }
          if (upd.notify) this.notify(svc, ch);
        }
      }
    },
    setAdvertising: (data: unknown, options?: Record<string, unknown>) => {
      this.host.guard();
      const o = options || {};
      // Each call replaces all options (Espruino stores the options object whole); only the
      // device name sticks.
      const next = { connectable: true, intervalMs: 375, name: this.adv.name, showName: true, manufacturer: undefined as number | undefined,
        manufacturerData: undefined as Uint8Array | undefined, serviceData: [] as { uuid: string; data: Uint8Array }[], packetBytes: 0 };
      if (o.name !== undefined) next.name = String(o.name);
      if (o.showName !== undefined) next.showName = !!o.showName;
      if (o.connectable !== undefined) next.connectable = !!o.connectable;
      if (o.interval !== undefined) {
        const iv = Number(o.interval);
        if (!(iv >= 20 && iv <= 10000)) this.host.raise('Advertising interval must be 20..10000 ms, got ' + o.interval);
        next.intervalMs = iv;
      }
      if (o.manufacturerData !== undefined) {
        if (o.manufacturer === undefined) this.host.raise('manufacturerData needs manufacturer');
        next.manufacturer = Number(o.manufacturer) & 0xffff;
        next.manufacturerData = this.bytes(o.manufacturerData);
      }
      if (data !== undefined && data !== null) {
        if (Array.isArray(data) || ArrayBuffer.isView(data)) this.host.raise('Raw advertising packets are not emulated: pass an object');
        for (const [k, v] of Object.entries(data as Record<string, unknown>)) next.serviceData.push({ uuid: this.uuid(k), data: this.bytes(v) });
      }
      next.packetBytes = this.advPacketBytes(next);
      if (next.packetBytes > 31) this.host.raise('Got BLE error 0x0C (DATA_SIZE): advertising packet is ' + next.packetBytes + ' bytes, max 31');
      this.adv = next;
      this.host.powerChanged();
    },
    setConnectionInterval: (ms: unknown) => {
      this.host.guard();
      if (ms === 'auto') this.intervalSetting = 'auto';
      else {
        const v = Number(ms);
        if (!(v >= 7.5 && v <= 4000)) this.host.raise('Connection interval must be 7.5..4000 ms or "auto", got ' + String(ms));
        this.intervalSetting = v;
      }
      this.intervalChanged();
    },
    on: (event: unknown, cb: unknown) => {
      this.host.guard();
      if (typeof cb !== 'function') this.host.raise('on: callback is not a function');
      (this.listeners[String(event)] ||= []).push(cb);
    },
    disconnect: () => {
      this.host.guard();
      if (this.link) this.dropLink(0x16, true);
    },
    getBattery: () => {
      this.host.guard();
      return this.host.batteryVolts();
    },
    setSecurity: (opts: unknown) => {
      this.host.guard();
      this.security = opts;
    },
    getSecurityStatus: () => {
      this.host.guard();
      return { connected: !!this.link, encrypted: false, mitm_protected: false, bonded: false };
    },
  };

  /** What setSecurity was last given (not enforced). */
  securityOptions(): unknown {
    return this.security;
  }

  // Object keys: V8 turns `{0x180f: …}` into the key "6159"; Espruino keeps it an integer (a
  // 16-bit UUID). So an all-digit key is read as a decimal number: a hex string key made only
  // of digits ('1800') must be written '0x1800' for the emulator.
  private uuid(u: unknown): string {
    try {
      return normalizeUuid(typeof u === 'string' && /^\d+$/.test(u) && Number(u) <= 0xffff ? Number(u) : u);
    } catch (e) {
      return this.host.raise((e as Error).message);
    }
  }

  private bytes(v: unknown): Uint8Array {
    const b = toBytes(v);
    if (!b) this.host.raise('Unsupported BLE value: ' + typeof v);
    return b;
  }

  private advPacketBytes(a: Radio['adv']): number {
    let n = 3;
    if (a.showName && a.name) n += 2 + a.name.length;
    if (a.manufacturerData) n += 4 + a.manufacturerData.length;
    for (const s of a.serviceData) n += 2 + uuidBytes(s.uuid) + s.data.length;
    return n;
  }

  private notify(svc: string, ch: Characteristic): void {
    const now = this.host.clock.nowMs;
    if (!ch.notify) {
      this.errors.push({ atMs: now, message: 'notify on ' + svc + '/' + ch.uuid + ', which was not declared with notify:true' });
      return;
    }
    const l = this.link;
    if (!l || !l.subscribed.has(svc + '/' + ch.uuid)) {
      this.unsubscribed++;
      return;
    }
    let payload = ch.value;
    if (payload.length > l.mtu - 3) {
      this.errors.push({ atMs: now, message: 'notification of ' + payload.length + ' bytes on ' + ch.uuid + ' exceeds MTU−3 = ' + (l.mtu - 3) + ': truncated' });
      payload = payload.slice(0, l.mtu - 3);
    }
    if (l.queue.length >= this.opts.notifyQueue) {
      this.dropped++;
      return;
    }
    l.queue.push({ svc, ch: ch.uuid, bytes: payload.slice() });
    this.traffic();
    this.scheduleDrain();
  }

  private nextEventMs(): number {
    const l = this.link!;
    const iv = this.intervalMs()!;
    const now = this.host.clock.nowMs;
    const k = Math.floor((now - l.anchorMs) / iv + 1e-9) + 1;
    return l.anchorMs + k * iv;
  }

  private scheduleDrain(): void {
    const l = this.link;
    if (!l || l.drainScheduled || !l.queue.length) return;
    l.drainScheduled = true;
    this.host.clock.schedule(this.nextEventMs(), () => {
      l.drainScheduled = false;
      if (!l.open) return;
      const now = this.host.clock.nowMs;
      for (let i = 0; i < this.opts.perEvent && l.queue.length; i++) {
        const n = l.queue.shift()!;
        this.delivered++;
        this.log.push({ atMs: now, svc: n.svc, ch: n.ch, bytes: n.bytes });
        for (const cb of l.notifyCbs.slice()) cb(n.svc, n.ch, n.bytes.slice());
      }
      if (l.queue.length) this.scheduleDrain();
    }, 'radio');
  }

  private traffic(): void {
    const l = this.link;
    if (!l) return;
    l.lastTrafficMs = this.host.clock.nowMs;
    this.intervalChanged();
    this.scheduleIdleCheck();
  }

  private intervalChanged(): void {
    const l = this.link;
    if (!l) return;
    const iv = this.intervalMs()!;
    if (iv !== l.lastIntervalMs) {
      l.lastIntervalMs = iv;
      l.anchorMs = this.host.clock.nowMs;
      this.host.powerChanged();
    }
  }

  private scheduleIdleCheck(): void {
    const l = this.link;
    if (!l || l.idleCheck) return;
    l.idleCheck = true;
    this.host.clock.schedule(l.lastTrafficMs + 60_000, () => {
      l.idleCheck = false;
      if (!l.open) return;
      this.intervalChanged();
      if (this.host.clock.nowMs - l.lastTrafficMs < 60_000) this.scheduleIdleCheck();
    }, 'radio');
  }

  private dropLink(reason: number, tellFirmware: boolean): void {
    const l = this.link!;
    l.open = false;
    l.queue.length = 0;
    this.link = undefined;
    this.host.powerChanged();
    for (const cb of l.disconnectCbs.slice()) cb(reason);
    if (tellFirmware) {
      for (const cb of this.listeners.disconnect) this.host.emit(cb, this.nrfObject, () => [reason], 'NRF disconnect');
    }
  }

  private find(svc: string | number, ch: string | number): { s: string; c: Characteristic } {
    const s = normalizeUuid(svc);
    const m = this.services.get(s);
    const c = m && m.get(normalizeUuid(ch));
    if (!c) throw new Error('No characteristic ' + String(ch) + ' in service ' + String(svc));
    return { s, c };
  }

  private connectionApi(l: LinkState): Connection {
    const open = (): void => {
      if (!l.open) throw new Error('Not connected');
    };
    return {
      address: l.address,
      get connected() {
        return l.open;
      },
      get mtu() {
        return l.mtu;
      },
      get queued() {
        return l.queue.length;
      },
      exchangeMtu: (mtu) => {
        open();
        l.mtu = Math.max(23, Math.min(Math.floor(mtu), this.opts.mtuMax));
        return l.mtu;
      },
      services: () => [...this.services].map(([uuid, chs]) => ({
        uuid,
        characteristics: [...chs.values()].map((c) => ({ uuid: c.uuid,
          properties: [c.readable && 'read', c.writable && 'write', c.notify && 'notify'].filter((p): p is string => !!p) })),
      })),
      subscribe: (svc, ch) => {
        open();
        const { s, c } = this.find(svc, ch);
        if (!c.notify) throw new Error('Characteristic ' + c.uuid + ' does not notify');
        l.subscribed.add(s + '/' + c.uuid);
      },
      unsubscribe: (svc, ch) => {
        open();
        const { s, c } = this.find(svc, ch);
        l.subscribed.delete(s + '/' + c.uuid);
      },
      write: (svc, ch, bytes) => {
        open();
        const { c } = this.find(svc, ch);
        if (!c.writable) throw new Error('ATT error: write not permitted on ' + c.uuid);
        const data = Uint8Array.from(bytes);
        if (data.length > c.maxLen) throw new Error('ATT error: invalid attribute value length ' + data.length + ' > maxLen ' + c.maxLen);
        c.value = data.slice();
        this.traffic();
        if (c.onWrite) this.host.emit(c.onWrite, undefined, () => [{ data: this.host.realmBuffer(data) }], 'onWrite ' + c.uuid);
        this.host.clock.runDue();
      },
      read: (svc, ch) => {
        open();
        const { c } = this.find(svc, ch);
        if (!c.readable) throw new Error('ATT error: read not permitted on ' + c.uuid);
        this.traffic();
        return c.value.slice();
      },
      onNotify: (cb) => {
        l.notifyCbs.push(cb);
        return () => {
          const i = l.notifyCbs.indexOf(cb);
          if (i >= 0) l.notifyCbs.splice(i, 1);
        };
      },
      onDisconnect: (cb) => {
        l.disconnectCbs.push(cb);
        return () => {
          const i = l.disconnectCbs.indexOf(cb);
          if (i >= 0) l.disconnectCbs.splice(i, 1);
        };
      },
      disconnect: () => {
        if (!l.open) return;
        this.dropLink(0x13, true);
        this.host.clock.runDue();
      },
    };
  }
}

interface LinkState {
  address: string;
  mtu: number;
  subscribed: Set<string>;
  queue: { svc: string; ch: string; bytes: Uint8Array }[];
  anchorMs: number;
  lastTrafficMs: number;
  lastIntervalMs: number;
  drainScheduled: boolean;
  idleCheck: boolean;
  notifyCbs: ((svc: string, ch: string, bytes: Uint8Array) => void)[];
  disconnectCbs: ((reason: number) => void)[];
  open: boolean;
}
