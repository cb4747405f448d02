/**
 * The wearer's body: from a plan's posture pieces to the specific force (g) at the clip in body
 * axes (X wearer's right, Y up the spine, Z out of the back). Gravity from the posture angles
 * plus breathing sway, the clip's acceleration as the trunk rotates about the hips, trunk lift
 * in sit-to-stand, and walking (vertical, heel strikes, antero-posterior, medio-lateral, turns).
 */
import { pieceKinematics } from './plan.ts';
import type { Gait, Kinematics, Piece, Plan } from './plan.ts';

/** Breathing sway of the trunk: amplitude (°) and rate (Hz). */
export interface Breathing {
  ampDeg: number;
  hz: number;
}

const D2R = Math.PI / 180;
const G0 = 9.80665;
/** Distance from the hip joint to the clip at C7 (m): the radius of trunk rotation. */
const TRUNK_RADIUS_M = 0.5;

/** Walking accelerations in world axes (g): up, forward, right; and oscillations (°). */
interface GaitSample {
  upG: number;
  fwdG: number;
  rightG: number;
  pitchDeg: number;
  rollDeg: number;
}

/** Heel strike: a half-sine pulse at each step, its mean removed (the body does not fly off). */
function heelStrike(g: Gait, tS: number): number {
  const heelS = g.heelMs / 1000;
  const sinceStepS = (tS * g.stepHz) % 1 / g.stepHz;
  const mean = g.heelG * (2 / Math.PI) * heelS * g.stepHz;
  return (sinceStepS < heelS ? g.heelG * Math.sin((Math.PI * sinceStepS) / heelS) : 0) - mean;
}

/** Centripetal acceleration of a turn in progress (g, + right). */
function turnG(g: Gait, uMs: number): number {
  for (const t of g.turns) {
    const v = uMs - t.startMs;
    if (v >= 0 && v < t.durMs) {
      const s = Math.sin((Math.PI * v) / t.durMs);
      return (g.speedMps * t.rateDps * D2R * s * s) / G0;
    }
  }
  return 0;
}

function gaitAt(g: Gait, uMs: number, out: GaitSample): GaitSample {
  const tS = uMs / 1000;
  const w = 2 * Math.PI * g.stepHz * tS;
  out.upG = g.vertG * Math.sin(w + 1.2) + g.harmonicG * Math.sin(2 * w + 0.6) + heelStrike(g, tS);
  out.fwdG = g.apG * Math.sin(w + 2.8);
  out.rightG = g.mlG * Math.sin(w / 2) + turnG(g, uMs);
  out.pitchDeg = g.pitchDeg * Math.sin(w + 0.3);
  out.rollDeg = g.rollDeg * Math.sin(w / 2);
  return out;
}

/** Evaluates a plan's body at increasing times (a moving cursor keeps each lookup O(1)). */
export class BodyModel {
  private i = 0;
  private readonly k: Kinematics = { fwdDeg: 0, latDeg: 0, fwdRateDps: 0, fwdAccDps2: 0, liftAccG: 0 };
  private readonly gs: GaitSample = { upG: 0, fwdG: 0, rightG: 0, pitchDeg: 0, rollDeg: 0 };

  constructor(private readonly plan: Plan, private readonly breathing: Breathing) {}

  /** The piece in force at tMs. */
  pieceAt(tMs: number): Piece {
    const ps = this.plan.pieces;
    while (this.i > 0 && tMs < ps[this.i].startMs) this.i--;
    while (this.i < ps.length - 1 && tMs >= ps[this.i].endMs) this.i++;
    return ps[this.i];
  }

  /** Ground-truth posture at tMs (no breathing, no gait oscillation) into `out`. */
  posture(tMs: number): Kinematics {
    const p = this.pieceAt(tMs);
    return pieceKinematics(p, Math.min(tMs, p.endMs) - p.startMs, this.k);
  }

  /** Specific force at the clip (g, body axes) at tMs into out[0..2]. */
  specificForce(tMs: number, out: Float64Array): void {
    const p = this.pieceAt(tMs);
    const k = pieceKinematics(p, Math.min(tMs, p.endMs) - p.startMs, this.k);
    let fwd = k.fwdDeg;
    let lat = k.latDeg;
    let upG = k.liftAccG, fwdG = 0, rightG = 0;
    if (p.gait) {
      const g = gaitAt(p.gait, tMs - p.startMs, this.gs);
      fwd += g.pitchDeg;
      lat += g.rollDeg;
      upG += g.upG;
      fwdG = g.fwdG;
      rightG = g.rightG;
    }
    const th = fwd * D2R, ph = lat * D2R;
    const st = Math.sin(th), ct = Math.cos(th), sp = Math.sin(ph), cp = Math.cos(ph);
    // World up U, forward F and right R = F × U in body axes.
    const ux = -sp, uy = cp * ct, uz = cp * st;
    const fy = st, fz = -ct;
    const rx = cp, ry = ct * sp, rz = st * sp;
    // The clip rides on the trunk at TRUNK_RADIUS_M from the hips: centripetal along −Y, tangential along −Z.
    const w = k.fwdRateDps * D2R, al = k.fwdAccDps2 * D2R;
    const up = 1 + upG;
    out[0] = up * ux + rightG * rx;
    out[1] = up * uy + fwdG * fy + rightG * ry - (TRUNK_RADIUS_M * w * w) / G0;
    out[2] = up * uz + fwdG * fz + rightG * rz - (TRUNK_RADIUS_M * al) / G0;
    this.breathe(tMs, out);
  }

  /**
   * Breathing tips the upper back by a small angle about both X (pitch, what an upright wearer
   * shows) and Y (the spine, what a wearer lying on a side shows): v += δ × v.
   */
  private breathe(tMs: number, v: Float64Array): void {
    const d = this.breathing.ampDeg * D2R * Math.sin(2 * Math.PI * this.breathing.hz * tMs / 1000);
    const x = v[0], y = v[1], z = v[2];
    v[0] = x + d * z;
    v[1] = y - d * z;
    v[2] = z + d * y - d * x;
  }
}
