// Work of the firmware on the clip, counted in interpreter tokens (Espruino executes source
// text, so tokens walked ≈ work), against a baseline measured in the same run: the bare 3-axis
// EMA filter + atan2 loop at 12.5 Hz that espruino.md measured at 7–8.5 µs a sample.
// Two figures: tokens per delivered sample, and tokens per second of wear. They differ because
// the clip samples at 1.6 Hz while the wearer sits calm (12.5 Hz as soon as anything moves);
// the second is what the battery pays. Prints a table.
import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../bridge/sim/espruino/espruinoBoard.ts';
import type { EspruinoBoard } from '../../bridge/sim/espruino/espruinoBoard.ts';
import { buildFirmware } from '../../firmware/build/buildFirmware.ts';

const BASELINE = `
var fx = 0, fy = 0, fz = 0, a = 0.05, angle = 0;
Puck.on('accel', function (e) {
  fx += a * (e.acc.x / 8192 - fx);
  fy += a * (e.acc.y / 8192 - fy);
  fz += a * (e.acc.z / 8192 - fz);
  angle = Math.atan2(fz, fy) * 57.29578;
});
Puck.accelOn(12.5);
`;

const WINDOW_MS = 60_000;

/** Breathing sway around 4° forward: the common case on the clip. */
const sitting = (t: number) => {
  const r = (4 + 0.3 * Math.sin((2 * Math.PI * t) / 4000) + Math.sin(t / 5000)) * Math.PI / 180;
  return { x: 0, y: Math.cos(r), z: Math.sin(r) };
};

/** Walking upright: 1.8 steps a second. */
const walking = (t: number) => {
  const w = 2 * Math.PI * 1.8 * t / 1000;
  const r = (4 + 1.5 * Math.sin(w)) * Math.PI / 180;
  return { x: 0, y: Math.cos(r) + 0.25 * Math.sin(w + 1.2), z: Math.sin(r) };
};

const samplesOf = (b: EspruinoBoard): number => (b as unknown as { puck: { samples: number } }).puck.samples;

/** Tokens per delivered sample and per second over a minute, after calibration has settled. */
function measure(code: string, accel: (t: number) => { x: number; y: number; z: number }, calibrate: boolean): { perSample: number; perS: number } {
  const b = createEspruinoBoard({ board: 'PUCKJS', accel, countOps: true });
  b.load(code);
  b.advance(2000);
  if (calibrate) b.press(1200);
  b.advance(70_000);
  const n0 = samplesOf(b);
  const ops = b.countOps(() => b.advance(WINDOW_MS));
  return { perSample: ops / (samplesOf(b) - n0), perS: ops / (WINDOW_MS / 1000) };
}

describe('firmware work on the clip (interpreter tokens)', () => {
  it('costs a few times a bare 12.5 Hz filter + atan2 loop per second of calm wear', async () => {
    const fw = await buildFirmware();
    const base = measure(BASELINE, sitting, false);
    const calm = measure(fw.minified, sitting, true);
    const walk = measure(fw.minified, walking, true);
    const rows: [string, { perSample: number; perS: number }][] = [
      ['bare 3-axis filter + atan2 at 12.5 Hz (baseline)', base],
      ['nape, worn, calibrated, sitting calm (1.6 Hz)', calm],
      ['nape, worn, calibrated, walking (12.5 Hz)', walk],
    ];
    console.log('| loop | tokens per sample | × baseline | tokens per second | × baseline |\n|---|---|---|---|---|\n' + rows.map(([n, r]) =>
      `| ${n} | ${r.perSample.toFixed(0)} | ${(r.perSample / base.perSample).toFixed(1)} | ${r.perS.toFixed(0)} | ${(r.perS / base.perS).toFixed(1)} |`).join('\n'));
    expect(base.perSample).toBeGreaterThan(20);
    expect(calm.perSample).toBeGreaterThan(base.perSample);
    // Calm wear (most of a desk day) is within a few times the bare loop per second.
    expect(calm.perS / base.perS).toBeLessThan(4);
    // Per sample the firmware does ~14× the bare loop at 12.5 Hz (~25× at 1.6 Hz, where its
    // once-a-second work falls on fewer samples): posture.md's "a few hundred operations per
    // sample" is not met. These bounds (today's figures + 10%) stop it growing unnoticed.
    expect(calm.perSample / base.perSample).toBeLessThan(27.6);
    expect(walk.perSample / base.perSample).toBeLessThan(15);
  }, 180_000);
});
