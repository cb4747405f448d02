// BLE UUIDs in the forms Espruino accepts: 16-bit as a number (0x180f) or a hex string
// ('0x180F', '180f'), 128-bit as a hex string with or without dashes. Internally every UUID is
// lower-case hex without dashes or 0x (4 or 32 characters), the form noble reports.

/** Normalises a UUID; throws on anything Espruino would reject. */
export function normalizeUuid(u: unknown): string {
  if (typeof u === 'number') {
    if (!Number.isInteger(u) || u < 0 || u > 0xffff) throw new Error('Invalid UUID: ' + u);
    return u.toString(16).padStart(4, '0');
  }
  if (typeof u !== 'string') throw new Error('Invalid UUID: ' + String(u));
  let s = u.trim().toLowerCase();
  if (s.startsWith('0x')) s = s.slice(2);
  if (/^[0-9a-f]{4}$/.test(s)) return s;
  const plain = s.replace(/-/g, '');
  if (/^[0-9a-f]{32}$/.test(plain) && (plain.length === s.length || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(s))) return plain;
  throw new Error('Invalid UUID: ' + JSON.stringify(u));
}

/** Bytes a UUID takes over the air. */
export function uuidBytes(normalized: string): number {
  return normalized.length / 2;
}
