// The three accelerometers, fed by an AccelSource (g, board axes) sampled on the virtual clock
// at the rate the firmware configured:
// - Puck.js v2 (LSM6DS3TR-C): Puck.accelOn(hz) accepts only 1.6, 12.5 (default), 26, 52, 104
//   (others throw "Invalid sample rate"; the part has faster rates, the emulator refuses them).
//   'accel' events carry RAW integer counts: acc = round(g·8192), gyro = round(dps·134), clamped
//   to int16; at 1.6 Hz the gyro is off and reads 0. accelWr/accelRd keep a 128-byte register
//   file (WHO_AM_I 0x0F = 0x6A; accelOn/accelOff write CTRL1_XL 0x10 / CTRL2_G 0x11).
// - MDBT42Q + MPU-6050 on I2C1 at 0x68: I2C1.setup first (else throws); any other address
//   throws "I2C got NACK". writeTo sets the register pointer then writes consecutive registers;
//   readFrom(0x68, n) reads n bytes from the pointer with auto-increment. WHO_AM_I 0x75 = 0x68,
//   PWR_MGMT_1 0x6B = 0x40 at power-on (SLEEP): data registers read 0 while asleep; bit 7
//   resets the part. ACCEL_XOUT_H 0x3B… 14 bytes big-endian ax, ay, az, temp (25 °C), gx, gy, gz;
//   ACCEL_CONFIG 0x1C / GYRO_CONFIG 0x1B full-scale bits are honoured (16384 LSB/g at ±2 g,
//   131 LSB/dps at ±250). Data registers hold the latest sample: sample rate = (8 kHz if
//   CONFIG 0x1A DLPF_CFG is 0 or 7, else 1 kHz) / (1 + SMPLRT_DIV 0x19). INT_STATUS 0x3A bit 0
//   = a new sample since INT_STATUS was last read.
// - Bangle.js 2: Bangle.on('accel', {x, y, z, diff, mag}) in g (quantised to 1/8192 g) every
//   poll interval (default 80 ms; setPollInterval accepts 10–4000 ms, else "Invalid interval");
//   Bangle.buzz(ms = 200, strength = 1) drives the vibration motor and returns a Promise that
//   resolves when the buzz ends (a new buzz replaces a running one).
import type { VirtualClock, ClockTask } from './virtualClock.ts';

/** One accelerometer reading in g (board axes); optional gyro in °/s. */
export interface AccelSample {
  x: number;
  y: number;
  z: number;
  gx?: number;
  gy?: number;
  gz?: number;
}

/** Motion fed to the board: reading at virtual time `tMs`. */
export type AccelSource = (tMs: number) => AccelSample;

/** What the IMUs need from the board. */
export interface ImuHost {
  clock: VirtualClock;
  guard(): void;
  raise(message: string): never;
  emit(fn: unknown, thisArg: unknown, args: () => unknown[], where: string): void;
  realmObject(v: Record<string, unknown>): unknown;
  realmBytes(bytes: Uint8Array): Uint8Array;
  realmPromise(executor: (resolve: (v?: unknown) => void) => void): unknown;
  powerChanged(): void;
  accel(tMs: number): AccelSample;
  buzz(level: number): void;
}

const int16 = (v: number): number => Math.max(-32768, Math.min(32767, Math.round(v)));

/** µA of the LSM6DS3 at each Puck.accelOn rate (espruino.md). */
export const PUCK_ACCEL_UA: Record<string, number> = { '1.6': 40, '12.5': 350, '26': 450, '52': 600, '104': 900 };
const PUCK_ODR: Record<string, number> = { '1.6': 0xb0, '12.5': 0x10, '26': 0x20, '52': 0x30, '104': 0x40 };

/** A periodic sampler on the clock. */
class Sampler {
  private task: ClockTask | undefined;
  private gen = 0;

  constructor(private clock: VirtualClock) {}

  start(periodMs: number, onSample: (tMs: number) => void): void {
    this.stop();
    const gen = ++this.gen;
    const t0 = this.clock.nowMs;
    let k = 1;
    const tick = (): void => {
      if (gen !== this.gen) return;
      onSample(this.clock.nowMs);
      k++;
      this.task = this.clock.schedule(t0 + k * periodMs, tick);
    };
    this.task = this.clock.schedule(t0 + periodMs, tick);
  }

  stop(): void {
    this.gen++;
    if (this.task) this.task.cancelled = true;
    this.task = undefined;
  }
}

/** Puck.js v2's LSM6DS3TR-C and the `Puck` global. */
export class PuckAccel {
  rateHz = 0;
  /** Samples delivered to the firmware so far (all boots). */
  samples = 0;
  readonly regs = new Uint8Array(128);
  private listeners: unknown[] = [];
  private sampler: Sampler;

  constructor(private host: ImuHost) {
    this.sampler = new Sampler(host.clock);
    this.resetFirmwareState();
  }

  resetFirmwareState(): void {
    this.sampler.stop();
    this.rateHz = 0;
    this.regs.fill(0);
    this.regs[0x0f] = 0x6a;
    this.listeners = [];
    this.host.powerChanged();
  }

  currentUa(): number {
    return this.rateHz ? PUCK_ACCEL_UA[String(this.rateHz)] : 0;
  }

  roots(): unknown[] {
    return this.listeners.slice();
  }

  readonly object: Record<string, unknown> = {
    accelOn: (hz?: unknown) => {
      this.host.guard();
      const rate = hz === undefined ? 12.5 : Number(hz);
      if (!(String(rate) in PUCK_ACCEL_UA)) this.host.raise('Invalid sample rate ' + String(hz) + ' - must be 1.6, 12.5, 26, 52 or 104 Hz');
      this.rateHz = rate;
      this.regs[0x10] = PUCK_ODR[String(rate)];
      this.regs[0x11] = rate === 1.6 ? 0 : PUCK_ODR[String(rate)];
      this.sampler.start(1000 / rate, (t) => this.sample(t));
      this.host.powerChanged();
    },
    accelOff: () => {
      this.host.guard();
      this.sampler.stop();
      this.rateHz = 0;
      this.regs[0x10] = 0;
      this.regs[0x11] = 0;
      this.host.powerChanged();
    },
    accelWr: (reg: unknown, data: unknown) => {
      this.host.guard();
      this.regs[Number(reg) & 0x7f] = Number(data) & 0xff;
    },
    accelRd: (reg: unknown) => {
      this.host.guard();
      return this.regs[Number(reg) & 0x7f];
    },
    on: (event: unknown, cb: unknown) => {
      this.host.guard();
      if (typeof cb !== 'function') this.host.raise('on: callback is not a function');
      if (event === 'accel') this.listeners.push(cb);
    },
  };

  private sample(tMs: number): void {
    const s = this.host.accel(tMs);
    this.samples++;
    const gyroOn = this.rateHz !== 1.6;
    const ev = () => [this.host.realmObject({
      acc: { x: int16(s.x * 8192), y: int16(s.y * 8192), z: int16(s.z * 8192) },
      gyro: gyroOn ? { x: int16((s.gx || 0) * 134), y: int16((s.gy || 0) * 134), z: int16((s.gz || 0) * 134) } : { x: 0, y: 0, z: 0 },
    })];
    for (const cb of this.listeners) this.host.emit(cb, this.object, ev, 'Puck accel');
  }
}

/** An MPU-6050 at 0x68 behind the `I2C1` global (MDBT42Q). */
export class Mpu6050 {
  readonly regs = new Uint8Array(128);
  private pointer = 0;
  private isSetup = false;
  private lastStatusSample = -1;

  constructor(private host: ImuHost) {
    this.powerOnReset();
  }

  /** A board reset also cuts the I2C setup; the MPU itself keeps its registers unless power is lost. */
  resetFirmwareState(powerLost: boolean): void {
    this.isSetup = false;
    if (powerLost) this.powerOnReset();
    this.host.powerChanged();
  }

  get asleep(): boolean {
    return (this.regs[0x6b] & 0x40) !== 0;
  }

  /** Cycle mode (PWR_MGMT_1 CYCLE, not asleep): wakes at LP_WAKE_CTRL's rate for one accelerometer sample. */
  get cycling(): boolean {
    return !this.asleep && (this.regs[0x6b] & 0x20) !== 0;
  }

  /**
   * Datasheet figures: sleep 5 µA; accelerometer low-power cycle mode 10 / 20 / 70 / 140 µA at
   * 1.25 / 5 / 20 / 40 Hz (gyros in standby); accel only 500 µA; accel + gyro 3.9 mA.
   */
  currentUa(): number {
    if (this.asleep) return 5;
    if (this.cycling) return [10, 20, 70, 140][this.regs[0x6c] >> 6];
    return (this.regs[0x6c] & 0x07) === 0x07 ? 500 : 3900;
  }

  readonly object: Record<string, unknown> = {
    setup: (opts: unknown) => {
      this.host.guard();
      const o = (opts || {}) as { scl?: unknown; sda?: unknown; bitrate?: unknown };
      if (o.scl === undefined || o.sda === undefined) this.host.raise('I2C1.setup needs scl and sda pins');
      this.isSetup = true;
    },
    writeTo: (addr: unknown, data: unknown) => {
      this.check(addr);
      const bytes = typeof data === 'number' ? [data & 0xff] : Array.from(data as ArrayLike<number>, (b) => Number(b) & 0xff);
      if (!bytes.length) return;
      this.pointer = bytes[0] & 0x7f;
      for (let i = 1; i < bytes.length; i++) {
        this.writeReg(this.pointer, bytes[i]);
        this.pointer = (this.pointer + 1) & 0x7f;
      }
    },
    readFrom: (addr: unknown, quantity: unknown) => {
      this.check(addr);
      const n = Math.floor(Number(quantity));
      if (!(n >= 0)) this.host.raise('Invalid quantity');
      const data = this.dataRegisters();
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const r = this.pointer;
        if (r >= 0x3b && r <= 0x48) out[i] = data[r - 0x3b];
        else if (r === 0x3a) {
          const s = this.sampleIndex();
          out[i] = !this.asleep && s !== this.lastStatusSample ? 0x01 : 0;
          this.lastStatusSample = s;
        } else out[i] = this.regs[r];
        this.pointer = (r + 1) & 0x7f;
      }
      return this.host.realmBytes(out);
    },
  };

  private powerOnReset(): void {
    this.regs.fill(0);
    this.regs[0x6b] = 0x40;
    this.regs[0x75] = 0x68;
    this.pointer = 0;
  }

  private check(addr: unknown): void {
    this.host.guard();
    if (!this.isSetup) this.host.raise('I2C1 not set up: call I2C1.setup({scl, sda}) first');
    if (Number(addr) !== 0x68) this.host.raise('I2C got NACK');
  }

  private writeReg(reg: number, v: number): void {
    if (reg === 0x75 || (reg >= 0x3a && reg <= 0x48)) return;
    if (reg === 0x6b && v & 0x80) {
      this.powerOnReset();
      this.host.powerChanged();
      return;
    }
    this.regs[reg] = v;
    if (reg === 0x6b || reg === 0x6c) this.host.powerChanged();
  }

  private samplePeriodMs(): number {
    if (this.cycling) return 1000 / [1.25, 5, 20, 40][this.regs[0x6c] >> 6];
    const dlpf = this.regs[0x1a] & 0x07;
    const base = dlpf === 0 || dlpf === 7 ? 8 : 1;
    return (1 + this.regs[0x19]) / base;
  }

  private sampleIndex(): number {
    return Math.floor(this.host.clock.nowMs / this.samplePeriodMs() + 1e-9);
  }

  private dataRegisters(): Uint8Array {
    const out = new Uint8Array(14);
    if (this.asleep) return out;
    const t = this.sampleIndex() * this.samplePeriodMs();
    const s = this.host.accel(t);
    const aLsb = 16384 / (1 << ((this.regs[0x1c] >> 3) & 3));
    const gLsb = [131, 65.5, 32.8, 16.4][(this.regs[0x1b] >> 3) & 3];
    const vals = [s.x * aLsb, s.y * aLsb, s.z * aLsb, (25 - 36.53) * 340, (s.gx || 0) * gLsb, (s.gy || 0) * gLsb, (s.gz || 0) * gLsb];
    const dv = new DataView(out.buffer);
    vals.forEach((v, i) => dv.setInt16(i * 2, int16(v), false));
    return out;
  }
}

/** Bangle.js 2's accelerometer and vibration motor: the `Bangle` global. */
export class BangleAccel {
  pollMs = 80;
  private listeners: Record<string, unknown[]> = {};
  private sampler: Sampler;
  private prev: { x: number; y: number; z: number } | undefined;
  private buzzEnd: ClockTask | undefined;

  constructor(private host: ImuHost) {
    this.sampler = new Sampler(host.clock);
    this.resetFirmwareState();
  }

  resetFirmwareState(): void {
    this.listeners = {};
    this.pollMs = 80;
    this.prev = undefined;
    if (this.buzzEnd) this.buzzEnd.cancelled = true;
    this.buzzEnd = undefined;
    this.sampler.start(this.pollMs, (t) => this.sample(t));
  }

  /** Guess: KX023 at 12.5 Hz ≈ 40 µA, scaled with the poll rate (not published for Bangle.js 2). */
  currentUa(): number {
    return 40 * 80 / this.pollMs;
  }

  roots(): unknown[] {
    return Object.values(this.listeners).flat();
  }

  readonly object: Record<string, unknown> = {
    on: (event: unknown, cb: unknown) => {
      this.host.guard();
      if (typeof cb !== 'function') this.host.raise('on: callback is not a function');
      (this.listeners[String(event)] ||= []).push(cb);
    },
    setPollInterval: (ms: unknown) => {
      this.host.guard();
      const v = Number(ms);
      if (!(v >= 10 && v <= 4000)) this.host.raise('Invalid interval');
      this.pollMs = v;
      this.sampler.start(v, (t) => this.sample(t));
      this.host.powerChanged();
    },
    buzz: (ms?: unknown, strength?: unknown) => {
      this.host.guard();
      const dur = ms === undefined ? 200 : Number(ms);
      const level = strength === undefined ? 1 : Math.max(0, Math.min(1, Number(strength)));
      if (!(dur >= 0)) this.host.raise('Invalid buzz time');
      if (this.buzzEnd) this.buzzEnd.cancelled = true;
      return this.host.realmPromise((resolve) => {
        this.host.buzz(dur > 0 ? level : 0);
        this.buzzEnd = this.host.clock.schedule(this.host.clock.nowMs + dur, () => {
          this.buzzEnd = undefined;
          this.host.buzz(0);
          resolve();
        });
      });
    },
  };

  private sample(tMs: number): void {
    const s = this.host.accel(tMs);
    const q = (v: number): number => int16(v * 8192) / 8192;
    const v = { x: q(s.x), y: q(s.y), z: q(s.z) };
    const p = this.prev || v;
    this.prev = v;
    const diff = Math.sqrt((v.x - p.x) ** 2 + (v.y - p.y) ** 2 + (v.z - p.z) ** 2);
    const mag = Math.sqrt(v.x * v.x + v.y * v.y + v.z * v.z);
    const ev = () => [this.host.realmObject({ x: v.x, y: v.y, z: v.z, diff, mag })];
    for (const cb of this.listeners.accel || []) this.host.emit(cb, this.object, ev, 'Bangle accel');
  }
}
