import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SETTINGS, applySettings, defaultSettings, settingBytes, snakeKey } from '../../shared/config/settings.ts';
import type { SettingDef } from '../../shared/config/settings.ts';
import { decodeConfig, encodeConfig } from '../../shared/config/configRecord.ts';
import { encode } from '../../shared/protocol/index.ts';

describe('the settings table', () => {
  it('has the documented defaults', () => {
    expect(defaultSettings()).toMatchObject({
      thresholdDeg: 15, delayS: 20, hysteresisDeg: 5, cooldownS: 60, mode: 'training',
    });
  });

  it('is internally consistent: defaults within bounds, unique keys, units and docs present', () => {
    const keys = new Set<string>();
    for (const d of SETTINGS as readonly SettingDef[]) {
      expect(keys.has(d.key)).toBe(false);
      keys.add(d.key);
      expect(d.doc.length).toBeGreaterThan(10);
      expect(d.min).toBeLessThanOrEqual(d.max);
      if (d.type === 'enum') expect(d.values && d.values.length - 1).toBe(d.max);
      expect(applySettings(defaultSettings(), { [d.key]: d.def }).ok).toBe(true);
    }
  });

  it('uses u16 only where a value does not fit a byte', () => {
    expect(settingBytes({ key: 'x', type: 'int', min: 0, max: 255, def: 0, unit: '', doc: '' })).toBe(1);
    expect(settingBytes({ key: 'x', type: 'int', min: 1, max: 600, def: 1, unit: '', doc: '' })).toBe(2);
  });
});

describe('applySettings', () => {
  const base = defaultSettings();

  it('merges a valid partial update and leaves the base untouched', () => {
    const r = applySettings(base, { thresholdDeg: 20, mode: 'tracking', flipZ: true });
    expect(r).toEqual({ ok: true, value: { ...base, thresholdDeg: 20, mode: 'tracking', flipZ: true } });
    expect(base.thresholdDeg).toBe(15);
  });

  it('names every problem and changes nothing', () => {
    const r = applySettings(base, { thresholdDeg: 70, delayS: 2.5, mode: 'nag', flipZ: 'yes', colour: 'red' });
    expect(r.ok).toBe(false);
    const errors = (r as { errors: string[] }).errors;
    expect(errors).toEqual([
      'thresholdDeg must be a whole number from 5 to 60 °, got 70',
      'delayS must be a whole number from 1 to 600 s, got 2.5',
      'mode must be one of training, tracking, got "nag"',
      'flipZ must be true or false, got "yes"',
      expect.stringMatching(/^unknown setting "colour"; known: thresholdDeg, delayS/),
    ]);
  });

  it('checks rules across settings', () => {
    expect(applySettings(base, { thresholdDeg: 5 })).toEqual({
      ok: false, errors: ['hysteresisDeg (5) must be below thresholdDeg (5)'],
    });
    expect(applySettings(base, { thresholdDeg: 6, hysteresisDeg: 5 }).ok).toBe(true);
  });

  it('rejects non-objects with a clear message', () => {
    for (const bad of [null, 3, 'x', [1]]) {
      const r = applySettings(base, bad);
      expect(r.ok).toBe(false);
      expect((r as { errors: string[] }).errors[0]).toMatch(/^settings must be an object/);
    }
  });

  it('speaks snake_case for MQTT and config files', () => {
    expect(snakeKey('buzzStrengthPct')).toBe('buzz_strength_pct');
    expect(applySettings(base, { threshold_deg: 25, quiet_start_min: 1320 }, true)).toMatchObject({
      ok: true, value: { thresholdDeg: 25, quietStartMin: 1320 },
    });
    expect(applySettings(base, { thresholdDeg: 25 }, true)).toMatchObject({ ok: false, errors: [expect.stringMatching(/unknown setting "thresholdDeg"; known: threshold_deg/)] });
    expect(applySettings(base, { delay_s: 0 }, true)).toEqual({ ok: false, errors: ['delay_s must be a whole number from 1 to 600 s, got 0'] });
  });
});

describe('the BLE config record', () => {
  const arbSettings = fc.record(Object.fromEntries((SETTINGS as readonly SettingDef[]).map((d) => [d.key,
    d.type === 'bool' ? fc.boolean() : d.type === 'enum' ? fc.constantFrom(...(d.values as string[])) : fc.integer({ min: d.min, max: d.max })])))
    .filter((s) => (s.hysteresisDeg as number) < (s.thresholdDeg as number));

  it('round-trips every valid settings record in 20 bytes', () => {
    fc.assert(fc.property(arbSettings, (s) => {
      const bytes = encodeConfig(s as never);
      expect(bytes.length).toBe(20);
      expect(decodeConfig(bytes)).toEqual({ ok: true, value: s });
    }));
  });

  it('refuses out-of-range values, naming the setting index the clip reports', () => {
    const wire = Object.fromEntries((SETTINGS as readonly SettingDef[]).map((d) => [d.key, typeof d.def === 'number' ? d.def : d.def === true ? 1 : 0]));
    expect(decodeConfig(encode('config', { ...wire, delayS: 0 }))).toMatchObject({ ok: false, error: { error: 'badValue', index: 1 } });
    expect(decodeConfig(encode('config', { ...wire, mode: 2 }))).toMatchObject({ ok: false, error: { error: 'badValue', index: 4 } });
    expect(decodeConfig(encode('config', { ...wire, thresholdDeg: 5, hysteresisDeg: 5 }))).toMatchObject({ ok: false, error: { error: 'badValue', index: 2 } });
    expect(decodeConfig(new Uint8Array([1, 0x20, 1]))).toMatchObject({ ok: false, error: { error: 'truncated' } });
    expect(decodeConfig(encode('calibrate', {}))).toMatchObject({ ok: false, error: { error: 'wrongChannel' } });
  });
});
