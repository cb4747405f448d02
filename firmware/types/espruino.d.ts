// The Espruino globals nape's board layer uses, typed from the Espruino reference and
// ../shared/design/espruino.md. Only firmware/src/hal/ and firmware/src/main.ts may use them
// (lint enforces it); the emulator in bridge/sim/espruino/ implements exactly this surface.

/** A pin: Espruino pins are numbers-like objects (D26, FET, BTN…). */
type Pin = number;

/** Value accepted for a characteristic value. */
type BleValue = ArrayBuffer | Uint8Array | number[] | string;

interface NrfCharacteristic {
  value?: BleValue;
  maxLen?: number;
  readable?: boolean;
  writable?: boolean;
  notify?: boolean;
  description?: string;
  onWrite?: (evt: { data: ArrayBuffer }) => void;
}

interface NrfAdvertisingOptions {
  name?: string;
  showName?: boolean;
  discoverable?: boolean;
  connectable?: boolean;
  interval?: number;
  manufacturer?: number;
  manufacturerData?: number[] | Uint8Array;
}

declare const NRF: {
  /** Declares the GATT services; keys are 16-bit ('0x180f' style or number) or 128-bit UUID strings. */
  setServices(services: { [svc: string]: { [ch: string]: NrfCharacteristic } }, options?: { advertise?: string[]; uart?: boolean }): void;
  /** Updates values; `notify: true` sends a notification (silently dropped when the queue is full). */
  updateServices(services: { [svc: string]: { [ch: string]: { value: BleValue; notify?: boolean; readable?: boolean } } }): void;
  setAdvertising(data: { [uuid: string]: BleValue }, options?: NrfAdvertisingOptions): void;
  setConnectionInterval(ms: number | 'auto'): void;
  on(event: 'connect', cb: (addr: string) => void): void;
  on(event: 'disconnect', cb: (reason: number) => void): void;
  disconnect(): void;
  getBattery(): number;
  setSecurity(opts: { passkey?: string; mitm?: boolean; display?: boolean }): void;
  getSecurityStatus(): { connected: boolean; bonded?: boolean; encrypted?: boolean };
};

interface StorageModule {
  read(name: string, offset?: number, length?: number): string | undefined;
  readArrayBuffer(name: string): ArrayBuffer | undefined;
  /** With `size`, preallocates a file of that size and writes `data` at `offset`; bytes can be written once. */
  write(name: string, data: string | Uint8Array | ArrayBuffer, offset?: number, size?: number): boolean;
  erase(name: string): void;
  list(pattern?: RegExp | string): string[];
  getFree(): number;
  compact(): void;
}

declare const E: {
  enableWatchdog(timeoutS: number, isAuto?: boolean): void;
  kickWatchdog(): void;
  getBattery(): number;
  getErrorFlags(): string[];
  on(event: 'errorFlag', cb: (flags: string[]) => void): void;
  on(event: 'kill', cb: () => void): void;
  setTimeZone(hours: number): void;
  reboot(): void;
  getTemperature(): number;
};

declare const Puck: {
  accelOn(hz?: number): void;
  accelOff(): void;
  accelWr(reg: number, data: number): void;
  accelRd(reg: number): number;
  on(event: 'accel', cb: (a: { acc: { x: number; y: number; z: number }; gyro: { x: number; y: number; z: number } }) => void): void;
};

declare const Bangle: {
  on(event: 'accel', cb: (a: { x: number; y: number; z: number; diff: number; mag: number }) => void): void;
  setPollInterval(ms: number): void;
  buzz(ms?: number, strength?: number): Promise<void>;
};

interface I2CBus {
  setup(opts: { scl: Pin; sda: Pin; bitrate?: number }): void;
  writeTo(addr: number, data: number | number[] | Uint8Array): void;
  readFrom(addr: number, quantity: number): Uint8Array;
}
declare const I2C1: I2CBus;

declare function setWatch(
  fn: (e: { state: boolean; time: number; lastTime: number }) => void,
  pin: Pin,
  opts?: { edge?: 'rising' | 'falling' | 'both'; repeat?: boolean; debounce?: number },
): number;
declare function clearWatch(id?: number): void;
declare function digitalPulse(pin: Pin, value: boolean | number, time: number | number[]): void;
declare function digitalWrite(pin: Pin, value: boolean | number): void;
declare function analogWrite(pin: Pin, value: number, opts?: { freq?: number }): void;
declare function pinMode(pin: Pin, mode: 'output' | 'input' | 'input_pullup' | 'input_pulldown' | 'opendrain' | 'auto'): void;
declare function peek32(addr: number): number;

declare function setTimeout(fn: () => void, ms: number): number;
declare function setInterval(fn: () => void, ms: number): number;
declare function clearTimeout(id?: number): void;
declare function clearInterval(id?: number): void;
declare function changeInterval(id: number, ms: number): void;
declare function getTime(): number;
declare function setTime(s: number): void;

declare const process: {
  env: { BOARD: string; VERSION: string };
  memory(): { free: number; usage: number; total: number; history: number; blocksize: number };
};

/** Native module loader; the firmware build turns `espruinoRequire(` into `require(` (esbuild would shim `require`). */
declare function espruinoRequire(name: 'Storage'): StorageModule;

/** Espruino's root scope. */
declare const global: { [name: string]: unknown };

declare const BTN: Pin;
declare const BTN1: Pin;
declare const FET: Pin;
declare const LED1: Pin;
declare const LED2: Pin;
declare const LED3: Pin;
declare const D26: Pin;
/** Board chosen at build time, or a global NAPE_BOARD set before the bundle runs. */
declare const NAPE_BOARD: string | undefined;
