/**
 * The ports between the clip's pure logic (firmware/src/app) and the board layer
 * (firmware/src/hal). The app never touches an Espruino global: it is handed these, and on
 * Node the tests hand it fakes. Byte data is Uint8Array; time is ms unless a name says so.
 */
import type { LogGeometry } from './logGeometry.ts';

/** The accelerometer. Samples are in g, board axes (z = outward normal of the clip). */
export interface ImuPort {
  /** Starts sampling at `hz` (12.5 while worn; the lowest rate the part has while unworn). */
  start(hz: number, onSample: (x: number, y: number, z: number) => void): void;
  stop(): void;
  /** The rate to use while the clip is not worn (Puck.js: 1.6 Hz, 40 µA). */
  readonly lowPowerHz: number;
}

/** The vibration motor. */
export interface MotorPort {
  /** Plays `pattern` (ms on, off, on, …) at `strengthPct` where the board can (PWM), else full. */
  play(pattern: number[], strengthPct: number): void;
}

/** The button: raw edges; the app recognises long and double presses. */
export interface ButtonPort {
  watch(onEdge: (down: boolean, tMs: number) => void): void;
}

/** Espruino Storage: flat files, names ≤ 28 characters, bytes written once after preallocation. */
export interface StoragePort {
  /** The file's bytes (a view, do not keep it across writes), or undefined. */
  read(name: string): Uint8Array | undefined;
  /** Writes `data` at `offset` of file `name`; `size` preallocates the file on its first write. False on failure. */
  write(name: string, data: Uint8Array, offset: number, size?: number): boolean;
  erase(name: string): void;
  /** Names starting with `prefix`. */
  list(prefix: string): string[];
  getFree(): number;
}

/** The GATT server and advertising, as the app sees them. */
export interface RadioPort {
  /** Declares the nape service, its characteristics and the Battery Service; `onWrite` gets writes to control/config. */
  start(onWrite: (ch: 'control' | 'config', data: Uint8Array) => void, onConnect: (connected: boolean) => void): void;
  /** Sets a readable value (info, config, battery). */
  setValue(ch: 'info' | 'config' | 'battery', data: Uint8Array): void;
  /** Sends a notification; Espruino drops it silently when its queue is full. */
  notify(ch: 'control' | 'log' | 'live', data: Uint8Array): void;
  /** Sets the manufacturer data (the `adv` message) of the advertising. */
  advertise(data: Uint8Array): void;
  /** 'fast' while syncing (7.5 ms), 'auto' otherwise. */
  setPace(fast: boolean): void;
  /** Largest notification payload the link allows (20 without MTU exchange). */
  readonly maxPayload: number;
}

/** Clock, battery, watchdog and error flags. */
export interface SystemPort {
  /** Milliseconds on the clip clock (since boot until the clock is set). */
  nowMs(): number;
  setClock(unixS: number, tzOffsetMin: number): void;
  batteryPct(): number;
  kickWatchdog(): void;
  /** Called with Espruino's interpreter error flags (LOW_MEMORY, BUFFER_FULL, …) when they are raised. */
  onErrorFlags(cb: (flags: string[]) => void): void;
  /** Why the clip last reset: an index into RESET_REASONS. */
  resetReason(): number;
  /** Timers (virtual in tests). */
  setTimeout(fn: () => void, ms: number): number;
  setInterval(fn: () => void, ms: number): number;
  clearTimer(id: number): void;
}

/** Everything the app needs, built by main.ts from the board profile. */
export interface Ports {
  board: number;
  imu: ImuPort;
  motor: MotorPort;
  button: ButtonPort;
  storage: StoragePort;
  radio: RadioPort;
  sys: SystemPort;
  /** The log ring's geometry (logGeometry.ts), decided once at boot. */
  ring: LogGeometry;
}
