// Minute summaries against the synthetic truth.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/config/settings.ts';
import { calibrate, createPosture, stepPosture } from '../../shared/posture/engine.ts';
import { createMinute, stepMinute } from '../../shared/posture/minute.ts';
import type { MinuteSummary } from '../../shared/posture/minute.ts';
import { generateTrace } from '../../bridge/sim/motion/generateTrace.ts';
import { DT_MS, Sim } from './synth.ts';

describe('minute summaries', () => {
  it('summarises each wall-clock minute', () => {
    const sim = new Sim({ t0Ms: 0 });
    sim.run([{ fwdDeg: 0, durS: 1 }]);
    sim.calibrate(); // completes at 3 s: the wearer was already still
    // minute 0: upright to 60 s. minute 1: 10 s upright, 30 s at 25° (1 s ramps), 20 s upright.
    sim.run([{ fwdDeg: 0, durS: 56 }, { fwdDeg: 0, durS: 10 }, { fwdDeg: 25, durS: 30 }, { fwdDeg: 0, durS: 20 }]);
    sim.run([{ fwdDeg: 0, durS: 30, walk: true }, { fwdDeg: 0, durS: 31 }]);
    expect(sim.minutes.map((m) => m.startMs)).toEqual([0, 60000, 120000]);
    const [m0, m1, m2] = sim.minutes;
    expect(m0.samples).toBe(750);
    expect(m0.calibrated).toBe(true);
    expect(m0.worn).toBe(true);
    expect(m0.stillS).toBeCloseTo(57, 0); // uncalibrated until 2 s into the window opened at 1 s
    expect(m0.alerts).toBe(0);
    expect(m0.slouchS).toBe(0);
    expect(Math.abs(m0.meanAngleDeg)).toBeLessThan(0.3);

    // Truth: ≥ 15° from 0.6 s into the ramp up to 0.4 s into the ramp down = 30 − 0.6 + 0.4 s;
    // the engine also counts the 0.2 s to fall under 10° and the 2 s it waits there.
    expect(Math.abs(m1.slouchS - (29.8 + 2.2))).toBeLessThan(0.5);
    // Truth mean: (29 s·25 + two 1 s ramps·12.5)/60 = 12.5°; the filter only delays the area.
    expect(Math.abs(m1.meanAngleDeg - 12.5)).toBeLessThan(0.3);
    expect(m1.maxAngleDeg).toBeCloseTo(25, 0);
    expect(m1.alerts).toBe(1);
    expect(m1.stillS + m1.movingS).toBeCloseTo(60, 0);

    expect(m2.walkingS).toBeGreaterThan(27);
    expect(m2.walkingS).toBeLessThan(31);
    expect(m2.worn).toBe(true);
  });

  it('marks unworn minutes and NaN angles before calibration', () => {
    const sim = new Sim({ t0Ms: 0 });
    sim.run([{ fwdDeg: 90, durS: 300, table: true }]);
    const last = sim.minutes[sim.minutes.length - 1];
    expect(last.worn).toBe(false);
    expect(last.unwornS).toBeCloseTo(60, 0);
    expect(last.calibrated).toBe(false);
    expect(last.meanAngleDeg).toBeNaN();
    expect(last.maxAngleDeg).toBeNaN();
  });

  it('returns null except on the first sample of a new minute', () => {
    const ms = createMinute();
    const st = createPosture(defaultSettings());
    let got = 0;
    for (let t = 0; t < 180000; t += DT_MS) if (stepMinute(ms, st, t)) got++;
    expect(got).toBe(2);
  });
});

describe('stepMinute once a second (as the clip steps it)', () => {
  it('sums the same minutes as stepping every sample, within a second or so', () => {
    const tr = generateTrace({
      name: 'mixed', summary: 'sit, slouch, walk, phone', seed: 9,
      build: (b) => b.sit(5).calibrate().sit(50).hold('typing', 100, 27, 0).standUp().walk(90).sitDown().phone(120).sit(60),
    });
    const st = createPosture(defaultSettings());
    const every = createMinute();
    const sparse = createMinute();
    const a: MinuteSummary[] = [];
    const b: MinuteSummary[] = [];
    let due = -1;
    for (const s of tr.samples) {
      if (s.event === 'calibrate') calibrate(st, s.tMs);
      stepPosture(st, s.ax, s.ay, s.az, s.tMs);
      const x = stepMinute(every, st, s.tMs);
      if (x) a.push(x);
      if (s.tMs >= due) {
        due = s.tMs + 1000;
        const y = stepMinute(sparse, st, s.tMs);
        if (y) b.push(y);
      }
    }
    expect(b.length).toBe(a.length);
    expect(a.length).toBeGreaterThanOrEqual(7);
    a.forEach((m, i) => {
      const n = b[i];
      for (const k of ['stillS', 'movingS', 'walkingS', 'lyingS', 'unwornS', 'slouchS'] as const) expect(Math.abs(n[k] - m[k]), `${k} of minute ${i}`).toBeLessThanOrEqual(1.6);
      if (m.meanAngleDeg === m.meanAngleDeg) expect(Math.abs(n.meanAngleDeg - m.meanAngleDeg)).toBeLessThan(0.5);
      expect(n.alerts).toBe(m.alerts);
    });
  });
});
