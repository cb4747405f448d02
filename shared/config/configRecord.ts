/**
 * The settings record on the BLE config characteristic: the `config` message of the protocol
 * table, one u8/u16 per setting in table order. Both ends validate it against the table.
 */
import { encode, decode, isDecodeError } from '../protocol/codec.ts';
import type { DecodeError } from '../protocol/codec.ts';
import { SETTINGS, crossCheck, settingFromWire, settingToWire } from './settings.ts';
import type { Settings } from './settings.ts';
import { TERSE } from '../terse.ts';

/** Encodes a complete, valid settings record. */
export function encodeConfig(s: Settings): Uint8Array {
  const wire: Record<string, number> = {};
  for (let i = 0; i < SETTINGS.length; i++) wire[SETTINGS[i].key] = settingToWire(SETTINGS[i], (s as Record<string, unknown>)[SETTINGS[i].key]);
  return encode('config', wire);
}

/**
 * A config-record failure: a frame error, or a setting out of range (`index` = the setting's
 * position in the table, which the clip reports as the `detail` of its `badValue` result).
 */
export type ConfigError = DecodeError | { error: 'badValue'; index: number; message: string };

/** Decodes and validates a settings record. Never throws. */
export function decodeConfig(bytes: Uint8Array): { ok: true; value: Settings } | { ok: false; error: ConfigError } {
  const r = decode(bytes, ['config']);
  if (isDecodeError(r)) return { ok: false, error: r };
  const wire = r.value as Record<string, number>;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < SETTINGS.length; i++) {
    const d = SETTINGS[i];
    const n = wire[d.key];
    if (n < d.min || n > d.max) {
      return { ok: false, error: { error: 'badValue', index: i, message: TERSE ? '' : d.key + ' ' + n + ' outside ' + d.min + '..' + d.max } };
    }
    out[d.key] = settingFromWire(d, n);
  }
  const cross = crossCheck(out as Settings);
  if (cross) {
    let h = 0;
    while (SETTINGS[h].key !== 'hysteresisDeg') h++;
    return { ok: false, error: { error: 'badValue', index: h, message: TERSE ? '' : cross } };
  }
  return { ok: true, value: out as Settings };
}
