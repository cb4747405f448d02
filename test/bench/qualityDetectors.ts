// Detectors the quality benchmark scores on the same traces: nape (the clip's posture engine via
// `nape replay`'s replayTrace, default settings) and the naive baseline the DIY projects use:
// single-axis pitch atan2(az, ay) against a calibrated offset, plain threshold, delay, hysteresis.
import type { Settings } from '../../shared/config/settings.ts';
import { replayTrace } from '../../bridge/replay/replayTrace.ts';
import type { TraceSample } from '../../bridge/replay/traceCsv.ts';

/** What a detector said about each sample. */
export interface DetectorOutput {
  name: string;
  /** Its configured alert delay and cooldown (s): latency is measured against them. */
  delayS: number;
  cooldownS: number;
  /** Forward angle estimate (°); NaN while uncalibrated. */
  angleDeg: Float64Array;
  /** 1 where an alert (buzz) starts. */
  alert: Uint8Array;
  /** Activity label per sample, when the detector has one. */
  activity?: string[];
}

/** The clip's engine, exactly as `nape replay` runs it. */
export function napeDetector(samples: readonly TraceSample[], settings: Settings): DetectorOutput {
  const rows = replayTrace(samples, settings);
  return {
    name: 'nape', delayS: settings.delayS, cooldownS: settings.cooldownS,
    angleDeg: Float64Array.from(rows, (r) => r.angleDeg),
    alert: Uint8Array.from(rows, (r) => (r.alert ? 1 : 0)),
    activity: rows.map((r) => r.activity),
  };
}

/** Parameters of the naive baseline. */
export interface NaiveOptions {
  name: string;
  thresholdDeg: number;
  delayS: number;
  cooldownS: number;
  hysteresisDeg: number;
  /** Light smoothing, as DIY sketches do (s). */
  tauS: number;
}

const R2D = 180 / Math.PI;
const CAL_SAMPLES = 25;

/** Single-axis tilt with a plain threshold and delay: calibrates to the mean pitch of 2 s after each press. */
export function naiveDetector(samples: readonly TraceSample[], o: NaiveOptions): DetectorOutput {
  const n = samples.length;
  const angleDeg = new Float64Array(n).fill(NaN);
  const alert = new Uint8Array(n);
  let offset = NaN, calLeft = 0, calSum = 0, f = NaN, aboveSince = -1, lastAlert = -1, prevT = NaN;
  for (let i = 0; i < n; i++) {
    const s = samples[i];
    const pitch = Math.atan2(s.az, s.ay) * R2D;
    if (s.event === 'calibrate') [calLeft, calSum] = [CAL_SAMPLES, 0];
    if (calLeft > 0) {
      calSum += pitch;
      if (--calLeft === 0) [offset, f, aboveSince] = [calSum / CAL_SAMPLES, NaN, -1];
    }
    const dt = prevT === prevT ? s.tMs - prevT : 80;
    prevT = s.tMs;
    if (offset !== offset) continue;
    const raw = pitch - offset;
    f = f === f ? f + (dt / (o.tauS * 1000 + dt)) * (raw - f) : raw;
    angleDeg[i] = f;
    if (f >= o.thresholdDeg) {
      if (aboveSince < 0) [aboveSince, lastAlert] = [s.tMs, -1];
      const due = lastAlert < 0 ? aboveSince + o.delayS * 1000 : lastAlert + o.cooldownS * 1000;
      if (s.tMs >= due) [alert[i], lastAlert] = [1, s.tMs];
    } else if (f < o.thresholdDeg - o.hysteresisDeg) aboveSince = -1;
  }
  return { name: o.name, delayS: o.delayS, cooldownS: o.cooldownS, angleDeg, alert };
}
