/**
 * GATT identifiers. Every nape UUID is the 128-bit base with a 16-bit short id in bytes 2–3
 * (`6e61XXXX-…`: "na" + the short id), so one constant and a short id name each one.
 */

/** The base UUID, lower case with dashes; `XXXX` is replaced by the short id. */
export const UUID_BASE = '6e61XXXX-7065-4c69-8f5e-6e6170650000';

/** Short ids of the nape service and its characteristics. */
export const SHORT_IDS = {
  service: 0x0001,
  info: 0x0002,
  control: 0x0003,
  config: 0x0004,
  log: 0x0005,
  live: 0x0006,
} as const;

/** A nape characteristic (or the service). */
export type GattName = keyof typeof SHORT_IDS;

function hex4(n: number): string {
  const s = '000' + n.toString(16);
  return s.substr(s.length - 4);
}

/** The full UUID (with dashes, lower case) for a short id. */
export function napeUuid(name: GattName): string {
  return UUID_BASE.replace('XXXX', hex4(SHORT_IDS[name]));
}

/** The same UUID in noble's form: lower-case hex without dashes. */
export function nobleUuid(name: GattName): string {
  return napeUuid(name).split('-').join('');
}

/** The standard Battery Service and its Battery Level characteristic (uint8 percent). */
export const BATTERY_SERVICE = '180f';
export const BATTERY_LEVEL = '2a19';

/** Espruino's Bluetooth SIG company id, first two bytes (LE) of the manufacturer data. */
export const COMPANY_ID = 0x0590;

/** What each characteristic allows, for the GATT table in the firmware and the docs. */
export const CHARACTERISTICS = {
  info: { read: true, write: false, notify: false, maxLen: 32 },
  control: { read: false, write: true, notify: true, maxLen: 20 },
  config: { read: true, write: true, notify: false, maxLen: 32 },
  log: { read: false, write: false, notify: true, maxLen: 128 },
  live: { read: false, write: false, notify: true, maxLen: 20 },
} as const;
