// Scores a detector on a generated trace against its ground truth (posture.md targets): forward
// angle RMSE (still, slow movement, walking on 2 s means), slouch-alert recall, precision, false
// alerts per hour and their context, alert latency after the delay, walking and lying sensitivity.
// Rules (documented in docs/replay.md):
// - angle samples count once the true posture has been steady for SETTLE_S after a ramp (a
//   1.5 s filter cannot follow a 1 s ramp and should not), and not between a re-mount and the
//   recalibration that follows it (the wearer knows the clip is not calibrated then);
// - recall: true episodes lasting ≥ delay + 5 s at a mean ≥ threshold + 5°; caught by an alert
//   from onset to 2 s after the end; latency = first alert − when it was due: onset + the
//   detector's delay, or later when an earlier alert's cooldown (re-alert at most every
//   cooldown, posture.md) was still running then;
// - precision: an alert is right when it falls in, or up to 3 s after, a run of truth at or above
//   threshold − TOLERANCE_DEG lasting ≥ delay − 3 s (2 s dips allowed); every other alert is false;
// - sensitivity: walking / lying samples from DETECT_SETTLE_S into the activity.
import { slouchEpisodes } from '../../bridge/sim/motion/episodes.ts';
import type { GeneratedTrace } from '../../bridge/sim/motion/generateTrace.ts';
import type { Piece } from '../../bridge/sim/motion/plan.ts';
import type { DetectorOutput } from './qualityDetectors.ts';

export const SETTLE_S = 8;
export const DETECT_SETTLE_S = 6;
export const TOLERANCE_DEG = 3;
const WALK_WINDOW = 25;

/** Sums that pool across scenarios. */
export interface Score {
  hours: number;
  still: { se: number; n: number };
  slow: { se: number; n: number };
  walk: { se: number; n: number };
  qualifying: number;
  caught: number;
  latenciesS: number[];
  alerts: number;
  falseAlerts: number;
  falseByContext: Record<string, number>;
  walkN: number;
  walkHit: number;
  lyingN: number;
  lyingHit: number;
}

/** An empty score. */
export function emptyScore(): Score {
  return {
    hours: 0, still: { se: 0, n: 0 }, slow: { se: 0, n: 0 }, walk: { se: 0, n: 0 }, qualifying: 0, caught: 0, latenciesS: [],
    alerts: 0, falseAlerts: 0, falseByContext: {}, walkN: 0, walkHit: 0, lyingN: 0, lyingHit: 0,
  };
}

/** a += b. */
export function addScore(a: Score, b: Score): Score {
  a.hours += b.hours;
  for (const k of ['still', 'slow', 'walk'] as const) [a[k].se, a[k].n] = [a[k].se + b[k].se, a[k].n + b[k].n];
  a.qualifying += b.qualifying;
  a.caught += b.caught;
  a.latenciesS.push(...b.latenciesS);
  a.alerts += b.alerts;
  a.falseAlerts += b.falseAlerts;
  for (const [k, v] of Object.entries(b.falseByContext)) a.falseByContext[k] = (a.falseByContext[k] ?? 0) + v;
  a.walkN += b.walkN;
  a.walkHit += b.walkHit;
  a.lyingN += b.lyingN;
  a.lyingHit += b.lyingHit;
  return a;
}

/** The plan piece of every sample. */
function piecesOf(tr: GeneratedTrace): Piece[] {
  const out: Piece[] = new Array(tr.samples.length);
  let j = 0;
  const ps = tr.plan.pieces;
  for (let i = 0; i < tr.samples.length; i++) {
    while (j < ps.length - 1 && tr.samples[i].tMs >= ps[j].endMs) j++;
    out[i] = ps[j];
  }
  return out;
}

/** Sample flags: between a re-mount and the end of the calibration that follows it. */
function remountGaps(tr: GeneratedTrace): (t: number) => boolean {
  const cals = tr.samples.filter((s) => s.event === 'calibrate').map((s) => s.tMs);
  const gaps = tr.plan.mounts.filter((m) => m.cause === 'remount').map((m) => {
    const cal = cals.find((c) => c >= m.atMs) ?? Infinity;
    return [m.atMs, cal + 3000] as const;
  });
  return (t) => gaps.some(([a, b]) => t >= a && t < b);
}

function scoreAngles(tr: GeneratedTrace, d: DetectorOutput, pieces: Piece[], sc: Score): void {
  const inGap = remountGaps(tr);
  for (let i = 0; i < tr.samples.length; i++) {
    const t = tr.samples[i].tMs, p = pieces[i], a = d.angleDeg[i];
    if (a !== a || inGap(t) || t - p.startMs < p.rampMs + SETTLE_S * 1000) continue;
    const e = a - tr.truth[i].fwdDeg;
    const act = tr.truth[i].activity;
    const bucket = act === 'sitting' || act === 'standing' ? sc.still : act === 'typing' || act === 'phone' ? sc.slow : null;
    if (bucket) [bucket.se, bucket.n] = [bucket.se + e * e, bucket.n + 1];
  }
}

function scoreWalking(tr: GeneratedTrace, d: DetectorOutput, pieces: Piece[], sc: Score): void {
  for (let i = 0; i + WALK_WINDOW <= tr.samples.length; i++) {
    const p = pieces[i];
    if (!p.gait || tr.samples[i].tMs - p.startMs < SETTLE_S * 1000) continue;
    if (pieces[i + WALK_WINDOW - 1] !== p) continue;
    let e = 0, ok = true;
    for (let k = i; k < i + WALK_WINDOW; k++) {
      ok = ok && d.angleDeg[k] === d.angleDeg[k];
      e += d.angleDeg[k] - tr.truth[k].fwdDeg;
    }
    if (ok) [sc.walk.se, sc.walk.n] = [sc.walk.se + (e / WALK_WINDOW) ** 2, sc.walk.n + 1];
    i += WALK_WINDOW - 1;
  }
}

function alertTimes(tr: GeneratedTrace, d: DetectorOutput): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.alert.length; i++) if (d.alert[i]) out.push(tr.samples[i].tMs);
  return out;
}

function scoreRecall(tr: GeneratedTrace, d: DetectorOutput, thresholdDeg: number, delayS: number, sc: Score): void {
  const t = tr.samples.map((s) => s.tMs);
  const alerts = alertTimes(tr, d);
  for (const ep of slouchEpisodes(t, tr.truth, thresholdDeg, delayS)) {
    if (ep.endMs - ep.onsetMs < (delayS + 5) * 1000 || ep.meanDeg < thresholdDeg + 5) continue;
    sc.qualifying++;
    const first = alerts.find((a) => a >= ep.onsetMs && a <= ep.endMs + 2000);
    if (first === undefined) continue;
    sc.caught++;
    let due = ep.onsetMs + d.delayS * 1000;
    const before = alerts.filter((a) => a < ep.onsetMs && a + d.cooldownS * 1000 > due);
    if (before.length) due = before[before.length - 1] + d.cooldownS * 1000;
    sc.latenciesS.push((first - due) / 1000);
  }
}

/** What the wearer was doing around a false alert (the most telling activity of its delay window). */
function context(tr: GeneratedTrace, iAlert: number, delayS: number): string {
  const from = tr.samples[iAlert].tMs - (delayS + 3) * 1000;
  const seen = new Set<string>();
  for (let i = iAlert; i >= 0 && tr.samples[i].tMs >= from; i--) seen.add(tr.truth[i].activity);
  for (const c of ['lying', 'walking', 'transition', 'phone']) if (seen.has(c)) return c === 'transition' ? 'standing up / sitting down' : c;
  return [...seen].join('+');
}

function scorePrecision(tr: GeneratedTrace, d: DetectorOutput, thresholdDeg: number, delayS: number, sc: Score): void {
  const t = tr.samples.map((s) => s.tMs);
  const runs = slouchEpisodes(t, tr.truth, thresholdDeg - TOLERANCE_DEG, Math.max(0, delayS - 3));
  for (let i = 0; i < d.alert.length; i++) {
    if (!d.alert[i]) continue;
    sc.alerts++;
    if (runs.some((r) => t[i] >= r.onsetMs && t[i] <= r.endMs + 3000)) continue;
    sc.falseAlerts++;
    const c = context(tr, i, d.delayS);
    sc.falseByContext[c] = (sc.falseByContext[c] ?? 0) + 1;
  }
}

function scoreActivity(tr: GeneratedTrace, d: DetectorOutput, pieces: Piece[], sc: Score): void {
  if (!d.activity) return;
  for (let i = 0; i < tr.samples.length; i++) {
    const act = tr.truth[i].activity;
    if ((act !== 'walking' && act !== 'lying') || tr.samples[i].tMs - pieces[i].startMs < DETECT_SETTLE_S * 1000) continue;
    const hit = d.activity[i] === act ? 1 : 0;
    if (act === 'walking') [sc.walkN, sc.walkHit] = [sc.walkN + 1, sc.walkHit + hit];
    else [sc.lyingN, sc.lyingHit] = [sc.lyingN + 1, sc.lyingHit + hit];
  }
}

/** Scores one detector on one trace; thresholdDeg and delayS are what the wearer asked for. */
export function scoreTrace(tr: GeneratedTrace, d: DetectorOutput, thresholdDeg: number, delayS: number): Score {
  const sc = emptyScore();
  const pieces = piecesOf(tr);
  sc.hours = (tr.samples.length / tr.rateHz) / 3600;
  scoreAngles(tr, d, pieces, sc);
  scoreWalking(tr, d, pieces, sc);
  scoreRecall(tr, d, thresholdDeg, delayS, sc);
  scorePrecision(tr, d, thresholdDeg, delayS, sc);
  scoreActivity(tr, d, pieces, sc);
  return sc;
}

/** Quantile q of a list (nearest rank); NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** The headline figures of a score. */
export interface Figures {
  stillRmseDeg: number;
  slowRmseDeg: number;
  walkRmseDeg: number;
  recall: number;
  precision: number;
  falsePerHour: number;
  latencyP50S: number;
  latencyP95S: number;
  walkingSensitivity: number;
  lyingSensitivity: number;
}

/** Figures of a (pooled) score; NaN where there was nothing to measure. */
export function figures(s: Score): Figures {
  const rmse = (b: { se: number; n: number }) => (b.n ? Math.sqrt(b.se / b.n) : NaN);
  return {
    stillRmseDeg: rmse(s.still), slowRmseDeg: rmse(s.slow), walkRmseDeg: rmse(s.walk),
    recall: s.qualifying ? s.caught / s.qualifying : NaN,
    precision: s.alerts ? (s.alerts - s.falseAlerts) / s.alerts : NaN,
    falsePerHour: s.falseAlerts / s.hours,
    latencyP50S: quantile(s.latenciesS, 0.5), latencyP95S: quantile(s.latenciesS, 0.95),
    walkingSensitivity: s.walkN ? s.walkHit / s.walkN : NaN,
    lyingSensitivity: s.lyingN ? s.lyingHit / s.lyingN : NaN,
  };
}
