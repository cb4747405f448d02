/**
 * How fast the clip needs its accelerometer. Steps, the start of a walk and the jolt of being
 * taken off need WORN_HZ; a wearer sitting calm (upright or slouched) changes posture slowly,
 * and a clip on a desk not at all, so then the lowest rate serves (Puck.js: 1.6 Hz at 40 µA
 * instead of 12.5 Hz at 350 µA, and 8× less interpreter work). The first sample that moves,
 * leans or jolts brings WORN_HZ back. The clip applies this after every sample, and
 * `nape replay` simulates the same sampling, so replay's alerts are the clip's.
 */
import { ACT_STILL } from './activity.ts';
import type { PostureState } from './engine.ts';

/** The engine's design rate (Hz). */
export const WORN_HZ = 12.5;
/** Calm: still for CALM_MS, not calibrating, |a| steadier than CALM_SD_G, the sample within CALM_DEG of the filtered angle. */
const CALM_MS = 5000;
const CALM_SD_G = 0.01;
const CALM_DEG = 2;
/** At WORN_HZ the calm test runs about this often (ms); at the low rate, at every sample. */
const CHECK_MS = 1000;

/**
 * The rate to sample at after this sample, given the rate in force: the lowest (`lowHz`, the
 * board's) while not worn or calm for CALM_MS (uncalibrated counts as still: activity numbers 0
 * and 1; NaN angles compare false), else WORN_HZ; `fast` (someone watches the live stream)
 * keeps a worn clip at WORN_HZ. At the low rate every sample is checked (the first movement
 * must wake the clip), at WORN_HZ about once a second (a second more of 12.5 Hz costs little;
 * a check at every sample costs more).
 */
export function nextRate(st: PostureState, nowMs: number, fast: boolean, hz: number, lowHz: number): number {
  if (hz > lowHz && nowMs < st.rateDueMs && nowMs >= st.rateDueMs - CHECK_MS) return hz;
  st.rateDueMs = nowMs + CHECK_MS;
  if (st.unworn) return lowHz;
  const d = st.rawAngleDeg - st.angleDeg;
  if (fast || st.activity > ACT_STILL || st.calibrating || st.sdG > CALM_SD_G || d * d > CALM_DEG * CALM_DEG) {
    st.calmSinceMs = -1;
    return WORN_HZ;
  }
  if (st.calmSinceMs < 0) st.calmSinceMs = nowMs;
  return nowMs - st.calmSinceMs >= CALM_MS ? lowHz : WORN_HZ;
}
