/**
 * Buzz patterns, by name (BUZZ_PATTERNS order): milliseconds on, off, on… Each one feels
 * different, so the wearer knows what the clip means without looking:
 * slouch — two firm pulses; calibrated — three quick ticks; calibrationFailed — one long;
 * snooze — long then short; lowBattery — three slow ticks; clipMoved — four ticks and a long.
 */
import { BUZZ_PATTERNS } from '../../../shared/protocol/messages.ts';

const PATTERNS: number[][] = [
  [150, 120, 150],
  [60, 80, 60, 80, 60],
  [700],
  [350, 150, 80],
  [80, 450, 80, 450, 80],
  [60, 80, 60, 80, 60, 80, 60, 200, 400],
];

/** The pattern for a name ('slouch', 'calibrated', …) or index; the slouch pattern if unknown. */
export function buzzPattern(name: string | number): number[] {
  const i = typeof name === 'number' ? name : (BUZZ_PATTERNS as readonly string[]).indexOf(name);
  return PATTERNS[i >= 0 && i < PATTERNS.length ? i : 0];
}
