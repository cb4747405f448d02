/**
 * How the clip sits on the back: the rotation from body axes (X wearer's right, Y up the spine,
 * Z out of the back) to board axes (z the clip's outward normal). Same convention as
 * test/posture/synth.ts: v_board = Bᵀ v_body with B = Rx(tilt)·Ry(yaw)·Rz(psi).
 */
import type { Rng } from './prng.ts';

/** Clip mounting angles (°): psi turns it in the plane of the back, tilt and yaw tip it off that plane. */
export interface Mount {
  psiDeg: number;
  tiltDeg: number;
  yawDeg: number;
}

/** Row-major 3×3 matrix taking body-frame vectors to board axes. */
export type Mat3 = Float64Array;

const D2R = Math.PI / 180;

/** A mount drawn as posture.md's recipe says: psi U(±30°), tilt U(±15°), yaw U(±10°). */
export function drawMount(rng: Rng): Mount {
  return { psiDeg: rng.symmetric(30), tiltDeg: rng.symmetric(15), yawDeg: rng.symmetric(10) };
}

/** The mount after a slip: one of its angles moved by 2–10° either way. */
export function slipMount(m: Mount, rng: Rng): Mount {
  const delta = rng.uniform(2, 10) * (rng.next() < 0.5 ? -1 : 1);
  const axis = rng.pick(['psiDeg', 'tiltDeg', 'yawDeg'] as const);
  return { ...m, [axis]: m[axis] + delta };
}

function rotate(m: Mount, v: [number, number, number]): [number, number, number] {
  let [x, y, z] = v;
  let a = -m.tiltDeg * D2R;
  [y, z] = [y * Math.cos(a) - z * Math.sin(a), y * Math.sin(a) + z * Math.cos(a)];
  a = -m.yawDeg * D2R;
  [x, z] = [x * Math.cos(a) + z * Math.sin(a), -x * Math.sin(a) + z * Math.cos(a)];
  a = -m.psiDeg * D2R;
  [x, y] = [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
  return [x, y, z];
}

/** The body→board matrix of a mount (computed once per mount, not per sample). */
export function mountMatrix(m: Mount): Mat3 {
  const cols = [rotate(m, [1, 0, 0]), rotate(m, [0, 1, 0]), rotate(m, [0, 0, 1])];
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[r * 3 + c] = cols[c][r];
  return out;
}

/** out = M·v for a 3-vector held in v[0..2]. */
export function applyMat3(m: Mat3, v: Float64Array, out: Float64Array): void {
  const x = v[0], y = v[1], z = v[2];
  out[0] = m[0] * x + m[1] * y + m[2] * z;
  out[1] = m[3] * x + m[4] * y + m[5] * z;
  out[2] = m[6] * x + m[7] * y + m[8] * z;
}
