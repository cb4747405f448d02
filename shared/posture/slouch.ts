/**
 * The slouch state machine: onset on the raw angle (no filter lag in the timing), alert
 * confirmed by the filtered angle (no alert on a spike), hysteresis, dip tolerance, cooldown,
 * and the ways an alert is silenced (tracking mode, snooze, quiet hours).
 */
import type { PostureState } from './engine.ts';
import { ACT_STILL, ACT_MOVING } from './activity.ts';

/** stepSlouch result: an alert that should buzz. */
export const ALERT_BUZZ = 1;
/** stepSlouch result: an alert that is logged but silenced. */
export const ALERT_SILENT = 2;

// Dips below threshold − hysteresis shorter than this keep the slouch going.
const DIP_MS = 2000;
// A slouch also ends when the filtered angle stays under the threshold this long: a glance or
// the lean of standing up starts one (the raw angle crosses), but a wearer who then sits at
// 10–15° is not slouching, and a later glance must not fire the old slouch's alert. Long
// enough for the 1.5 s filter to catch up with a lean just over the threshold.
const UNDER_MS = 6000;
const MINUTE_MS = 60000;

/** True when alerts must not buzz now: tracking mode, snoozed, or inside quiet hours. */
export function isSilenced(st: PostureState, nowMs: number): boolean {
  const s = st.settings;
  if (s.mode === 'tracking' || nowMs < st.snoozedUntilMs) return true;
  const q0 = s.quietStartMin;
  const q1 = s.quietEndMin;
  if (!st.clockValid || q0 === q1) return false;
  let m = Math.floor(nowMs / MINUTE_MS + st.tzOffsetMin) % 1440;
  if (m < 0) m += 1440;
  // A period with start > end runs over midnight.
  return q0 < q1 ? m >= q0 && m < q1 : m >= q0 || m < q1;
}

/**
 * Advances the slouch state for one sample; needs this sample's activity, raw and filtered
 * angles. Returns 0, ALERT_BUZZ or ALERT_SILENT; counts every alert in `alerts`.
 */
export function stepSlouch(st: PostureState, nowMs: number): number {
  const s = st.settings;
  const act = st.activity;
  // Walking, lying, unworn: whatever the angle says, it is not a slouch.
  if (act !== ACT_STILL && act !== ACT_MOVING) {
    st.slouching = false;
    return 0;
  }
  if (!st.slouching) {
    if (nowMs < st.holdUntilMs || st.rawAngleDeg < s.thresholdDeg) return 0;
    st.slouching = true;
    st.slouchSinceMs = nowMs;
    st.belowSinceMs = -1;
    st.underSinceMs = -1;
    st.lastAlertMs = -1;
    return 0;
  }
  if (st.angleDeg < s.thresholdDeg) {
    if (st.underSinceMs < 0) st.underSinceMs = nowMs;
    else if (nowMs - st.underSinceMs >= UNDER_MS) {
      st.slouching = false;
      return 0;
    }
  } else st.underSinceMs = -1;
  if (st.rawAngleDeg < s.thresholdDeg - s.hysteresisDeg) {
    if (st.belowSinceMs < 0) st.belowSinceMs = nowMs;
    else if (nowMs - st.belowSinceMs >= DIP_MS) {
      st.slouching = false;
      return 0;
    }
  } else st.belowSinceMs = -1;
  // Due times derive from the settings each sample so configure() acts at once.
  const due = st.lastAlertMs < 0 ? st.slouchSinceMs + s.delayS * 1000 : st.lastAlertMs + s.cooldownS * 1000;
  if (nowMs < due || st.angleDeg < s.thresholdDeg) return 0;
  st.lastAlertMs = nowMs;
  st.alerts++;
  return isSilenced(st, nowMs) ? ALERT_SILENT : ALERT_BUZZ;
}
