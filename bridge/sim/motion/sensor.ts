/**
 * The accelerometer's errors (posture.md, "Sensor"): offset, scale, cross-axis coupling, white
 * noise from the part's noise density, temperature drift over a warm-up, and the part's
 * quantisation. Applied at the internal rate; quantisation after averaging to the output rate.
 */
import type { Rng } from './prng.ts';

/** An accelerometer part: noise density and resolution at the range the firmware uses. */
export interface SensorPart {
  readonly name: string;
  readonly noiseUgPerRtHz: number;
  readonly lsbPerG: number;
}

/** The parts of the supported boards. */
export const SENSOR_PARTS = {
  // Puck.accelOn reports counts at 8192 per g (espruino.md), whatever the chip could resolve.
  puck: { name: 'LSM6DS3TR-C (Puck.js v2)', noiseUgPerRtHz: 90, lsbPerG: 8192 },
  bangle: { name: 'KX023 (Bangle.js 2)', noiseUgPerRtHz: 100, lsbPerG: 8192 },
  mpu6050: { name: 'MPU-6050 (MDBT42Q rig)', noiseUgPerRtHz: 400, lsbPerG: 16384 },
} as const satisfies Record<string, SensorPart>;

/** A part's key in SENSOR_PARTS. */
export type SensorPartKey = keyof typeof SENSOR_PARTS;

/** One drawn sensor: its fixed errors. */
export interface SensorErrors {
  /** Zero-g offset per axis (g). */
  offsetG: [number, number, number];
  /** Row-major 3×3 gain: 1 + scale error on the diagonal, cross-axis coupling off it. */
  gain: number[];
  /** Offset drift per axis (g/°C). */
  driftGPerC: [number, number, number];
  /** Warm-up: the part heats by warmupC with time constant warmupS after the trace starts. */
  warmupC: number;
  warmupS: number;
}

/** Errors drawn as the recipe says: offsets U(±40 mg), scale ±3%, cross-axis ±2%, drift ~0.5 mg/°C over ~10 °C. */
export function drawSensorErrors(rng: Rng): SensorErrors {
  const gain: number[] = [];
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) gain.push(r === c ? 1 + rng.symmetric(0.03) : rng.symmetric(0.02));
  return {
    offsetG: [rng.symmetric(0.04), rng.symmetric(0.04), rng.symmetric(0.04)],
    gain,
    driftGPerC: [rng.symmetric(0.0005), rng.symmetric(0.0005), rng.symmetric(0.0005)],
    warmupC: rng.uniform(8, 12),
    warmupS: rng.uniform(300, 900),
  };
}

/** A sensor with no errors at all (tests of the physics alone). */
export const IDEAL_SENSOR: SensorErrors = {
  offsetG: [0, 0, 0], gain: [1, 0, 0, 0, 1, 0, 0, 0, 1], driftGPerC: [0, 0, 0], warmupC: 0, warmupS: 1,
};

/** White-noise standard deviation (g) per sample at a sampling rate with bandwidth half of it. */
export function noiseSigmaG(part: SensorPart, sampleHz: number): number {
  return part.noiseUgPerRtHz * 1e-6 * Math.sqrt(sampleHz / 2);
}

/**
 * out = gain·v + offset + drift·ΔT(t) + noise, for one internal sample. `noiseG` is the
 * per-sample sigma; pass 0 for a noiseless sensor.
 */
export function applySensor(e: SensorErrors, v: Float64Array, tS: number, noiseG: number, rng: Rng, out: Float64Array): void {
  const dT = e.warmupC * (1 - Math.exp(-tS / e.warmupS));
  const g = e.gain;
  const x = v[0], y = v[1], z = v[2];
  out[0] = g[0] * x + g[1] * y + g[2] * z + e.offsetG[0] + e.driftGPerC[0] * dT + (noiseG ? noiseG * rng.gauss() : 0);
  out[1] = g[3] * x + g[4] * y + g[5] * z + e.offsetG[1] + e.driftGPerC[1] * dT + (noiseG ? noiseG * rng.gauss() : 0);
  out[2] = g[6] * x + g[7] * y + g[8] * z + e.offsetG[2] + e.driftGPerC[2] * dT + (noiseG ? noiseG * rng.gauss() : 0);
}

/** A reading rounded to the part's resolution. */
export function quantise(part: SensorPart, g: number): number {
  return Math.round(g * part.lsbPerG) / part.lsbPerG;
}
