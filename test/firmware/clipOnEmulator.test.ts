// The built firmware bundle on the emulated boards: what a wearer and a bridge would see.
import { describe, expect, it } from 'vitest';
import { decode, encode, isDecodeError } from '../../shared/protocol/codec.ts';
import { COMPANY_ID, napeUuid } from '../../shared/protocol/uuids.ts';
import { defaultSettings } from '../../shared/config/settings.ts';
import { decodeConfig, encodeConfig } from '../../shared/config/configRecord.ts';
import { isEvent, unpackEvent, unpackMinute } from '../../shared/protocol/records.ts';
import { buzzPattern } from '../../firmware/src/app/buzz.ts';
import { bootClip, buzzes, Central } from './clipHarness.ts';
import type { Pose } from './clipHarness.ts';

const S = 1000;
const MIN = 60 * S;

/** A posture script from [untilMs, pose] steps. */
function script(steps: [number, Pose][]): (tMs: number) => Pose {
  return (t) => {
    for (const [until, pose] of steps) if (t < until) return pose;
    return steps[steps.length - 1][1];
  };
}

const pattern = (name: string) => buzzPattern(name).filter((_, i) => i % 2 === 0);

describe('the firmware on each board', () => {
  for (const board of ['PUCKJS', 'MDBT42Q', 'BANGLEJS2'] as const) {
    it(`boots on ${board}: no errors, GATT service up, advertising decodes`, async () => {
      const b = await bootClip({ board });
      b.advance(15 * S);
      expect(b.errors).toEqual([]);
      const adv = b.radio.advertising();
      expect(adv.manufacturer).toBe(COMPANY_ID);
      const m = decode(new Uint8Array(adv.manufacturerData as ArrayLike<number>));
      expect(isDecodeError(m)).toBe(false);
      expect(m).toMatchObject({ name: 'adv', value: { state: 0 } }); // uncalibrated
      const c = new Central(b);
      expect(c.conn.services().map((s) => s.uuid)).toContain(napeUuid('service').replace(/-/g, ''));
      const info = c.read('info');
      expect(info).toMatchObject({ name: 'info', value: { board: ['PUCKJS', 'MDBT42Q', 'BANGLEJS2'].indexOf(board) } });
    });
  }
});

describe('wearing the clip', () => {
  it('calibrates on a long press and buzzes a 25° slouch once after the 20 s delay', async () => {
    const b = await bootClip({ script: script([[40 * S, { fwdDeg: 0 }], [75 * S, { fwdDeg: 25 }], [Infinity, { fwdDeg: 0 }]]) });
    b.advance(5 * S);
    b.press(1200);
    b.advance(5 * S);
    const cal = buzzes(b);
    expect(cal.map((z) => z.pulses)).toEqual([pattern('calibrated')]);
    b.advance(80 * S);
    const slouch = buzzes(b, 30 * S);
    expect(slouch).toHaveLength(1);
    expect(slouch[0].pulses).toEqual(pattern('slouch'));
    // Onset at 40 s (within the sampling and the 1 s filter), alert 20 s later.
    expect(slouch[0].atMs).toBeGreaterThanOrEqual(60 * S);
    expect(slouch[0].atMs).toBeLessThanOrEqual(61.5 * S);
    expect(b.errors).toEqual([]);
  });

  it('does not buzz while walking bent 20° or lying down', async () => {
    const b = await bootClip({ script: script([[15 * S, { fwdDeg: 0 }], [135 * S, { fwdDeg: 20, walking: true }], [Infinity, { fwdDeg: 85 }]]) });
    b.advance(5 * S);
    b.press(1200);
    b.advance(5 * S);
    const after = b.nowMs;
    b.advance(5 * MIN);
    expect(buzzes(b, after)).toEqual([]);
  });

  it('snoozes on a double press: the slouch is logged but does not buzz', async () => {
    const b = await bootClip({ script: script([[30 * S, { fwdDeg: 0 }], [Infinity, { fwdDeg: 30 }]]) });
    b.advance(5 * S);
    b.press(1200);
    b.advance(5 * S);
    b.doublePress();
    b.advance(2 * S);
    const afterSnooze = b.nowMs;
    expect(buzzes(b, afterSnooze - 2500).map((z) => z.pulses)).toEqual([pattern('snooze')]);
    b.advance(2 * MIN);
    expect(buzzes(b, afterSnooze)).toEqual([]);
    const c = new Central(b);
    const recs = c.sync().records;
    const events = recs.filter((r) => isEvent(r.word)).map((r) => unpackEvent(r.word));
    // The silenced alerts are counted in the minute records; the clip logs no event per alert.
    const alerts = recs.filter((r) => !isEvent(r.word)).map((r) => unpackMinute(r.word).alerts);
    expect(alerts.reduce((a, n) => a + n, 0)).toBeGreaterThanOrEqual(1);
    expect(events.map((e) => e.name)).not.toContain('alert');
    expect(events.map((e) => e.name)).toContain('snoozed');
  });
});

describe('the log', () => {
  it('keeps a minute record per worn minute and survives a reset', async () => {
    const b = await bootClip({ script: script([[10 * S, { fwdDeg: 0 }], [10 * MIN, { fwdDeg: 5 }], [20 * MIN, { fwdDeg: 25 }], [Infinity, { fwdDeg: 5 }]]) });
    b.advance(3 * S);
    b.press(1200);
    b.advance(30 * MIN);
    b.reset('watchdog');
    b.advance(5 * MIN);
    const c = new Central(b);
    const recs = c.sync().records;
    const minutes = recs.filter((r) => !isEvent(r.word)).map((r) => unpackMinute(r.word));
    const events = recs.filter((r) => isEvent(r.word)).map((r) => unpackEvent(r.word));
    // 30 minutes before the reset and 5 after, less the partial minutes at each boot.
    expect(minutes.length).toBeGreaterThanOrEqual(32);
    expect(minutes.length).toBeLessThanOrEqual(36);
    const slouched = minutes.filter((m) => m.meanAngleDeg >= 20);
    expect(slouched.length).toBeGreaterThanOrEqual(9);
    expect(slouched.every((m) => m.slouchS >= 50)).toBe(true);
    expect(events.filter((e) => e.name === 'boot').map((e) => e.arg)).toEqual([0, 1]); // power-on, then watchdog
    expect(new Set(recs.map((r) => r.seq)).size).toBe(recs.length);
  });

  it('syncs every record exactly once over a small MTU even when notifications are dropped', async () => {
    const b = await bootClip({ notifyQueue: 2, notifyPerEvent: 1, connectionIntervalMs: 30, script: () => ({ fwdDeg: 8 }) });
    b.advance(3 * S);
    b.press(1200);
    b.advance(3 * 60 * MIN);
    const c = new Central(b, 23);
    const r = c.sync();
    expect(b.radio.dropped).toBeGreaterThan(0);
    expect(r.requests).toBeGreaterThan(1);
    const seqs = r.records.map((x) => x.seq);
    expect(seqs).toEqual([...seqs].sort((a, z) => a - z));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(r.records.filter((x) => !isEvent(x.word)).length).toBeGreaterThanOrEqual(178);
    // Acknowledged records are not sent again: a later sync starts where this one ended.
    c.write('control', encode('ack', { nextSeq: r.nextSeq }));
    b.advance(1 * S);
    const again = c.sync(r.nextSeq).records;
    expect(again.every((x) => x.seq >= r.nextSeq)).toBe(true);
    expect(again.length).toBeLessThanOrEqual(3);
    expect(c.read('info')).toMatchObject({ value: { oldestSeq: expect.any(Number) } });
  });

  it('survives a power loss in the middle of a flash write', async () => {
    const b = await bootClip({ script: () => ({ fwdDeg: 3 }) });
    b.advance(3 * S);
    b.press(1200);
    b.advance(20 * MIN);
    b.storage.tearNextWrite(3);
    b.advance(10 * MIN); // the torn write resets the board
    b.advance(10 * MIN);
    expect(b.resets.length).toBeGreaterThanOrEqual(2);
    expect(b.flashViolations).toEqual([]);
    const c = new Central(b);
    const recs = c.sync().records;
    expect(recs.filter((r) => !isEvent(r.word)).length).toBeGreaterThanOrEqual(30);
    expect(b.errors).toEqual([]);
  });
});

describe('settings over BLE', () => {
  it('rejects an out-of-range config write and changes nothing', async () => {
    const b = await bootClip();
    const c = new Central(b);
    const before = c.read('config');
    const bad = encodeConfig(defaultSettings());
    bad[3] = 0; bad[4] = 0; // delayS = 0, below its minimum
    c.write('config', bad);
    b.advance(100);
    expect(c.results.at(-1)).toEqual({ op: 0x20, code: 4, detail: 1 });
    expect(c.read('config')).toEqual(before);
    const good = encodeConfig({ ...defaultSettings(), thresholdDeg: 20 });
    c.write('config', good);
    b.advance(100);
    expect(c.results.at(-1)).toEqual({ op: 0x20, code: 0, detail: 0 });
    const after = decodeConfig(new Uint8Array(c.conn.read(napeUuid('service'), napeUuid('config'))));
    expect(after).toMatchObject({ ok: true, value: { thresholdDeg: 20 } });
  });
});

describe('clock, battery and interpreter errors', () => {
  it('re-times records made before the clock was set', async () => {
    const b = await bootClip({ script: () => ({ fwdDeg: 4 }) });
    b.advance(3 * S);
    b.press(1200);
    b.advance(10 * MIN); // the clip clock starts at 0: not set
    const c = new Central(b);
    const clipNowS = Math.floor(b.clipMs() / 1000);
    const realNowS = 1_764_000_000;
    c.write('control', encode('setClock', { unixS: realNowS, tzOffsetMin: 60 }));
    b.advance(5 * MIN);
    const recs = c.sync().records;
    const minutes = recs.filter((r) => !isEvent(r.word));
    expect(minutes.length).toBeGreaterThanOrEqual(13);
    expect(minutes.every((r) => r.timeKnown)).toBe(true);
    // Every minute lands within a minute of when it really happened, before and after the clock was set.
    const first = minutes[0];
    expect(Math.abs(first.tS - (realNowS - (clipNowS - 60)))).toBeLessThanOrEqual(120);
    const last = minutes[minutes.length - 1];
    expect(Math.abs(last.tS - (realNowS + 4 * 60))).toBeLessThanOrEqual(120);
    expect(recs.filter((r) => isEvent(r.word)).map((r) => unpackEvent(r.word).name)).toContain('clockSet');
    expect(c.read('info')).toMatchObject({ value: { flags: expect.any(Number), tzOffsetMin: 60 } });
  });

  it('logs and buzzes a low battery once, and logs interpreter error flags', async () => {
    const b = await bootClip({ script: () => ({ fwdDeg: 2 }) });
    b.advance(5 * S);
    b.setBattery(10);
    b.advance(11 * MIN);
    expect(buzzes(b).map((z) => z.pulses)).toContainEqual(pattern('lowBattery'));
    b.raiseErrorFlag('LOW_MEMORY');
    b.advance(2 * S);
    b.advance(20 * MIN);
    expect(buzzes(b).filter((z) => z.pulses.join() === pattern('lowBattery').join())).toHaveLength(1);
    const events = new Central(b).sync().records.filter((r) => isEvent(r.word)).map((r) => unpackEvent(r.word));
    expect(events).toContainEqual({ name: 'lowBattery', arg: 10 });
    expect(events.some((e) => e.name === 'error' && e.arg !== 0)).toBe(true);
  });
});

describe('power and streams', () => {
  /** The emulated accelerometer's configured rate (the hardware's state, not the firmware's). */
  const accelHz = (b: Awaited<ReturnType<typeof bootClip>>) => (b as unknown as { puck: { rateHz: number } }).puck.rateHz;

  it('samples at 1.6 Hz while the wearer sits calm or the clip lies on a desk, at 12.5 Hz as soon as anything moves', async () => {
    const b = await bootClip({ script: script([[2 * MIN, { fwdDeg: 0 }], [10 * MIN, { fwdDeg: 90, table: true }], [Infinity, { fwdDeg: 0, walking: true }]]) });
    b.advance(3 * S);
    b.press(1200);
    b.advance(3 * S);
    expect(accelHz(b)).toBe(12.5); // calibrating
    b.advance(60 * S);
    expect(accelHz(b)).toBe(1.6); // sitting calm, breathing
    b.advance(2 * MIN - b.nowMs + 1500);
    expect(accelHz(b)).toBe(12.5); // taken off and laid down: the first jolting sample wakes it
    b.advance(7 * MIN);
    expect(accelHz(b)).toBe(1.6); // not worn
    b.advance(3 * MIN);
    expect(accelHz(b)).toBe(12.5); // worn again and walking
    expect(b.errors).toEqual([]);
  });

  it('streams live posture only while asked, at the configured interval, and serves the Battery Service', async () => {
    const b = await bootClip({ script: script([[15 * S, { fwdDeg: 0 }], [Infinity, { fwdDeg: 12 }]]) });
    b.advance(3 * S);
    b.press(1200);
    b.advance(20 * S);
    const c = new Central(b);
    b.advance(2 * S);
    expect(c.frames.filter((f) => f.ch === 'live')).toEqual([]);
    c.write('control', encode('live', { on: 1 }));
    b.advance(2 * S);
    const live = c.frames.filter((f) => f.ch === 'live').map((f) => f.msg as { name: string; value: { angleDeci: number; activity: number } });
    expect(live.length).toBeGreaterThanOrEqual(9); // every 200 ms by default
    expect(live.length).toBeLessThanOrEqual(11);
    expect(Math.abs(live[live.length - 1].value.angleDeci - 120)).toBeLessThanOrEqual(15);
    c.write('control', encode('live', { on: 0 }));
    b.advance(100);
    const n = c.frames.filter((f) => f.ch === 'live').length;
    b.advance(2 * S);
    expect(c.frames.filter((f) => f.ch === 'live').length).toBe(n);
    expect(Array.from(c.conn.read('0x180f', '0x2a19'))).toEqual([100]);
  });
});
