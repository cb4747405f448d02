import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ALERT_SILENT, EVENTS, TIME_CLOCK_VALID, TIME_CORR_KNOWN, advanceTimeline, anchorTimeline, createTimeline, isEvent,
  packEvent, packMinute, unpackEvent, unpackMinute,
} from '../../shared/protocol/index.ts';
import type { EventName } from '../../shared/protocol/index.ts';
import { ACT_LYING, ACT_MOVING, ACT_STILL, ACT_UNCALIBRATED, ACT_WALKING } from '../../shared/posture/activity.ts';

interface GoldenRecord { kind: 'minute' | 'event'; args: Record<string, unknown>; word: number; note: string }
const golden = JSON.parse(readFileSync(new URL('../fixtures/protocol-golden.json', import.meta.url), 'utf8')) as { records: GoldenRecord[] };
const ACTS = [ACT_UNCALIBRATED, ACT_STILL, ACT_MOVING, ACT_WALKING, ACT_LYING];

describe('record words: golden vectors', () => {
  for (const g of golden.records) {
    it(g.note, () => {
      const a = g.args as { activity: number; slouchS: number; meanAngleDeg: number | null; maxAngleDeg: number | null; alerts: number; name: EventName; arg: number };
      const word = g.kind === 'minute'
        ? packMinute(ACTS[a.activity], a.slouchS, a.meanAngleDeg ?? NaN, a.maxAngleDeg ?? NaN, a.alerts)
        : packEvent(a.name, a.arg);
      expect(word).toBe(g.word);
      expect(isEvent(word)).toBe(g.kind === 'event');
    });
  }
});

describe('minute records', () => {
  it('keep the quantised meaning through pack and unpack', () => {
    fc.assert(fc.property(
      fc.constantFrom(ACT_STILL, ACT_MOVING, ACT_WALKING, ACT_LYING),
      fc.double({ min: 0, max: 60, noNaN: true }),
      fc.double({ min: -15, max: 75, noNaN: true }),
      fc.double({ min: 0, max: 35, noNaN: true }),
      fc.integer({ min: 0, max: 3 }),
      (act, slouchS, mean, above, alerts) => {
        const r = unpackMinute(packMinute(act, slouchS, mean, mean + above, alerts));
        expect(r.activity).toBe(act);
        expect(Math.abs(r.slouchS - slouchS)).toBeLessThanOrEqual(60 / 14 + 0.5); // half a seventh of a minute
        expect(Math.abs(r.meanAngleDeg - mean)).toBeLessThanOrEqual(1.5); // half of a 3° step
        expect(Math.abs(r.maxAngleDeg - (mean + above))).toBeLessThanOrEqual(1.5 + 2.5);
        expect(r.alerts).toBe(alerts);
      },
    ));
  });

  it('saturate instead of wrapping', () => {
    const r = unpackMinute(packMinute(ACT_STILL, 600, 200, 400, 99));
    expect(r).toEqual({ activity: ACT_STILL, slouchS: 60, meanAngleDeg: 75, maxAngleDeg: 110, alerts: 3 });
    expect(unpackMinute(packMinute(ACT_STILL, -5, -90, -90, 0)).meanAngleDeg).toBe(-15);
    const u = unpackMinute(packMinute(ACT_UNCALIBRATED, 0, NaN, NaN, 0));
    expect(u.meanAngleDeg).toBeNaN();
    expect(u.activity).toBe(ACT_STILL);
  });

  it('never set the event bit', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 5 }), fc.double(), fc.double(), fc.double(), fc.integer({ min: 0, max: 1000 }),
      (act, s, m, x, a) => {
        const w = packMinute(act, s, m, x, a);
        expect(w).toBeGreaterThanOrEqual(0);
        expect(w).toBeLessThan(0x8000);
      }));
  });
});

describe('event records', () => {
  it('round-trip every event type with 11-bit arguments', () => {
    for (const name of EVENTS) {
      for (const arg of [0, 1, 1023, ALERT_SILENT + 27, 2047]) {
        expect(unpackEvent(packEvent(name, arg))).toEqual({ name, arg });
      }
    }
  });

  it('decode an unknown (future) type as unknown rather than failing', () => {
    expect(unpackEvent(0x8000 | (15 << 11) | 5)).toEqual({ name: 'unknown', arg: 5 });
  });
});

describe('timeline', () => {
  const minute = packMinute(ACT_STILL, 0, 3, 6, 0);

  it('places minutes 60 s apart, events at the current minute, gaps by their minutes', () => {
    const tl = createTimeline();
    expect(advanceTimeline(tl, 0, minute)).toBeNull(); // no anchor yet
    anchorTimeline(tl, 100, 1_764_000_000, 3, TIME_CLOCK_VALID, 0);
    const out = [
      advanceTimeline(tl, 100, minute),
      advanceTimeline(tl, 101, packEvent('alert', 20)),
      advanceTimeline(tl, 102, minute),
      advanceTimeline(tl, 103, packEvent('gap', 90)),
      advanceTimeline(tl, 104, minute),
    ];
    expect(out.map((r) => r && r.tS - 1_764_000_000)).toEqual([0, 60, 60, 120, 120 + 90 * 60]);
    expect(out.every((r) => r && r.timeKnown && r.bootId === 3)).toBe(true);
    expect(advanceTimeline(tl, 106, minute)).toBeNull(); // a seq gap is refused, not misplaced
    expect(advanceTimeline(tl, 105, minute)).not.toBeNull();
  });

  it('re-times records made before the clock was set when the correction is known', () => {
    const tl = createTimeline();
    anchorTimeline(tl, 0, 5_000, 1, TIME_CORR_KNOWN, 1_764_000_000 - 4_000);
    expect(advanceTimeline(tl, 0, minute)).toMatchObject({ tS: 1_764_001_000, timeKnown: true });
    anchorTimeline(tl, 1, 5_060, 1, 0, 0);
    expect(advanceTimeline(tl, 1, minute)).toMatchObject({ tS: 5_060, timeKnown: false });
  });
});
