/**
 * The upright reference: calibration window, the derived body axes, slow auto-recalibration.
 * Angles measured against these axes do not depend on how the clip is turned in the plane
 * of the back (posture.md: uncorrected mounting costs ~6°).
 */
import type { PostureState } from './engine.ts';
import { MOVING_SD_G } from './activityDetector.ts';

/** stepCalibration result: nothing decided yet. */
export const CAL_NONE = 0;
/** stepCalibration result: a new upright reference is in place. */
export const CAL_DONE = 1;
/** stepCalibration result: the wearer kept moving for the whole window. */
export const CAL_MOVING = 2;
/** stepCalibration result: the clip is too far from vertical for a forward axis. */
export const CAL_TILTED = 3;

const CAL_STILL_MS = 2000;
const CAL_TIMEOUT_MS = 10000;
// Beyond |c·z| = 0.8 (board 53° from vertical) the forward axis is poorly defined.
const MAX_NORMAL_DOT = 0.8;
// Auto-recalibration speed cap: 1° per minute, in degrees per millisecond.
const ADAPT_DEG_PER_MS = 1 / 60000;

/**
 * Sets the upright vector c (any length) and derives the forward axis f (board normal
 * projected off c, sign from flipZ) and the lateral axis r = f × c (+ = wearer's right).
 * Returns false, changing nothing, when the board normal is too close to c.
 */
export function setUpright(st: PostureState, x: number, y: number, z: number): boolean {
  const n = Math.sqrt(x * x + y * y + z * z);
  if (!(n > 1e-6)) return false;
  x /= n;
  y /= n;
  z /= n;
  const zs = st.settings.flipZ ? -1 : 1;
  const d = zs * z;
  if (d > MAX_NORMAL_DOT || d < -MAX_NORMAL_DOT) return false;
  const k = 1 / Math.sqrt(1 - d * d);
  st.cx = x;
  st.cy = y;
  st.cz = z;
  st.fwx = -d * x * k;
  st.fwy = -d * y * k;
  st.fwz = (zs - d * z) * k;
  st.rtx = st.fwy * z - st.fwz * y;
  st.rty = st.fwz * x - st.fwx * z;
  st.rtz = st.fwx * y - st.fwy * x;
  return true;
}

/**
 * Installs a new reference after a calibration or a reboot: the old slouch, lying and
 * clip-moved state referred to the old axes, so it is dropped. Returns false if rejected.
 */
export function newReference(st: PostureState, x: number, y: number, z: number): boolean {
  if (!setUpright(st, x, y, z)) return false;
  st.calibrated = true;
  st.slouching = false;
  st.lastAlertMs = -1;
  st.lyingSinceMs = -1;
  st.movedSinceMs = -1;
  st.clipMoved = false;
  return true;
}

/**
 * One sample of an open calibration window: averages raw samples once the wearer has been
 * still (no |a| dynamics, no steps) for 2 s; any movement restarts the average.
 * Returns one of the CAL_* results; anything but CAL_NONE closes the window.
 */
export function stepCalibration(st: PostureState, x: number, y: number, z: number, nowMs: number): number {
  if (st.sdG < MOVING_SD_G && !st.walking) {
    if (st.calN === 0) st.calFromMs = nowMs;
    st.calN++;
    st.calX += x;
    st.calY += y;
    st.calZ += z;
    if (nowMs - st.calFromMs >= CAL_STILL_MS) {
      st.calibrating = false;
      return newReference(st, st.calX, st.calY, st.calZ) ? CAL_DONE : CAL_TILTED;
    }
  } else {
    st.calN = 0;
    st.calX = 0;
    st.calY = 0;
    st.calZ = 0;
  }
  if (nowMs - st.calStartMs >= CAL_TIMEOUT_MS) {
    st.calibrating = false;
    return CAL_MOVING;
  }
  return CAL_NONE;
}

/**
 * Turns c towards the filtered direction s by at most 1°/min (dtMs worth). The caller only
 * calls this when s is more upright than c, so the reference never follows a slouch.
 */
export function adaptUpright(st: PostureState, dtMs: number): void {
  // Total angle between s and c from its two components: no acos per sample.
  const beta = Math.sqrt(st.angleDeg * st.angleDeg + st.lateralDeg * st.lateralDeg);
  const cap = dtMs * ADAPT_DEG_PER_MS;
  // Moving along the chord by k turns c by k·sin(beta) ≤ cap.
  const k = beta > cap ? cap / beta : 1;
  setUpright(st, st.cx + k * (st.sx - st.cx), st.cy + k * (st.sy - st.cy), st.cz + k * (st.sz - st.cz));
}
