/**
 * A scenario's script as data: posture pieces on a timeline (ground-truth forward and lateral
 * angles reached by raised-cosine ramps, the activity, walking gait, trunk lift), the clip's
 * mounting over time (slips, re-mounts) and the wearer's button events (calibrate, snooze).
 */
import type { TraceEventName } from '../../replay/traceCsv.ts';
import type { Mount } from './mounting.ts';

/** What the wearer is really doing (the truth label of every sample). */
export const TRUTH_ACTIVITIES = ['sitting', 'typing', 'phone', 'standing', 'walking', 'lying', 'transition'] as const;
/** A truth activity label. */
export type TruthActivity = (typeof TRUTH_ACTIVITIES)[number];

/** A turn while walking: yaw rate rising and falling as sin² over durMs. */
export interface Turn {
  startMs: number;
  durMs: number;
  rateDps: number;
}

/** Walking: step frequency, trunk accelerations (g) and oscillations (°), turns. */
export interface Gait {
  stepHz: number;
  vertG: number;
  harmonicG: number;
  heelG: number;
  heelMs: number;
  apG: number;
  mlG: number;
  pitchDeg: number;
  rollDeg: number;
  speedMps: number;
  turns: Turn[];
}

/** One stretch of posture, from startMs to endMs. */
export interface Piece {
  startMs: number;
  endMs: number;
  activity: TruthActivity;
  /** Posture at the start of the ramp (the previous piece's end). */
  fromFwdDeg: number;
  fromLatDeg: number;
  /** Posture reached at the end of the ramp. */
  fwdDeg: number;
  latDeg: number;
  rampMs: number;
  /** Slow drift after the ramp (°/min, forward). */
  driftDegPerMin: number;
  /** Vertical rise of the trunk (m) over the ramp: + sit-to-stand, − stand-to-sit. */
  liftM: number;
  gait?: Gait;
}

/** An event at a time; it lands on the first sample at or after atMs. */
export interface PlanEvent {
  atMs: number;
  name: TraceEventName;
}

/** The mount from atMs on. */
export interface MountChange {
  atMs: number;
  mount: Mount;
  cause: 'initial' | 'slip' | 'remount';
}

/** A complete script. */
export interface Plan {
  pieces: Piece[];
  mounts: MountChange[];
  events: PlanEvent[];
  endMs: number;
}

/** Posture at time u (ms) into a piece: angle and its first two time derivatives (°, °/s, °/s²). */
export interface Kinematics {
  fwdDeg: number;
  latDeg: number;
  fwdRateDps: number;
  fwdAccDps2: number;
  liftAccG: number;
}

const G0 = 9.80665;

/** Evaluates a piece's ramp, drift and lift at u ms after its start. */
export function pieceKinematics(p: Piece, u: number, out: Kinematics): Kinematics {
  if (u < p.rampMs) {
    const s = (Math.PI * u) / p.rampMs;
    const k = (1 - Math.cos(s)) / 2;
    const rampS = p.rampMs / 1000;
    const dF = p.fwdDeg - p.fromFwdDeg;
    out.fwdDeg = p.fromFwdDeg + dF * k;
    out.latDeg = p.fromLatDeg + (p.latDeg - p.fromLatDeg) * k;
    out.fwdRateDps = ((dF * Math.PI) / (2 * rampS)) * Math.sin(s);
    out.fwdAccDps2 = ((dF * Math.PI * Math.PI) / (2 * rampS * rampS)) * Math.cos(s);
    out.liftAccG = p.liftM ? ((p.liftM * Math.PI * Math.PI) / (2 * rampS * rampS)) * Math.cos(s) / G0 : 0;
    return out;
  }
  out.fwdDeg = p.fwdDeg + (p.driftDegPerMin * (u - p.rampMs)) / 60000;
  out.latDeg = p.latDeg;
  out.fwdRateDps = 0;
  out.fwdAccDps2 = 0;
  out.liftAccG = 0;
  return out;
}

/** The posture a piece ends in. */
export function pieceEnd(p: Piece): { fwdDeg: number; latDeg: number } {
  const k = pieceKinematics(p, p.endMs - p.startMs, { fwdDeg: 0, latDeg: 0, fwdRateDps: 0, fwdAccDps2: 0, liftAccG: 0 });
  return { fwdDeg: k.fwdDeg, latDeg: k.latDeg };
}
