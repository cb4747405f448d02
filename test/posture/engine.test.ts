// The engine API: effects, silencing (snooze, tracking, quiet hours), configure, clock.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/config/settings.ts';
import { NO_EFFECTS, configure, createPosture, setClock, snooze, stepPosture } from '../../shared/posture/engine.ts';
import { readySim } from './synth.ts';
import type { Sim } from './synth.ts';

const S = 1000;
const slouch = (sim: Sim) => sim.run([{ fwdDeg: 25, durS: 25 }, { fwdDeg: 0, durS: 5 }]);

describe('engine', () => {
  it('returns the shared NO_EFFECTS when nothing happens', () => {
    const st = createPosture(defaultSettings());
    expect(NO_EFFECTS).toHaveLength(0);
    for (let i = 0; i < 50; i++) expect(stepPosture(st, 0, 1, 0, i * 80)).toBe(NO_EFFECTS);
  });

  it('snooze silences buzzes but still logs and counts alerts; 0 cancels', () => {
    const sim = readySim();
    const eff = snooze(sim.st, sim.t, 30);
    expect(eff).toEqual([{ kind: 'buzz', name: 'snooze', value: 30 }, { kind: 'event', name: 'snoozed', value: 30 }]);
    expect(sim.st.snoozedUntilMs).toBe(sim.t + 30 * 60 * S);
    slouch(sim);
    expect(sim.find('alert').map((l) => l.e.silent)).toEqual([true]);
    expect(sim.find('slouch', 'buzz')).toEqual([]);
    expect(sim.st.alerts).toBe(1);
    expect(snooze(sim.st, sim.t, 0)[1]).toEqual({ kind: 'event', name: 'snoozed', value: 0 });
    slouch(sim);
    expect(sim.find('slouch', 'buzz')).toHaveLength(1);
    expect(sim.find('alert').map((l) => l.e.silent)).toEqual([true, undefined]);
  });

  it('snooze runs out after its minutes', () => {
    const sim = readySim();
    snooze(sim.st, sim.t, 1);
    sim.run([{ fwdDeg: 0, durS: 61 }]);
    slouch(sim);
    expect(sim.find('slouch', 'buzz')).toHaveLength(1);
  });

  it('tracking mode never buzzes but logs alerts', () => {
    const sim = readySim({ settings: { mode: 'tracking' } });
    slouch(sim);
    expect(sim.find('slouch', 'buzz')).toEqual([]);
    expect(sim.find('alert')).toHaveLength(1);
    expect(sim.find('alert')[0].e.silent).toBe(true);
  });

  it('quiet hours (over midnight) silence alerts only with a valid clock', () => {
    const quiet = { quietStartMin: 22 * 60, quietEndMin: 7 * 60 };
    const lateLocal = Date.UTC(2024, 0, 1, 21, 30); // 22:30 at UTC+1
    const noonLocal = Date.UTC(2024, 0, 1, 11, 0); // 12:00 at UTC+1
    const cases: [number, boolean, boolean][] = [[lateLocal, true, true], [noonLocal, true, false], [lateLocal, false, false]];
    for (const [t0Ms, valid, silent] of cases) {
      const sim = readySim({ t0Ms, settings: quiet });
      setClock(sim.st, 60, valid);
      slouch(sim);
      expect(sim.find('alert')).toHaveLength(1);
      expect(sim.find('slouch', 'buzz')).toHaveLength(silent ? 0 : 1);
    }
  });

  it('applies new settings at once, keeping the state', () => {
    const sim = readySim();
    const t0 = sim.t;
    sim.run([{ fwdDeg: 25, durS: 5 }]);
    configure(sim.st, { ...defaultSettings(), delayS: 8 });
    expect(sim.st.slouching).toBe(true);
    sim.run([{ fwdDeg: 25, durS: 5 }]);
    const alerts = sim.find('alert');
    expect(alerts).toHaveLength(1);
    expect(Math.abs(alerts[0].t - (t0 + 8.6 * S))).toBeLessThanOrEqual(80);
    // a higher threshold ends nothing by itself but stops the next alert
    configure(sim.st, { ...defaultSettings(), thresholdDeg: 30, cooldownS: 5 });
    sim.run([{ fwdDeg: 25, durS: 20 }]);
    expect(sim.find('alert')).toHaveLength(1);
  });

  it('re-derives the forward axis when flipZ changes', () => {
    const sim = readySim();
    configure(sim.st, { ...defaultSettings(), flipZ: true });
    sim.run([{ fwdDeg: 20, durS: 10 }]);
    // the board is physically unchanged, so flipping the setting mirrors forward and back
    expect(sim.st.angleDeg).toBeCloseTo(-20, 0);
  });
});
