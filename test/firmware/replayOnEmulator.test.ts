// `nape replay` promises the clip's alerts. Here one simulated trace goes both ways: through
// replayTrace, and as the accelerometer of the built bundle in the Espruino emulator (each tick
// reads the latest trace sample, as a real sensor would); the slouch buzzes must fall on the
// same samples, including while the clip samples at 1.6 Hz.
import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../bridge/sim/espruino/espruinoBoard.ts';
import { replayTrace } from '../../bridge/replay/replayTrace.ts';
import type { TraceSample } from '../../bridge/replay/traceCsv.ts';
import { generateTrace } from '../../bridge/sim/motion/generateTrace.ts';
import type { Scenario } from '../../bridge/sim/motion/generateTrace.ts';
import { defaultSettings } from '../../shared/config/settings.ts';
import { encode } from '../../shared/protocol/codec.ts';
import { Central, buzzes, firmware } from './clipHarness.ts';

const deskMix: Scenario = {
  name: 'desk-mix', summary: 'calibrate, slouches, a glance, a walk, the phone', seed: 11,
  build: (b) => b.sit(5).calibrate().sit(40).hold('typing', 45, 27, 0).sit(60).phone(50).typing(90)
    .standUp().walk(60).sitDown().sit(30).hold('typing', 70, 24, 2).sit(40),
};

/** The slouch pattern's on-pulses (buzzes() lists on-times only). */
const SLOUCH = [150, 150];

/** The latest sample at or before t (a sensor holds its last conversion). */
function holder(samples: readonly TraceSample[]): (t: number) => { x: number; y: number; z: number } {
  let i = 0;
  return (t) => {
    while (i + 1 < samples.length && samples[i + 1].tMs <= t) i++;
    while (i > 0 && samples[i].tMs > t) i--;
    const s = samples[i];
    return { x: s.ax, y: s.ay, z: s.az };
  };
}

describe('replay and the clip agree', () => {
  it('buzzes a slouch on the same samples in the emulator as nape replay reports', async () => {
    const trace = generateTrace(deskMix);
    // The clip's accelerometer starts at boot (t = 0) and first samples one period later.
    const samples = trace.samples.filter((s) => s.tMs >= 80);
    // The Puck part is quantised as Puck.accelOn reports it (8192 counts per g): both sides see
    // exactly the same numbers.
    expect(samples.every((s) => [s.ax, s.ay, s.az].every((v) => Number.isInteger(v * 8192)))).toBe(true);
    const rows = replayTrace(samples, defaultSettings());
    const replayed = rows.filter((r) => r.alert).map((r) => r.tMs);

    const b = createEspruinoBoard({ board: 'PUCKJS', accel: holder(samples) });
    b.load(await firmware());
    const central = new Central(b);
    for (const s of samples.filter((x) => x.event === 'calibrate')) {
      b.advance(s.tMs - 1 - b.nowMs);
      central.write('control', encode('calibrate', {}));
    }
    b.advance(samples[samples.length - 1].tMs - b.nowMs);
    expect(b.errors).toEqual([]);
    // A buzz starts at the tick that raised it; its sample is the latest one at or before it.
    const onClip = buzzes(b).filter((z) => z.pulses.join() === SLOUCH.join()).map((z) => {
      let r = 0;
      while (r + 1 < samples.length && samples[r + 1].tMs <= z.atMs) r++;
      return samples[r].tMs;
    });
    expect(replayed.length).toBeGreaterThanOrEqual(2);
    expect(onClip).toEqual(replayed);
    // The clip did spend the calm stretches at 1.6 Hz.
    expect((b as unknown as { puck: { samples: number } }).puck.samples).toBeLessThan(samples.length * 0.7);
  });
});
