import vm from 'node:vm';
// An Espruino board (Puck.js v2, MDBT42Q + MPU-6050, Bangle.js 2) for tests: the real firmware
// bundle runs in a restricted V8 realm (firmware/build/espruinoVm.ts) whose globals are the
// emulations of this folder, all driven by one virtual clock. Choices that apply board-wide:
// - Events (timers, watches, accel samples, BLE connect/write) run as clock tasks, one callback
//   at a time, like Espruino's idle loop. An exception a callback throws is caught, printed as
//   "Uncaught …" and recorded in `errors`; the board carries on (timers stay, as on Espruino).
// - Timers: ids count from 1 per boot; delays below 0.1 ms (Espruino's TIMER_MIN_INTERVAL, a
//   guess of its value) are raised to it; intervals keep their phase (next = due + interval);
//   changeInterval restarts the period from now; clearTimeout()/clearInterval() without an id
//   (or with undefined) clears ALL timers as Espruino does; an unknown id throws "Unknown Timeout".
// - Clock: getTime() is seconds on the clip clock, which reads `startMs` at every boot (time is
//   lost on any reset unless keepTimeOnReset) and moves with the virtual clock; setTime(s) shifts
//   it without touching timers. The realm's Date reads the same clock; local-time getters use
//   E.setTimeZone (local setters and toString still use the host's zone: run tests in UTC).
// - Resets ('powerOn' | 'watchdog' | 'software' | 'pin') drop the realm, timers, watches,
//   services, the BLE link, listeners, error flags and the watchdog, keep Storage, then boot:
//   run `.bootcde` from Storage (load() writes it there, as uploading with save-to-flash does).
//   E.reboot() is a 'software' reset and runs E.on('kill') handlers first; a torn Storage write
//   is a 'powerOn' reset (power lost). peek32(0x40000400) gives the nRF52 RESETREAS bits of the
//   last reset: pin 1, watchdog 2, software 4 (lockup 8 is never produced); 0 after power-on.
// - Watchdog: E.enableWatchdog(s, isAuto = true). With isAuto the idle loop kicks it, which on a
//   virtual clock means it never fires. With isAuto false the board resets ('watchdog') unless
//   E.kickWatchdog() comes within s seconds. Not carried over a reset (the nRF52 keeps it running
//   after soft resets; the emulator does not model that).
// - Promises are V8's: their reactions run at the host's microtask checkpoints (await
//   board.settle()), not in virtual-time order.
import { createEspruinoVm, type EspruinoVm } from '../../../firmware/build/espruinoVm.ts';
import { BOARD_PROFILES, type BoardName, type BoardProfile } from './boardProfile.ts';
import { EnergyMeter, type EnergyReport } from './energy.ts';
import { BangleAccel, Mpu6050, PuckAccel, type AccelSource, type ImuHost } from './imu.ts';
import { collectBuiltins, estimateVariables } from './memory.ts';
import { Radio, type RadioHost } from './nrf.ts';
import { instrumentForOps } from './ops.ts';
import { Pins, type PinsHost } from './pins.ts';
import { isPlainObject, realmArrayBuffer, realmError, realmOf, toBytes, toRealm, type Realm } from './realm.ts';
import { createStorageModule, EmulatedStorage, PowerLossSignal, type FlashViolation } from './storage.ts';
import { VirtualClock, type ClockTask } from './virtualClock.ts';

export type { BoardName } from './boardProfile.ts';
export type { AccelSample, AccelSource } from './imu.ts';
export type { Connection, AdvertisingInfo, Notification } from './nrf.ts';

/** Why the board last reset. */
export type ResetKind = 'powerOn' | 'watchdog' | 'software' | 'pin';

/** Options of {@link createEspruinoBoard}. */
export interface EspruinoBoardOptions {
  board: BoardName;
  /** Clip clock at every boot, ms since 1970 (default 0: the clip does not know the time). */
  startMs?: number;
  /** Keep the clip clock across non-power-on resets (default false). */
  keepTimeOnReset?: boolean;
  /** Flash to use; pass the same one to a new board to keep Storage. */
  storage?: EmulatedStorage;
  /** Size of a new Storage area (default the board's: 40 KB or 8 MB). */
  storageBytes?: number;
  /** Overwriting non-erased flash: 'throw' like Espruino (default) or 'and' (raw flash); both record a violation. */
  storageOverwrite?: 'throw' | 'and';
  /** Motion source, g in board axes (default: lying flat, z = +1 g). */
  accel?: AccelSource;
  /** Largest MTU the board accepts (default: the board's). */
  mtu?: number;
  /** Connection interval the central imposes, ms (default: what the firmware asks for). */
  connectionIntervalMs?: number;
  /** Notification queue capacity (default 6). */
  notifyQueue?: number;
  /** Notifications sent per connection event (default 4). */
  notifyPerEvent?: number;
  /** Espruino variables (default: the board's). */
  variables?: number;
  /** MDBT42Q motor GPIO (default D25). */
  motorPin?: number;
  /** Count executed tokens (slower; default false). */
  countOps?: boolean;
  /** µs of CPU per counted token for the energy model (default 10). */
  usPerOp?: number;
  /** Battery at start, % (default 100). */
  batteryPct?: number;
  /** Drain the battery with the energy model (default false). */
  drainBattery?: boolean;
  /** E.getTemperature(), °C (default 25). */
  temperatureC?: number;
}

/** An exception firmware did not catch. */
export interface BoardError {
  atMs: number;
  where: string;
  message: string;
}

/** The emulated board. */
export interface EspruinoBoard {
  readonly profile: BoardProfile;
  readonly clock: VirtualClock;
  /** Virtual time, ms since the board was created. */
  readonly nowMs: number;
  /** Clip clock, ms (what getTime() reports × 1000). */
  clipMs(): number;
  readonly storage: EmulatedStorage;
  readonly flashViolations: FlashViolation[];
  readonly radio: Radio;
  readonly pins: Pins;
  readonly mpu: Mpu6050 | undefined;
  /** Uncaught exceptions, in order. */
  readonly errors: BoardError[];
  /** print/console output of every boot. */
  readonly output: string[];
  /** Every reset so far. */
  readonly resets: { atMs: number; kind: ResetKind }[];
  readonly lastResetKind: ResetKind;
  /** The running interpreter (undefined before load). */
  readonly vm: EspruinoVm | undefined;
  /** Runs a bundle: writes it to Storage as `.bootcde` (unless toStorage is false) and boots it in a fresh realm. */
  load(code: string, opts?: { toStorage?: boolean }): void;
  reset(kind?: ResetKind): void;
  advance(ms: number): void;
  runUntil(predicate: () => boolean, maxMs: number): boolean;
  /** Lets pending promise reactions run (host microtasks). */
  settle(): Promise<void>;
  /** Holds the button down for `ms` (advancing the clock), then releases it. */
  press(ms?: number): void;
  /** Two presses of `pressMs` with `gapMs` between them. */
  doublePress(pressMs?: number, gapMs?: number): void;
  /** Drives an input pin. */
  setInput(pin: number, level: number): void;
  setAccel(source: AccelSource): void;
  setBattery(pct: number): void;
  setTemperature(c: number): void;
  raiseErrorFlag(flag: string): void;
  motorOnMs(fromMs?: number, toMs?: number): number;
  motorPulses(): { atMs: number; durMs: number; duty: number }[];
  /** Estimated memory, as process.memory() reports it. */
  memory(): { free: number; usage: number; total: number; blocksize: number; history: number };
  /** Where the estimated variables go: per global or closure variable (largest first). */
  memoryBreakdown(depth?: number): [string, number][];
  /** Tokens executed so far (countOps), across boots. */
  readonly ops: number;
  /** Tokens executed while `fn` runs (countOps must be on). */
  countOps(fn: () => void): number;
  energy(): EnergyReport;
  /** A global of the running realm (for tests). */
  global(name: string): unknown;
}

const RESETREAS: Record<ResetKind, number> = { powerOn: 0, pin: 1, watchdog: 2, software: 4 };
const TIMER_MIN_INTERVAL_MS = 0.1;
const OPS = '__napeOps';

// ES5 run inside the realm: Date on the clip clock, local time from E.setTimeZone.
const DATE_SETUP = `(function (nowMs, tzMin) {
  var N = Date, P = N.prototype;
  function D(a, b, c, d, e, f, g) {
    var n = arguments.length;
    if (!(this instanceof D)) return new N(nowMs()).toString();
    if (n === 0) return new N(nowMs());
    if (n === 1) return new N(a);
    return new N(N.UTC(a, b, n > 2 ? c : 1, n > 3 ? d : 0, n > 4 ? e : 0, n > 5 ? f : 0, n > 6 ? g : 0) - tzMin() * 60000);
  }
  D.prototype = P; P.constructor = D;
  D.now = function () { return nowMs(); }; D.UTC = N.UTC; D.parse = N.parse;
  function local(t) { return new N(t + tzMin() * 60000); }
  ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'].forEach(function (k) {
    var utc = P['getUTC' + k];
    P['get' + k] = function () { return utc.call(local(this.getTime())); };
  });
  P.getTimezoneOffset = function () { return -tzMin(); };
  Date = D;
})`;

interface Timer {
  id: number;
  fn: unknown;
  args: unknown[];
  intervalMs: number | undefined;
  dueMs: number;
  task: ClockTask;
}

class Board implements EspruinoBoard {
  readonly profile: BoardProfile;
  readonly clock = new VirtualClock(0);
  readonly storage: EmulatedStorage;
  readonly radio: Radio;
  readonly pins: Pins;
  readonly mpu: Mpu6050 | undefined;
  readonly errors: BoardError[] = [];
  readonly resets: { atMs: number; kind: ResetKind }[] = [];
  lastResetKind: ResetKind = 'powerOn';
  vm: EspruinoVm | undefined;

  private outputs: string[][] = [];
  private realm: Realm | undefined;
  private dead = false;
  private pendingReset: ResetKind | undefined;
  private bootCode: string | undefined;
  private bootFromStorage = true;
  private clipOffsetMs: number;
  private tzHours = 0;
  private timers = new Map<number, Timer>();
  private nextTimerId = 1;
  private eListeners: Record<string, unknown[]> = {};
  private errorFlags = new Set<string>();
  private watchdog: { timeoutMs: number; auto: boolean; task?: ClockTask } | undefined;
  private accelSource: AccelSource;
  private batteryPct: number;
  private temperatureC: number;
  private puck: PuckAccel | undefined;
  private bangle: BangleAccel | undefined;
  private meter: EnergyMeter | undefined;
  private builtins = new Set<object>();
  private baselineKeys = new Set<string>();
  private opsDone = 0;
  private inFirmware = 0;

  constructor(private opts: EspruinoBoardOptions) {
    const base = BOARD_PROFILES[opts.board];
    if (!base) throw new Error('Unknown board ' + String(opts.board) + ': PUCKJS, MDBT42Q or BANGLEJS2');
    const motorPin = opts.board === 'MDBT42Q' && opts.motorPin !== undefined ? opts.motorPin : base.motorPin;
    this.profile = { ...base, variables: opts.variables ?? base.variables, mtuMax: opts.mtu ?? base.mtuMax, motorPin,
      storageBytes: opts.storage ? opts.storage.bytes.length : (opts.storageBytes ?? base.storageBytes) };
    this.storage = opts.storage || new EmulatedStorage({ sizeBytes: this.profile.storageBytes, overwrite: opts.storageOverwrite });
    this.storage.hooks = {
      nowMs: () => this.clock.nowMs,
      powerLoss: () => {
        this.dead = true;
        this.pendingReset = 'powerOn';
        throw new PowerLossSignal();
      },
    };
    this.clipOffsetMs = opts.startMs ?? 0;
    this.accelSource = opts.accel || (() => ({ x: 0, y: 0, z: 1 }));
    this.batteryPct = opts.batteryPct ?? 100;
    this.temperatureC = opts.temperatureC ?? 25;

    const radioHost: RadioHost = {
      clock: this.clock,
      raise: (m) => this.raise(m),
      guard: () => this.guard(),
      emit: (fn, t, a, w) => this.emit(fn, t, a, w),
      realmBuffer: (b) => realmArrayBuffer(this.realmOrThrow(), b),
      powerChanged: () => this.powerChanged(),
      batteryVolts: () => this.batteryVolts(),
    };
    this.radio = new Radio(radioHost, { mtuMax: this.profile.mtuMax, notifyQueue: opts.notifyQueue ?? 6, perEvent: opts.notifyPerEvent ?? 4,
      defaultName: this.profile.bleName, connectionIntervalMs: opts.connectionIntervalMs });
    const pinsHost: PinsHost = {
      clock: this.clock,
      guard: () => this.guard(),
      raise: (m) => this.raise(m),
      emit: (fn, t, a, w) => this.emit(fn, t, a, w),
      realmObject: (v) => toRealm(this.realmOrThrow(), v),
      clipSecondsAt: (ms) => (ms + this.clipOffsetMs) / 1000,
      powerChanged: () => this.powerChanged(),
    };
    this.pins = new Pins(pinsHost, motorPin);
    const imuHost: ImuHost = {
      ...pinsHost,
      realmBytes: (b) => {
        const u = new (this.realmOrThrow().Uint8Array)(b.length);
        u.set(b);
        return u;
      },
      realmPromise: (ex) => new (this.realmOrThrow().Promise)((res) => ex(res)),
      accel: (t) => this.accelSource(t),
      buzz: (level) => this.pins.buzz(level),
    };
    if (opts.board === 'PUCKJS') this.puck = new PuckAccel(imuHost);
    if (opts.board === 'MDBT42Q') this.mpu = new Mpu6050(imuHost);
    if (opts.board === 'BANGLEJS2') this.bangle = new BangleAccel(imuHost);
    this.meter = new EnergyMeter(this.clock, () => this.currents());
    this.meter.update();
  }

  get nowMs(): number {
    return this.clock.nowMs;
  }

  get flashViolations(): FlashViolation[] {
    return this.storage.violations;
  }

  get output(): string[] {
    return this.outputs.flat();
  }

  get ops(): number {
    return this.opsDone + this.realmOps();
  }

  clipMs(): number {
    return this.clock.nowMs + this.clipOffsetMs;
  }

  load(code: string, o: { toStorage?: boolean } = {}): void {
    this.bootFromStorage = o.toStorage !== false;
    this.bootCode = code;
    if (this.bootFromStorage) {
      if (code.length) this.storage.write('.bootcde', new Uint8Array(Buffer.from(code, 'utf8')), 0, 0);
      else this.storage.erase('.bootcde');
    }
    this.doReset('powerOn', false);
  }

  reset(kind: ResetKind = 'powerOn'): void {
    if (this.inFirmware) {
      this.dead = true;
      this.pendingReset = kind;
      return;
    }
    this.doReset(kind, true);
  }

  advance(ms: number): void {
    this.clock.advance(ms);
  }

  runUntil(predicate: () => boolean, maxMs: number): boolean {
    return this.clock.runUntil(predicate, maxMs);
  }

  async settle(): Promise<void> {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }

  press(ms = 100): void {
    const btn = this.profile.pins.BTN;
    this.pins.setInput(btn, 1);
    this.clock.runDue();
    this.clock.advance(ms);
    this.pins.setInput(btn, 0);
    this.clock.runDue();
  }

  doublePress(pressMs = 100, gapMs = 150): void {
    this.press(pressMs);
    this.clock.advance(gapMs);
    this.press(pressMs);
  }

  setInput(pin: number, level: number): void {
    this.pins.setInput(pin, level);
    this.clock.runDue();
  }

  setAccel(source: AccelSource): void {
    this.accelSource = source;
  }

  setBattery(pct: number): void {
    this.batteryPct = Math.max(0, Math.min(100, pct));
  }

  setTemperature(c: number): void {
    this.temperatureC = c;
  }

  raiseErrorFlag(flag: string): void {
    if (this.errorFlags.has(flag)) return;
    this.errorFlags.add(flag);
    for (const cb of this.eListeners.errorFlag || []) this.emit(cb, this.eObject, () => [toRealm(this.realmOrThrow(), [flag])], 'E errorFlag');
    this.clock.runDue();
  }

  motorOnMs(fromMs?: number, toMs?: number): number {
    return this.pins.motorOnMs(fromMs, toMs);
  }

  motorPulses(): { atMs: number; durMs: number; duty: number }[] {
    return this.pins.motorPulses();
  }

  memory(): { free: number; usage: number; total: number; blocksize: number; history: number } {
    const total = this.profile.variables;
    const usage = this.vm ? this.estimate() : 0;
    return { free: total - usage, usage, total, blocksize: 13, history: 0 };
  }

  memoryBreakdown(depth = 1): [string, number][] {
    const m = new Map<string, number>();
    if (this.vm) this.estimate(m, depth);
    return [...m].sort((a, b) => b[1] - a[1]);
  }

  countOps(fn: () => void): number {
    if (!this.opts.countOps) throw new Error('countOps: create the board with countOps: true');
    const before = this.ops;
    fn();
    return this.ops - before;
  }

  energy(): EnergyReport {
    if (this.opts.countOps) {
      const uaMs = this.ops * (this.opts.usPerOp ?? 10) / 1000 * 4000;
      const r = this.meter!.report();
      const cpu = r.elapsedMs > 0 ? uaMs / r.elapsedMs : 0;
      return { ...r, avgUa: r.avgUa + cpu, byComponent: { ...r.byComponent, cpu }, mAh: r.mAh + uaMs / 1000 / 3_600_000 };
    }
    return this.meter!.report();
  }

  global(name: string): unknown {
    return this.vm ? (this.vm.context as Record<string, unknown>)[name] : undefined;
  }

  // ---- internals ----

  private realmOps(): number {
    const v = this.vm && (this.vm.context as Record<string, unknown>)[OPS];
    return typeof v === 'number' ? v : 0;
  }

  private realmOrThrow(): Realm {
    if (!this.realm) throw new Error('No firmware loaded');
    return this.realm;
  }

  private guard(): void {
    if (this.dead) throw new PowerLossSignal();
  }

  private raise(message: string): never {
    throw realmError(this.realmOrThrow(), message);
  }

  private emit(fn: unknown, thisArg: unknown, args: () => unknown[], where: string): void {
    if (!this.vm) return;
    const vm = this.vm;
    this.clock.schedule(this.clock.nowMs, () => {
      if (this.vm === vm) this.callFirmware(fn, thisArg, args(), where);
    });
  }

  private callFirmware(fn: unknown, thisArg: unknown, args: unknown[], where: string): void {
    if (this.dead || !this.vm) return;
    this.inFirmware++;
    try {
      if (typeof fn === 'string') this.vm.run(fn, where);
      else if (typeof fn === 'function') fn.apply(thisArg, args);
    } catch (e) {
      if (!(e instanceof PowerLossSignal) && !this.dead) this.uncaught(e, where);
    } finally {
      this.inFirmware--;
    }
    if (this.inFirmware === 0 && this.pendingReset) {
      const k = this.pendingReset;
      this.pendingReset = undefined;
      this.doReset(k, true);
    }
  }

  private uncaught(e: unknown, where: string): void {
    const message = e && typeof e === 'object' && 'message' in e ? String((e as Error).message) : String(e);
    this.errors.push({ atMs: this.clock.nowMs, where, message });
    if (this.vm) this.vm.output.push('Uncaught ' + message);
  }

  private batteryVolts(): number {
    const [lo, hi] = this.profile.batteryV;
    return lo + (hi - lo) * this.currentBatteryPct() / 100;
  }

  private currentBatteryPct(): number {
    if (!this.opts.drainBattery) return this.batteryPct;
    const used = this.energy().mAh;
    return Math.max(0, this.batteryPct - used / this.profile.batteryMah * 100);
  }

  private currents(): Record<string, number> {
    let accel = 0;
    if (this.puck) accel = this.puck.currentUa();
    if (this.mpu) accel = this.mpu.currentUa();
    if (this.bangle) accel = this.vm ? this.bangle.currentUa() : 0;
    return {
      base: this.pins.watchCount > 0 ? 12 : 3,
      accel,
      radio: this.vm ? this.radio.currentUa() : 0,
      motor: 60_000 * this.pins.level(this.profile.motorPin),
    };
  }

  private powerChanged(): void {
    if (this.meter) this.meter.update();
  }

  private doReset(kind: ResetKind, tellKill: boolean): void {
    if (tellKill && kind === 'software' && this.vm) {
      this.dead = false;
      for (const cb of this.eListeners.kill || []) this.callFirmware(cb, this.eObject, [], 'E kill');
    }
    this.opsDone += this.realmOps();
    this.resets.push({ atMs: this.clock.nowMs, kind });
    this.lastResetKind = kind;
    this.clock.cancelTag('realm');
    this.timers.clear();
    this.nextTimerId = 1;
    this.eListeners = {};
    this.errorFlags.clear();
    this.watchdog = undefined;
    this.vm = undefined;
    this.realm = undefined;
    this.radio.resetFirmwareState();
    this.pins.resetFirmwareState();
    if (this.puck) this.puck.resetFirmwareState();
    if (this.mpu) this.mpu.resetFirmwareState(kind === 'powerOn');
    if (this.bangle) this.bangle.resetFirmwareState();
    if (!(this.opts.keepTimeOnReset && kind !== 'powerOn')) this.clipOffsetMs = (this.opts.startMs ?? 0) - this.clock.nowMs;
    this.tzHours = 0;
    this.dead = false;
    this.pendingReset = undefined;
    this.boot();
  }

  private boot(): void {
    let code: string | undefined = this.bootCode;
    if (this.bootFromStorage) {
      const b = this.storage.readBytes('.bootcde');
      code = b ? Buffer.from(b).toString('utf8') : undefined;
    }
    const vm = createEspruinoVm({ nowMs: () => this.clipMs(), globals: this.globals() });
    this.vm = vm;
    this.realm = realmOf(vm);
    this.outputs.push(vm.output);
    (vm.run(DATE_SETUP, 'espruino-date.js') as (n: () => number, tz: () => number) => void)(() => this.clipMs(), () => this.tzHours * 60);
    const g = vm.context as Record<string, unknown>;
    if (this.opts.countOps) g[OPS] = 0;
    this.baselineKeys = new Set(Object.getOwnPropertyNames(g));
    this.builtins = collectBuiltins(g);
    this.powerChanged();
    if (code === undefined) return;
    const run = this.opts.countOps ? instrumentForOps(code, OPS) : code;
    this.callFirmware(() => vm.run(run, 'bootcde.js'), undefined, [], 'boot');
  }

  private estimate(breakdown?: Map<string, number>, breakdownDepth?: number): number {
    const extraRoots: unknown[] = [];
    for (const t of this.timers.values()) extraRoots.push(t.fn, ...t.args);
    extraRoots.push(...this.pins.roots(), ...Object.values(this.eListeners).flat());
    if (this.puck) extraRoots.push(...this.puck.roots());
    if (this.bangle) extraRoots.push(...this.bangle.roots());
    const realmObjectPrototype = vm.runInContext('Object.prototype', this.vm!.context) as object;
    return estimateVariables(this.vm!.context, { builtins: this.builtins, skipKeys: this.baselineKeys, extraRoots, realmObjectPrototype, breakdown, breakdownDepth });
  }

  // ---- globals ----

  private addTimer(fn: unknown, ms: unknown, args: unknown[], interval: boolean): number {
    this.guard();
    if (typeof fn !== 'function' && typeof fn !== 'string') this.raise('Function or String not supplied!');
    let d = Number(ms);
    if (!(d >= TIMER_MIN_INTERVAL_MS)) d = TIMER_MIN_INTERVAL_MS;
    const id = this.nextTimerId++;
    const t: Timer = { id, fn, args, intervalMs: interval ? d : undefined, dueMs: this.clock.nowMs + d, task: undefined as unknown as ClockTask };
    this.timers.set(id, t);
    this.scheduleTimer(t);
    return id;
  }

  private scheduleTimer(t: Timer): void {
    const vm = this.vm;
    t.task = this.clock.schedule(t.dueMs, () => {
      if (this.vm !== vm || this.timers.get(t.id) !== t) return;
      if (t.intervalMs !== undefined) {
        t.dueMs += t.intervalMs;
        this.scheduleTimer(t);
      } else this.timers.delete(t.id);
      this.callFirmware(t.fn, undefined, t.args, (t.intervalMs !== undefined ? 'setInterval ' : 'setTimeout ') + t.id);
    });
  }

  private clearTimer(args: unknown[]): void {
    this.guard();
    if (args.length === 0 || args[0] === undefined) {
      for (const t of this.timers.values()) t.task.cancelled = true;
      this.timers.clear();
      return;
    }
    const t = this.timers.get(Number(args[0]));
    if (!t) this.raise('Unknown Timeout');
    t.task.cancelled = true;
    this.timers.delete(t.id);
  }

  private readonly eObject: Record<string, unknown> = {
    enableWatchdog: (timeoutS: unknown, isAuto?: unknown) => {
      this.guard();
      const s = Number(timeoutS);
      if (!(s > 0)) this.raise('Invalid watchdog timeout');
      if (this.watchdog && this.watchdog.task) this.watchdog.task.cancelled = true;
      this.watchdog = { timeoutMs: s * 1000, auto: isAuto === undefined ? true : !!isAuto };
      this.kick();
    },
    kickWatchdog: () => {
      this.guard();
      this.kick();
    },
    getBattery: () => {
      this.guard();
      return Math.round(this.currentBatteryPct());
    },
    getErrorFlags: () => {
      this.guard();
      const flags = [...this.errorFlags];
      this.errorFlags.clear();
      return toRealm(this.realmOrThrow(), flags);
    },
    on: (event: unknown, cb: unknown) => {
      this.guard();
      if (typeof cb !== 'function') this.raise('on: callback is not a function');
      (this.eListeners[String(event)] ||= []).push(cb);
    },
    setTimeZone: (h: unknown) => {
      this.guard();
      this.tzHours = Number(h) || 0;
    },
    reboot: () => {
      this.guard();
      this.reset('software');
      throw new PowerLossSignal();
    },
    getTemperature: () => {
      this.guard();
      return this.temperatureC;
    },
  };

  private kick(): void {
    const w = this.watchdog;
    if (!w || w.auto) return;
    if (w.task) w.task.cancelled = true;
    w.task = this.clock.schedule(this.clock.nowMs + w.timeoutMs, () => {
      if (this.inFirmware) this.reset('watchdog');
      else this.doReset('watchdog', true);
    });
  }

  private globals(): Record<string, unknown> {
    const p = this.profile;
    const storageModule = createStorageModule({
      storage: this.storage,
      guard: () => this.guard(),
      raise: (m) => this.raise(m),
      toRealmBuffer: (b) => realmArrayBuffer(this.realmOrThrow(), b),
      toRealmArray: (items) => toRealm(this.realmOrThrow(), items) as string[],
      dataBytes: (d) => {
        if (isPlainObject(d)) return { bytes: toBytes(JSON.stringify(d))!, isObject: true };
        const b = toBytes(d);
        return b ? { bytes: b, isObject: false } : undefined;
      },
    });
    const require = (name: unknown): unknown => {
      this.guard();
      if (name === 'Storage') return storageModule;
      return this.raise('Module ' + String(name) + ' not found');
    };
    const g: Record<string, unknown> = {
      setTimeout: (fn: unknown, ms: unknown, ...args: unknown[]) => this.addTimer(fn, ms, args, false),
      setInterval: (fn: unknown, ms: unknown, ...args: unknown[]) => this.addTimer(fn, ms, args, true),
      clearTimeout: (...args: unknown[]) => this.clearTimer(args),
      clearInterval: (...args: unknown[]) => this.clearTimer(args),
      changeInterval: (id: unknown, ms: unknown) => {
        this.guard();
        const t = this.timers.get(Number(id));
        if (!t || t.intervalMs === undefined) this.raise('Unknown Interval');
        let d = Number(ms);
        if (!(d >= TIMER_MIN_INTERVAL_MS)) d = TIMER_MIN_INTERVAL_MS;
        t.task.cancelled = true;
        t.intervalMs = d;
        t.dueMs = this.clock.nowMs + d;
        this.scheduleTimer(t);
      },
      getTime: () => this.clipMs() / 1000,
      setTime: (s: unknown) => {
        this.guard();
        this.clipOffsetMs = Number(s) * 1000 - this.clock.nowMs;
      },
      peek32: (addr: unknown) => (Number(addr) === 0x40000400 ? RESETREAS[this.lastResetKind] : 0),
      require,
      espruinoRequire: require,
      E: this.eObject,
      NRF: this.radio.nrfObject,
      process: {
        env: { BOARD: p.name, VERSION: '2v29' },
        version: '2v29',
        memory: () => {
          this.guard();
          const m = this.memory();
          if (m.usage > m.total) this.raiseErrorFlag('MEMORY');
          return toRealm(this.realmOrThrow(), m);
        },
      },
      ...this.pins.globals,
    };
    for (let i = 0; i < 32; i++) g['D' + i] = i;
    Object.assign(g, p.pins);
    if (this.puck) g.Puck = this.puck.object;
    if (this.mpu) g.I2C1 = this.mpu.object;
    if (this.bangle) g.Bangle = this.bangle.object;
    return g;
  }
}

/** Creates a board with nothing loaded; call `load(bundle)` to boot firmware. */
export function createEspruinoBoard(opts: EspruinoBoardOptions): EspruinoBoard {
  return new Board(opts);
}

export { EmulatedStorage } from './storage.ts';
