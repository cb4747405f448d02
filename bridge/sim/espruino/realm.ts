// Values crossing between Node and the emulated interpreter's realm. Objects handed to firmware
// are built with the realm's own constructors (so `instanceof`, prototypes and JSON behave as on
// the clip), errors thrown at firmware are the realm's Error, and byte data coming out of the
// realm is recognised by internal slot (cross-realm safe), never by `instanceof`.
import { types } from 'node:util';
import type { EspruinoVm } from '../../../firmware/build/espruinoVm.ts';

/** The realm's constructors the emulator needs. */
export interface Realm {
  Object: ObjectConstructor;
  Array: ArrayConstructor;
  Error: ErrorConstructor;
  Uint8Array: Uint8ArrayConstructor;
  ArrayBuffer: ArrayBufferConstructor;
  Promise: PromiseConstructor;
  Date: DateConstructor;
}

/** Reads the constructors out of a freshly created VM. */
export function realmOf(vm: EspruinoVm): Realm {
  return vm.run('({Object:Object,Array:Array,Error:Error,Uint8Array:Uint8Array,ArrayBuffer:ArrayBuffer,Promise:Promise,Date:Date})',
    'espruino-realm.js') as Realm;
}

/** Deep-copies plain host data (objects, arrays, Uint8Arrays, primitives) into realm objects. */
export function toRealm(realm: Realm, v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return new realm.Uint8Array(v);
  if (Array.isArray(v)) {
    const a = new realm.Array();
    for (const x of v) a.push(toRealm(realm, x));
    return a;
  }
  const o = new realm.Object() as Record<string, unknown>;
  for (const [k, x] of Object.entries(v)) o[k] = toRealm(realm, x);
  return o;
}

/** An Error of the realm: what Espruino's jsExceptionHere throws (a plain Error). */
export function realmError(realm: Realm, message: string): Error {
  return new realm.Error(message);
}

/** A realm ArrayBuffer holding a copy of `bytes`. */
export function realmArrayBuffer(realm: Realm, bytes: Uint8Array): ArrayBuffer {
  const u = new realm.Uint8Array(bytes.length);
  u.set(bytes);
  return u.buffer as ArrayBuffer;
}

/** Latin-1 string of bytes: Espruino strings are byte strings. */
export function bytesToBinaryString(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/**
 * Bytes of a value the way Espruino flattens data for Storage/BLE: strings byte per char (low
 * 8 bits), arrays of numbers byte per element, typed arrays and DataViews their underlying
 * bytes, ArrayBuffers whole, a number one byte. Returns undefined for anything else.
 */
export function toBytes(v: unknown): Uint8Array | undefined {
  if (typeof v === 'string') {
    const out = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = v.charCodeAt(i) & 0xff;
    return out;
  }
  if (typeof v === 'number') return Uint8Array.of(v & 0xff);
  if (types.isArrayBuffer(v)) return new Uint8Array(v.slice(0));
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
  if (Array.isArray(v)) return Uint8Array.from(v, (x) => Number(x) & 0xff);
  return undefined;
}

/** True for a realm (or host) plain object that is not an array/typed array/buffer. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && !types.isArrayBuffer(v);
}
