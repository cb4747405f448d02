// Synthetic clip samples for the posture tests (posture.md, "A realistic motion generator"),
// deterministic from a seed, and a small harness that feeds them through the engine.
// Body frame: X = wearer's right, Y = up the spine, Z = out of the back.
import { defaultSettings } from '../../shared/config/settings.ts';
import type { Settings } from '../../shared/config/settings.ts';
import { calibrate, createPosture, stepPosture } from '../../shared/posture/engine.ts';
import type { PostureEffect, PostureState } from '../../shared/posture/engine.ts';
import { createMinute, stepMinute } from '../../shared/posture/minute.ts';
import type { MinuteState, MinuteSummary } from '../../shared/posture/minute.ts';
import { mulberry32 } from '../../bridge/sim/motion/prng.ts';

export const RATE_HZ = 12.5;
export const DT_MS = 1000 / RATE_HZ;
const D2R = Math.PI / 180;
const SUB = 4; // internal rate 50 Hz, averaged down to 12.5 Hz
const STEP_HZ = 1.8;
const BREATH_HZ = 15 / 60;

/** A stretch of posture. The angles are reached by a linear ramp of rampS (default 1 s) at its start. */
export interface Segment {
  fwdDeg: number;
  latDeg?: number;
  durS: number;
  rampS?: number;
  walk?: boolean;
  /** Lying on a table: no breathing, no body at all. */
  table?: boolean;
  /** Breathing sway amplitude (deg) for this segment; default from the synth. */
  breathDeg?: number;
  /** Irregular trunk acceleration (fidgeting, reaching), peak g. */
  fidgetG?: number;
}

/** How the clip sits on the back: turned by psi about its normal, pitched by tilt, turned sideways by yaw. */
export interface Mount {
  psiDeg: number;
  tiltDeg?: number;
  yawDeg?: number;
  flipZ?: boolean;
  offsetG?: [number, number, number];
  scale?: [number, number, number];
}

export interface Sample {
  t: number;
  x: number;
  y: number;
  z: number;
  /** Ground truth (no sway): forward and lateral angle, walking. */
  fwdDeg: number;
  latDeg: number;
  walking: boolean;
}

/** mulberry32: small, fast, good enough for test noise (the motion generator's own). */
export const prng = mulberry32;

function gauss(rnd: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
}

/** Body-frame vector into board axes: v_board = Bᵀ v_body, B = Rx(tilt)·Ry(yaw)·Rz(psi)·(flip ? Ry(180°) : I). */
export function toBoard(m: Mount, v: [number, number, number]): [number, number, number] {
  let x = v[0], y = v[1], z = v[2];
  let a = -(m.tiltDeg ?? 0) * D2R;
  [y, z] = [y * Math.cos(a) - z * Math.sin(a), y * Math.sin(a) + z * Math.cos(a)];
  a = -(m.yawDeg ?? 0) * D2R;
  [x, z] = [x * Math.cos(a) + z * Math.sin(a), -x * Math.sin(a) + z * Math.cos(a)];
  a = -m.psiDeg * D2R;
  [x, y] = [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)];
  if (m.flipZ) {
    x = -x;
    z = -z;
  }
  return [x, y, z];
}

/** Reading of a still body at forward θ, lateral φ: forward angle θ and lateral φ exactly. */
export function bodyUp(fwdDeg: number, latDeg: number): [number, number, number] {
  const t = fwdDeg * D2R, p = latDeg * D2R;
  return [-Math.sin(p), Math.cos(p) * Math.cos(t), Math.cos(p) * Math.sin(t)];
}

export interface SynthOptions {
  seed?: number;
  t0Ms?: number;
  mount?: Mount;
  noiseG?: number;
  breathDeg?: number;
}

/** Generates samples segment after segment, continuing in time and angle between calls. */
export class Synth {
  t: number;
  fwd = 0;
  lat = 0;
  mount: Mount;
  noiseG: number;
  breathDeg: number;
  private rnd: () => number;

  constructor(o: SynthOptions = {}) {
    this.t = o.t0Ms ?? 0;
    this.mount = o.mount ?? { psiDeg: 0 };
    this.noiseG = o.noiseG ?? 0.001;
    this.breathDeg = o.breathDeg ?? 0.3;
    this.rnd = prng(o.seed ?? 1);
  }

  samples(segs: Segment[]): Sample[] {
    const out: Sample[] = [];
    for (const seg of segs) {
      const f0 = this.fwd, l0 = this.lat;
      const f1 = seg.fwdDeg, l1 = seg.latDeg ?? 0;
      const rampMs = (seg.rampS ?? 1) * 1000;
      const n = Math.round(seg.durS * RATE_HZ);
      const breath = seg.table ? 0 : (seg.breathDeg ?? this.breathDeg);
      const at = (u: number, a0: number, a1: number) => (rampMs <= 0 || u >= rampMs ? a1 : u <= 0 ? a0 : a0 + ((a1 - a0) * u) / rampMs);
      for (let k = 0; k < n; k++) {
        const u = k * DT_MS;
        const acc = [0, 0, 0];
        for (let j = 0; j < SUB; j++) {
          const du = (j - (SUB - 1) / 2) * (DT_MS / SUB);
          const ts = (this.t + du) / 1000;
          let th = at(u + du, f0, f1) + breath * Math.sin(2 * Math.PI * BREATH_HZ * ts);
          let ph = at(u + du, l0, l1);
          const lin = [0, 0, 0];
          if (seg.walk) {
            const w = 2 * Math.PI * STEP_HZ * ts;
            th += 1.5 * Math.sin(w + 0.3);
            ph += 2 * Math.sin(w / 2);
            const inStep = (ts * STEP_HZ) % 1 / STEP_HZ; // s since the last heel strike
            const heel = inStep < 0.04 ? 0.4 * Math.sin((Math.PI * inStep) / 0.04) : 0;
            lin[1] = 0.25 * Math.sin(w + 1.2) + 0.08 * Math.sin(2 * w + 0.6) + heel;
            lin[2] = 0.15 * Math.sin(w + 2.8);
            lin[0] = 0.07 * Math.sin(w / 2);
          }
          if (seg.fidgetG) {
            const f = seg.fidgetG / 2;
            lin[1] += f * (Math.sin(2 * Math.PI * 0.37 * ts) + Math.sin(2 * Math.PI * 1.13 * ts + 1));
            lin[2] += f * (Math.sin(2 * Math.PI * 0.53 * ts + 2) + Math.sin(2 * Math.PI * 0.91 * ts));
          }
          const g = bodyUp(th, ph);
          for (let i = 0; i < 3; i++) acc[i] += (g[i] + lin[i]) / SUB;
        }
        const b = toBoard(this.mount, acc as [number, number, number]);
        const off = this.mount.offsetG ?? [0, 0, 0];
        const sc = this.mount.scale ?? [1, 1, 1];
        const r = [0, 1, 2].map((i) => b[i] * sc[i] + off[i] + this.noiseG * gauss(this.rnd));
        out.push({ t: this.t, x: r[0], y: r[1], z: r[2], fwdDeg: at(u, f0, f1), latDeg: at(u, l0, l1), walking: !!seg.walk });
        this.t += DT_MS;
      }
      this.fwd = f1;
      this.lat = l1;
    }
    return out;
  }
}

export interface Logged {
  t: number;
  e: PostureEffect;
}

/** The engine and minute summariser driven by a Synth, with every effect and summary logged. */
export class Sim {
  syn: Synth;
  st: PostureState;
  mn: MinuteState = createMinute();
  log: Logged[] = [];
  minutes: MinuteSummary[] = [];

  constructor(o: SynthOptions & { settings?: Partial<Settings> } = {}) {
    this.syn = new Synth(o);
    this.st = createPosture({ ...defaultSettings(), ...(o.settings ?? {}) });
  }

  get t(): number {
    return this.syn.t;
  }

  run(segs: Segment[], each?: (s: Sample, st: PostureState) => void): void {
    for (const s of this.syn.samples(segs)) {
      for (const e of stepPosture(this.st, s.x, s.y, s.z, s.t)) this.log.push({ t: s.t, e });
      const m = stepMinute(this.mn, this.st, s.t);
      if (m) this.minutes.push(m);
      if (each) each(s, this.st);
    }
  }

  /** Opens a calibration window at the current posture and holds it for durS. */
  calibrate(durS = 3): void {
    calibrate(this.st, this.t);
    this.run([{ fwdDeg: this.syn.fwd, latDeg: this.syn.lat, durS, rampS: 0 }]);
  }

  /** Logged effects of one name (and kind). */
  find(name: string, kind: 'buzz' | 'event' = 'event'): Logged[] {
    return this.log.filter((l) => l.e.name === name && l.e.kind === kind);
  }
}

/** A Sim already calibrated upright (1 s settling, 3 s window, 5 s upright after). */
export function readySim(o: SynthOptions & { settings?: Partial<Settings> } = {}): Sim {
  const sim = new Sim(o);
  sim.run([{ fwdDeg: 0, durS: 1 }]);
  sim.calibrate();
  sim.run([{ fwdDeg: 0, durS: 5 }]);
  return sim;
}
