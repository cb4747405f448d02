// Replay: the clip's engine over a trace gives one row per sample, alerts where the truth slouches.
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../shared/config/settings.ts';
import { REPLAY_HEADER, formatReplayCsv, replayTrace } from '../../bridge/replay/replayTrace.ts';
import { generateTrace } from '../../bridge/sim/motion/generateTrace.ts';
import type { Scenario } from '../../bridge/sim/motion/generateTrace.ts';

const slouchOnce: Scenario = {
  name: 'slouch-once', summary: 'calibrate, sit, slouch 40 s, sit', seed: 3,
  build: (b) => b.sit(5).calibrate().sit(30).hold('typing', 40, 28, 0).sit(30),
};

describe('replayTrace', () => {
  it('is uncalibrated until the calibrate press, then alerts once, delay after the slouch starts', () => {
    const tr = generateTrace(slouchOnce);
    const rows = replayTrace(tr.samples, defaultSettings());
    expect(rows).toHaveLength(tr.samples.length);
    const cal = tr.samples.findIndex((s) => s.event === 'calibrate');
    expect(rows.slice(0, cal).every((r) => r.activity === 'uncalibrated' && Number.isNaN(r.angleDeg))).toBe(true);
    const alerts = rows.filter((r) => r.alert);
    expect(alerts).toHaveLength(1);
    const onset = tr.episodes[0].onsetMs;
    expect(tr.episodes).toHaveLength(1);
    expect(alerts[0].tMs - onset).toBeGreaterThanOrEqual(20000);
    expect(alerts[0].tMs - onset).toBeLessThanOrEqual(22000);
    expect(rows.find((r) => r.tMs === alerts[0].tMs)!.slouching).toBe(true);
  });

  it('follows the settings: a higher threshold than the slouch never alerts; snooze silences', () => {
    const tr = generateTrace(slouchOnce);
    expect(replayTrace(tr.samples, { ...defaultSettings(), thresholdDeg: 35 }).some((r) => r.alert)).toBe(false);
    const snoozed = tr.samples.map((s, i) => (i === 300 ? { ...s, event: 'snooze' as const } : s));
    expect(replayTrace(snoozed, defaultSettings()).some((r) => r.alert)).toBe(false);
  });

  it('writes the documented columns, angles empty before calibration', () => {
    const tr = generateTrace(slouchOnce);
    const lines = formatReplayCsv(replayTrace(tr.samples, defaultSettings())).trimEnd().split('\n');
    expect(lines[0]).toBe(REPLAY_HEADER);
    expect(lines).toHaveLength(tr.samples.length + 1);
    expect(lines[1]).toBe('0,,,uncalibrated,0,0');
    expect(lines.filter((l) => l.endsWith(',1,1'))).toHaveLength(1);
    expect(lines[lines.length - 1]).toMatch(/^\d+,-?\d+(\.\d+)?,-?\d+(\.\d+)?,still,[01],0$/);
  });
});

describe('replayTrace samples as the clip does', () => {
  it('holds its state between 1.6 Hz ticks while the wearer sits calm; --every-sample steps every row', () => {
    const tr = generateTrace({ name: 'calm', summary: 'calibrate, sit still', seed: 5, build: (b) => b.sit(5).calibrate().sit(120) });
    const calm = (rows: ReturnType<typeof replayTrace>) => rows.filter((r) => r.tMs > 60_000);
    const distinct = (rows: ReturnType<typeof replayTrace>) => new Set(calm(rows).map((r) => r.angleDeg)).size;
    const clip = replayTrace(tr.samples, defaultSettings());
    const every = replayTrace(tr.samples, defaultSettings(), { everySample: true });
    // 65 s at 12.5 Hz is ~810 rows: the clip updates ~104 times at 1.6 Hz, the engine alone every row.
    expect(distinct(clip)).toBeLessThan(130);
    expect(distinct(every)).toBeGreaterThan(700);
    expect(calm(clip).every((r) => r.activity === 'still')).toBe(true);
  });
});
