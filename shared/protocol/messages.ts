/**
 * The BLE message table: one declaration per message. Every frame on every characteristic
 * (and the advertising payload) is `[PROTOCOL_VERSION u8][id u8][fields…]`, little-endian.
 * Encoding, decoding, sizes, the TypeScript types and docs/ble-protocol.md derive from it.
 * Descriptions live in messageDocs.ts so they stay out of the firmware bundle.
 */
import { SETTINGS, settingBytes } from '../config/settings.ts';

/** Bumped on any incompatible change; a peer with another version gets a `version` decode error. */
export const PROTOCOL_VERSION = 1;

/**
 * Field types. `u16*` is an array of u16 filling the rest of the frame, preceded by a `count`
 * u8 field that must match (so a truncated frame is caught); at most `max` elements.
 */
export type FieldType = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u16*';

/** `[name, type]`: one field, as {@link fieldsOf} returns it. */
export type FieldDecl = readonly [string, FieldType];

/** Where a message travels. `adv` is the manufacturer data after the company id. */
export type Channel = 'info' | 'control' | 'result' | 'config' | 'log' | 'live' | 'adv';

/**
 * One message. `fields` is `'name:type name:type …'` in wire order: one string rather than a
 * list of pairs, because on the clip every array, pair and string is a variable of its RAM
 * (the pairs cost ~450 of a Puck.js's 2630); code reads it through {@link fieldsOf}.
 */
export interface MessageDecl {
  readonly id: number;
  readonly ch: Channel;
  readonly fields: string;
  /** Largest element count of the `u16*` field, if any. */
  readonly max?: number;
}

function configFields(): string {
  let out = '';
  for (let i = 0; i < SETTINGS.length; i++) {
    out += (i ? ' ' : '') + SETTINGS[i].key + (settingBytes(SETTINGS[i]) === 1 ? ':u8' : ':u16');
  }
  return out;
}

/** Most log records in one frame: a 128-byte Bangle.js 2 notification minus the 7-byte header. */
export const MAX_RECORDS_PER_FRAME = 60;

/** The table. Ids are unique across all channels; never reuse an id. */
export const MESSAGES = {
  // ---- info characteristic (read) ----
  info: { id: 0x01, ch: 'info',
    fields: 'fwMajor:u8 fwMinor:u8 fwPatch:u8 board:u8 clockS:u32 tzOffsetMin:i16 bootId:u16 uptimeS:u32 flags:u8 oldestSeq:u32 nextSeq:u32 batteryPct:u8 logFreePct:u8' },
  // ---- control characteristic (write; results come back as notifications on it) ----
  calibrate: { id: 0x10, ch: 'control', fields: '' },
  snooze: { id: 0x11, ch: 'control', fields: 'minutes:u8' },
  testBuzz: { id: 0x12, ch: 'control', fields: 'pattern:u8' },
  setClock: { id: 0x13, ch: 'control', fields: 'unixS:u32 tzOffsetMin:i16' },
  syncFrom: { id: 0x14, ch: 'control', fields: 'seq:u32 maxRecords:u8' },
  ack: { id: 0x15, ch: 'control', fields: 'nextSeq:u32' },
  live: { id: 0x16, ch: 'control', fields: 'on:u8' },
  result: { id: 0x17, ch: 'result', fields: 'op:u8 code:u8 detail:u8' },
  // ---- config characteristic (read/write): the settings record in table order ----
  config: { id: 0x20, ch: 'config', fields: configFields() },
  // ---- log characteristic (notify) ----
  logAnchor: { id: 0x30, ch: 'log', fields: 'seq:u32 t0S:u32 bootId:u16 timeFlags:u8 corrS:i32' },
  logRecords: { id: 0x31, ch: 'log', max: MAX_RECORDS_PER_FRAME, fields: 'firstSeq:u32 count:u8 records:u16*' },
  logEnd: { id: 0x32, ch: 'log', fields: 'nextSeq:u32' },
  // ---- live characteristic (notify) ----
  liveState: { id: 0x40, ch: 'live', fields: 'angleDeci:i16 lateralDeci:i16 activity:u8 flags:u8 slouchS:u16 alerts:u16' },
  // ---- advertising: manufacturer data (company 0x0590) ----
  adv: { id: 0x50, ch: 'adv', fields: 'state:u8 angleDeg:i8 batteryPct:u8 nextSeq:u32' },
} as const satisfies Record<string, MessageDecl>;

/** A message name. */
export type MessageName = keyof typeof MESSAGES;

/** The fields of a message as `[name, type]` pairs, in wire order (allocates: not for hot paths). */
export function fieldsOf(m: MessageDecl): FieldDecl[] {
  const out: FieldDecl[] = [];
  const parts = m.fields ? m.fields.split(' ') : [];
  for (let i = 0; i < parts.length; i++) {
    const c = parts[i].indexOf(':');
    out.push([parts[i].substr(0, c), parts[i].substr(c + 1) as FieldType]);
  }
  return out;
}

// The value types are read off the field string by the type checker.
type Field<F extends string> = F extends `${infer N}:${infer T}` ? [N, T] : never;
type FieldList<S extends string> = S extends '' ? never : S extends `${infer F} ${infer R}` ? Field<F> | FieldList<R> : Field<S>;
type FieldsOf<N extends MessageName> = FieldList<(typeof MESSAGES)[N]['fields']>;
type ValueOfField<T> = T extends 'u16*' ? number[] : number;

/** The decoded value of a message, typed from its declaration. */
export type MessageValue<N extends MessageName> = N extends 'config'
  ? Record<string, number>
  : { [F in FieldsOf<N> as F[0]]: ValueOfField<F[1]> };

/** A decoded frame: its name and value. */
export type AnyMessage = { [N in MessageName]: { name: N; value: MessageValue<N> } }[MessageName];

// ---- bit layouts used inside fields ----

/** `info.flags` bits. */
export const INFO_CLOCK_VALID = 1;
export const INFO_CALIBRATED = 2;
export const INFO_WORN = 4;
export const INFO_SNOOZED = 8;
export const INFO_BONDED = 16;
export const INFO_CLIP_MOVED = 32;
export const INFO_LOW_BATTERY = 64;

/** `logAnchor.timeFlags` bits: t0S is wall-clock time; corrS is the offset to add when it is not. */
export const TIME_CLOCK_VALID = 1;
export const TIME_CORR_KNOWN = 2;

/** `liveState.flags` bits. */
export const LIVE_SLOUCHING = 1;
export const LIVE_SNOOZED = 2;
export const LIVE_QUIET = 4;
export const LIVE_CLIP_MOVED = 8;
export const LIVE_SILENT = 16;

/** `adv.state`: activity in bits 0–2, then these flags. */
export const ADV_ACTIVITY_MASK = 7;
export const ADV_SLOUCHING = 8;
export const ADV_SNOOZED = 16;
export const ADV_CLOCK_VALID = 32;
export const ADV_LOW_BATTERY = 64;
export const ADV_CLIP_MOVED = 128;

/** `adv.angleDeg` and `liveState.angleDeci` value meaning "unknown" (not calibrated). */
export const ANGLE_UNKNOWN_I8 = -128;
export const ANGLE_UNKNOWN_I16 = -32768;

/** Boards, as `info.board`. */
export const BOARDS = ['PUCKJS', 'MDBT42Q', 'BANGLEJS2', 'RIG', 'SIMULATED'] as const;

/** Buzz patterns, as `testBuzz.pattern`. */
export const BUZZ_PATTERNS = ['slouch', 'calibrated', 'calibrationFailed', 'snooze', 'lowBattery', 'clipMoved'] as const;

/** `result.code` values. `detail` names the offending setting index for `badValue`. */
export const RESULT_CODES = ['ok', 'badVersion', 'badLength', 'unknownOp', 'badValue', 'busy', 'notBonded', 'failed'] as const;
