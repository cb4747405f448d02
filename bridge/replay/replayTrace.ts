/**
 * Runs a trace through the posture engine exactly as the clip does (shared/posture with the
 * clip's settings): one stepPosture per sample, calibrate and snooze presses applied at their
 * sample before it is stepped. The result is one row per input sample.
 */
import type { Settings } from '../../shared/config/settings.ts';
import { ACTIVITIES, calibrate, createPosture, snooze, stepPosture } from '../../shared/posture/index.ts';
import type { ActivityName, PostureEffect } from '../../shared/posture/index.ts';
import { formatNumber } from './traceCsv.ts';
import type { TraceSample } from './traceCsv.ts';

/** What the clip made of one sample. */
export interface ReplayRow {
  tMs: number;
  /** Filtered forward angle (° + forward); NaN before calibration. */
  angleDeg: number;
  /** Filtered lateral angle (° + right); NaN before calibration. */
  lateralDeg: number;
  activity: ActivityName;
  slouching: boolean;
  /** A slouch buzz starts at this sample. */
  alert: boolean;
}

/** The header of the replay output. */
export const REPLAY_HEADER = 't_ms,angle_deg,lateral_deg,activity,slouching,alert';

function buzzesSlouch(effects: readonly PostureEffect[]): boolean {
  for (const e of effects) if (e.kind === 'buzz' && e.name === 'slouch') return true;
  return false;
}

/** Replays samples through a fresh, uncalibrated engine with these settings. */
export function replayTrace(samples: readonly TraceSample[], settings: Settings): ReplayRow[] {
  const st = createPosture(settings);
  const rows: ReplayRow[] = new Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (s.event === 'calibrate') calibrate(st, s.tMs);
    else if (s.event === 'snooze') snooze(st, s.tMs, settings.snoozeMin);
    const alert = buzzesSlouch(stepPosture(st, s.ax, s.ay, s.az, s.tMs));
    rows[i] = {
      tMs: s.tMs, angleDeg: st.angleDeg, lateralDeg: st.lateralDeg, activity: ACTIVITIES[st.activity],
      slouching: st.slouching, alert,
    };
  }
  return rows;
}

function angle(v: number): string {
  return v === v ? formatNumber(v, 2) : '';
}

/** The replay output CSV. */
export function formatReplayCsv(rows: readonly ReplayRow[]): string {
  const out = [REPLAY_HEADER];
  for (const r of rows) {
    out.push(`${formatNumber(r.tMs, 3)},${angle(r.angleDeg)},${angle(r.lateralDeg)},${r.activity},${r.slouching ? 1 : 0},${r.alert ? 1 : 0}`);
  }
  return out.join('\n') + '\n';
}
