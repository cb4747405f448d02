/**
 * The posture engine: a reducer fed one accelerometer sample at a time. It owns no clock
 * and no timer (time comes in as nowMs) and returns effects for the firmware to carry out.
 * Runs unchanged on Espruino and Node; the per-sample path allocates nothing.
 */
import type { Settings } from '../config/settings.ts';
import { ACT_UNCALIBRATED, ACT_STILL, ACT_MOVING, ACT_WALKING, ACT_LYING, ACT_UNWORN } from './activity.ts';
import { RING_SLOTS, MOVING_SD_G, stepDynamics, stepUnworn } from './activityDetector.ts';
import { CAL_DONE, CAL_NONE, CAL_TILTED, adaptUpright, newReference, setUpright, stepCalibration } from './calibration.ts';
import { ALERT_SILENT, stepSlouch } from './slouch.ts';

/**
 * Something the firmware should do (`buzz`) or log and publish (`event`).
 * Buzz names: slouch, calibrated, calibrationFailed, snooze, clipMoved.
 * Event names: alert (rounded forward angle °), calibrated (0), calibrationFailed
 * (1 kept moving, 2 clip too far from vertical), snoozed (minutes, 0 = cancelled),
 * clipMoved (rounded deviation °). `silent` marks an alert that did not buzz.
 */
export interface PostureEffect {
  kind: 'buzz' | 'event';
  name: string;
  value: number;
  silent?: boolean;
}

/** Returned when a step has no effect; shared, never mutate it. */
export const NO_EFFECTS: readonly PostureEffect[] = [];

/**
 * All engine state, plain mutable fields. Callers read the first group; the rest is
 * internal bookkeeping kept here so nothing is allocated per sample.
 */
export interface PostureState {
  /** Activity number from activity.ts. */
  activity: number;
  /** Filtered forward angle, + forward, − leaning back; NaN while uncalibrated. */
  angleDeg: number;
  /** Filtered lateral angle, + towards the wearer's right, updated about once a second; NaN while uncalibrated. */
  lateralDeg: number;
  /** Unfiltered forward angle of this sample; NaN while uncalibrated. */
  rawAngleDeg: number;
  /** A slouch is in progress (it may not have alerted yet). */
  slouching: boolean;
  /** When the current slouch started (meaningful while slouching). */
  slouchSinceMs: number;
  /** An upright reference exists. */
  calibrated: boolean;
  /** A calibration window is open. */
  calibrating: boolean;
  /** Alerts do not buzz before this time. */
  snoozedUntilMs: number;
  /** The clip seems to have moved since calibration (set during walking; cleared by calibration). */
  clipMoved: boolean;
  /** Alerts since creation, silenced ones included. */
  alerts: number;
  /** Settings in force. */
  settings: Settings;
  /** Local time = UTC + tzOffsetMin; used for quiet hours only when clockValid. */
  tzOffsetMin: number;
  /** nowMs is wall-clock time (ms since 1970 UTC). */
  clockValid: boolean;
  /** Previous sample time (NaN before the first) and this sample's clamped interval. */
  lastMs: number;
  dtMs: number;
  /** Low-pass filtered acceleration (g, board axes) and its unit vector (the latter updated about once a second). */
  fx: number;
  fy: number;
  fz: number;
  sx: number;
  sy: number;
  sz: number;
  /** Upright c, forward f, lateral r unit vectors in board axes. */
  cx: number;
  cy: number;
  cz: number;
  fwx: number;
  fwy: number;
  fwz: number;
  rtx: number;
  rty: number;
  rtz: number;
  /** |a| − 1 g ring with running sums, its standard deviation (g), step detector. */
  ring: Float32Array;
  ringI: number;
  ringN: number;
  /** Laps of the ring since its sums were last recomputed. */
  laps: number;
  sum: number;
  sumSq: number;
  sdG: number;
  d1: number;
  d2: number;
  armed: boolean;
  lastStepMs: number;
  steps: number;
  walking: boolean;
  /** Unworn detector: reference direction and start of the quiet spell. */
  unworn: boolean;
  ux: number;
  uy: number;
  uz: number;
  quietSinceMs: number;
  /** Timers (−1 = not running). */
  lyingSinceMs: number;
  holdUntilMs: number;
  belowSinceMs: number;
  /** Since when the wearer has been calm enough for the lowest sample rate (rate.ts); −1 when not. */
  calmSinceMs: number;
  /** While not worn: the largest |a| − 1 g (g) since stepSlow last looked. */
  joltG: number;
  /** When rate.ts next checks for calm at WORN_HZ. */
  rateDueMs: number;
  /** While slouching: since when the filtered angle has been under the threshold (−1 when it is not). */
  underSinceMs: number;
  lastAlertMs: number;
  movedSinceMs: number;
  /** Calibration window: start, first still sample, raw sums. */
  calStartMs: number;
  calFromMs: number;
  calN: number;
  calX: number;
  calY: number;
  calZ: number;
  /** Next time the occasional work (stepSlow) is due; it last ran at slowAtMs − SLOW_MS. */
  slowAtMs: number;
}

const R2D = 180 / Math.PI;
const DEFAULT_DT_MS = 80;
const MIN_DT_MS = 10;
const MAX_DT_MS = 1000;
const FILTER_TAU_MS = 1500;
// Lying (or bent far over): beyond 62° for 3 s, until back under 55°.
const COS_LYING_IN = Math.cos(62 / R2D);
const COS_LYING_OUT = Math.cos(55 / R2D);
const COS2_LYING_OUT = COS_LYING_OUT * COS_LYING_OUT;
const LYING_MS = 3000;
const HOLD_OFF_MS = 5000;
// Walking is near upright: 20° away from c for 10 s of walking means the clip moved.
const COS_MOVED = Math.cos(20 / R2D);
const MOVED_MS = 10000;
const ADAPT_BACK_DEG = 10;
const ADAPT_LAT_DEG = 10;
// Period of stepSlow: every 12th or 13th sample at 12.5 Hz, every 1–2 samples at the unworn rate.
const SLOW_MS = 1000;

/** A fresh engine: uncalibrated, not snoozed, clock not valid. */
export function createPosture(settings: Settings): PostureState {
  return {
    activity: ACT_UNCALIBRATED, angleDeg: NaN, lateralDeg: NaN, rawAngleDeg: NaN,
    slouching: false, slouchSinceMs: -1, calibrated: false, calibrating: false,
    snoozedUntilMs: 0, clipMoved: false, alerts: 0, settings: settings, tzOffsetMin: 0, clockValid: false,
    lastMs: NaN, dtMs: DEFAULT_DT_MS, fx: 0, fy: 0, fz: 0, sx: 0, sy: 0, sz: 0,
    cx: 0, cy: 1, cz: 0, fwx: 0, fwy: 0, fwz: 1, rtx: -1, rty: 0, rtz: 0,
    ring: new Float32Array(RING_SLOTS), ringI: 0, ringN: 0, laps: 0, sum: 0, sumSq: 0, sdG: 0,
    d1: 0, d2: 0, armed: false, lastStepMs: -1e9, steps: 0, walking: false,
    unworn: false, ux: 0, uy: 0, uz: 0, quietSinceMs: 0,
    lyingSinceMs: -1, holdUntilMs: 0, belowSinceMs: -1, calmSinceMs: -1, joltG: 0, rateDueMs: 0, underSinceMs: -1, lastAlertMs: -1, movedSinceMs: -1,
    calStartMs: 0, calFromMs: 0, calN: 0, calX: 0, calY: 0, calZ: 0, slowAtMs: 0,
  };
}

function add(out: PostureEffect[] | null, kind: 'buzz' | 'event', name: string, value: number): PostureEffect[] {
  const e: PostureEffect = { kind: kind, name: name, value: value };
  if (!out) return [e];
  out.push(e);
  return out;
}

function buzzAndEvent(out: PostureEffect[] | null, name: string, value: number): PostureEffect[] {
  return add(add(out, 'buzz', name, value), 'event', name, value);
}

/**
 * The sample interval is missing (first sample), too short (jitter, or time went back) or too
 * long (a gap): rare, so kept off the per-sample path. Returns the interval to use.
 */
function oddInterval(st: PostureState, dt: number, x: number, y: number, z: number, nowMs: number): number {
  // First sample, or time went back: the occasional work restarts its schedule from now.
  if (!(dt >= 0)) st.slowAtMs = nowMs;
  if (st.lastMs !== st.lastMs) {
    // The filter starts at the first sample: its update below then leaves it there.
    st.fx = x;
    st.fy = y;
    st.fz = z;
    return DEFAULT_DT_MS;
  }
  return dt > MAX_DT_MS ? MAX_DT_MS : MIN_DT_MS;
}

/** One sample of an open calibration window, turned into its effects. */
function calibrationEffects(st: PostureState, x: number, y: number, z: number, nowMs: number): PostureEffect[] | null {
  const r = stepCalibration(st, x, y, z, nowMs);
  if (r === CAL_DONE) return buzzAndEvent(null, 'calibrated', 0);
  if (r === CAL_NONE) return null;
  return buzzAndEvent(null, 'calibrationFailed', r === CAL_TILTED ? 2 : 1);
}

/**
 * Lying timer and activity for the samples stepPosture's fast path does not cover: the trunk
 * is far enough from upright that lying may start or end, or the wearer is (or just was)
 * walking, lying or unworn. fc is the filtered vector · c, n2 its squared length.
 */
function rareActivity(st: PostureState, fc: number, n2: number, nowMs: number, out: PostureEffect[] | null): PostureEffect[] | null {
  let n = Math.sqrt(n2);
  if (!(n > 1e-6)) n = 1e-6;
  // cos of the angle between the filtered direction and upright.
  const sc = fc / n;
  if (sc > COS_LYING_OUT) st.lyingSinceMs = -1;
  else if (sc < COS_LYING_IN && st.lyingSinceMs < 0) st.lyingSinceMs = nowMs;
  let act = ACT_STILL;
  if (st.unworn) act = ACT_UNWORN;
  else if (st.lyingSinceMs >= 0 && nowMs - st.lyingSinceMs >= LYING_MS) act = ACT_LYING;
  else if (st.walking) act = ACT_WALKING;
  else if (st.sdG > MOVING_SD_G) act = ACT_MOVING;
  // Walking 3, lying 4, unworn 5: no slouch may start within 5 s of leaving any of them.
  if (st.activity >= ACT_WALKING && act < ACT_WALKING) st.holdUntilMs = nowMs + HOLD_OFF_MS;
  st.activity = act;

  // Clip moved: walking far from upright for 10 s.
  if (act === ACT_WALKING && sc < COS_MOVED) {
    if (st.movedSinceMs < 0) st.movedSinceMs = nowMs;
    else if (!st.clipMoved && nowMs - st.movedSinceMs >= MOVED_MS) {
      st.clipMoved = true;
      out = buzzAndEvent(out, 'clipMoved', Math.round(Math.acos(sc) * R2D));
    }
  } else st.movedSinceMs = -1;
  return out;
}

/** The slouch state machine and its alert effects; only called when it can change something. */
function slouchEffects(st: PostureState, nowMs: number, out: PostureEffect[] | null): PostureEffect[] | null {
  const alert = stepSlouch(st, nowMs);
  if (alert) {
    const v = Math.round(st.angleDeg);
    if (alert !== ALERT_SILENT) out = add(out, 'buzz', 'slouch', v);
    out = add(out, 'event', 'alert', v);
    if (alert === ALERT_SILENT) out[out.length - 1].silent = true;
  }
  return out;
}

/**
 * Work whose timescale is seconds to minutes, run every SLOW_MS instead of every sample:
 * the unit vector s, the unworn detector (2.5 min of quiet; leaving it within a second is
 * soon enough), the lateral angle (reported, and gating auto-recalibration) and
 * auto-recalibration (≤ 1°/min, credited with the time elapsed since the previous run).
 * Runs after the sample's angles and activity are known, as the per-sample code did.
 */
function stepSlow(st: PostureState, nowMs: number): void {
  let n = Math.sqrt(st.fx * st.fx + st.fy * st.fy + st.fz * st.fz);
  if (!(n > 1e-6)) n = 1e-6;
  st.sx = st.fx / n;
  st.sy = st.fy / n;
  st.sz = st.fz / n;
  stepUnworn(st, nowMs);
  // Time since the previous run; after a gap, no more than the per-sample clamp would allow.
  let el = nowMs - st.slowAtMs + SLOW_MS;
  if (el > SLOW_MS + MAX_DT_MS) el = SLOW_MS + MAX_DT_MS;
  st.slowAtMs = nowMs + SLOW_MS;
  if (!st.calibrated) return;
  const sr = st.sx * st.rtx + st.sy * st.rty + st.sz * st.rtz;
  st.lateralDeg = Math.asin(sr > 1 ? 1 : sr < -1 ? -1 : sr) * R2D;
  if (st.settings.autoRecalibrate && st.activity === ACT_STILL && !st.slouching && !st.calibrating &&
    st.angleDeg < 0 && st.angleDeg > -ADAPT_BACK_DEG && st.lateralDeg < ADAPT_LAT_DEG && st.lateralDeg > -ADAPT_LAT_DEG) {
    adaptUpright(st, el);
  }
}

/**
 * A sample while not worn (a clip on a desk most of the day): nothing to measure but what ends
 * it — a jolt (the largest |a| − 1 g since stepSlow last looked) or a tilt, which stepSlow sees
 * in the direction. The unfiltered sample serves as that direction: its noise is a tiny fraction
 * of the 0.5° that wakes the clip. No dynamics ring, filter, angles, activity rules or slouch.
 */
function idle(st: PostureState, x: number, y: number, z: number, m: number, nowMs: number): readonly PostureEffect[] {
  st.activity = st.calibrated ? ACT_UNWORN : ACT_UNCALIBRATED;
  st.slouching = false;
  const j = m > 1 ? m - 1 : 1 - m;
  if (j > st.joltG) st.joltG = j;
  st.fx = x;
  st.fy = y;
  st.fz = z;
  if (nowMs >= st.slowAtMs) stepSlow(st, nowMs);
  return NO_EFFECTS;
}

/**
 * Feeds one sample (g, board axes) taken at nowMs. Returns NO_EFFECTS, or on the rare
 * sample where something happens, a new array of effects.
 *
 * This is the clip's hot path (Espruino walks its source text at 12.5 Hz): the common case
 * (calibrated, worn, sitting, not slouching) runs only what must be exact per sample — the
 * filter, |a| dynamics and steps, the forward angles, lying and the slouch onset — and leaves
 * rare branches in small functions and slow-changing work to stepSlow.
 */
export function stepPosture(st: PostureState, x: number, y: number, z: number, nowMs: number): readonly PostureEffect[] {
  const m = Math.sqrt(x * x + y * y + z * z);
  // Garbage or free fall (dropped clip) says nothing about posture: skip the sample.
  if (!(m > 0.1 && m < 16)) return NO_EFFECTS;
  let dt = nowMs - st.lastMs;
  if (!(dt >= MIN_DT_MS && dt <= MAX_DT_MS)) dt = oddInterval(st, dt, x, y, z, nowMs);
  st.lastMs = nowMs;
  st.dtMs = dt;
  if (st.unworn && !st.calibrating) return idle(st, x, y, z, m, nowMs);
  stepDynamics(st, m, nowMs);
  const a = dt / (FILTER_TAU_MS + dt);
  // Locals keep the filtered vector for the dot products below (fewer property reads).
  const fx = st.fx += a * (x - st.fx);
  const fy = st.fy += a * (y - st.fy);
  const fz = st.fz += a * (z - st.fz);

  let out: PostureEffect[] | null = null;
  if (st.calibrating) out = calibrationEffects(st, x, y, z, nowMs);
  if (!st.calibrated) {
    st.activity = ACT_UNCALIBRATED;
    if (nowMs >= st.slowAtMs) stepSlow(st, nowMs);
    return out || NO_EFFECTS;
  }

  // atan2 ignores scale: neither the filtered nor the raw vector needs normalising.
  const fc = fx * st.cx + fy * st.cy + fz * st.cz;
  st.angleDeg = Math.atan2(fx * st.fwx + fy * st.fwy + fz * st.fwz, fc) * R2D;
  const raw = st.rawAngleDeg = Math.atan2(x * st.fwx + y * st.fwy + z * st.fwz, x * st.cx + y * st.cy + z * st.cz) * R2D;
  const n2 = fx * fx + fy * fy + fz * fz;
  // Fast path: within 55° of upright (cos² compared, no square root), not lying, not walking,
  // not unworn, and not just out of any of these (no hold-off to start, clip-moved timer off:
  // it only runs while walking). Only still or moving remains to decide.
  if (fc > 0 && fc * fc > COS2_LYING_OUT * n2 && st.lyingSinceMs < 0 && !st.unworn && !st.walking && st.activity < ACT_WALKING) {
    st.activity = st.sdG > MOVING_SD_G ? ACT_MOVING : ACT_STILL;
  } else out = rareActivity(st, fc, n2, nowMs, out);
  // Not slouching and under the threshold: the state machine has nothing to do.
  if (st.slouching || raw >= st.settings.thresholdDeg) out = slouchEffects(st, nowMs, out);
  if (nowMs >= st.slowAtMs) stepSlow(st, nowMs);
  return out || NO_EFFECTS;
}

/** Opens a calibration window: the next 2 s of stillness (within 10 s) become upright. */
export function calibrate(st: PostureState, nowMs: number): readonly PostureEffect[] {
  st.calibrating = true;
  st.calStartMs = nowMs;
  st.calN = 0;
  st.calX = 0;
  st.calY = 0;
  st.calZ = 0;
  return NO_EFFECTS;
}

/** Silences alerts for `minutes` from nowMs; 0 cancels a snooze. Confirms with a buzz. */
export function snooze(st: PostureState, nowMs: number, minutes: number): readonly PostureEffect[] {
  st.snoozedUntilMs = minutes > 0 ? nowMs + minutes * 60000 : 0;
  return add(add(null, 'buzz', 'snooze', minutes), 'event', 'snoozed', minutes);
}

/** Replaces the settings; they apply from the next sample, all state is kept. */
export function configure(st: PostureState, settings: Settings): void {
  const flipped = settings.flipZ !== st.settings.flipZ;
  st.settings = settings;
  // flipZ reverses which way is forward, so the axes must be derived again.
  if (flipped && st.calibrated) setUpright(st, st.cx, st.cy, st.cz);
}

/** Tells the engine how to get local time from nowMs, and whether nowMs is wall-clock time. */
export function setClock(st: PostureState, tzOffsetMin: number, clockValid: boolean): void {
  st.tzOffsetMin = tzOffsetMin;
  st.clockValid = clockValid;
}

/** Reinstates a stored upright vector (board axes, any length) after a reboot. */
export function restoreCalibration(st: PostureState, cx: number, cy: number, cz: number): void {
  if (newReference(st, cx, cy, cz)) st.calibrating = false;
}
