/**
 * The bridge's one port to a Bluetooth LE radio. Everything above it (connection manager, sync,
 * live pipeline, `nape scan`) sees clips through this interface only; two adapters implement it
 * on noble (nobleCentral.ts): the real HCI radio, and noble on the simulated bindings that host
 * virtual clips (bridge/ble/sim). Swapping the radio library means replacing one file.
 *
 * Every GATT step takes a timeout: noble leaves some callbacks uncalled (a service that does not
 * exist, a link that hangs), so a step that does not answer in time rejects with a BleTimeoutError.
 */
import type { Observable } from 'rxjs';
import type { GattName } from '../../shared/protocol/uuids.ts';

/** One advertisement as heard. */
export interface Advert {
  /** noble's peripheral id (stable per device for a radio). */
  id: string;
  address: string;
  name: string | undefined;
  rssi: number;
  connectable: boolean;
  /** Manufacturer data without the 2-byte company id, when the company is Espruino's (0x0590). */
  espruinoData: Uint8Array | undefined;
  /** Service UUIDs advertised, noble's form (lower-case hex, no dashes). */
  serviceUuids: string[];
  /** Host time it was heard (ms since 1970). */
  atMs: number;
}

/** The characteristics the bridge talks to: nape's, and the Battery Level of the standard service. */
export type ClipCharacteristic = Exclude<GattName, 'service'> | 'battery';

/** An open connection to one clip. */
export interface BleLink {
  readonly id: string;
  /** ATT MTU agreed for the link (23 until an exchange raised it). */
  readonly mtu: number;
  /** Finds the nape service and the battery service. Must run before read, write or notifications. */
  discover(timeoutMs: number): Promise<void>;
  read(ch: ClipCharacteristic, timeoutMs: number): Promise<Uint8Array>;
  /** Write with response. */
  write(ch: ClipCharacteristic, data: Uint8Array, timeoutMs: number): Promise<void>;
  /**
   * Turns notifications of `ch` on at the clip and resolves, once the clip confirmed, with their
   * stream (hot: subscribe straight away; it completes when the link drops or they are turned off).
   */
  enableNotifications(ch: ClipCharacteristic, timeoutMs: number): Promise<Observable<Uint8Array>>;
  disableNotifications(ch: ClipCharacteristic, timeoutMs: number): Promise<void>;
  /** Emits the reason once when the link drops (either side), then completes. */
  readonly disconnected$: Observable<string>;
  disconnect(): Promise<void>;
}

/** The radio. */
export interface BleCentral {
  /** `noble` (a real adapter) or `simulated`. */
  readonly kind: 'noble' | 'simulated';
  /** Resolves when the adapter is powered on; rejects with a BleUnavailableError otherwise. */
  ready(timeoutMs: number): Promise<void>;
  /**
   * Advertisements of clips. Subscribing starts scanning, unsubscribing stops it (noble has one
   * scan: subscribe once and share). Scanning must stop before connecting (callers' job).
   */
  scan(opts: { serviceUuids?: string[]; allowDuplicates?: boolean }): Observable<Advert>;
  /** Connects to an advertised clip. Rejects on refusal or timeout; the pending attempt is cancelled then. */
  connect(id: string, timeoutMs: number): Promise<BleLink>;
  /** Releases the radio. */
  close(): Promise<void>;
}

/** The radio cannot be used: no adapter, no permission, powered off. `message` is one line for a person. */
export class BleUnavailableError extends Error {
  override readonly name = 'BleUnavailableError';
  constructor(message: string, readonly reason: 'noAdapter' | 'permission' | 'poweredOff' | 'unsupported' | 'timeout') {
    super(message);
  }
}

/** A GATT step or connection attempt did not answer in time. */
export class BleTimeoutError extends Error {
  override readonly name = 'BleTimeoutError';
}

/** Settles with `p`, or rejects with a BleTimeoutError naming `what` after `ms`; `onTimeout` cleans up. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      if (onTimeout) onTimeout();
      reject(new BleTimeoutError(what + ' did not answer within ' + ms + ' ms'));
    }, ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    }, (e: unknown) => {
      clearTimeout(t);
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}
