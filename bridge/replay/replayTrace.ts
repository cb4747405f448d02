/**
 * Runs a trace through the posture engine exactly as the clip does (shared/posture with the
 * clip's settings), including how the clip samples: its accelerometer ticks at WORN_HZ and drops
 * to the lowest rate while the wearer sits calm or the clip is not worn (shared/posture/rate.ts);
 * each tick reads the latest trace sample at or before it, at the tick's time. Calibrate and
 * snooze presses are applied before the first tick at or after their sample. The result is one
 * row per input sample: the state after that sample's ticks (held while none fell on it).
 */
import type { Settings } from '../../shared/config/settings.ts';
import { ACTIVITIES, WORN_HZ, calibrate, createPosture, nextRate, snooze, stepPosture } from '../../shared/posture/index.ts';
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

/** How the replayed clip samples. */
export interface ReplayOptions {
  /** The board's lowest accelerometer rate (Hz): 1.6 on a Puck.js or Bangle.js 2, 1.25 on the MPU-6050. Default 1.6. */
  lowHz?: number;
  /** Step every sample at the trace's own rate instead (the engine alone, without the clip's sampling). */
  everySample?: boolean;
}

/** Replays samples through a fresh, uncalibrated engine with these settings. */
export function replayTrace(samples: readonly TraceSample[], settings: Settings, opts: ReplayOptions = {}): ReplayRow[] {
  const st = createPosture(settings);
  const lowHz = opts.lowHz ?? 1.6;
  let hz = WORN_HZ;
  const rows: ReplayRow[] = new Array(samples.length);
  // The accelerometer's schedule: ticks at t0 + k·period; a rate change restarts it at that tick.
  let period = 1000 / WORN_HZ;
  let t0 = samples.length ? samples[0].tMs - period : 0;
  let k = 1;
  let press: TraceSample | undefined;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (s.event) press = s;
    const end = i + 1 < samples.length ? samples[i + 1].tMs : s.tMs + 1;
    let alert = false;
    for (let t = opts.everySample ? s.tMs : t0 + k * period; t < end; t = t0 + k * period) {
      if (press) {
        if (press.event === 'calibrate') calibrate(st, press.tMs);
        else snooze(st, press.tMs, settings.snoozeMin);
        press = undefined;
      }
      alert = buzzesSlouch(stepPosture(st, s.ax, s.ay, s.az, t)) || alert;
      if (opts.everySample) break;
      const want = nextRate(st, t, false, hz, lowHz);
      if (want !== hz) {
        hz = want;
        period = 1000 / hz;
        t0 = t;
        k = 1;
      } else k++;
    }
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
