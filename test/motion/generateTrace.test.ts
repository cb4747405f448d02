// The motion generator: determinism per seed, physics sanity (1 g when still, walking cadence,
// mounting rotation invisible after calibration), labels consistent with the truth, speed.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/config/settings.ts';
import { replayTrace } from '../../bridge/replay/replayTrace.ts';
import { formatTraceCsv } from '../../bridge/replay/traceCsv.ts';
import { generateTrace } from '../../bridge/sim/motion/generateTrace.ts';
import type { GenerateOptions, Scenario } from '../../bridge/sim/motion/generateTrace.ts';
import { TRUTH_ACTIVITIES } from '../../bridge/sim/motion/plan.ts';
import type { PlanBuilder } from '../../bridge/sim/motion/planBuilder.ts';
import { SCENARIOS, findScenario } from '../../bridge/sim/motion/scenarios.ts';

const scenario = (build: (b: PlanBuilder) => void): Scenario => ({ name: 'test', summary: 'test', seed: 9, build });
const gen = (build: (b: PlanBuilder) => void, o: GenerateOptions = {}) => generateTrace(scenario(build), o);
const norm = (s: { ax: number; ay: number; az: number }) => Math.hypot(s.ax, s.ay, s.az);

describe('motion generator', () => {
  it('gives the same bytes for the same seed and different ones for another seed', () => {
    const sc = findScenario('phone-heavy')!;
    const a = formatTraceCsv(generateTrace(sc, { seed: 42 }).samples);
    const b = formatTraceCsv(generateTrace(sc, { seed: 42 }).samples);
    const c = formatTraceCsv(generateTrace(sc, { seed: 43 }).samples);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('reads 1 g when the wearer is still, at any posture and mount', () => {
    const tr = gen((b) => b.hold('sitting', 20, 0, 0).hold('typing', 20, 25, 5).hold('lying', 20, -85, 10), { idealSensor: true });
    const settled = tr.samples.filter((s) => s.tMs % 20000 > 3000);
    for (const s of settled) expect(Math.abs(norm(s) - 1)).toBeLessThan(0.01);
    // With the sensor's errors it is still 1 g within offsets and scale (±40 mg, ±3%).
    const real = gen((b) => b.hold('sitting', 20, 0, 0));
    for (const s of real.samples.slice(50)) expect(Math.abs(norm(s) - 1)).toBeLessThan(0.1);
  });

  it('shows the walking cadence at the step frequency the plan drew', () => {
    const tr = gen((b) => b.walk(60), { idealSensor: true });
    const stepHz = tr.plan.pieces[0].gait!.stepHz;
    const m = tr.samples.map(norm);
    const mean = m.reduce((a, b) => a + b, 0) / m.length;
    let best = 0, bestHz = 0;
    for (let hz = 0.5; hz <= 3; hz += 0.01) {
      let re = 0, im = 0;
      m.forEach((v, i) => {
        const ph = 2 * Math.PI * hz * tr.samples[i].tMs / 1000;
        re += (v - mean) * Math.cos(ph);
        im += (v - mean) * Math.sin(ph);
      });
      if (re * re + im * im > best) [best, bestHz] = [re * re + im * im, hz];
    }
    expect(stepHz).toBeGreaterThanOrEqual(1.6);
    expect(stepHz).toBeLessThanOrEqual(2.1);
    expect(Math.abs(bestHz - stepHz)).toBeLessThan(0.03);
    // Vertical swing of the trunk: 0.2–0.3 g plus harmonics and heel strikes.
    expect(Math.max(...m) - Math.min(...m)).toBeGreaterThan(0.3);
  });

  it('keeps the detected forward angle after calibration whatever the mount', () => {
    const build = (b: PlanBuilder) => b.sit(5).calibrate().hold('typing', 30, 10, 0).hold('typing', 30, 30, 0);
    for (const mount of [{ psiDeg: 0, tiltDeg: 0, yawDeg: 0 }, { psiDeg: 40, tiltDeg: 12, yawDeg: -8 }, { psiDeg: -30, tiltDeg: -15, yawDeg: 10 }]) {
      const tr = gen(build, { mount });
      const rows = replayTrace(tr.samples, defaultSettings());
      for (const at of [40, 70]) {
        const i = tr.samples.findIndex((s) => s.tMs >= at * 1000);
        expect(Math.abs(rows[i].angleDeg - tr.truth[i].fwdDeg), `mount ${JSON.stringify(mount)} at ${at} s`).toBeLessThan(1);
      }
    }
  });

  it('labels every sample and episode consistently with the truth', () => {
    const tr = generateTrace(findScenario('sofa-evening')!);
    expect(tr.truth).toHaveLength(tr.samples.length);
    for (const t of tr.truth) expect(TRUTH_ACTIVITIES).toContain(t.activity);
    const lying = tr.truth.filter((t) => t.activity === 'lying');
    expect(lying.length).toBeGreaterThan(0);
    for (const t of lying) expect(Math.hypot(t.fwdDeg, t.latDeg)).toBeGreaterThan(60);
    expect(tr.samples.filter((s) => s.event === 'calibrate')).toHaveLength(1);
    const office = generateTrace(findScenario('office-day')!);
    expect(office.episodes.length).toBeGreaterThan(10);
    const idx = new Map(office.samples.map((s, i) => [s.tMs, i]));
    for (const ep of office.episodes) {
      expect(ep.endMs - ep.onsetMs).toBeGreaterThanOrEqual(office.delayS * 1000);
      expect(office.truth[idx.get(ep.onsetMs)!].fwdDeg).toBeGreaterThanOrEqual(office.thresholdDeg);
      expect(office.truth[idx.get(ep.onsetMs)! - 1].fwdDeg).toBeLessThan(office.thresholdDeg);
      expect(ep.peakDeg).toBeGreaterThanOrEqual(ep.meanDeg);
    }
  });

  it('generates every library scenario, the 8 h office day in well under a few seconds', () => {
    for (const sc of SCENARIOS) {
      const t0 = performance.now();
      const tr = generateTrace(sc);
      const ms = performance.now() - t0;
      expect(tr.samples.some((s) => s.event === 'calibrate'), sc.name).toBe(true);
      expect(tr.samples.findIndex((s, i) => i > 0 && s.tMs - tr.samples[i - 1].tMs !== 80), sc.name).toBe(-1);
      if (sc.name === 'office-day') {
        expect(tr.samples.length).toBe(8 * 3600 * 12.5);
        expect(ms).toBeLessThan(4000);
      }
    }
    expect(generateTrace(findScenario('clip-slips')!).plan.mounts.filter((m) => m.cause === 'slip').length).toBeGreaterThan(1);
    expect(generateTrace(findScenario('remount-recalibrate')!).plan.mounts.map((m) => m.cause)).toEqual(['initial', 'remount']);
    expect(Math.abs(generateTrace(findScenario('clip-rotated-40')!).plan.mounts[0].mount.psiDeg)).toBe(40);
  });
});
