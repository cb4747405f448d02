/**
 * The ground truth `nape simulate` writes beside a trace: `<name>.truth.csv` (one row per trace
 * sample: true angles, activity, episode number) and `<name>.truth.json` (scenario, seed,
 * sensor part, mounts over time, presses, the true slouch episodes). Formats in docs/replay.md.
 */
import { formatNumber } from '../../replay/traceCsv.ts';
import type { GeneratedTrace } from './generateTrace.ts';

/** Header of the per-sample truth CSV. */
export const TRUTH_HEADER = 't_ms,true_angle_deg,true_lateral_deg,true_activity,episode';

/** Per-sample truth; `episode` is the 1-based episode the sample falls in, 0 outside any. */
export function formatTruthCsv(tr: GeneratedTrace): string {
  const rows = [TRUTH_HEADER];
  let e = 0;
  for (let i = 0; i < tr.samples.length; i++) {
    const t = tr.samples[i].tMs;
    while (e < tr.episodes.length && t > tr.episodes[e].endMs) e++;
    const inEp = e < tr.episodes.length && t >= tr.episodes[e].onsetMs ? e + 1 : 0;
    const s = tr.truth[i];
    rows.push(`${formatNumber(t, 3)},${formatNumber(s.fwdDeg, 2)},${formatNumber(s.latDeg, 2)},${s.activity},${inEp}`);
  }
  return rows.join('\n') + '\n';
}

const round = (v: number, d = 2) => Number(v.toFixed(d));

/** Scenario metadata, mounts, presses and episodes (snake_case keys with units, as MQTT JSON). */
export function truthJson(tr: GeneratedTrace): object {
  return {
    scenario: tr.scenario,
    seed: tr.seed,
    rate_hz: tr.rateHz,
    sensor_part: tr.part,
    duration_s: round(tr.plan.endMs / 1000, 1),
    threshold_deg: tr.thresholdDeg,
    delay_s: tr.delayS,
    mounts: tr.plan.mounts.map((m) => ({
      at_ms: Math.round(m.atMs), cause: m.cause, psi_deg: round(m.mount.psiDeg), tilt_deg: round(m.mount.tiltDeg), yaw_deg: round(m.mount.yawDeg),
    })),
    events: tr.samples.filter((s) => s.event).map((s) => ({ t_ms: s.tMs, event: s.event })),
    episodes: tr.episodes.map((e, i) => ({
      episode: i + 1, onset_ms: e.onsetMs, end_ms: e.endMs, mean_deg: round(e.meanDeg), peak_deg: round(e.peakDeg),
    })),
  };
}
