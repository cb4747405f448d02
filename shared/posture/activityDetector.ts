/**
 * Activity evidence that does not need a calibration: the dynamics of |a| (moving, walking)
 * and the absence of any body movement (unworn). Runs on Espruino: plain numbers and one
 * preallocated Float32Array ring, nothing allocated per sample.
 */
import type { PostureState } from './engine.ts';

/** Slots of the |a| ring: 32 samples ≈ 2.6 s at 12.5 Hz, room for 4 steps of slow walking. */
export const RING_SLOTS = 32;
/**
 * |a| standard deviation (g) above which the trunk is moving: far above sensor noise (~1 mg)
 * and typing or breathing (a few mg), far below walking (~0.15 g).
 */
export const MOVING_SD_G = 0.02;
/** |a| standard deviation (g) no higher than sensor noise: required before unworn. */
export const NOISE_SD_G = 0.004;

// Espruino's own step counter: DC-removed |a| past a ~60 mg gate, 333–1300 ms apart.
// Laps of the ring between two recomputations of its running sums.
const SUM_LAPS = 8;
const STEP_GATE_G = 0.06;
// The detector arms on a dip below −gate/2.
const STEP_ARM_G = -STEP_GATE_G / 2;
const STEP_MIN_MS = 333;
const STEP_MAX_MS = 1300;
const WALK_STEPS = 4;
// Breathing sways a worn clip by 0.1–0.5°, which the 1.5 s filter shrinks to ≥ 0.04–0.2°
// each way; a clip on a table wanders by ~0.01° (noise) plus slow thermal drift. The bar sits
// well under the smallest breathing sway (a still wearer must never read as unworn).
const QUIET_DEV = 1 - Math.cos(0.035 * Math.PI / 180);
const REF_RATE = 0.125;
/** A jolt that wakes a clip that is not worn (g): picking it up moves |a| far more. */
const WAKE_JOLT_G = 0.05;
const WAKE_DEV = 1 - Math.cos(0.5 * Math.PI / 180);
const UNWORN_MS = 150000;

/**
 * End of a lap of the ring: every SUM_LAPS laps, recompute the sums so rounding in the
 * running sums cannot build up (it stays near 1e-16 g over that many samples). Returns the
 * next ring index (0).
 */
function lapDone(st: PostureState): number {
  if (++st.laps < SUM_LAPS) return 0;
  st.laps = 0;
  const ring = st.ring;
  let s = 0;
  let q = 0;
  for (let k = 0; k < RING_SLOTS; k++) {
    s += ring[k];
    q += ring[k] * ring[k];
  }
  st.sum = s;
  st.sumSq = q;
  return 0;
}

/** A peak of the smoothed |a| past the gate: a step, unless it bounces off the previous one. */
function onPeak(st: PostureState, nowMs: number): void {
  st.armed = false;
  const iv = nowMs - st.lastStepMs;
  // A second peak within 333 ms is a bounce of the same step: ignored, not a reset.
  if (iv >= STEP_MIN_MS) {
    st.steps = iv <= STEP_MAX_MS ? st.steps + 1 : 1;
    st.lastStepMs = nowMs;
    st.walking = st.steps >= WALK_STEPS;
  }
}

/** No step for longer than the slowest step interval: the walk (or step count) is over. */
function stopWalking(st: PostureState): void {
  st.steps = 0;
  st.walking = false;
}

/**
 * Feeds |a| (g) into the ring; updates `sdG` (its standard deviation over the ring), the
 * step detector and `walking`.
 */
export function stepDynamics(st: PostureState, m: number, nowMs: number): void {
  const ring = st.ring;
  let i = st.ringI;
  if (st.ringN === RING_SLOTS) {
    const old = ring[i];
    st.sum -= old;
    st.sumSq -= old * old;
  } else st.ringN++;
  ring[i] = m - 1;
  // Read back the stored float32 so the running sums add and later subtract the same value.
  const v = ring[i];
  st.sum += v;
  st.sumSq += v * v;
  if (++i === RING_SLOTS) i = lapDone(st);
  st.ringI = i;
  const mean = st.sum / st.ringN;
  const varG = st.sumSq / st.ringN - mean * mean;
  st.sdG = varG > 0 ? Math.sqrt(varG) : 0;

  // [1 2 1]/4 smoothing spreads heel-strike spikes over the step instead of double counting.
  const d = v - mean;
  const lp = (d + 2 * st.d1 + st.d2) / 4;
  st.d2 = st.d1;
  st.d1 = d;
  if (lp < STEP_ARM_G) st.armed = true;
  else if (st.armed && lp > STEP_GATE_G) onPeak(st, nowMs);
  // Steps and walking change together (here and in onPeak), so with no steps there is nothing to end.
  if (st.steps && nowMs - st.lastStepMs > STEP_MAX_MS) stopWalking(st);
}

/**
 * Unworn: the filtered direction stays within QUIET_DEV of a reference and |a| shows nothing
 * but noise for 2.5 min. Leaves on the first clear movement (0.5° of tilt or a 0.05 g jolt).
 * The reference is a slow average of the direction (τ ≈ 8 runs), not one sample: one noisy
 * sample as the reference would double the noise the bar has to clear, while the average sits
 * at the centre of any breathing sway, which then shows its full swing each way.
 * Needs `sx, sy, sz` (normalised filtered vector) of this sample. The engine runs it about
 * once a second (stepSlow), not every sample: both its timescales are far longer.
 */
export function stepUnworn(st: PostureState, nowMs: number): void {
  const dev = 1 - (st.sx * st.ux + st.sy * st.uy + st.sz * st.uz);
  // Not worn, the engine keeps no dynamics ring: the largest jolt since the last look stands in.
  const moved = st.unworn ? dev > WAKE_DEV || st.joltG > WAKE_JOLT_G : dev > QUIET_DEV || st.sdG > NOISE_SD_G;
  st.joltG = 0;
  if (moved) {
    st.unworn = false;
    st.ux = st.sx;
    st.uy = st.sy;
    st.uz = st.sz;
    st.quietSinceMs = nowMs;
    return;
  }
  const x = st.ux + (st.sx - st.ux) * REF_RATE;
  const y = st.uy + (st.sy - st.uy) * REF_RATE;
  const z = st.uz + (st.sz - st.uz) * REF_RATE;
  const n = Math.sqrt(x * x + y * y + z * z);
  st.ux = x / n;
  st.uy = y / n;
  st.uz = z / n;
  if (!st.unworn && nowMs - st.quietSinceMs >= UNWORN_MS) st.unworn = true;
}
