/**
 * The motion generator: scenario → plan → body specific force → clip mounting → sensor errors,
 * simulated at a high internal rate and averaged to the output rate, with ground-truth labels
 * per sample and per slouch episode. Deterministic: the same scenario and seed give the same trace.
 */
import { defaultSettings } from '../../../shared/config/settings.ts';
import type { TraceSample } from '../../replay/traceCsv.ts';
import { BodyModel } from './body.ts';
import type { Breathing } from './body.ts';
import { slouchEpisodes } from './episodes.ts';
import type { Episode, TruthSample } from './episodes.ts';
import { applyMat3, drawMount, mountMatrix } from './mounting.ts';
import type { Mat3, Mount } from './mounting.ts';
import type { Plan } from './plan.ts';
import { PlanBuilder } from './planBuilder.ts';
import { createRng } from './prng.ts';
import type { Rng } from './prng.ts';
import { IDEAL_SENSOR, SENSOR_PARTS, applySensor, drawSensorErrors, noiseSigmaG, quantise } from './sensor.ts';
import type { SensorErrors, SensorPartKey } from './sensor.ts';

/** A named script of activities. */
export interface Scenario {
  name: string;
  /** One line for `nape simulate --help` and the docs. */
  summary: string;
  /** Seed used when none is given. */
  seed: number;
  /** The initial mount; default drawn by the recipe (psi ±30°, tilt ±15°, yaw ±10°). */
  mount?: (rng: Rng) => Mount;
  build(b: PlanBuilder): void;
}

/** Generator options. */
export interface GenerateOptions {
  seed?: number;
  /** Output rate (Hz), default 12.5. */
  rateHz?: number;
  /** Internal samples per output sample, default 8 (100 Hz at 12.5 Hz). */
  subsamples?: number;
  part?: SensorPartKey;
  /** No sensor errors and no noise: the physics alone. */
  idealSensor?: boolean;
  /** Replaces the scenario's initial mount. */
  mount?: Mount;
}

/** A generated trace with its ground truth. */
export interface GeneratedTrace {
  scenario: string;
  seed: number;
  rateHz: number;
  part: SensorPartKey;
  samples: TraceSample[];
  truth: TruthSample[];
  plan: Plan;
  sensor: SensorErrors;
  breathing: Breathing;
  /** True slouch episodes at the default threshold and delay. */
  episodes: Episode[];
  thresholdDeg: number;
  delayS: number;
}

/** Body→board matrices of a plan's mounts, looked up at increasing times. */
class MountTimeline {
  private i = 0;
  private readonly mats: Mat3[];

  constructor(private readonly plan: Plan) {
    this.mats = plan.mounts.map((m) => mountMatrix(m.mount));
  }

  at(tMs: number): Mat3 {
    const ms = this.plan.mounts;
    while (this.i > 0 && tMs < ms[this.i].atMs) this.i--;
    while (this.i < ms.length - 1 && tMs >= ms[this.i + 1].atMs) this.i++;
    return this.mats[this.i];
  }
}

function attachEvents(plan: Plan, samples: TraceSample[]): void {
  let i = 0;
  for (const e of [...plan.events].sort((a, b) => a.atMs - b.atMs)) {
    while (i < samples.length && samples[i].tMs < e.atMs) i++;
    if (i < samples.length) samples[i].event = e.name;
  }
}

/** Builds a scenario's plan from a seed: the plan, breathing and sensor draws use separate streams. */
function draw(scenario: Scenario, o: GenerateOptions, seed: number): { plan: Plan; breathing: Breathing; sensor: SensorErrors; noise: Rng } {
  const rng = createRng(seed);
  const planRng = rng.fork(1);
  const sensorRng = rng.fork(2);
  const noise = rng.fork(3);
  const mount = o.mount ?? (scenario.mount ? scenario.mount(planRng) : drawMount(planRng));
  const b = new PlanBuilder(planRng, mount);
  scenario.build(b);
  const breathing = { ampDeg: sensorRng.uniform(0.1, 0.5), hz: sensorRng.uniform(12, 20) / 60 };
  const sensor = o.idealSensor ? IDEAL_SENSOR : drawSensorErrors(sensorRng);
  return { plan: b.build(), breathing, sensor, noise };
}

/** Generates a scenario's trace. */
export function generateTrace(scenario: Scenario, o: GenerateOptions = {}): GeneratedTrace {
  const seed = o.seed ?? scenario.seed;
  const rateHz = o.rateHz ?? 12.5;
  const sub = o.subsamples ?? 8;
  const partKey = o.part ?? 'puck';
  const part = SENSOR_PARTS[partKey];
  const { plan, breathing, sensor, noise } = draw(scenario, o, seed);
  const body = new BodyModel(plan, breathing);
  const mounts = new MountTimeline(plan);
  const sigma = o.idealSensor ? 0 : noiseSigmaG(part, rateHz * sub);
  const dtOut = 1000 / rateHz;
  const n = Math.floor((plan.endMs * rateHz) / 1000);
  const f = new Float64Array(3), b = new Float64Array(3), s = new Float64Array(3);
  const samples: TraceSample[] = new Array(n);
  const truth: TruthSample[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const tOut = Math.round(k * dtOut);
    let x = 0, y = 0, z = 0;
    for (let j = 0; j < sub; j++) {
      const t = Math.max(0, tOut - dtOut + ((j + 0.5) * dtOut) / sub);
      body.specificForce(t, f);
      applyMat3(mounts.at(t), f, b);
      applySensor(sensor, b, t / 1000, sigma, noise, s);
      x += s[0];
      y += s[1];
      z += s[2];
    }
    samples[k] = { tMs: tOut, ax: quantise(part, x / sub), ay: quantise(part, y / sub), az: quantise(part, z / sub) };
    const p = body.posture(tOut);
    truth[k] = { fwdDeg: p.fwdDeg, latDeg: p.latDeg, activity: body.pieceAt(tOut).activity };
  }
  attachEvents(plan, samples);
  const d = defaultSettings();
  const episodes = slouchEpisodes(samples.map((q) => q.tMs), truth, d.thresholdDeg, d.delayS);
  return { scenario: scenario.name, seed, rateHz, part: partKey, samples, truth, plan, sensor, breathing, episodes, thresholdDeg: d.thresholdDeg, delayS: d.delayS };
}
