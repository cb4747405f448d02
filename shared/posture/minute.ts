/**
 * Per-minute summaries of the posture engine, for the on-clip log and the bridge.
 * A second reducer: fed the engine state after every stepPosture, it allocates only the
 * summary it returns once a minute.
 */
import type { PostureState } from './engine.ts';
import { ACT_STILL, ACT_MOVING, ACT_WALKING, ACT_LYING, ACT_UNWORN } from './activity.ts';

/** One wall-clock-aligned minute. Seconds come from the sample intervals. */
export interface MinuteSummary {
  /** Start of the minute (a multiple of 60000 ms). */
  startMs: number;
  samples: number;
  /** Unworn for less than 30 s of the minute. */
  worn: boolean;
  /** Calibrated at any sample of the minute. */
  calibrated: boolean;
  stillS: number;
  movingS: number;
  walkingS: number;
  lyingS: number;
  unwornS: number;
  /** Time spent slouching (from onset, before any alert). */
  slouchS: number;
  /** Time-weighted mean of the filtered forward angle while calibrated and worn; NaN if none. */
  meanAngleDeg: number;
  /** Largest filtered forward angle while calibrated and worn; NaN if none. */
  maxAngleDeg: number;
  /** Alerts raised in the minute, silenced ones included. */
  alerts: number;
}

/** Accumulators of the minute in progress. */
export interface MinuteState {
  startMs: number;
  /** startMs + 1 minute: the first sample at or after it closes the minute (NaN before the first). */
  endMs: number;
  samples: number;
  calibrated: boolean;
  /**
   * Seconds per activity number (activity.ts; slot 0, uncalibrated, is not reported), so that
   * a sample adds its interval with one indexed write instead of a chain of tests.
   */
  actS: number[];
  slouchS: number;
  angleSum: number;
  angleS: number;
  maxAngleDeg: number;
  alerts: number;
  /** Engine alert count at the previous step (−1 before the first). */
  lastAlerts: number;
  /** Time of the previous step (NaN before the first). */
  lastMs: number;
}

const MINUTE_MS = 60000;
const WORN_MAX_UNWORN_S = 30;
/** Longest stretch one step may add: longer means samples stopped, and that time is not known. */
const MAX_STEP_MS = 2500;

function restart(ms: MinuteState, nowMs: number): void {
  ms.startMs = nowMs - (nowMs % MINUTE_MS);
  ms.endMs = ms.startMs + MINUTE_MS;
  ms.samples = 0;
  ms.calibrated = false;
  ms.actS.fill(0);
  ms.slouchS = 0;
  ms.angleSum = 0;
  ms.angleS = 0;
  ms.maxAngleDeg = NaN;
  ms.alerts = 0;
}

/** Empty accumulators; the first stepMinute aligns them to the minute of its sample. */
export function createMinute(): MinuteState {
  const ms = { lastAlerts: -1, lastMs: NaN, actS: [0, 0, 0, 0, 0, 0] } as MinuteState;
  restart(ms, 0);
  ms.startMs = NaN;
  ms.endMs = NaN;
  return ms;
}

/** Closes the minute in progress (if any sample was added) and starts the one of nowMs. */
function rollMinute(ms: MinuteState, nowMs: number): MinuteSummary | null {
  let done: MinuteSummary | null = null;
  if (ms.startMs === ms.startMs) {
    const a = ms.actS;
    done = {
      startMs: ms.startMs, samples: ms.samples, worn: a[ACT_UNWORN] < WORN_MAX_UNWORN_S, calibrated: ms.calibrated,
      stillS: a[ACT_STILL], movingS: a[ACT_MOVING], walkingS: a[ACT_WALKING], lyingS: a[ACT_LYING], unwornS: a[ACT_UNWORN],
      slouchS: ms.slouchS, meanAngleDeg: ms.angleS > 0 ? ms.angleSum / ms.angleS : NaN,
      maxAngleDeg: ms.maxAngleDeg, alerts: ms.alerts,
    };
  }
  restart(ms, nowMs);
  return done;
}

/** Counts the alerts raised since the previous sample. */
function countAlerts(ms: MinuteState, st: PostureState): void {
  if (ms.lastAlerts >= 0 && st.alerts > ms.lastAlerts) ms.alerts += st.alerts - ms.lastAlerts;
  ms.lastAlerts = st.alerts;
}

/** Angle statistics of a calibrated sample, worn or not. */
function addAngle(ms: MinuteState, st: PostureState, dtS: number): void {
  ms.calibrated = true;
  if (st.unworn) return;
  ms.angleSum += st.angleDeg * dtS;
  ms.angleS += dtS;
  // Written so that the NaN of an empty minute is replaced by the first angle.
  if (!(st.angleDeg <= ms.maxAngleDeg)) ms.maxAngleDeg = st.angleDeg;
}

/**
 * Adds the time since the previous step (at most MAX_STEP_MS; the engine's sample interval at
 * the first) to the minute, in the engine's current state. When nowMs is in a later minute,
 * returns the finished summary first (minutes without steps are skipped); else null. The clip
 * steps it about once a second, not at every sample: activity, slouch and angle change on that
 * timescale, and it keeps the per-sample path short; a test or replay may step every sample.
 */
export function stepMinute(ms: MinuteState, st: PostureState, nowMs: number): MinuteSummary | null {
  let done: MinuteSummary | null = null;
  // Also true for the NaN end before the first sample.
  if (!(nowMs < ms.endMs)) done = rollMinute(ms, nowMs);
  let dt = nowMs - ms.lastMs;
  if (!(dt >= 0)) dt = st.dtMs;
  const dtS = (dt > MAX_STEP_MS ? MAX_STEP_MS : dt) / 1000;
  ms.lastMs = nowMs;
  ms.samples++;
  // Unworn is detected even before calibration, when activity still says uncalibrated.
  ms.actS[st.unworn ? ACT_UNWORN : st.activity] += dtS;
  if (st.slouching) ms.slouchS += dtS;
  if (st.calibrated) addAngle(ms, st, dtS);
  if (st.alerts !== ms.lastAlerts) countAlerts(ms, st);
  return done;
}
