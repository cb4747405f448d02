// Activity: still, moving, walking, lying, unworn, from synthetic truth.
import { describe, expect, it } from 'vitest';
import { ACT_LYING, ACT_MOVING, ACT_STILL, ACT_UNWORN, ACT_WALKING } from '../../shared/posture/activity.ts';
import { readySim } from './synth.ts';
import { defaultSettings } from '../../shared/config/settings.ts';
import { createPosture, stepPosture } from '../../shared/posture/engine.ts';

const S = 1000;

describe('activity', () => {
  it('keeps breathing and typing-like jitter still', () => {
    const sim = readySim({ noiseG: 0.004 });
    const seen = new Set<number>();
    sim.run([{ fwdDeg: 8, durS: 120 }], (_s, st) => seen.add(st.activity));
    expect([...seen]).toEqual([ACT_STILL]);
  });

  it('recognises walking within ~2.5 s and reads its mean posture', () => {
    const sim = readySim();
    let walking = 0, n = 0, firstWalk = -1;
    const t0 = sim.t;
    const errs: number[] = [];
    sim.run([{ fwdDeg: 5, durS: 60, walk: true }], (s, st) => {
      n++;
      if (st.activity === ACT_WALKING) {
        walking++;
        if (firstWalk < 0) firstWalk = s.t - t0;
      }
      if (s.t - t0 > 10 * S) errs.push(st.angleDeg - 5);
    });
    expect(firstWalk).toBeLessThan(2.6 * S);
    expect(walking / n).toBeGreaterThan(0.95);
    // 2 s means of the filtered angle during walking
    let se = 0, k = 0;
    for (let i = 0; i + 25 <= errs.length; i += 25, k++) {
      const m = errs.slice(i, i + 25).reduce((a, b) => a + b, 0) / 25;
      se += m * m;
    }
    const rmse = Math.sqrt(se / k);
    console.log('walking 2 s mean posture RMSE: ' + rmse.toFixed(3) + '°, walking detected ' + (100 * walking / n).toFixed(1) + '% from ' + firstWalk + ' ms');
    expect(rmse).toBeLessThan(1.5);
  });

  it('reads fidgeting as moving, not walking', () => {
    const sim = readySim();
    let moving = 0, walking = 0, n = 0;
    sim.run([{ fwdDeg: 5, durS: 60, fidgetG: 0.08 }], (_s, st) => {
      n++;
      if (st.activity === ACT_MOVING) moving++;
      if (st.activity === ACT_WALKING) walking++;
    });
    expect(walking).toBe(0);
    expect(moving / n).toBeGreaterThan(0.8);
  });

  it('reads lying beyond 62° after 3 s and leaves it below 55°', () => {
    const sim = readySim();
    // A step to 70°: the filtered angle (τ 1.5 s) passes 62° after 1.5·ln(70/8) ≈ 3.3 s, + 3 s hold.
    sim.run([{ fwdDeg: 70, durS: 6, rampS: 0 }]);
    expect(sim.st.activity).not.toBe(ACT_LYING);
    sim.run([{ fwdDeg: 70, durS: 0.6 }]);
    expect(sim.st.activity).toBe(ACT_LYING);
    sim.run([{ fwdDeg: 58, durS: 10, rampS: 0 }]);
    expect(sim.st.activity).toBe(ACT_LYING);
    sim.run([{ fwdDeg: 40, durS: 10, rampS: 0 }]);
    expect(sim.st.activity).not.toBe(ACT_LYING);
  });

  it('reads unworn after a few minutes on a table and leaves at once when picked up', () => {
    const sim = readySim();
    let firstUnworn = -1;
    const t0 = sim.t;
    sim.run([{ fwdDeg: 90, durS: 240, table: true }], (s, st) => {
      if (firstUnworn < 0 && st.activity === ACT_UNWORN) firstUnworn = s.t - t0;
    });
    expect(sim.st.activity).toBe(ACT_UNWORN);
    // 2.5 min of quiet, counted once the filter has settled from the 90° move (~10 s)
    expect(firstUnworn).toBeGreaterThan(150 * S);
    expect(firstUnworn).toBeLessThan(180 * S);
    sim.run([{ fwdDeg: 0, durS: 1 }]);
    expect(sim.st.activity).not.toBe(ACT_UNWORN);
    expect(sim.st.unworn).toBe(false);
  });

  it('never reads a breathing wearer as unworn', () => {
    for (const breathDeg of [0.3, 0.2, 0.1]) {
      const sim = readySim({ breathDeg });
      sim.run([{ fwdDeg: 3, durS: 600 }, { fwdDeg: 85, durS: 300 }]);
      expect(sim.minutes.every((m) => m.unwornS === 0), 'breath ' + breathDeg).toBe(true);
    }
  });
});

describe('a clip that is not worn', () => {
  it('wakes on a jolt that does not tilt it, and on a tilt without a jolt', () => {
    for (const wake of [(t: number) => ({ x: 0, y: 0, z: 1 + 0.2 * Math.sin(t / 40) }), () => ({ x: Math.sin(0.02), y: 0, z: Math.cos(0.02) })]) {
      const st = createPosture(defaultSettings());
      let t = 0;
      for (; t < 200_000; t += 80) stepPosture(st, 0, 0, 1, t);
      expect(st.unworn).toBe(true);
      const end = t + 1500;
      for (; t < end; t += 80) {
        const a = wake(t);
        stepPosture(st, a.x, a.y, a.z, t);
      }
      expect(st.unworn).toBe(false);
    }
  });
});
