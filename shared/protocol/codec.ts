/**
 * The one codec for every BLE frame, driven by the message table. Runs on Espruino and Node:
 * Uint8Array + DataView only. `decode` never throws: any byte string gives a message or a
 * typed error naming the kind and the byte offset.
 */
import { MESSAGES, PROTOCOL_VERSION } from './messages.ts';
import { TERSE } from '../terse.ts';
import type { AnyMessage, Channel, FieldType, MessageDecl, MessageName, MessageValue } from './messages.ts';

/** Why a frame could not be decoded. */
export type DecodeErrorKind = 'empty' | 'version' | 'unknownId' | 'wrongChannel' | 'truncated' | 'tooLong' | 'count';

/** A decode failure: what and where (byte offset into the frame). */
export interface DecodeError {
  error: DecodeErrorKind;
  offset: number;
  message: string;
}

/** Result of `decode`: a message, or an error. Test with `'error' in r`. */
export type DecodeResult = AnyMessage | DecodeError;

/** Bytes of one field type: u8/i8 1, u16/i16 2, u32/i32 4; 0 for the variable `u16*`. */
export function fieldSize(t: FieldType | string): number {
  return t === 'u16*' ? 0 : parseInt(t.substr(1), 10) / 8;
}

/** The `name:type` items of a message's field string, in wire order. */
const items = (m: MessageDecl): string[] => (m.fields ? m.fields.split(' ') : []);
const nameOf = (item: string): string => item.substr(0, item.indexOf(':'));
const typeOf = (item: string): string => item.substr(item.indexOf(':') + 1);

/** Header plus every fixed-size field of these items. */
function fixedOf(f: string[]): number {
  let n = 2;
  for (let i = 0; i < f.length; i++) n += fieldSize(typeOf(f[i]));
  return n;
}

/** The fixed part of a message: header plus every fixed-size field. */
export const fixedSize = (name: MessageName): number => fixedOf(items(MESSAGES[name] as MessageDecl));

/** The largest encoded size of a message: statically known from the table. */
export function maxSize(name: MessageName): number {
  const m = MESSAGES[name] as MessageDecl;
  return fixedSize(name) + (m.max ? m.max * 2 : 0);
}

/** The message name for an id, or undefined. */
export function messageById(id: number): MessageName | undefined {
  for (const k in MESSAGES) if (MESSAGES[k as MessageName].id === id) return k as MessageName;
  return undefined;
}

type DataViewAccess = { [m: string]: (o: number, a: unknown, b?: unknown) => number };

/** `get` or `set` + the DataView accessor of a fixed-size type (`u16` → `Uint16`). */
const accessor = (op: string, t: string): string => op + (t.charAt(0) === 'i' ? 'Int' : 'Uint') + t.substr(1);

function checkValue(name: string, field: string, t: string, v: unknown): string {
  // The bounds follow from the size and signedness: u8 0..255, i16 -32768..32767, u32 0..4294967295…
  const range = Math.pow(2, fieldSize(t) * 8);
  const lo = t.charAt(0) === 'i' ? -range / 2 : 0;
  const hi = lo + range - 1;
  if (typeof v !== 'number' || Math.floor(v) !== v || v < lo || v > hi) {
    return TERSE ? name : name + '.' + field + ' must be an integer in ' + lo + '..' + hi + ', got ' + v;
  }
  return '';
}

/**
 * Encodes a message. Throws a RangeError with a clear message on a value that does not fit its
 * field (a programming error on our side, never caused by peer input).
 */
export function encode<N extends MessageName>(name: N, value: MessageValue<N>): Uint8Array {
  const m = MESSAGES[name] as MessageDecl;
  const v = value as unknown as { [k: string]: unknown };
  const f = items(m);
  let n = fixedOf(f);
  let arr: number[] | undefined;
  for (let i = 0; i < f.length; i++) {
    if (typeOf(f[i]) === 'u16*') {
      arr = v[nameOf(f[i])] as number[];
      if (!Array.isArray(arr) || arr.length > (m.max as number)) {
        throw new RangeError(TERSE ? name : name + '.' + nameOf(f[i]) + ' must be a list of at most ' + m.max + ' values');
      }
      n += arr.length * 2;
    }
  }
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  dv.setUint8(0, PROTOCOL_VERSION);
  dv.setUint8(1, m.id);
  let o = 2;
  for (let i = 0; i < f.length; i++) {
    const k = nameOf(f[i]);
    const t = typeOf(f[i]);
    const list = t === 'u16*' ? (arr as number[]) : [k === 'count' && arr ? arr.length : v[k]];
    const ft = t === 'u16*' ? 'u16' : t;
    for (let j = 0; j < list.length; j++) {
      const err = checkValue(name, k, ft, list[j]);
      if (err) throw new RangeError(err);
      (dv as unknown as DataViewAccess)[accessor('set', ft)](o, list[j], true);
      o += fieldSize(ft);
    }
  }
  return out;
}

function fail(kind: DecodeErrorKind, offset: number, message: string): DecodeError {
  return { error: kind, offset: offset, message: message };
}

/**
 * Decodes one frame. `channels` restricts which messages are acceptable (e.g. only `log`
 * messages on the log characteristic). Never throws. Error messages are short (they are
 * built on the clip too): the kind and offset say what and where, the message adds the numbers.
 */
export function decode(bytes: Uint8Array, channels?: readonly Channel[]): DecodeResult {
  const len = bytes ? bytes.length : 0;
  if (len < 2) return fail(len === 1 ? 'truncated' : 'empty', 0, 'no 2-byte header');
  if (bytes[0] !== PROTOCOL_VERSION) return fail('version', 0, TERSE ? '' : 'version ' + bytes[0] + ', want ' + PROTOCOL_VERSION);
  const name = messageById(bytes[1]);
  if (!name) return fail('unknownId', 1, TERSE ? '' : 'unknown id ' + bytes[1]);
  const m = MESSAGES[name] as MessageDecl;
  if (channels && channels.indexOf(m.ch) < 0) return fail('wrongChannel', 1, TERSE ? '' : name + ' not on ' + channels.join('/'));
  const f = items(m);
  const fixed = fixedOf(f);
  if (len < fixed) return fail('truncated', len, TERSE ? '' : name + ': ' + len + ' of ' + fixed + ' bytes');
  if (!m.max && len > fixed) return fail('tooLong', fixed, TERSE ? '' : name + ': ' + len + ' > ' + fixed + ' bytes');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, len);
  const value: { [k: string]: number | number[] } = {};
  let o = 2;
  for (let i = 0; i < f.length; i++) {
    const t = typeOf(f[i]);
    if (t !== 'u16*') {
      value[nameOf(f[i])] = (dv as unknown as DataViewAccess)[accessor('get', t)](o, true);
      o += fieldSize(t);
      continue;
    }
    const count = value.count as number;
    const rest = len - o;
    if (count > (m.max as number)) return fail('count', o - 1, TERSE ? '' : name + ': count ' + count + ' > ' + m.max);
    if (rest !== count * 2) {
      return rest < count * 2 ? fail('truncated', len, TERSE ? '' : name + ': ' + count + ' values, ' + rest + ' bytes')
        : fail('tooLong', o + count * 2, TERSE ? '' : name + ': ' + rest + ' bytes for ' + count + ' values');
    }
    const a: number[] = [];
    for (let j = 0; j < count; j++) a.push(dv.getUint16(o + j * 2, true));
    value[nameOf(f[i])] = a;
    o += count * 2;
  }
  return { name: name, value: value } as unknown as AnyMessage;
}

/** True when `decode` failed. */
export function isDecodeError(r: DecodeResult): r is DecodeError {
  return (r as DecodeError).error !== undefined;
}

/** How many log records fit one notification at a given ATT MTU (payload = MTU − 3). */
export function recordsPerFrame(mtu: number): number {
  const n = Math.floor((mtu - 3 - fixedSize('logRecords')) / 2);
  const max = (MESSAGES.logRecords as MessageDecl).max as number;
  return n < 1 ? 1 : n > max ? max : n;
}
