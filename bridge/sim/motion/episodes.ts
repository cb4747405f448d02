/**
 * True slouch episodes from the per-sample truth (posture.md: "label every true slouch episode
 * (θ > θ_on for ≥ delay) with its onset"): runs of the true forward angle at or above the
 * threshold while sitting, typing, on the phone or standing, joined across dips under 2 s
 * (the engine's own dip tolerance), kept when they last at least the delay.
 */
import type { TruthActivity } from './plan.ts';

/** Ground truth of one sample. */
export interface TruthSample {
  /** Posture forward angle (°, + forward) relative to true upright: no breathing sway, no gait wobble. */
  fwdDeg: number;
  /** Posture lateral angle (°, + towards the wearer's right). */
  latDeg: number;
  activity: TruthActivity;
}

/** One true slouch episode. */
export interface Episode {
  /** First sample at or above the threshold. */
  onsetMs: number;
  /** Last sample at or above the threshold. */
  endMs: number;
  /** Mean and peak true forward angle over the episode (°). */
  meanDeg: number;
  peakDeg: number;
}

/** Dips shorter than this do not end an episode. */
export const EPISODE_DIP_MS = 2000;

function slouchable(a: TruthActivity): boolean {
  return a !== 'walking' && a !== 'lying';
}

/** Episodes of at least minDurS at or above thresholdDeg, in time order. */
export function slouchEpisodes(tMs: readonly number[], truth: readonly TruthSample[], thresholdDeg: number, minDurS: number): Episode[] {
  const out: Episode[] = [];
  let cur: { on: number; end: number; sum: number; n: number; peak: number } | null = null;
  const close = () => {
    if (cur && cur.end - cur.on >= minDurS * 1000) {
      out.push({ onsetMs: cur.on, endMs: cur.end, meanDeg: cur.sum / cur.n, peakDeg: cur.peak });
    }
    cur = null;
  };
  for (let i = 0; i < truth.length; i++) {
    const s = truth[i];
    if (s.fwdDeg >= thresholdDeg && slouchable(s.activity)) {
      if (cur && tMs[i] - cur.end > EPISODE_DIP_MS) close();
      if (!cur) cur = { on: tMs[i], end: tMs[i], sum: 0, n: 0, peak: -Infinity };
      cur.end = tMs[i];
      cur.sum += s.fwdDeg;
      cur.n++;
      cur.peak = Math.max(cur.peak, s.fwdDeg);
    } else if (cur && (!slouchable(s.activity) || tMs[i] - cur.end > EPISODE_DIP_MS)) close();
  }
  close();
  return out;
}
