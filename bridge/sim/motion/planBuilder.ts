/**
 * Writes a Plan activity by activity, with the posture.md recipe's distributions: sitting,
 * typing with slouch episodes, phone use with glances, standing, walking, lying, the
 * transitions between them, calibration, clip slips and re-mounts. Seeded: the same Rng
 * gives the same plan.
 */
import { drawMount, slipMount } from './mounting.ts';
import type { Mount } from './mounting.ts';
import { pieceEnd } from './plan.ts';
import type { TraceEventName } from '../../replay/traceCsv.ts';
import type { Gait, MountChange, Piece, Plan, PlanEvent, Turn, TruthActivity } from './plan.ts';
import type { Rng } from './prng.ts';

/** Options of one piece. */
export interface HoldOptions {
  rampS?: number;
  driftDegPerMin?: number;
  liftM?: number;
  gait?: Gait;
}

const S = 1000;
const HIP_TO_C7_LIFT_M = 0.45;

/** Appends activities at a moving cursor; `build()` returns the finished plan. */
export class PlanBuilder {
  tMs = 0;
  fwdDeg = 0;
  latDeg = 0;
  private readonly pieces: Piece[] = [];
  private readonly events: PlanEvent[] = [];
  private readonly mounts: MountChange[];

  constructor(readonly rng: Rng, mount: Mount) {
    this.mounts = [{ atMs: 0, mount, cause: 'initial' }];
  }

  /** The mount in force now. */
  get mount(): Mount {
    return this.mounts[this.mounts.length - 1].mount;
  }

  /** Holds a posture for durS, reached by a raised-cosine ramp (default 1–2 s). */
  hold(activity: TruthActivity, durS: number, fwdDeg: number, latDeg: number, o: HoldOptions = {}): this {
    const durMs = Math.max(1, Math.round(durS * S));
    const rampMs = Math.min(durMs, Math.round((o.rampS ?? this.rng.uniform(1, 2)) * S));
    const p: Piece = {
      startMs: this.tMs, endMs: this.tMs + durMs, activity, fromFwdDeg: this.fwdDeg, fromLatDeg: this.latDeg,
      fwdDeg, latDeg, rampMs, driftDegPerMin: o.driftDegPerMin ?? 0, liftM: o.liftM ?? 0, gait: o.gait,
    };
    this.pieces.push(p);
    this.tMs = p.endMs;
    const end = pieceEnd(p);
    this.fwdDeg = end.fwdDeg;
    this.latDeg = end.latDeg;
    return this;
  }

  /** A button press now (plus offsetS). */
  press(name: TraceEventName, offsetS = 0): this {
    this.events.push({ atMs: this.tMs + offsetS * S, name });
    return this;
  }

  /** Upright sitting near 0° with slow drift (≤ 1°/10 min). */
  sit(durS: number): this {
    return this.hold('sitting', durS, this.rng.uniform(-2, 3), this.rng.symmetric(2), { driftDegPerMin: this.rng.symmetric(0.1) });
  }

  /** Leaning back on a sofa or chair. */
  leanBack(durS: number): this {
    return this.hold('sitting', durS, -this.rng.uniform(15, 25), this.rng.symmetric(5), { driftDegPerMin: this.rng.symmetric(0.1) });
  }

  /** Typing at 5–15° with slouch episodes of +15–30° lasting 10 s–10 min. */
  typing(durS: number): this {
    const base = this.rng.uniform(5, 15);
    const lat = this.rng.symmetric(3);
    const end = this.tMs + durS * S;
    while (end - this.tMs > 5 * S) {
      const calmS = Math.min((end - this.tMs) / S, this.rng.uniform(30, 400));
      this.hold('typing', calmS, base + this.rng.symmetric(1.5), lat, { driftDegPerMin: this.rng.symmetric(0.1) });
      const left = (end - this.tMs) / S;
      if (left < 15) break;
      const slouchS = Math.min(left - 5, Math.exp(this.rng.uniform(Math.log(10), Math.log(600))));
      this.hold('typing', slouchS, base + this.rng.uniform(15, 30), lat + this.rng.symmetric(3));
    }
    return this.hold('typing', Math.max(0.1, (end - this.tMs) / S), base, lat);
  }

  /** Phone use at 10–25° with 1–5 s glances of +20–40° (false-alarm bait). */
  phone(durS: number): this {
    const base = this.rng.uniform(10, 25);
    const lat = this.rng.symmetric(3);
    const end = this.tMs + durS * S;
    this.hold('phone', Math.min(durS, this.rng.uniform(3, 10)), base, lat);
    while (end - this.tMs > 12 * S) {
      const glanceS = this.rng.uniform(1, 5);
      this.hold('phone', glanceS, base + this.rng.uniform(20, 40), lat, { rampS: Math.min(0.8, glanceS / 3) });
      this.hold('phone', Math.min((end - this.tMs) / S, this.rng.uniform(5, 30)), base, lat, { rampS: this.rng.uniform(0.4, 0.8) });
    }
    return this.hold('phone', Math.max(0.1, (end - this.tMs) / S), base, lat);
  }

  /** Standing at 0–5°. */
  stand(durS: number): this {
    return this.hold('standing', durS, this.rng.uniform(0, 5), this.rng.symmetric(2));
  }

  /** Walking at ~5° with gait accelerations and a turn every 20–60 s. */
  walk(durS: number): this {
    const durMs = durS * S;
    const turns: Turn[] = [];
    for (let t = this.rng.uniform(10, 40) * S; t < durMs - 3 * S; t += this.rng.uniform(20, 60) * S) {
      turns.push({ startMs: t, durMs: this.rng.uniform(1, 2) * S, rateDps: this.rng.uniform(60, 120) * (this.rng.next() < 0.5 ? -1 : 1) });
    }
    const gait: Gait = {
      stepHz: this.rng.uniform(1.6, 2.1), vertG: this.rng.uniform(0.2, 0.3), harmonicG: 0.08,
      heelG: this.rng.uniform(0.3, 0.5), heelMs: this.rng.uniform(30, 50), apG: this.rng.uniform(0.1, 0.2),
      mlG: this.rng.uniform(0.05, 0.1), pitchDeg: 1.5, rollDeg: 2, speedMps: this.rng.uniform(1.1, 1.5), turns,
    };
    return this.hold('walking', durS, this.rng.uniform(3, 7), this.rng.symmetric(2), { gait });
  }

  /** Lying on the back (80–95° back, rolled) or on a side. */
  lie(durS: number): this {
    const side = this.rng.next() < 0.4;
    const fwd = side ? -this.rng.uniform(0, 15) : -this.rng.uniform(80, 95);
    const lat = side ? this.rng.uniform(75, 90) * (this.rng.next() < 0.5 ? -1 : 1) : this.rng.symmetric(20);
    this.hold('transition', 2, fwd, lat, { rampS: 2 });
    return this.hold('lying', durS, fwd, lat, { rampS: 0 });
  }

  /** From lying (or anything) back to upright sitting over 2 s. */
  getUp(): this {
    return this.hold('transition', 2, this.rng.uniform(0, 10), 0, { rampS: 2 });
  }

  /** Sit-to-stand: the trunk tips to 30–45° while the hips rise, then straightens. */
  standUp(): this {
    const leanS = this.rng.uniform(0.6, 1);
    this.hold('transition', leanS, this.rng.uniform(30, 45), this.latDeg, { rampS: leanS });
    const riseS = this.rng.uniform(0.8, 1.2);
    return this.hold('transition', riseS, this.rng.uniform(0, 5), 0, { rampS: riseS, liftM: HIP_TO_C7_LIFT_M });
  }

  /** Stand-to-sit: leaning forward while the hips go down, then back to sitting. */
  sitDown(): this {
    const lowerS = this.rng.uniform(0.8, 1.2);
    this.hold('transition', lowerS, this.rng.uniform(25, 40), this.latDeg, { rampS: lowerS, liftM: -HIP_TO_C7_LIFT_M });
    const backS = this.rng.uniform(0.8, 1.2);
    return this.hold('transition', backS, this.rng.uniform(0, 5), 0, { rampS: backS });
  }

  /** Sits (or stands) upright at 0° and presses calibrate once settled, as the user guide says. */
  calibrate(activity: 'sitting' | 'standing' = 'sitting'): this {
    const start = this.tMs;
    this.hold(activity, 10, 0, 0, { rampS: 1.5 });
    this.events.push({ atMs: start + 4 * S, name: 'calibrate' });
    return this;
  }

  /** The clip slips by 2–10° on one axis, unnoticed. */
  slip(): this {
    this.mounts.push({ atMs: this.tMs, mount: slipMount(this.mount, this.rng), cause: 'slip' });
    return this;
  }

  /** The clip is taken off and put back on differently (a new mount). */
  remount(mount: Mount = drawMount(this.rng)): this {
    this.mounts.push({ atMs: this.tMs, mount, cause: 'remount' });
    return this;
  }

  /** Sit-to-stand, a short walk, stand-to-sit: a break from the desk. */
  deskBreak(walkMin: number): this {
    this.standUp().stand(this.rng.uniform(5, 60)).walk(walkMin * 60).stand(this.rng.uniform(10, 90));
    return this.walk(walkMin * 60).stand(this.rng.uniform(3, 15)).sitDown();
  }

  /** The finished plan. */
  build(): Plan {
    return { pieces: this.pieces.slice(), mounts: this.mounts.slice(), events: this.events.slice(), endMs: this.tMs };
  }
}
