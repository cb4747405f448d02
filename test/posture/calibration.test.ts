// Calibration, mounting invariance, auto-recalibration and clip-moved detection.
import { describe, expect, it } from 'vitest';
import { ACT_UNCALIBRATED } from '../../shared/posture/activity.ts';
import { calibrate, restoreCalibration } from '../../shared/posture/engine.ts';
import { prng, readySim, Sim } from './synth.ts';
import type { Mount } from './synth.ts';

const S = 1000;

/** Filtered angles after holding (fwd, lat) for 12 s, breathing off so the truth is exact. */
function settled(sim: Sim, fwdDeg: number, latDeg: number): [number, number] {
  sim.run([{ fwdDeg, latDeg, durS: 12, breathDeg: 0 }]);
  return [sim.st.angleDeg, sim.st.lateralDeg];
}

describe('calibration', () => {
  it('is uncalibrated with NaN angles until a calibration completes', () => {
    const sim = new Sim();
    sim.run([{ fwdDeg: 10, durS: 5 }]);
    expect(sim.st.activity).toBe(ACT_UNCALIBRATED);
    expect(sim.st.angleDeg).toBeNaN();
    expect(sim.st.lateralDeg).toBeNaN();
    sim.calibrate();
    expect(sim.st.calibrated).toBe(true);
    expect(sim.st.calibrating).toBe(false);
    expect(sim.log.map((l) => l.e.kind + ':' + l.e.name)).toEqual(['buzz:calibrated', 'event:calibrated']);
  });

  it('reads forward and right leans with the right signs', () => {
    const sim = readySim();
    const f = settled(sim, 20, 0);
    expect(f[0]).toBeCloseTo(20, 0);
    expect(Math.abs(f[1])).toBeLessThan(0.3);
    const r = settled(sim, 0, 12);
    expect(r[1]).toBeCloseTo(12, 0);
    const b = settled(sim, -12, -8);
    expect(b[0]).toBeCloseTo(-12, 0);
    expect(b[1]).toBeCloseTo(-8, 0);
  });

  it('reads the same angles whatever the clip rotation in the plane of the back', () => {
    for (const psiDeg of [0, 35, -30, 90]) {
      for (const flipZ of [false, true]) {
        const sim = readySim({ mount: { psiDeg, tiltDeg: 10, flipZ }, settings: { flipZ } });
        for (const [f, l] of [[25, 0], [10, -6], [-8, 5], [40, 10]]) {
          const got = settled(sim, f, l);
          expect(Math.abs(got[0] - f), 'psi ' + psiDeg + ' fwd ' + f).toBeLessThan(1);
          expect(Math.abs(got[1] - l), 'psi ' + psiDeg + ' lat ' + l).toBeLessThan(1);
        }
      }
    }
  });

  it('meets the static RMSE target over random mountings', () => {
    const rnd = prng(42);
    const u = (a: number) => (rnd() * 2 - 1) * a;
    let se = 0, seYaw = 0, seOff = 0, n = 0, worst = 0;
    for (let trial = 0; trial < 40; trial++) {
      const base: Mount = { psiDeg: u(30), tiltDeg: u(15) };
      const yaw: Mount = { ...base, yawDeg: u(10) };
      const off: Mount = { ...base, offsetG: [u(0.04), u(0.04), u(0.04)], scale: [1 + u(0.03), 1 + u(0.03), 1 + u(0.03)] };
      const sims = [base, yaw, off].map((mount) => readySim({ mount, seed: trial + 1, breathDeg: 0 }));
      for (let k = 0; k < 4; k++) {
        const truth = -10 + rnd() * 55;
        const e = sims.map((sim) => settled(sim, truth, 0)[0] - truth);
        se += e[0] * e[0];
        seYaw += e[1] * e[1];
        seOff += e[2] * e[2];
        worst = Math.max(worst, Math.abs(e[0]));
        n++;
      }
    }
    const rmse = Math.sqrt(se / n);
    console.log('static RMSE, psi ±30° tilt ±15°: ' + rmse.toFixed(3) + '° (worst ' + worst.toFixed(3) +
      '°); + yaw ±10°: ' + Math.sqrt(seYaw / n).toFixed(3) + '°; + offsets ±40 mg, scale ±3%: ' + Math.sqrt(seOff / n).toFixed(3) + '°');
    expect(rmse).toBeLessThanOrEqual(1.0);
  });

  it('fails while the wearer keeps moving for 10 s', () => {
    const sim = readySim();
    const t0 = sim.t;
    calibrate(sim.st, t0);
    sim.run([{ fwdDeg: 0, durS: 12, walk: true }]);
    const failed = sim.find('calibrationFailed');
    expect(failed).toHaveLength(1);
    expect(failed[0].e.value).toBe(1);
    expect(Math.abs(failed[0].t - (t0 + 10 * S))).toBeLessThanOrEqual(80);
    expect(sim.find('calibrationFailed', 'buzz')).toHaveLength(1);
    expect(sim.st.calibrating).toBe(false);
    expect(sim.st.calibrated).toBe(true); // the previous reference is kept
  });

  it('rejects a clip lying nearly flat', () => {
    const sim = new Sim();
    sim.run([{ fwdDeg: 70, durS: 1, rampS: 0 }]); // board normal 70° up from horizontal
    sim.calibrate();
    expect(sim.find('calibrationFailed').map((l) => l.e.value)).toEqual([2]);
    expect(sim.st.calibrated).toBe(false);
  });

  it('restores a stored upright vector after a reboot', () => {
    const a = readySim({ mount: { psiDeg: 35, tiltDeg: 10 } });
    const b = new Sim({ mount: { psiDeg: 35, tiltDeg: 10 } });
    restoreCalibration(b.st, a.st.cx * 2, a.st.cy * 2, a.st.cz * 2);
    expect(b.st.calibrated).toBe(true);
    expect(settled(b, 20, 0)[0]).toBeCloseTo(20, 0);
  });
});

describe('auto-recalibration', () => {
  it('follows a more upright posture at no more than 1°/min', () => {
    const sim = readySim();
    const start = settled(sim, -5, 0)[0];
    expect(start).toBeCloseTo(-5, 0);
    sim.run([{ fwdDeg: -5, durS: 60, breathDeg: 0 }]);
    const after1 = sim.st.angleDeg;
    expect(after1 - start).toBeGreaterThan(0.8);
    expect(after1 - start).toBeLessThanOrEqual(1.0 + 0.05);
    // Breathing on: a body that does not sway for minutes reads as unworn (no adaptation).
    sim.run([{ fwdDeg: -5, durS: 300 }]);
    expect(Math.abs(sim.st.angleDeg)).toBeLessThan(0.5);
  });

  it('never follows a forward lean, nor a backward lean beyond 10°', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: 8, durS: 600 }]);
    expect(sim.st.angleDeg).toBeCloseTo(8, 0);
    sim.run([{ fwdDeg: -15, durS: 300 }]);
    expect(sim.st.angleDeg).toBeCloseTo(-15, 0);
  });

  it('can be switched off', () => {
    const sim = readySim({ settings: { autoRecalibrate: false } });
    sim.run([{ fwdDeg: -5, durS: 300 }]);
    expect(sim.st.angleDeg).toBeCloseTo(-5, 0);
  });
});

describe('clip moved', () => {
  it('is reported once when walking stays 20° away from upright, and cleared by calibration', () => {
    const sim = readySim();
    sim.syn.mount = { psiDeg: 30 }; // the clip turned 30° on the back
    sim.run([{ fwdDeg: 0, durS: 5 }]);
    const t0 = sim.t;
    sim.run([{ fwdDeg: 0, durS: 30, walk: true }]);
    const moved = sim.find('clipMoved');
    expect(moved).toHaveLength(1);
    expect(Math.abs(moved[0].e.value - 30)).toBeLessThanOrEqual(2);
    // walking is recognised after ~4 steps (~2.2 s), then 10 s of deviation
    expect(moved[0].t - t0).toBeGreaterThan(10 * S);
    expect(moved[0].t - t0).toBeLessThan(14 * S);
    expect(sim.find('clipMoved', 'buzz')).toHaveLength(1);
    expect(sim.st.clipMoved).toBe(true);
    sim.run([{ fwdDeg: 0, durS: 5 }]);
    sim.calibrate();
    expect(sim.st.clipMoved).toBe(false);
  });

  it('is not reported for upright or leaning walking with the clip in place', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: 5, durS: 60, walk: true }, { fwdDeg: 15, durS: 60, walk: true }]);
    expect(sim.find('clipMoved')).toEqual([]);
  });
});
