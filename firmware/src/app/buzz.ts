/**
 * Buzz patterns, by name (BUZZ_PATTERNS order): milliseconds on, off, on… Each one feels
 * different, so the wearer knows what the clip means without looking:
 * slouch — two firm pulses; calibrated — three quick ticks; calibrationFailed — one long;
 * snooze — long then short; lowBattery — three slow ticks; clipMoved — four ticks and a long.
 */
import { BUZZ_PATTERNS } from '../../../shared/protocol/messages.ts';

/** One string per pattern rather than arrays of numbers: each array element costs RAM on the clip. */
const PATTERNS = [
  '150 120 150',
  '60 80 60 80 60',
  '700',
  '350 150 80',
  '80 450 80 450 80',
  '60 80 60 80 60 80 60 200 400',
];

/** The pattern for a name ('slouch', 'calibrated', …) or index; the slouch pattern if unknown. A new array each call. */
export function buzzPattern(name: string | number): number[] {
  const i = typeof name === 'number' ? name : (BUZZ_PATTERNS as readonly string[]).indexOf(name);
  const parts = PATTERNS[i >= 0 && i < PATTERNS.length ? i : 0].split(' ');
  const out: number[] = [];
  for (let k = 0; k < parts.length; k++) out.push(parseInt(parts[k], 10));
  return out;
}
