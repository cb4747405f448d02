// Per-sample work of the firmware on the clip, counted in interpreter tokens (Espruino executes
// source text, so tokens walked ≈ work), against a baseline measured in the same run: the
// bare 3-axis EMA filter + atan2 loop that espruino.md measured at 7–8.5 µs a sample.
// Prints a table; the target is "within a few times the baseline" (not met yet: see the bound below).
import { describe, expect, it } from 'vitest';
import { createEspruinoBoard } from '../../bridge/sim/espruino/espruinoBoard.ts';
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

const SAMPLES_PER_10S = 125;

/** A wearer sitting upright with a slow sway: the common case on the clip. */
const sitting = (t: number) => {
  const r = (4 + Math.sin(t / 5000)) * Math.PI / 180;
  return { x: 0, y: Math.cos(r), z: Math.sin(r) };
};

function perSample(code: string, calibrate: boolean): number {
  const b = createEspruinoBoard({ board: 'PUCKJS', accel: sitting, countOps: true });
  b.load(code);
  b.advance(2000);
  if (calibrate) b.press(1200);
  b.advance(70_000); // past the first minute record and calibration settling
  return b.countOps(() => b.advance(10_000)) / SAMPLES_PER_10S;
}

describe('per-sample work on the clip (interpreter tokens)', () => {
  it('stays within a few times a bare filter + atan2 loop', async () => {
    const fw = await buildFirmware();
    const base = perSample(BASELINE, false);
    const worn = perSample(fw.minified, true);
    const rows = [
      ['bare 3-axis filter + atan2 (baseline)', base, 1],
      ['nape firmware, worn, calibrated, sitting', worn, worn / base],
    ] as const;
    console.log('| loop | tokens per sample | × baseline |\n|---|---|---|\n' +
      rows.map(([n, v, r]) => `| ${n} | ${v.toFixed(0)} | ${r.toFixed(1)} |`).join('\n'));
    expect(base).toBeGreaterThan(20);
    expect(worn).toBeGreaterThan(base);
    // The target is a few times the baseline; today it is ~19× (down from ~31× after the engine's
    // per-sample path was trimmed), the figure issue 3 still has to bring down. This bound (today's
    // figure + 10%) only stops it growing unnoticed.
    expect(worn / base).toBeLessThan(21.2);
  }, 120_000);
});
