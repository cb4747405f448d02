// The slouch scenarios of the issue. Expected times come from the synthetic truth:
// a ramp of rampS from a to b crosses the 15° threshold at (15 − a)/(b − a)·rampS.
import { describe, expect, it } from 'vitest';
import { ACT_LYING, ACT_WALKING } from '../../shared/posture/activity.ts';
import { DT_MS, readySim } from './synth.ts';

const S = 1000;

describe('slouch alerts', () => {
  it('stays silent for 10 minutes of upright sitting', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: 0, durS: 600 }]);
    expect(sim.find('alert')).toEqual([]);
    expect(sim.st.slouching).toBe(false);
  });

  it('alerts exactly once, 20 s after a held 25° slouch starts', () => {
    const sim = readySim();
    const t0 = sim.t;
    sim.run([{ fwdDeg: 25, durS: 30 }, { fwdDeg: 0, durS: 20 }]);
    const onset = t0 + 0.6 * S; // 15/25 of the 1 s ramp
    const alerts = sim.find('alert');
    expect(alerts).toHaveLength(1);
    expect(Math.abs(alerts[0].t - (onset + 20 * S))).toBeLessThanOrEqual(DT_MS);
    expect(alerts[0].e.value).toBe(25);
    expect(alerts[0].e.silent).toBeUndefined();
    expect(sim.find('slouch', 'buzz').map((l) => l.t)).toEqual([alerts[0].t]);
    expect(sim.st.alerts).toBe(1);
  });

  it('ignores a 3 s glance at 40°', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: 40, durS: 3 }, { fwdDeg: 0, durS: 60 }]);
    expect(sim.find('alert')).toEqual([]);
  });

  it('never treats leaning back as a slouch', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: -15, durS: 60 }, { fwdDeg: 0, durS: 5 }]);
    expect(sim.find('alert')).toEqual([]);
  });

  it('does not alert while walking with a 20° lean', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: 20, durS: 60, walk: true }, { fwdDeg: 0, durS: 30 }]);
    expect(sim.find('alert')).toEqual([]);
  });

  it('does not alert while lying at 85° for 5 minutes', () => {
    const sim = readySim();
    let lying = 0;
    sim.run([{ fwdDeg: 85, durS: 300, rampS: 2 }], (s, st) => {
      if (s.t - sim.t > -295 * S && st.activity === ACT_LYING) lying++;
    });
    expect(sim.st.activity).toBe(ACT_LYING);
    expect(lying).toBeGreaterThan(295 * 12);
    sim.run([{ fwdDeg: 0, durS: 30, rampS: 2 }]);
    expect(sim.find('alert')).toEqual([]);
  });

  it('alerts on a creeping slouch 20 s after it crosses the threshold', () => {
    const sim = readySim();
    const t0 = sim.t;
    sim.run([{ fwdDeg: 30, durS: 70, rampS: 60 }]);
    const alerts = sim.find('alert');
    expect(alerts).toHaveLength(1);
    // 0→30° over 60 s crosses 15° at 30 s; breathing sway (±0.3° at 0.5°/s) shifts it ≤ 0.6 s.
    expect(Math.abs(alerts[0].t - (t0 + 30 * S + 20 * S))).toBeLessThanOrEqual(1 * S);
  });

  it('keeps the slouch through a short hover in the hysteresis band', () => {
    const sim = readySim();
    const t0 = sim.t;
    let started = false;
    let ended = false;
    sim.run([{ fwdDeg: 25, durS: 10 }, { fwdDeg: 13, durS: 2 }, { fwdDeg: 11, durS: 2 }], (_s, st) => {
      if (st.slouching) started = true;
      else if (started) ended = true;
    });
    expect(started).toBe(true);
    expect(ended).toBe(false);
    sim.run([{ fwdDeg: 25, durS: 10 }]);
    const alerts = sim.find('alert');
    expect(alerts).toHaveLength(1);
    // The slouch started at 0.6 s and never ended: the alert comes at the 20 s delay.
    expect(alerts[0].t).toBeGreaterThan(t0 + 20 * S);
    expect(alerts[0].t).toBeLessThan(t0 + 21.5 * S);
  });

  it('ends a slouch whose lean stays under the threshold for 6 s: glances while typing at 10–14° never alert', () => {
    const sim = readySim();
    const glance = { fwdDeg: 30, durS: 3, rampS: 0.4 };
    const typing = { fwdDeg: 11.5, durS: 25, rampS: 0.4 };
    let slouchingWhileTyping = 0;
    sim.run([glance, typing, glance, { ...typing, fwdDeg: 13.5 }, glance, typing], (s, st) => {
      if (st.slouching && Math.abs(st.rawAngleDeg - 11.5) < 1) slouchingWhileTyping++;
    });
    expect(sim.find('alert')).toEqual([]);
    // Typing reads as slouching only until the filtered angle has been under 15° for 6 s.
    expect(slouchingWhileTyping * 80).toBeLessThan(2 * 9000);
    sim.run([{ fwdDeg: 25, durS: 25 }]);
    expect(sim.find('alert')).toHaveLength(1);
  });

  it('ends the slouch after 2 s below threshold − hysteresis', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: 25, durS: 10 }, { fwdDeg: 5, durS: 2.8, rampS: 0.5 }]);
    expect(sim.st.slouching).toBe(false);
    sim.run([{ fwdDeg: 25, durS: 15, rampS: 0.5 }]);
    expect(sim.find('alert')).toEqual([]);
  });

  it('does not reset the timer on dips shorter than 2 s', () => {
    const sim = readySim();
    const t0 = sim.t;
    sim.run([
      { fwdDeg: 25, durS: 8 },
      { fwdDeg: 0, durS: 1.2, rampS: 0.3 },
      { fwdDeg: 25, durS: 8, rampS: 0.3 },
      { fwdDeg: 0, durS: 1.2, rampS: 0.3 },
      { fwdDeg: 25, durS: 10, rampS: 0.3 },
    ]);
    const alerts = sim.find('alert');
    expect(alerts).toHaveLength(1);
    expect(Math.abs(alerts[0].t - (t0 + 20.6 * S))).toBeLessThanOrEqual(DT_MS);
  });

  it('re-alerts every cooldown while the slouch continues', () => {
    const sim = readySim();
    const t0 = sim.t;
    sim.run([{ fwdDeg: 25, durS: 150 }]);
    const at = sim.find('alert').map((l) => l.t - t0 - 0.6 * S);
    expect(at).toHaveLength(3);
    [20, 80, 140].forEach((s, i) => expect(Math.abs(at[i] - s * S)).toBeLessThanOrEqual(DT_MS));
  });

  it('holds off for 5 s after walking before a slouch can start', () => {
    const sim = readySim();
    sim.run([{ fwdDeg: 0, durS: 20, walk: true }]);
    expect(sim.st.activity).toBe(ACT_WALKING);
    const stop = sim.t;
    sim.run([{ fwdDeg: 25, durS: 40, rampS: 0.5 }]);
    const alerts = sim.find('alert');
    expect(alerts).toHaveLength(1);
    // Walking ends ≤ 1.3 s after the last step; the slouch can only start 5 s later.
    expect(alerts[0].t).toBeGreaterThanOrEqual(stop + 25 * S);
    expect(alerts[0].t).toBeLessThanOrEqual(stop + 27 * S);
  });
});
