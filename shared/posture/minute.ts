/**
 * Per-minute summaries of the posture engine, for the on-clip log and the bridge.
 * A second reducer: fed the engine state after every stepPosture, it allocates only the
 * summary it returns once a minute.
 */
import type { PostureState } from './engine.ts';
import { ACT_STILL, ACT_MOVING, ACT_WALKING, ACT_LYING } from './activity.ts';

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
  samples: number;
  calibrated: boolean;
  stillS: number;
  movingS: number;
  walkingS: number;
  lyingS: number;
  unwornS: number;
  slouchS: number;
  angleSum: number;
  angleS: number;
  maxAngleDeg: number;
  alerts: number;
  /** Engine alert count at the previous sample (−1 before the first). */
  lastAlerts: number;
}

const MINUTE_MS = 60000;
const WORN_MAX_UNWORN_S = 30;

function restart(ms: MinuteState, nowMs: number): void {
  ms.startMs = nowMs - (nowMs % MINUTE_MS);
  ms.samples = 0;
  ms.calibrated = false;
  ms.stillS = 0;
  ms.movingS = 0;
  ms.walkingS = 0;
  ms.lyingS = 0;
  ms.unwornS = 0;
  ms.slouchS = 0;
  ms.angleSum = 0;
  ms.angleS = 0;
  ms.maxAngleDeg = NaN;
  ms.alerts = 0;
}

/** Empty accumulators; the first stepMinute aligns them to the minute of its sample. */
export function createMinute(): MinuteState {
  const ms = { lastAlerts: -1 } as MinuteState;
  restart(ms, 0);
  ms.startMs = NaN;
  return ms;
}

/**
 * Adds the engine's current sample (taken at nowMs) to the minute. When nowMs is in a later
 * minute, returns the finished summary first (minutes without samples are skipped); else null.
 */
export function stepMinute(ms: MinuteState, st: PostureState, nowMs: number): MinuteSummary | null {
  let done: MinuteSummary | null = null;
  if (ms.startMs !== ms.startMs) restart(ms, nowMs);
  else if (nowMs >= ms.startMs + MINUTE_MS) {
    done = {
      startMs: ms.startMs, samples: ms.samples, worn: ms.unwornS < WORN_MAX_UNWORN_S, calibrated: ms.calibrated,
      stillS: ms.stillS, movingS: ms.movingS, walkingS: ms.walkingS, lyingS: ms.lyingS, unwornS: ms.unwornS,
      slouchS: ms.slouchS, meanAngleDeg: ms.angleS > 0 ? ms.angleSum / ms.angleS : NaN,
      maxAngleDeg: ms.maxAngleDeg, alerts: ms.alerts,
    };
    restart(ms, nowMs);
  }
  const dtS = st.dtMs / 1000;
  const a = st.activity;
  ms.samples++;
  // Unworn is detected even before calibration, when activity still says uncalibrated.
  if (st.unworn) ms.unwornS += dtS;
  else if (a === ACT_STILL) ms.stillS += dtS;
  else if (a === ACT_MOVING) ms.movingS += dtS;
  else if (a === ACT_WALKING) ms.walkingS += dtS;
  else if (a === ACT_LYING) ms.lyingS += dtS;
  if (st.slouching) ms.slouchS += dtS;
  if (st.calibrated) {
    ms.calibrated = true;
    if (!st.unworn) {
      ms.angleSum += st.angleDeg * dtS;
      ms.angleS += dtS;
      // Written so that the NaN of an empty minute is replaced by the first angle.
      if (!(st.angleDeg <= ms.maxAngleDeg)) ms.maxAngleDeg = st.angleDeg;
    }
  }
  if (ms.lastAlerts >= 0 && st.alerts > ms.lastAlerts) ms.alerts += st.alerts - ms.lastAlerts;
  ms.lastAlerts = st.alerts;
  return done;
}
