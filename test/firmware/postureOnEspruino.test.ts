// The posture engine as the clip runs it: bundled for Espruino, executed in the emulator, it
// must produce exactly the effects, summaries and angles the same code produces on Node.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEspruinoBundle } from '../../firmware/build/bundle.ts';
import { createEspruinoVm } from '../../firmware/build/espruinoVm.ts';
import { Synth } from '../posture/synth.ts';
import { runPosture } from './fixtures/postureRunner.ts';

describe('posture engine on the Espruino emulator', () => {
  it('gives the same alerts, activities and minute summaries as on Node', async () => {
    const synth = new Synth({ seed: 7, t0Ms: 1_764_000_000_000, mount: { psiDeg: 30, tiltDeg: 8 } });
    const samples = synth.samples([
      { fwdDeg: 0, durS: 15 },
      { fwdDeg: 25, durS: 45 },
      { fwdDeg: 3, durS: 20 },
      { fwdDeg: 20, durS: 40, walk: true },
      { fwdDeg: 85, durS: 40, rampS: 2 },
      { fwdDeg: -10, durS: 30 },
      { fwdDeg: 30, durS: 100, rampS: 60 },
    ]);
    const packed = new Float64Array(samples.length * 4);
    samples.forEach((s, i) => packed.set([s.t, s.x, s.y, s.z], i * 4));
    const calibrateAt = samples[0].t + 2000;

    const onNode = runPosture(packed, calibrateAt);

    const { code } = await buildEspruinoBundle({ entry: join(import.meta.dirname, 'fixtures', 'postureRunner.ts') });
    const vm = createEspruinoVm();
    vm.run(code, 'postureRunner.js');
    const run = vm.context.napeRunPosture as typeof runPosture;
    const onEspruino = Array.from(run(packed, calibrateAt));

    expect(onEspruino).toEqual(onNode);
    // And the run is not trivially empty: it calibrated, alerted on the slouches, summarised minutes.
    const text = onNode.join('\n');
    expect(text).toMatch(/event calibrated 0/);
    expect(onNode.filter((l) => l.includes('event alert')).length).toBeGreaterThanOrEqual(2);
    expect(onNode.filter((l) => l.includes(' minute ')).length).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/ state 3 /); // walking seen
    expect(text).toMatch(/ state 4 /); // lying seen
  });
});
